"""The base of every exercise kind: content hooks (`ContentKind`) plus the exercise side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ...content import ContentKind, Course, Entry, Keys, Spec
from ...content.sources import bad_citation
from ..findings import CuePool, Row
from ..model import Exercise, Key
from ..scoring import Score, score
from ..variants import draw, variant_id


class Kind(ContentKind):
    """An exercise kind: one class owns its pool, validation, widget control, keys and
    scoring. Subclasses with a `name` register themselves (see `content.kinds`)."""

    title: ClassVar[str] = ""
    prompt: ClassVar[str] = ""
    #: The widget control of a single-answer item: "radio" or "dropdown" (a multiple-answer
    #: item is always a group of checkboxes).
    control: ClassVar[str] = "dropdown"
    #: Whether the cohort report tabulates, per item, the wrong option learners picked
    #: against the keyed one (`report.stats.wrong_roles`, wrong_roles.csv, the confusion
    #: heatmap): for single-answer items whose options are one shared set (the MLT roles).
    tabulates_wrong_picks: ClassVar[bool] = False
    #: Whether an exercise of this kind is ONE situation whose items are answered and scored
    #: together (a scenario): a review sheet shows it as one block (its title, its text,
    #: then its items), and an item is named by the situation's id and the item's.
    one_situation: ClassVar[bool] = False
    #: Whether the option labels are the task's own words (e.g. "Either/or problem"), the
    #: same for every item: a form-only review sheet leaves them as they are.
    options_are_task_words: ClassVar[bool] = False

    @classmethod
    def entry_points(cls, key: Mapping[str, Any]) -> float:
        """What one entry of the kind's pool is worth in an exam, from its hidden key."""
        return float(key.get("points", 1))

    @classmethod
    def guessing_floor(cls, course: Course, entry: Entry) -> float | None:
        """The share of a keyed entry's points that uniformly random answers earn, when its
        items score together and a rater's estimate must be raised by it (a per-draw cut's
        partial-credit floor); None when items score one by one (the estimate includes
        guessing)."""
        return None

    @classmethod
    def scale_items(cls, exercise: Exercise) -> frozenset[str]:
        """Items on a scale (e.g. a weight 0-3) scored by their ORDER against each other:
        their choices keep their order, and the browser's scorer ranks them as `score`
        does (it reads this from the payload). None by default."""
        return frozenset()

    @classmethod
    def chance(cls, exercise: Exercise, key: Key) -> float:
        """The expected score of uniformly random answers (`blind.expected_random`, exact
        for items scored one by one; kinds whose items score together override it)."""
        from ..blind import expected_random

        return expected_random(cls.score, exercise, key)

    @classmethod
    def build(cls, course: Course, spec: Spec, learner: str | None = None,
              keys: Keys | None = None, attempt: int = 1) -> tuple[Exercise, Key]:
        """The public exercise for `learner`'s variant at `attempt`, and the key of every item
        whose key is known (practice entries always; graded ones only with `keys`)."""
        raise NotImplementedError

    @classmethod
    def item_key(cls, exercise: Exercise, item_id: str) -> str:
        """A bank-wide name for an item of `exercise` (reports pool items across learners)."""
        return item_id

    @classmethod
    def audit(cls, entries: list[Entry]) -> list[Row]:
        """Cues in the form of graded items that could give keys away, as (check, value,
        limit, ok, detail) rows; `entries` carry their keys. None by default."""
        return []

    @classmethod
    def cues(cls, entries: list[Entry], course: Course) -> CuePool | None:
        """The entries (with their keys, in file order) as the bank-level form audits see
        them (`exercises.cues`): stem, candidates, keyed candidates. None: not audited."""
        return None

    @classmethod
    def score(cls, exercise: Exercise, key: Key, answers: Mapping[str, Any] | Any) -> Score:
        """Score one exercise (pure); kinds with partial credit override this."""
        return score(exercise, key, answers)

    # -- shared helpers -------------------------------------------------------------------

    @staticmethod
    def drawn(spec: Spec, learner: str | None, attempt: int = 1) -> tuple[tuple[str, ...], str]:
        if spec.group:  # drawn with the other exercises of its group: never the same item
            size = spec.draw * spec.parts if spec.draw else None
            joint = draw(spec.items, spec.group, learner, size, attempt)
            width = spec.draw or 1
            items = joint[spec.slot * width:(spec.slot + 1) * width]
        else:
            items = draw(spec.items, spec.id, learner, spec.draw, attempt)
        variant = "all" if spec.draw is None or not learner else variant_id(items)
        return items, variant

    @classmethod
    def key_of(cls, entry: Entry, keys: Keys | None) -> Mapping[str, Any] | None:
        """The entry's key: its own (practice), the hidden one when `keys` are given, or None."""
        if entry.key is not None:
            return entry.key
        return (keys or {}).get(cls.pool, {}).get(entry.id)

    @staticmethod
    def citation(raw: dict, say, default: str = "") -> str:
        source = str(raw.get("source", default) or "")
        if problem := bad_citation(source):
            say("source", problem)
        return source
