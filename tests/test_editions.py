"""The book's editions (issue 31): English at _build/html, French at _build/html/fr, built
from the same MyST notebooks through Sphinx's gettext workflow; a language switch on every
page; no English in the translated pages' body text; stale translations detected."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup

from peaceops import figures, lessons
from peaceops.content import language as choice
from peaceops.content.messages import LOCALE, _
from peaceops.editions import (
    catalogue_problems,
    english_leaks,
    progress,
    switch_html,
    switch_url,
    untranslated_html,
)
from tests.conftest import ROOT
from tests.test_book import loads_remote

CATALOGUES = ROOT / "locales" / "fr" / "LC_MESSAGES" / "book"
#: Every page of the book is translated in full; each has a catalogue.
TRANSLATED = tuple(sorted(p.stem for p in (ROOT / "book").glob("*.md")))
#: The practice checks whose texts (title, question, options) the French edition still shows
#: in English, marked lang="en" (page -> check ids). Empty since the item texts' translation
#: (data/i18n/fr/*.yaml) landed: the tests below fail on any check that shows English.
ENGLISH_CHECKS: dict[str, tuple[str, ...]] = {}
_LINK = re.compile(r"\]\(([^)]+)\)|<(https?://[^>]+)>")
_FIELD = re.compile(r"\{[a-z_]+\}")


def catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


# -- the switch ---------------------------------------------------------------------------------

def test_the_switch_links_the_same_page_in_the_other_edition():
    assert switch_url("book/mlt", "en", "fr") == "../fr/book/mlt.html"
    assert switch_url("book/mlt", "fr", "en") == "../../book/mlt.html"
    assert switch_url("search", "en", "fr") == "fr/search.html"
    assert switch_url("search", "fr", "en") == "../search.html"
    html = switch_html("book/welcome", "fr")
    assert 'hreflang="en"' in html and 'aria-label="Langue"' in html and "Français" not in html
    assert "pas encore traduite" not in html
    assert "pas encore traduite" in switch_html("book/politics", "fr", translated=False)
    assert "traduite" not in switch_html("book/politics", "en", translated=False)


# -- the English-leak check, both ways ----------------------------------------------------------

FRENCH = ('<article><h1>L’équipe</h1><p>Les questions notées sont conservées à part ; '
          "<em>Considerations for Mission Leadership</em>, publié par l'"
          '<span lang="en">International Forum for the Challenges of Peace Operations</span>.'
          '</p><table lang="en"><td>Head of the Police Component</td></table></article>')


def test_the_leak_check_passes_french_and_excepts_titles_names_and_marked_english():
    assert english_leaks(FRENCH) == []
    assert len(untranslated_html(FRENCH)) == 2  # the name and the untranslated table


def test_the_leak_check_finds_english_prose():
    leaked = FRENCH.replace("</p>", " The team is built a little every day.</p>")
    assert [hit.split()[0] for hit in english_leaks(leaked)] == ["'The'", "'is'"]
    assert english_leaks('<article><p>Hors article.</p></article><p>the</p>') == []


# -- the catalogues ------------------------------------------------------------------------------

@pytest.mark.parametrize("page", TRANSLATED)
def test_a_translated_pages_catalogue_is_complete_and_keeps_its_links(page):
    """Every paragraph translated, none fuzzy; each link and URL of the English kept."""
    po = catalogue(CATALOGUES / f"{page}.po")
    messages = [m for m in po if m.id]
    assert messages
    for message in messages:
        assert message.string and not message.fuzzy, (page, message.id)
        assert sorted(_LINK.findall(message.id)) == sorted(_LINK.findall(message.string)), (
            page, message.id)


def test_the_codes_catalogue_translates_every_string_the_book_shows():
    """The book's words in code (table headings and captions, codes, figures) are messages
    of the one catalogue (its check, tests/content/test_messages.py, covers the rest)."""
    french = {m.id: m.string for m in catalogue(LOCALE / "fr" / "LC_MESSAGES" / "peaceops.po")
              if m.id and m.string and not m.fuzzy}
    shown = {*(h for columns in lessons.COLUMNS.values() for h in columns.values()),
             *lessons.CAPTIONS.values(), *lessons.CODE_WORDS.values(), lessons.ALL_CHALLENGES,
             figures.WEIGHED_EXAMPLE, *(text for value in figures.CIVIL_UNIFORMED_MAP.values()
                                        for text in ([value] if isinstance(value, str) else value))}
    assert shown - set(french) == set()


def test_the_book_in_french_from_the_learners_language(monkeypatch):
    monkeypatch.setenv(choice.ENV, "fr")
    assert _("Core team") == "Équipe principale"
    assert _("a string with no translation") == "a string with no translation"
    assert lessons.duration("mlt").text().startswith("Environ ")
    table = lessons.table("roles", team="core")._repr_html_()
    assert "<caption>Membres de l&#x27;équipe de direction de la mission</caption>" in table
    assert 'data-label="Composante">civile</td>' in table
    assert "Représentant spécial du Secrétaire général" in table  # data/i18n/fr/roles.csv
    assert 'lang="en"' not in table.replace('data-label="Référence" lang="en"', "")
    glossary = lessons.table("glossary")._repr_html_()
    assert ">RSSG</td>" in glossary and ">SRSG</td>" not in glossary  # the French acronyms
    chart = figures.org_chart()._repr_html_()
    assert "Équipe principale" in chart and 'lang="en"' not in chart
    monkeypatch.setenv(choice.ENV, "en")
    assert _("Core team") == "Core team"
    assert "Members of the mission leadership team" in lessons.table("roles")._repr_html_()


def test_the_french_duration_counts_the_french_words(monkeypatch):
    """In French the lesson's words are its catalogue's (French runs longer than English)."""
    english = lessons.duration("mlt", "en")
    french = lessons.duration("mlt", "fr")
    assert french.words != english.words and french.checks == english.checks
    assert french.words == lessons.catalogue_words(CATALOGUES / "mlt.po")
    assert lessons.catalogue_words(CATALOGUES / "mlt.po") > 0.9 * english.words


# -- stale translations (a gettext extraction in a copy) -----------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory, course_dir_factory) -> Path:
    """A copy of the course with its English prose extracted (_build/gettext)."""
    course = course_dir_factory(tmp_path_factory.mktemp("gettext") / "peaceops")
    run = subprocess.run([sys.executable, "-m", "peaceops.editions", "--gettext"], cwd=course,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return course


@pytest.mark.slow
def test_the_committed_translations_are_current_and_complete(extracted, tmp_path):
    """Every page at 100 %; a page with no catalogue, or one paragraph left untranslated,
    is a problem that `--check` reports (exit 1), naming the catalogue."""
    assert catalogue_problems(extracted) == []
    done = progress(extracted)
    assert sorted(done) == [f"book/{page}" for page in TRANSLATED]
    for page in TRANSLATED:
        assert done[f"book/{page}"][0] == done[f"book/{page}"][1] > 0
    course = tmp_path / "peaceops"
    shutil.copytree(extracted, course, ignore=shutil.ignore_patterns("src", "tests", "solutions",
                                                                      "exercises", "benchmarks"))
    (course / "locales/fr/LC_MESSAGES/book/politics.po").unlink()
    po = course / "locales/fr/LC_MESSAGES/book/wps.po"
    doctored = catalogue(po)
    next(m for m in doctored if m.id).string = ""
    with po.open("wb") as handle:
        write_po(handle, doctored)
    problems = catalogue_problems(course)
    assert len(problems) == 2, problems
    assert problems[0].startswith("locales/fr/LC_MESSAGES/book/politics.po: no catalogue")
    assert problems[1].startswith("locales/fr/LC_MESSAGES/book/wps.po: untranslated")
    assert progress(course)["book/politics"][0] == 0


@pytest.mark.slow
def test_a_changed_english_paragraph_makes_its_translation_stale(extracted, tmp_path):
    course = tmp_path / "peaceops"
    shutil.copytree(extracted, course)
    page = course / "book" / "mlt.md"
    page.write_text(page.read_text().replace("No role works alone.", "No role ever works alone."))
    subprocess.run([sys.executable, "-m", "peaceops.editions", "--gettext"], cwd=course,
                   capture_output=True, check=True, timeout=300)
    problems = catalogue_problems(course)
    assert len(problems) == 2, problems  # the new paragraph missing, the old one obsolete
    assert all(p.startswith("locales/fr/LC_MESSAGES/book/mlt.po: ") for p in problems)
    assert "not in the catalogue" in problems[0] and "No role ever works alone." in problems[0]
    assert "obsolete" in problems[1]


# -- both editions, strict and offline ----------------------------------------------------------

@pytest.mark.slow
def test_both_editions_have_every_page_and_a_switch_to_the_other(built_editions):
    html = built_editions
    english = sorted(p.relative_to(html) for p in html.glob("book/*.html"))
    assert english and english == sorted(p.relative_to(html / "fr") for p in
                                         (html / "fr").glob("book/*.html"))
    assert not (html / "jupyter_execute").exists()  # executed notebooks stay out of the site
    for page in english:
        for here, path in (("en", html / page), ("fr", html / "fr" / page)):
            text = path.read_text()
            assert f'<html lang="{here}"' in text, path
            links = re.findall(r'<a class="peaceops-language-link" href="([^"]+)"', text)
            assert len(links) == 1, path
            target = (path.parent / links[0]).resolve()
            other = html / page if here == "fr" else html / "fr" / page
            assert target == other.resolve() and target.is_file(), (path, links)
            assert not loads_remote(text), path


@pytest.mark.slow
@pytest.mark.parametrize("page", TRANSLATED)
def test_every_french_page_is_french(built_editions, page):
    """No English function word in the body text of any French page (quotations, titles,
    names and what is marked lang="en" excepted); English only in the practice checks that
    ENGLISH_CHECKS lists; the same page in the English edition fails the same check."""
    french = (built_editions / "fr" / "book" / f"{page}.html").read_text()
    assert english_leaks(french) == []
    assert "pas encore traduite" not in french
    assert "Diriger les opérations de paix des Nations Unies" in french  # the book's title
    assert "Considérations transversales" in french  # the parts' captions in the sidebar
    assert "Cross-cutting considerations" not in french
    if page != "progress":
        assert 'class="peaceops-duration"><strong>Durée :</strong> Environ' in french
    soup = BeautifulSoup(french, "html.parser")
    english = sorted(node["id"].removeprefix("exercise-")
                     for node in soup.select(".peaceops-book-exercise")
                     if node.select('[lang="en"]'))
    assert english == sorted(ENGLISH_CHECKS.get(page, ())), (
        "a check listed in ENGLISH_CHECKS is French now: remove it from the list"
        if len(english) < len(ENGLISH_CHECKS.get(page, ())) else "a check shows English")
    assert len(english_leaks((built_editions / "book" / f"{page}.html").read_text())) > 20


@pytest.mark.slow
def test_the_french_glossary_and_my_progress(built_editions):
    glossary = unescape((built_editions / "fr" / "book" / "glossary.html").read_text())
    assert "<caption>Glossaire</caption>" in glossary
    assert ">RSSG</td>" in glossary and "Représentant spécial du Secrétaire général" in glossary
    page = (built_editions / "fr" / "book" / "progress.html").read_text()
    mine = unescape(page)
    assert "Ma progression" in mine and "Votre progression s'affiche ici" in mine
    data = json.loads(BeautifulSoup(page, "html.parser").select_one(
        "script.peaceops-progress-data").string)
    assert data["language"] == "fr" and data["words"]  # the script's words in French
    english = {check["id"] for lesson in data["lessons"] for check in lesson["checks"]
               if check.get("lang") == "en"}  # shown lang="en" by the script
    assert english == {check for checks in ENGLISH_CHECKS.values() for check in checks}


@pytest.mark.slow
def test_the_french_mlt_uses_the_uns_french_terms(built_editions):
    text = unescape((built_editions / "fr" / "book" / "mlt.html").read_text()).replace("’", "'")
    for term in ("chef de mission", "Représentant spécial du Secrétaire général",
                 "commandant de la force", "chef de la composante police", "chef de cabinet",
                 "directeur ou chef de l'appui à la mission", "équipe de direction de la mission"):
        assert term.lower() in text.lower(), term
    assert "<caption>Responsabilités de l'équipe principale</caption>" in text


# -- practice checks: texts still English are marked so -----------------------------------------

def test_a_checks_texts_still_english_are_listed_and_marked_lang_en():
    """`untranslated` lists a text of the French exercise only where it is still the English
    one; the static fallback (what the leak check reads) marks exactly those lang="en"."""
    from dataclasses import replace

    from peaceops.content import load_course
    from peaceops.exercises import build
    from peaceops.exercises.frontend import static_html
    from peaceops.exercises.payload import payload

    course = load_course()
    english, key = build(course, course.checks["mlt-roles"])
    french = replace(english, title="Associez chaque responsabilité à son rôle",
                     items=tuple(replace(item, prompt=f"« {item.prompt} »")
                                 for item in english.items))
    listed = lessons.untranslated(french, english)
    assert french.title not in listed and english.title not in listed
    assert english.prompt in listed  # the question is not translated in this doctored copy
    assert not any(item.prompt in listed for item in french.items)
    data = {**payload(french, key, lang="fr"), "untranslated": listed}
    html = static_html(data)
    assert f'<p lang="en">{english.prompt}</p>' in html.replace("&#x27;", "'")
    assert 'lang="en">Associez' not in html and "<strong>Associez" in html
    assert 'lang="en"' not in static_html(payload(english, key, lang="en"))


# -- the review against the term list ----------------------------------------------------------

#: What a translation keeps in English on purpose: titles of works in italics, names marked
#: lang="en", link targets and URLs (the term list does not apply to them).
_KEPT = re.compile(r'(?<!\*)\*(?!\*)([^*]+)\*|<span lang="en">(.*?)</span>|<https?://[^>]+>'
                   r"|\]\([^)]*\)")


def prose_term_problems(paths) -> list[str]:
    """Each paragraph of the catalogues whose English uses a term of data/i18n/fr/terms.csv
    and whose French lacks every official form of it (what the translation keeps in English
    on purpose left out on both sides)."""
    from peaceops.content.translations import load_terms, missing_terms

    terms = load_terms("fr")
    problems = []
    for path in paths:
        for message in catalogue(path):
            if not (message.id and message.string):
                continue
            english = message.id
            for match in _KEPT.finditer(message.string):  # the same English left out of both
                for kept in match.groups():
                    english = english.replace(kept, " ") if kept else english
            missing = missing_terms(_KEPT.sub(" ", english), _KEPT.sub(" ", message.string),
                                    terms)
            problems += [f"{path.name}: {term.id} in {message.id[:60]!r}" for term in missing]
    return problems


def test_the_book_uses_the_uns_french_terms(tmp_path):
    """Every catalogue against the term list, as the data's translations are checked; a
    paragraph that drops an official term is found."""
    assert prose_term_problems(sorted(CATALOGUES.glob("*.po"))) == []
    doctored = tmp_path / "mlt.po"
    text = (CATALOGUES / "mlt.po").read_text(encoding="utf-8")
    doctored.write_text(text.replace("équipe de direction de la mission", "équipe dirigeante"),
                        encoding="utf-8")
    assert any(p.startswith("mlt.po: mlt in ") for p in prose_term_problems([doctored]))
