"""The learner's language, chosen once for every layer: `language()`.

Order: $PEACEOPS_LANGUAGE (en or fr; anything else is an error saying what to set), else
the locale the Jupyter server and its kernels run under (the first set of LC_ALL,
LC_MESSAGES, LANG, as POSIX reads them: fr_FR.UTF-8, fr_CA... give French), else English.
Nothing is guessed from anything else (not the browser, not the time zone)."""

from __future__ import annotations

import os
from collections.abc import Mapping

#: The languages of the course: English (the source) and its translations.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT = "en"
ENV = "PEACEOPS_LANGUAGE"
LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")


def _code(value: str) -> str:
    """The language of a setting or locale name: "fr_FR.UTF-8" -> "fr", "en-GB" -> "en"."""
    return value.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]


def language(environ: Mapping[str, str] | None = None) -> str:
    """The learner's language, one of LANGUAGES; ValueError for an unknown
    $PEACEOPS_LANGUAGE (naming the variable and the languages to choose from)."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV, "").strip()
    if chosen:
        code = _code(chosen)
        if code not in LANGUAGES:
            raise ValueError(f"{ENV}={chosen!r} is not a language of the course: set it to "
                             f"one of {', '.join(LANGUAGES)} (or unset it to follow the locale)")
        return code
    for name in LOCALE_VARIABLES:
        if value := env.get(name, "").strip():
            code = _code(value)
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


__all__ = ["DEFAULT", "ENV", "LANGUAGES", "language"]
