"""Audit the graded banks: every kind reports its own findings (`Kind.audit`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import EXAM_BANK, LESSON_BANK, Course, Keys
from ..exercises import KINDS
from ..exercises.audit import Finding


@dataclass
class Audit:
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    def lines(self) -> list[str]:
        rows = []
        for f in self.findings:
            mark = "ok  " if f.ok else "FAIL"
            rows.append(f"{mark} {f.bank:8} {f.pool:11} {f.check}: {f.value}"
                        + (f" (limit {f.limit})" if f.limit else "")
                        + (f" - {f.detail}" if f.detail else ""))
        return rows


def audit(course: Course, keys: Keys, banks: tuple[str, ...] = (LESSON_BANK, EXAM_BANK)) -> Audit:
    """The findings of every kind that owns a pool, for each bank's graded entries."""
    keyed = course.with_keys(keys)
    findings: list[Finding] = []
    for bank in banks:
        for cls in KINDS.values():
            if not cls.owns_pool:
                continue
            entries = [e for e in keyed.graded(cls.pool, bank).values() if e.key is not None]
            if entries:
                findings += [Finding(bank, cls.pool, *f) for f in cls.audit(entries)]
    return Audit(findings)
