"""The book's editions (issue 31): English, the source, at _build/html; each translation at
_build/html/<language>/, built from the same MyST notebooks through Sphinx's gettext workflow
(the prose's catalogues in locales/<language>/LC_MESSAGES/book/<lesson>.po).

A Sphinx extension (listed in _config.yml): a language switch on every page, linking to the
same page in the other edition, and the notebooks' kernels told the edition's language
(PEACEOPS_LANGUAGE), each language with its own execution cache so that one edition's
outputs never show in the other. `python -m peaceops.editions fr` builds the French edition;
`python -m peaceops.editions --gettext` extracts the English prose to translate (.pot).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from html import escape
from pathlib import Path

from sphinx.transforms import SphinxTransform

from .content.language import DEFAULT as SOURCE
from .content.language import ENV
from .content.messages import N_, _

#: Each edition's name in its own language (what the switch shows): one per language of
#: `peaceops.content.language.LANGUAGES`.
LANGUAGES = {"en": "English", "fr": "Français"}
#: The book's title (_config.yml's `title`), translated in each edition.
TITLE = N_("Leading UN Peace Operations")


def edition_root(lang: str) -> str:
    """Where an edition sits in the site, relative to the site's root ("" or "fr/")."""
    return "" if lang == SOURCE else f"{lang}/"


def switch_url(pagename: str, here: str, there: str) -> str:
    """The relative link from `pagename` in edition `here` to the same page in `there`."""
    up = "../" * pagename.count("/") + "../" * edition_root(here).count("/")
    return f"{up}{edition_root(there)}{pagename}.html"


#: Shown beside the switch on a page of a translation that has no catalogue yet.
NOT_TRANSLATED = {"fr": "Page pas encore traduite : son texte est en anglais."}


def switch_html(pagename: str, here: str, translated: bool = True) -> str:
    """The switch's links; on a page of a translation with no catalogue yet, a notice."""
    notice = "" if translated or here == SOURCE else (
        f'<span class="peaceops-not-translated">{escape(NOT_TRANSLATED.get(here, ""))}</span>')
    links = "".join(
        f'<a class="peaceops-language-link" href="{escape(switch_url(pagename, here, lang))}" '
        f'hreflang="{lang}" lang="{lang}">{escape(label)}</a>'
        for lang, label in LANGUAGES.items() if lang != here
    )
    label = "Langue" if here == "fr" else "Language"
    return f'<nav class="peaceops-language" aria-label="{label}">{notice}{links}</nav>'


TEMPLATES = Path(__file__).with_name("templates")
SWITCH_TEMPLATE = "language-switch.html"
STYLE = "peaceops-editions.css"


def _config_inited(app, config) -> None:
    lang = config.language or SOURCE
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = dict(config.html_theme_options or {})  # after the sidebar's button, on the left
    start = list(options.get("article_header_start", ["toggle-primary-sidebar.html"]))
    if SWITCH_TEMPLATE not in start:
        options["article_header_start"] = [*start, SWITCH_TEMPLATE]
    config.html_theme_options = options
    os.environ[ENV] = lang  # kernels started by myst-nb inherit it
    if config.html_title:
        config.html_title = _(config.html_title, lang)
    if lang != SOURCE and config.nb_execution_cache_path:
        config.nb_execution_cache_path = f"{str(config.nb_execution_cache_path).rstrip('/')}-{lang}"


class TranslateTocCaptions(SphinxTransform):
    """The book's part captions (_toc.yml) in the edition's language, from the root page's
    catalogue: sphinx_external_toc inserts its toctrees (priority 100) after Sphinx has
    translated the page (20), so their captions are translated here."""

    default_priority = 150

    def apply(self, **kwargs) -> None:
        lang = self.config.language or SOURCE
        if lang == SOURCE or not getattr(self.app.builder, "use_message_catalog", True):
            return  # (the gettext builder extracts the English)
        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        folders = [str(Path(self.env.srcdir) / folder) for folder in self.config.locale_dirs]
        catalog, found = init_locale(folders, lang, domain)
        if not found:
            return
        for node in self.document.findall(addnodes.toctree):
            if node.get("caption"):
                node["caption"] = node["rawcaption"] = catalog.gettext(node["caption"])


def _write_style(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATES / STYLE, static / STYLE)


def _builder_inited(app) -> None:
    """myst-nb writes executed notebooks beside the output folder: for a translation (whose
    output is inside the English site) move them out of the site, one folder per language."""
    lang = app.config.language or SOURCE
    config = getattr(app.env, "mystnb_config", None)
    if lang != SOURCE and config is not None:
        folder = Path(app.doctreedir).parent / f"jupyter_execute-{lang}"
        app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format == "html":
        lang = app.config.language or SOURCE
        translated = pagename not in app.env.found_docs or any(
            (Path(app.srcdir) / folder / lang / "LC_MESSAGES" / f"{pagename}.po").is_file()
            for folder in app.config.locale_dirs)
        context["peaceops_language_switch"] = switch_html(pagename, lang, translated)


def setup(app):
    app.connect("config-inited", _config_inited, priority=100)
    app.add_transform(TranslateTocCaptions)
    app.add_css_file(STYLE)
    app.connect("build-finished", _write_style)
    app.connect("builder-inited", _builder_inited, priority=900)  # after myst-nb's
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


#: English function words: none belongs to a French sentence ("a", "an", "as", "on", "or"
#: are French words too, so they are not listed).
FUNCTION_WORDS = frozenset("""the and of to is are was were be been with for that this these
those which who whom whose from by its it into onto than then there their they them you your
what when where will would can could should must not have has had does did do""".split())
#: What the leak check leaves out of a page: marked as another language (lang="en": a
#: quotation, a name, a title, a practice check's text not translated yet), titles and button
#: names in italics, code, and scripts (a check's payload).
EXCEPTED = ('[lang]:not([lang="{lang}"])', "em", "cite", "code", "pre", "script", "style",
            "blockquote", "a.reference.external")
_WORDS = re.compile(r"[^\W\d_]+")  # letters, accented ones included ("notées" is one word)


def english_leaks(html: str, lang: str = "fr") -> list[str]:
    """The English function words in a translated page's body text (article), each with its
    context; quotations, names, titles and what is marked lang="en" excepted (see EXCEPTED)."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(html, "html.parser").select_one("article") or BeautifulSoup("", "html.parser")
    for selector in EXCEPTED:
        for node in article.select(selector.format(lang=lang)):
            node.decompose()
    text = " ".join(article.get_text(" ").split())
    leaks = []
    for match in _WORDS.finditer(text):
        if match.group(0).lower() in FUNCTION_WORDS:
            start = max(0, match.start() - 40)
            leaks.append(f"{match.group(0)!r} in ...{text[start:match.end() + 40]}...")
    return leaks


def untranslated_html(html: str, lang: str = "fr") -> list[str]:
    """What a translated page shows in another language on purpose (lang="en" blocks: tables
    and figures whose data is not translated yet, the study's titles): their tags and texts."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(html, "html.parser").select_one("article")
    nodes = article.select(f'[lang]:not([lang="{lang}"])') if article else []
    return [f"<{n.name}> {' '.join(n.get_text(' ').split())[:60]}" for n in nodes]


def catalogue_problems(root: Path, lang: str = "fr") -> list[str]:
    """Each page with a catalogue (locales/<lang>/LC_MESSAGES/book/<page>.po) must translate
    every paragraph of its English page as extracted now (_build/gettext/book/<page>.pot, from
    `python -m peaceops.editions --gettext`): a paragraph missing from the catalogue (new, or
    its English changed since), untranslated, fuzzy (sphinx-intl update marks a changed one
    so) or obsolete (its English is gone) is a problem naming the file and the paragraph.
    A page of the book with no catalogue is a problem too: the edition is complete only when
    every page is translated in full (`progress` counts each page's paragraphs)."""
    from babel.messages.pofile import read_po

    root = Path(root)
    problems = []
    for pot_path in sorted((root / "_build" / "gettext" / "book").glob("*.pot")):
        po_path = root / "locales" / lang / "LC_MESSAGES" / "book" / f"{pot_path.stem}.po"
        if not po_path.is_file():
            problems.append(f"{po_path.relative_to(root)}: no catalogue: the page book/"
                            f"{pot_path.stem} is not translated (`sphinx-intl update -p "
                            f"_build/gettext -l {lang}` creates it; translate every paragraph)")
    for po_path in sorted((root / "locales" / lang / "LC_MESSAGES").rglob("*.po")):
        name = po_path.relative_to(root / "locales" / lang / "LC_MESSAGES").with_suffix("")
        pot_path = root / "_build" / "gettext" / f"{name}.pot"
        where = po_path.relative_to(root)
        if not pot_path.is_file():
            problems.append(f"{where}: no page {name} in the book any more (remove the catalogue)")
            continue
        with pot_path.open("rb") as handle:
            english = {m.id for m in read_po(handle) if m.id}
        with po_path.open("rb") as handle:
            po = read_po(handle)
        translated = {m.id: m for m in po if m.id}
        fix = ("run `python -m peaceops.editions --gettext` and `sphinx-intl update -p "
               f"_build/gettext -l {lang}`, then translate it")
        for msgid in sorted(english - set(translated)):
            problems.append(f"{where}: not in the catalogue (new or changed English; {fix}): "
                            f"{msgid[:80]!r}")
        for msgid, message in translated.items():
            if msgid not in english:
                problems.append(f"{where}: obsolete (its English is gone; {fix}): {msgid[:80]!r}")
            elif not message.string:
                problems.append(f"{where}: untranslated: {msgid[:80]!r}")
            elif message.fuzzy:
                problems.append(f"{where}: fuzzy (its English changed; check the translation "
                                f"and remove the fuzzy flag): {msgid[:80]!r}")
    return problems


def progress(root: Path, lang: str = "fr") -> dict[str, tuple[int, int]]:
    """Per page of the book: (paragraphs translated, paragraphs) in `lang`."""
    from babel.messages.pofile import read_po

    root = Path(root)
    result = {}
    for pot_path in sorted((root / "_build" / "gettext" / "book").glob("*.pot")):
        with pot_path.open("rb") as handle:
            english = {m.id for m in read_po(handle) if m.id}
        po_path = root / "locales" / lang / "LC_MESSAGES" / "book" / f"{pot_path.stem}.po"
        done = set()
        if po_path.is_file():
            with po_path.open("rb") as handle:
                done = {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}
        result[f"book/{pot_path.stem}"] = (len(english & done), len(english))
    return result


def build(root: Path, lang: str, strict: bool = True, gettext: bool = False) -> int:
    """Build one edition with Jupyter Book's own configuration (_config.yml, _toc.yml), the
    language and its output folder changed; with `gettext`, extract the prose (.pot) instead
    (no notebook execution: outputs are not translated by catalogues)."""
    from jupyter_book.sphinx import build_sphinx

    root = Path(root).resolve()
    build_dir = root / "_build"
    overrides = {
        "external_toc_path": str(root / "_toc.yml"),
        "language": lang,
        "nitpicky": strict,
        "latex_individualpages": False,  # what jupyter-book's CLI passes too
    }
    if gettext:
        overrides["language"] = SOURCE  # the English is what is extracted
        overrides["nb_execution_mode"] = "off"
        out, doctrees, builder = build_dir / "gettext", build_dir / ".doctrees-gettext", "gettext"
    else:
        out = build_dir / "html" / edition_root(lang)
        doctrees, builder = build_dir / f".doctrees-{lang}", "html"
        overrides["nb_execution_cache_path"] = str(build_dir / ".jupyter_cache")
    return build_sphinx(
        root, out, noconfig=True, path_config=str(root / "_config.yml"),
        confoverrides=overrides, doctreedir=doctrees, builder=builder,
        warningiserror=strict, keep_going=strict,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peaceops.editions", description=__doc__)
    parser.add_argument("language", nargs="?", default="fr", choices=sorted(LANGUAGES))
    parser.add_argument("--gettext", action="store_true", help="extract the prose to _build/gettext")
    parser.add_argument("--check", action="store_true",
                        help="extract the prose, then report stale or missing translations and "
                             "each page's progress (exit 1 on a problem)")
    parser.add_argument("--path", default=".", help="the course directory (default: here)")
    args = parser.parse_args(argv)
    root = Path(args.path)
    result = build(root, args.language, gettext=args.gettext or args.check)
    if isinstance(result, Exception) or result:
        return 1
    if args.check:
        for page, (done, total) in progress(root, args.language).items():
            print(f"{page}: {done}/{total} paragraphs translated")
        problems = catalogue_problems(root, args.language)
        print("\n".join(problems) or "no stale or missing translation")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
