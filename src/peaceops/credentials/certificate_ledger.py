"""The issuer's ledger: the certificates folder's issued.csv, one row per certificate issued
(written by `peaceops certify`), and the status list index of each issued Open Badges
credential (read by `peaceops revoke` to flip the right bit)."""

from __future__ import annotations

import csv
from pathlib import Path

from . import jws
from .errors import VerifyError
from .strictjson import loads

#: The folder of a course directory that holds the issued certificates and the ledger.
CERTIFICATES_DIR = "certificates"
LEDGER = "issued.csv"
LEDGER_COLUMNS = [
    "certificate_id",
    "student",
    "name",
    "rule_version",
    "attempt",
    "score",
    "max_score",
    "issued_at",
    "key_id",
    "verification_code",
    "credential",
    "pdf",
]


def read_ledger(out_dir: Path | str) -> list[dict[str, str]]:
    """The ledger's rows (a torn last line from an interrupted run is skipped)."""
    path = Path(out_dir) / LEDGER
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return [
            row
            for row in csv.DictReader(f)
            if all(row.get(c) for c in ("certificate_id", "student", "rule_version", "pdf"))
        ]


def status_indices(out_dir: Path, ledger: list[dict[str, str]] | None = None) -> dict[str, int]:
    """The status list index of each certificate issued with an Open Badges credential, by
    certificate id (read from the .jwt files beside the ledger's credentials)."""
    indices = {}
    for row in read_ledger(out_dir) if ledger is None else ledger:
        index = badge_index(out_dir / Path(row["credential"]).with_suffix(".jwt"))
        if index is not None:
            indices[row["certificate_id"]] = index
    return indices


def badge_index(path: Path) -> int | None:
    """The status list index in an issued .jwt (this issuer's own file), if there is one."""
    try:
        _, payload, _, _ = jws.decode(path.read_text("ascii"))
        return int(loads(payload)["credentialStatus"]["statusListIndex"])
    except (OSError, UnicodeDecodeError, VerifyError, KeyError, TypeError, ValueError):
        return None


def badge_index_of(token: str) -> int:
    _, payload, _, _ = jws.decode(token)
    return int(loads(payload)["credentialStatus"]["statusListIndex"])
