"""Learner-facing strings in code, in the learner's language: gettext catalogues.

Each string is written once, in English, where it is used: `_("...")` translates it now (in
`language()`, or the language given), `N_("...")` only marks it (a table of words translated
later with `_`). Placeholders are `{name}`, filled with `str.format` after translation.
English is the code itself (its template, src/peaceops/locale/peaceops.pot, is what
`pybabel extract` finds); each translation is one catalogue,
src/peaceops/locale/<language>/LC_MESSAGES/peaceops.po. Python's `gettext` serves it, from a
.mo that Babel compiles from the .po in memory on first use (nothing compiled to keep
in step). `check_catalogue` reports a message of the code the catalogue lacks (or leaves
fuzzy or empty), one left in English (the same text, or English words in it beyond those
a translator comment `# keep: word` allows), one whose placeholders differ, and one the code no
longer uses, each naming the message id."""

from __future__ import annotations

import functools
import gettext
import io
import re
from pathlib import Path

from .language import DEFAULT, LANGUAGES, language

DOMAIN = "peaceops"
PACKAGE = Path(__file__).resolve().parents[1]
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "N_": None}
#: English words that no French message holds (a message half left in English).
ENGLISH_WORDS = frozenset(
    "the your you and of is are was with this that these to not answer answers saved "
    "check checks choose try again show hint".split())
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+")


def catalogue_path(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path):
    """The .po at `path` as a Babel Catalog."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext translations of `lang` (English: the messages as written)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}: one of {', '.join(LANGUAGES)}")
    if lang == DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(catalogue_path(lang)), use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str, lang: str | None = None) -> str:
    """`message` in `lang` (default: the learner's `language()`)."""
    return translations(lang or language()).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalogue; translate it where it is shown, with `_`."""
    return message


def words(table: dict[str, str], lang: str | None = None) -> dict[str, str]:
    """A table of marked messages (`N_`), each translated."""
    lang = lang or language()
    return {name: _(message, lang) for name, message in table.items()}


# --- the check --------------------------------------------------------------------------


def code_messages(root: Path = PACKAGE) -> dict[str, str]:
    """Every message marked in the Python code under `root`: {message id: where}."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(root), method_map=[("**.py", "python")], keywords=KEYWORDS):
        if isinstance(message, str):
            found.setdefault(message, f"{filename}:{lineno}")
    return found


def kept(entry) -> set[str]:
    """English words a translator keeps on purpose (a JSON field, a menu of an English-only
    program), listed in a translator comment of the entry: `# keep: checks (why)`."""
    return {word.lower() for comment in entry.user_comments
            if comment.strip().startswith("keep:")
            for word in comment.split(":", 1)[1].split("(")[0].replace(",", " ").split()}


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def check_catalogue(lang: str, messages: dict[str, str] | None = None,
                    path: Path | None = None) -> list[str]:
    """Problems of the catalogue of `lang` against the code's `messages` (default: those
    of the package), each naming the catalogue and the message id."""
    messages = code_messages() if messages is None else messages
    path = path or catalogue_path(lang)
    shown = (f"src/peaceops/locale/{lang}/LC_MESSAGES/{path.name}"
             if path == catalogue_path(lang) else str(path))
    try:
        catalogue = read_catalogue(path)
    except FileNotFoundError:
        return [f"{shown}: no catalogue for {lang}; create it (see data/README.md, "
                "'Adding a language')"]
    except Exception as exc:  # babel's PoFileError and its kin: the file is malformed
        return [f"{shown}: unreadable ({exc})"]
    problems = []
    for msgid, where in messages.items():
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            state = "missing" if entry is None else "fuzzy" if entry.fuzzy else "empty"
            problems.append(f"{shown}: message {msgid!r} ({where}) is {state}: translate it")
            continue
        text = entry.string
        if text.strip() == msgid.strip():
            problems.append(f"{shown}: message {msgid!r} is left in English: translate it")
        elif left := sorted(set(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub("", text)))
                            & ENGLISH_WORDS - kept(entry)):
            problems.append(f"{shown}: message {msgid!r} keeps English words "
                            f"({', '.join(left)}): translate them")
        if placeholders(text) != placeholders(msgid):
            problems.append(f"{shown}: message {msgid!r} has placeholders "
                            f"{sorted(placeholders(text))}, the code {sorted(placeholders(msgid))}")
    for entry in catalogue:
        if entry.id and entry.id not in messages:
            problems.append(f"{shown}: message {entry.id!r} is no longer in the code: remove it")
    return problems


__all__ = ["N_", "_", "check_catalogue", "code_messages", "translations", "words"]
