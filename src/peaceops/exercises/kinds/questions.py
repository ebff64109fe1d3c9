"""Questions: multiple choice, multiple select, and quizzes of several bank questions."""

from __future__ import annotations

from typing import ClassVar

from ...content.messages import N_, _
from ..findings import (
    ABOVE,
    MAX_LONGEST,
    MIN_OPTIONS,
    P_UNIFORM,
    CueItem,
    CuePool,
    class_words,
    uniform_positions,
)
from ..model import Exercise, Item, ItemKey
from ..variants import shuffled
from .base import Kind

QUESTION_KINDS = ("choice", "multi")


class Quiz(Kind):
    """Several multiple-choice / multiple-select questions from the graded bank."""

    name = "quiz"
    pool = "questions"
    owns_pool = True
    title = N_("Questions")
    prompt = N_("Answer each question.")
    ANSWER = N_("Answer to question {n}")
    ALL = N_("Answer to question {n} (all that apply)")

    @classmethod
    def read_public(cls, entry, context, say):
        options = entry.get("options")
        if (not isinstance(options, list) or len(options) < 2
                or not all(isinstance(o, str | int | float) for o in options)
                or len(set(map(str, options))) != len(options)):
            say("options", "give at least two distinct options")
            options = []
        kind = entry.get("kind", "choice")
        say.one_of(kind, set(QUESTION_KINDS), "kind", "question kind")
        return {"prompt": say.text(entry, "prompt"), "options": tuple(map(str, options)),
                "multiple": kind == "multi"}

    @classmethod
    def read_key(cls, entry, public, context, say):
        correct = entry.get("correct")
        options = public.get("options", ())
        if not isinstance(correct, list) or not correct:
            say("correct", "list the correct option(s) exactly as written in the options")
            correct = []
        for answer in correct:
            if str(answer) not in options:
                say("correct", f"'{answer}' is not one of the options")
        correct = [c for c in correct if str(c) in options]
        if correct and not public.get("multiple") and len(correct) != 1:
            say("correct", "a choice question has exactly one correct option")
        return {"correct": tuple(map(str, correct)),
                "explanation": " ".join(str(entry.get("explanation", "") or "").split()),
                "source": cls.citation(entry, say)}

    @classmethod
    def translate(cls, public, key, fields):
        """The options in the other language, in the same order (a key is a position)."""
        new, _ = super().translate(public, None, fields)
        if "options" in fields:
            new["options"] = tuple(" ".join(str(o).split()) for o in fields["options"])
        if key is not None:
            key = cls.translate_key(dict(key), public, new, fields)
        return new, key

    @classmethod
    def translate_key(cls, key, english, public, fields):
        """The correct options named in the translated options, by position."""
        key = super().translate_key(key, english, public, fields)
        if "correct" in key and english.get("options") and public.get("options"):
            key["correct"] = tuple(public["options"][english["options"].index(c)]
                                   for c in key["correct"])
        return key

    @classmethod
    def item(cls, course, entry, keys, label: str, learner: str | None = None,
             attempt: int = 1) -> tuple[Item, ItemKey | None]:
        """One question; its options are shuffled for the learner and attempt (the values
        stay the options' positions in the bank, so grading is order-free)."""
        public = entry.public
        choices = shuffled(tuple((str(i), text) for i, text in enumerate(public["options"])),
                           entry.id, learner, attempt)
        multiple = public["multiple"]
        item = Item(entry.id, public["prompt"], choices, multiple=multiple, label=label,
                    lesson=entry.lesson)
        key = cls.key_of(entry, keys)
        if key is None:
            return item, None
        values = frozenset(str(public["options"].index(c)) for c in key["correct"])
        accept = frozenset({values}) if multiple else values
        return item, ItemKey(accept, key["explanation"], key["source"])

    @classmethod
    def build(cls, course, spec, learner=None, keys=None, attempt=1):
        ids, variant = cls.drawn(spec, learner, attempt)
        items, key = [], {}
        for n, qid in enumerate(ids, start=1):
            entry = course.entry(cls.pool, qid)
            label = _(cls.ALL if entry.public["multiple"] else cls.ANSWER,
                      course.language).format(n=n)
            item, item_key = cls.item(course, entry, keys, label, learner, attempt)
            items.append(item)
            if item_key is not None:
                key[qid] = item_key
        exercise = Exercise(spec.id, cls.name, spec.title or _(cls.title, course.language),
                            spec.prompt or _(cls.prompt, course.language),
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key

    @classmethod
    def cues(cls, entries, course):
        """Options are shuffled per learner: an option's place in the file is no key."""
        return CuePool(tuple(
            CueItem(e.id, e.public["prompt"], e.public["options"],
                    frozenset(e.public["options"].index(c) for c in e.key["correct"]))
            for e in entries), fixed=False, ordered=False)

    @classmethod
    def audit(cls, entries):
        single = [e for e in entries if not e.public["multiple"]]
        multi = [e for e in entries if e.public["multiple"]]
        positions = [(e.public["options"].index(e.key["correct"][0]), len(e.public["options"]))
                     for e in single]
        chi2, p, observed = uniform_positions(positions)
        longest = [e.id for e in single
                   if len(e.key["correct"][0]) > max(len(o) for o in e.public["options"]
                                                     if o != e.key["correct"][0])]
        few = [e.id for e in single if len(e.public["options"]) < MIN_OPTIONS]
        above = [e.id for e in entries if any(ABOVE.search(o) for o in e.public["options"])]
        first = [e.id for e in multi if e.public["options"][0] in e.key["correct"]]
        keys = [" ".join(e.key["correct"]) for e in entries]
        distractors = [o for e in entries for o in e.public["options"]
                       if o not in e.key["correct"]]
        cues = class_words({"keys": keys, "distractors": distractors})
        return [
            ("single-choice key position uniform (chi-square p)", f"{p:.3f}",
             f">= {P_UNIFORM}", p >= P_UNIFORM,
             f"keys per position {observed}, chi-square {chi2:.2f}"),
            ("single-choice key is the longest option",
             f"{len(longest) / max(len(single), 1):.0%}",
             f"<= {MAX_LONGEST:.0%}", len(longest) <= MAX_LONGEST * len(single),
             ", ".join(longest)),
            ("single-choice questions with fewer than 4 options", str(len(few)), "0",
             not few, ", ".join(few)),
            ('"all/none of the above" options', str(len(above)), "0", not above,
             ", ".join(above)),
            ("select-all items whose first option is correct",
             f"{len(first)} of {len(multi)}", "not all", not multi or len(first) < len(multi),
             ", ".join(first)),
            ("words in every key and no distractor (or the reverse)",
             str(sum(map(len, cues.values()))), "0", not cues,
             "; ".join(f"{k}: {', '.join(sorted(w))}" for k, w in cues.items())),
        ]


class Choice(Quiz):
    """A practice check with one question and one correct option."""

    name = "choice"
    owns_pool = False
    title = N_("Multiple choice")
    control = "radio"
    LABEL = N_("Your answer")
    multiple: ClassVar[bool] = False

    @classmethod
    def read_check(cls, entry, context, say):
        raw = {**entry, "kind": "multi" if cls.multiple else "choice"}
        public = cls.read_public(raw, context, say)
        key = cls.read_key(raw, public, context, say)
        return {"items": (entry["id"],)}, [({"id": entry["id"], **public}, key)]

    @classmethod
    def build(cls, course, spec, learner=None, keys=None, attempt=1):
        entry = course.entry(cls.pool, spec.items[0])
        item, item_key = cls.item(course, entry, keys, _(cls.LABEL, course.language))
        exercise = Exercise(spec.id, cls.name, spec.title or _(cls.title, course.language),
                            entry.public["prompt"],
                            (item,), spec.source, spec.hint)
        return exercise, ({item.id: item_key} if item_key else {})


class MultipleSelect(Choice):
    name = "multi"
    title = N_("Multiple select")
    control = "dropdown"
    LABEL = N_("Choose all that apply")
    multiple = True
