"""The learner's language (issue 31) and the strings in code: English in the code, each
translation in a gettext catalogue, src/peaceops/locale/<language>/LC_MESSAGES/peaceops.po
(read as text with Babel, Sphinx's own dependency: no compiled .mo to keep in step).

The language comes from PEACEOPS_LANGUAGE (the book's French edition sets it for its kernels,
see peaceops.editions); English when unset. A string with no translation, or a fuzzy one (its
English changed since), stays English: `missing()` lists them for the checks.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

SOURCE = "en"
LANGUAGES = {"en": "English", "fr": "Français"}
ENV = "PEACEOPS_LANGUAGE"
LOCALE = Path(__file__).with_name("locale")


def language() -> str:
    """The language of the edition being built or of the learner's notebook (en by default)."""
    value = os.environ.get(ENV, SOURCE)
    return value if value in LANGUAGES else SOURCE


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The translated, non-fuzzy strings of peaceops.po for `lang` (empty for English)."""
    path = LOCALE / lang / "LC_MESSAGES" / "peaceops.po"
    if lang == SOURCE or not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        po = read_po(handle)
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}


def _(text: str, lang: str | None = None) -> str:
    """`text` in the learner's language, or `text` itself when it has no translation."""
    return catalogue(lang or language()).get(text, text)


def translated(text: str, lang: str | None = None) -> bool:
    lang = lang or language()
    return lang == SOURCE or text in catalogue(lang)


def localized(name: str, lang: str | None = None):
    """Content table `name` (a DataFrame) in `lang`, and whether it is translated: the
    translated fields overlaid on the English rows by id (data/i18n/<lang>/, checked: a
    missing or stale row is an error naming file and id). Until the data side of issue 31
    (peaceops.content.translations) is in, a translation is the English table, flagged so
    that the page marks it lang="en"."""
    from .content import load_course

    lang = lang or language()
    english = load_course().tables[name]
    if lang == SOURCE:
        return english, True
    try:
        from .content.translations import FIELDS, translated_rows
    except ImportError:
        return english, False
    if name not in FIELDS:
        return english, False
    return translated_rows(name, lang).frame(), True
