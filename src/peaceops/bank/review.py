"""Independent solver reviews of the exam pool, recorded beside the bank.

A reviewer who did not write the items (and never sees the keys) answers whole exam variants
from a *sheet*: the candidate's view, optionally **form-only** (every content word replaced by
one nonsense word wherever it appears, function words, punctuation and numbers kept, so that
only form can guide the answer). Their answers are scored with the exam's own scoring and the
record (per-item answers and points, date, bank fingerprint) is kept in
`solutions/keys/exam-reviews/`, where a test re-scores it against the current keys.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..content import EXAM_BANK, Course, Keys, Spec
from ..exercises import build, kind

MODES = ("form-only", "cold")

#: Words of form, kept in a form-only sheet: determiners, pronouns, prepositions,
#: conjunctions, auxiliaries, modals, negations, quantifiers and absolutes.
FUNCTION_WORDS = frozenset("""
a an the this that these those there here it its it's they them their theirs he him his she
her hers we us our you your i me my who whom whose which what when where why how whether if
then than so as at by for from in into of off on onto out over to under up upon with within
without about above across after against along among around before behind below beneath beside
besides between beyond down during except inside near outside past since through throughout
till toward towards until via and but or nor yet both either neither not no none nothing only
any all each every some many much more most less least few fewer several other another such
same own just also too very even still already again ever never always often sometimes once
twice is are was were be been being am do does did done doing have has had having can could may
might must shall should will would ought need needs let lets per whatever whoever whichever
one ones first second third alone instead rather while although though because unless
whereas however therefore thus hence e.g i.e etc
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_CONSONANTS, _VOWELS = "bdfgklmnprstvz", "aeiou"


def nonsense(word: str, salt: str = "") -> str:
    """A stable pronounceable nonsense word for `word` (lower case), of similar length; a
    `salt` (one per item) gives each item its own code."""
    digest = hashlib.sha256(f"{salt}\x1f{word.lower()}".encode()).digest()
    syllables = max(1, round(len(word) / 3))
    out = []
    for n in range(syllables):
        out.append(_CONSONANTS[digest[2 * n] % len(_CONSONANTS)])
        out.append(_VOWELS[digest[2 * n + 1] % len(_VOWELS)])
    if len(word) > 3:
        out.append(_CONSONANTS[digest[-1] % len(_CONSONANTS)])
    return "".join(out)


def form_only(text: str, salt: str = "") -> str:
    """`text` with every content word replaced by its nonsense word (case shape kept): the
    same word, the same nonsense word, wherever it appears in one item (`salt`: the item's
    id). One code per item keeps every cue of form an item carries (words its key shares
    with its stem or with a role's title, absolutes, syntax, lengths) and stops a reader from
    decoding the content by comparing items: with one code per sheet, an AI reviewer decoded
    it from words that recur across items and from lists in a known order (issue 24,
    round 3: 80 %, as high as a reader of the plain text)."""
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() in FUNCTION_WORDS:
            return word
        fake = nonsense(word.lower().rstrip("'s") or word.lower(), salt)
        if word.isupper() and len(word) > 1:
            return fake.upper()
        return fake.capitalize() if word[0].isupper() else fake
    return _WORD.sub(swap, text)


@dataclass(frozen=True)
class Slot:
    """One answerable line of a sheet: a reference the reviewer answers, and what it means."""

    ref: str  # e.g. "Q7" or "S1.consent"
    spec: str  # the exercise id
    item: str  # the item id within the exercise
    letters: Mapping[str, str]  # the letter shown -> the choice value


def pool_fingerprint(course: Course, keys: Keys) -> str:
    """The exam pool's content (every exam item as a candidate sees it, and its key), hashed:
    a review answered *this* pool when its record carries this fingerprint. Unlike the bank's
    file fingerprint on credentials, comments and layout do not change it."""
    items = {pool: {i: {"public": e.public, "key": keys.get(pool, {}).get(i)}
                    for i, e in sorted(entries.items()) if e.bank == EXAM_BANK}
             for pool, entries in sorted(course.pools.items())}
    text = json.dumps(items, sort_keys=True, default=lambda v: sorted(v) if isinstance(
        v, set | frozenset) else list(v) if isinstance(v, tuple) else str(v))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def exam_specs(course: Course) -> tuple[Spec, ...]:
    exam = next(a for a in course.assignments.values() if a.certification)
    return exam.exercises


def sheet(course: Course, candidate: str, mode: str, attempt: int = 1) -> tuple[str, list[Slot]]:
    """The exam variant of `candidate` as a reviewer reads it (Markdown), and its slots."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    def show(text: str, item: str) -> str:
        return form_only(text, item) if mode == "form-only" else text
    lines = [f"# Exam variant {candidate} ({'form-only' if mode == 'form-only' else 'plain'})",
             "", "Answer every line marked with a reference (Q1, Q2, ..., S.w1 ... S.w6, "
             "S.decisive, and S2.w1 ... S2.decisive for a second scenario).", ""]
    slots: list[Slot] = []
    q = scenarios = 0
    for spec in exam_specs(course):
        exercise, _ = build(course, spec, candidate, None, attempt)
        cls = kind(spec.kind)
        heading = cls.title if cls.one_situation else exercise.title
        lines += [f"## {heading}", "", exercise.prompt, ""]
        if cls.one_situation:
            scenarios += 1
            mark = "S" if scenarios == 1 else f"S{scenarios}"  # S.w1 as before issue 25
            scenario = exercise.meta["scenario"]
            title = course.entry(cls.pool, scenario).public["title"]
            lines += [f"### {show(title, scenario)}", f"(item id: {scenario})", "",
                      show(exercise.context, scenario), ""]
            for n, item in enumerate(exercise.items, start=1):
                letters = {value: value for value, _ in item.choices}
                ref = f"{mark}.w{n}"
                if item.id == cls.DECISIVE:
                    letters = {string.ascii_uppercase[n]: value
                               for n, (value, _) in enumerate(item.choices)}
                    ref = f"{mark}.decisive"
                    lines.append(f"- **{ref}** {item.prompt} "
                                 + "; ".join(f"{letter}. {show(label, scenario)}"
                                             for letter, (_, label)
                                             in zip(letters, item.choices, strict=True)))
                else:
                    lines.append(f"- **{ref}** weight (0-3) of {show(item.prompt, scenario)}")
                slots.append(Slot(ref, spec.id, item.id, letters))
            lines.append("")
            continue
        for item in exercise.items:
            q += 1
            letters = {string.ascii_uppercase[n]: value for n, (value, _) in enumerate(item.choices)}
            fixed = cls.options_are_task_words
            lines += [f"**Q{q}** (item id: {item.id}) {show(item.prompt, item.id)}", ""]
            lines += [f"- {letter}. {label if fixed else show(label, item.id)}"
                      for letter, (_, label) in zip(letters, item.choices, strict=True)]
            lines.append("")
            slots.append(Slot(f"Q{q}", spec.id, item.id, letters))
    return "\n".join(lines), slots


def score_sheet(course: Course, keys: Keys, candidate: str, answers: Mapping[str, Any],
                attempt: int = 1) -> list[dict[str, Any]]:
    """Score a reviewer's answers (reference -> letter, or weight) with the exam's scoring:
    one row per item with the answer given, its points and maximum."""
    _, slots = sheet(course, candidate, "cold", attempt)
    by_spec: dict[str, dict[str, Any]] = {}
    for slot in slots:
        given = answers.get(slot.ref)
        value = slot.letters.get(str(given).strip().upper() if slot.ref.startswith("Q")
                                 or slot.ref.endswith(".decisive") else str(given).strip())
        by_spec.setdefault(slot.spec, {})[slot.item] = value
    rows = []
    for spec in exam_specs(course):
        exercise, key = build(course, spec, candidate, keys, attempt)
        cls = kind(spec.kind)
        result = cls.score(exercise, key, by_spec.get(spec.id, {}))
        for res in result.items:
            item = cls.item_key(exercise, res.item) if cls.one_situation else res.item
            rows.append({"exercise": spec.id, "item": item, "answer": res.answer,
                         "points": res.points, "max": res.max_points})
    return rows


def chance(course: Course, keys: Keys, candidate: str, attempt: int = 1) -> float:
    """The expected points of uniformly random answers on `candidate`'s variant."""
    total = 0.0
    for spec in exam_specs(course):
        exercise, key = build(course, spec, candidate, keys, attempt)
        total += kind(spec.kind).chance(exercise, key)
    return total


def record(course: Course, keys: Keys, mode: str, bank: str, date: str, reviewer: str,
           answers: Mapping[str, Mapping[str, Any]], cut_percent: float) -> dict[str, Any]:
    """The record of one review: every variant's per-item answers and points, its chance
    score, and the summary, for `solutions/keys/exam-reviews/`."""
    variants = []
    for candidate, given in answers.items():
        rows = score_sheet(course, keys, candidate, given)
        points, most = sum(r["points"] for r in rows), sum(r["max"] for r in rows)
        variants.append({"candidate": candidate, "attempt": 1,
                         "points": points, "max_points": most,
                         "percent": round(100 * points / most, 1),
                         "chance_percent": round(100 * chance(course, keys, candidate) / most, 1),
                         "answers": {str(k): v for k, v in given.items()},
                         "items": rows})
    percents = [v["percent"] for v in variants]
    return {"review": mode, "date": date, "bank": bank,
            "pool": pool_fingerprint(course, keys), "reviewer": reviewer,
            "method": METHOD[mode], "cut_percent": cut_percent,
            "summary": {"variants": len(variants), "mean_percent": round(sum(percents) / len(percents), 1),
                        "min_percent": min(percents), "max_percent": max(percents),
                        "mean_chance_percent": round(sum(v["chance_percent"] for v in variants)
                                                     / len(variants), 1)},
            "variants": variants}


METHOD = {
    "form-only": "The reviewer saw each variant with every content word replaced by one nonsense "
                 "word wherever it appears in the item (one code per item; function words, "
                 "punctuation, numbers, ids and the task's instructions kept: `peaceops bank "
                 "review sheet --mode form-only`) and answered from form alone, using any cue "
                 "it could find.",
    "cold": "The reviewer, who had never seen the course, its lessons or the source texts, "
            "answered each variant as a candidate sees it (`peaceops bank review sheet --mode "
            "cold`), from general knowledge of UN peace operations only.",
}
