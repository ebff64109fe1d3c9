"""The citations content may give: sections of the source texts and public UN documents."""

from __future__ import annotations

import re

#: Named parts of *Considerations for Mission Leadership in UN Peace Operations* (2nd ed.)
#: as they appear in ../shared/source-texts, plus course-only parts.
SECTIONS: tuple[str, ...] = (
    "Foreword",
    "Why mission leadership matters",
    "Essence of Leadership",
    "MLT composition",
    "MLT roles",
    "Civilian and uniformed leadership",
    "Polarities",
    "Integration",
    "1.1.1",
    "1.1.2",
    "1.1.3",
    "1.1.4",
)
COURSE_PARTS: tuple[str, ...] = ("Course", "Welcome", "All sections")

# A public document cited by name and year, e.g. "Capstone Doctrine (2008)".
_EXTERNAL = re.compile(r"^[A-Z][^;()]*\((?:[A-Za-z/ ]+ )?\d{4}\)$")


def citations(source: str) -> list[str]:
    """Split a `source` field ("1.1.1; Capstone Doctrine (2008)") into its citations."""
    return [part.strip() for part in str(source).split(";") if part.strip()]


def bad_citation(source: str) -> str | None:
    """Why `source` is not a valid citation list, or None when it is."""
    parts = citations(source)
    if not parts:
        return "missing citation; name the source section (e.g. '1.1.2' or 'MLT roles')"
    for part in parts:
        if part not in SECTIONS and part not in COURSE_PARTS and not _EXTERNAL.match(part):
            return (
                f"unknown citation '{part}'; use a section of the source texts "
                f"({', '.join(SECTIONS)}) or a public document with its year, "
                "e.g. 'Capstone Doctrine (2008)'"
            )
    return None
