"""Each learner's certificate language: the course roster's `language` column
(`content.roster`, shared with grading's feedback), else the language
`peaceops certify --language` gives for everyone else (default: English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.language import DEFAULT, LANGUAGES
from ..content.roster import ID, LANGUAGE, Roster, RosterError
from ..content.roster import read_roster as _read
from ..credentials.errors import CertifyError

__all__ = ["ID", "LANGUAGE", "Languages", "read_roster"]


@dataclass(frozen=True)
class Languages:
    """Who gets a certificate in which language."""

    default: str = DEFAULT
    roster: Roster = field(default_factory=Roster)

    def __post_init__(self):
        if self.default not in LANGUAGES:
            raise CertifyError(f"--language {self.default!r} is not a language of the "
                               f"certificates: use one of {', '.join(LANGUAGES)}")

    def of(self, student: str) -> str:
        """The learner's language; `CertifyError` (for this learner only) naming the learner
        and the value when the roster gives one the certificates are not issued in."""
        try:
            return self.roster.language(student, self.default)
        except RosterError as error:
            raise CertifyError(f"{error}, then run certify again") from error


def read_roster(path: Path | str, default: str = DEFAULT) -> Languages:
    """The `language` column of a roster CSV (`content.roster.read_roster`) with `default`
    for the rest; `CertifyError` naming the file (and row) when it cannot be read."""
    try:
        return Languages(default, _read(path))
    except RosterError as error:
        raise CertifyError(str(error)) from error
