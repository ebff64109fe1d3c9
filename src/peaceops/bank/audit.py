"""Audit the graded banks and practice content: every kind reports its own findings
(`Kind.audit`) and the bank-level form audits run on its items (`exercises.cues`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..content import EXAM_BANK, LESSON_BANK, Course, Entry, Keys
from ..exercises import KINDS
from ..exercises.cues import cue_rows
from ..exercises.findings import CuePool, Finding
from .policy import PRACTICE, judge

BANKS = (LESSON_BANK, EXAM_BANK, PRACTICE)


@dataclass
class Audit:
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "FAIL"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "warn"]

    def lines(self) -> list[str]:
        rows = []
        for f in self.findings:
            rows.append(f"{f.status:4} {f.bank:8} {f.pool:11} {f.check}: {f.value}"
                        + (f" (limit {f.limit})" if f.limit else "")
                        + (f" - {f.detail}" if f.detail else ""))
        return rows

    def json(self) -> str:
        """The findings, machine-readable: one object per figure, with its status."""
        return json.dumps([{**asdict(f), "status": f.status} for f in self.findings],
                          indent=1, ensure_ascii=False)


def entries(course: Course, pool: str, bank: str) -> list[Entry]:
    """A bank's keyed entries of one pool, in file order (practice: the public entries)."""
    if bank == PRACTICE:
        return [e for e in course.pools.get(pool, {}).values()
                if not e.graded and e.key is not None]
    return [e for e in course.graded(pool, bank).values() if e.key is not None]


def audit(course: Course, keys: Keys, banks: tuple[str, ...] = BANKS, *,
          meaning: bool = True) -> Audit:
    """The findings of every kind that owns a pool, for each bank's entries, and (with
    `meaning`, by sentence embeddings) the exam items' near-duplicates (`bank.meaning`) and
    the values cue of every pool with per-item options (`bank.values`), each judged by the
    policy (`bank.policy`)."""
    keyed = course.with_keys(keys)
    findings: list[Finding] = []
    cue_pools: dict[tuple[str, str], CuePool] = {}
    for bank in banks:
        for cls in KINDS.values():
            if not cls.owns_pool:
                continue
            if found := entries(keyed, cls.pool, bank):
                cues = cls.cues(found, keyed)
                if cues is not None:
                    cue_pools[bank, cls.pool] = cues
                rows = [*cls.audit(found), *cue_rows(cues)]
                findings += [judge(Finding(bank, cls.pool, *row)) for row in rows]
    if meaning:
        from .values import value_findings  # loads NumPy and the embedding model

        findings += [judge(f) for f in value_findings(cue_pools)]
    if meaning and EXAM_BANK in banks:
        from .meaning import meaning_findings  # loads NumPy and the embedding model

        findings += [judge(f) for f in meaning_findings(course, EXAM_BANK)]
    return Audit(findings)
