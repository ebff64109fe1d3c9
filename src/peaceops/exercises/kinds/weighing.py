"""Principle weighing: a fictional scenario, a 0-3 weight per principle, the decisive one."""

from __future__ import annotations

import functools
from dataclasses import replace

from ...content import PRINCIPLES, WEIGHTS
from ...content.sources import SECTIONS
from ..audit import CueItem, CuePool, Row
from ..blind import blind_row, expected_random, points
from ..model import Exercise, Item, ItemKey
from ..words import content_stems, is_function, same_word, stem, tokens
from .base import Kind

#: The share of a weight's point earned one step outside the keyed range.
PARTIAL = 0.5
#: Words that point to each principle: what a reader who goes by the scenario's theme sees
#: (the form audits' lexicon; the principle's name is added to it).
CUES: dict[str, str] = {
    "consent": "consent accept acceptance agree agreement approve permission allow refuse "
               "withdraw welcome oppose",
    "impartiality": "impartial impartiality even-handed favour favor one side one-sided bias "
                    "partial neutral fair prejudice",
    "non_use_of_force": "force weapon fire armed arms shoot attack violence self-defence gun "
                        "fight militia",
    "legitimacy": "legitimacy legitimate mandate lawful law rights standing trust misconduct "
                  "accountable reputation",
    "credibility": "credible credibility promise deliver expectation commitment capacity "
                   "reliable pledge means resources",
    "ownership": "ownership own national local lead community authorities leaders "
                 "consultation",
}


def _range(accepted) -> str:
    weights = sorted(int(w) for w in accepted)
    return str(weights[0]) if len(weights) == 1 else f"range {weights[0]}–{weights[-1]}"


class PrincipleWeighing(Kind):
    name = "principle_weighing"
    pool = "scenarios"
    owns_pool = True
    practice_source = "scenarios.yaml"
    title = "Weigh the principles"
    prompt = "Give each principle a weight for this decision, then name the decisive one."
    DECISIVE = "decisive"
    control = "radio"  # a 0-3 scale per principle, and one of six principles

    @classmethod
    def read_public(cls, entry, context, say):
        section = str(entry.get("section", "")).strip()
        if section not in SECTIONS:
            say("section", f"'{section}' is not a source section; use one of {', '.join(SECTIONS)}")
        if entry.get("fictional") is not True:
            say("fictional", "must be true: scenarios are fictional training situations")
        return {"title": say.text(entry, "title"), "situation": say.text(entry, "situation"),
                "section": section}

    @classmethod
    def read_key(cls, entry, public, context, say):
        at_stake = entry.get("at_stake", [])
        if not isinstance(at_stake, list):
            say("at_stake", "list the principles at stake")
            at_stake = []
        for principle in at_stake:
            say.one_of(principle, set(PRINCIPLES), "at_stake", "principle")
        ranges = cls._ranges(entry.get("key"), say)
        decisive = entry.get("decisive")
        decisive = [decisive] if isinstance(decisive, str) else decisive
        if not isinstance(decisive, list) or not decisive:
            say("decisive", "name the decisive principle(s)")
            decisive = []
        top = max(WEIGHTS)
        for principle in decisive:
            if say.one_of(principle, set(PRINCIPLES), "decisive", "principle") and \
                    principle in ranges and ranges[principle][1] != top:
                say("key", f"the decisive principle '{principle}' must allow weight {top}")
        rationale = entry.get("rationale")
        if not isinstance(rationale, dict):
            say("rationale", "give a rationale for every principle")
            rationale = {}
        for principle in PRINCIPLES:
            if not str(rationale.get(principle, "") or "").strip():
                say(f"rationale.{principle}", "missing rationale for this principle")
        for principle in rationale:
            if principle not in PRINCIPLES:
                say("rationale", f"unknown principle '{principle}'")
        return {"at_stake": tuple(at_stake), "decisive": tuple(decisive), "ranges": ranges,
                "rationale": {p: " ".join(str(rationale.get(p, "")).split()) for p in PRINCIPLES},
                "source": (cls.citation(entry, say) if entry.get("source")
                           else public.get("section", ""))}

    @staticmethod
    def _ranges(key, say) -> dict[str, tuple[int, int]]:
        if not isinstance(key, dict):
            say("key", "give a [low, high] weight range per principle")
            return {}
        result: dict[str, tuple[int, int]] = {}
        low_bound, high_bound = min(WEIGHTS), max(WEIGHTS)
        for principle in PRINCIPLES:
            bounds = key.get(principle)
            field = f"key.{principle}"
            if (not isinstance(bounds, list) or len(bounds) != 2
                    or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)):
                say(field, "must be [low, high], two whole numbers")
                continue
            low, high = bounds
            if not low_bound <= low <= high <= high_bound:
                say(field, f"weight range {bounds} out of bounds; need {low_bound} <= low <= "
                           f"high <= {high_bound}")
                continue
            result[principle] = (low, high)
        for principle in key:
            if principle not in PRINCIPLES:
                say(f"key.{principle}", "unknown principle")
        return result

    @classmethod
    def read_check(cls, entry, context, say):
        scenario = entry.get("scenario")
        if scenario in context["invalid"]:
            return {}, []  # reported where the scenario is defined
        if not isinstance(scenario, str) or scenario not in context["pools"].get(cls.pool, {}):
            say("scenario", f"unknown scenario '{scenario}'; see data/scenarios.yaml")
            return {}, []
        return {"items": (scenario,)}, []

    @classmethod
    def build(cls, course, spec, learner=None, keys=None, attempt=1):
        if spec.draw:
            ids, variant = cls.drawn(spec, learner, attempt)
        else:
            ids, variant = spec.items[:1], "all"
        entry = course.entry(cls.pool, ids[0])
        public, scenario = entry.public, cls.key_of(entry, keys)
        items = cls.items(course.principle_names(), entry.lesson)
        key = cls.scenario_key(scenario) if scenario is not None else {}
        exercise = Exercise(spec.id, cls.name, public["title"], spec.prompt or cls.prompt,
                            items, spec.source or public["section"], spec.hint,
                            context=public["situation"], variant=variant,
                            meta={"scenario": entry.id})
        return exercise, key

    @classmethod
    def items(cls, names: dict[str, str], lesson: str = "") -> tuple[Item, ...]:
        """A weight (0-3) per principle, then the decisive principle."""
        scale = tuple((str(w), f"{w}: {label}") for w, label in WEIGHTS.items())
        items = [Item(p, names[p], scale, label=f"Weight of {names[p]}", lesson=lesson)
                 for p in PRINCIPLES]
        items.append(Item(cls.DECISIVE, "Which principle is decisive here?",
                          tuple((p, names[p]) for p in PRINCIPLES), label="Decisive principle",
                          lesson=lesson))
        return tuple(items)

    @classmethod
    def scenario_key(cls, scenario) -> dict[str, ItemKey]:
        """The key of one scenario: each principle's keyed range, and the decisive ones."""
        key = {}
        for principle in PRINCIPLES:
            low, high = scenario["ranges"][principle]
            key[principle] = ItemKey(frozenset(str(w) for w in range(low, high + 1)),
                                     scenario["rationale"][principle], scenario["source"])
        decisive = scenario["decisive"]
        key[cls.DECISIVE] = ItemKey(
            frozenset(decisive), " ".join(scenario["rationale"][p] for p in decisive),
            scenario["source"])
        return key

    @classmethod
    def partial_credit(cls, exercise):
        return {item.id: PARTIAL for item in exercise.items if item.id != cls.DECISIVE}

    @classmethod
    def score(cls, exercise, key, answers):
        """Weights earn partial credit by distance from the keyed range: inside it 1 point,
        one step outside 0.5, further 0. The decisive principle is right or wrong."""
        result = super().score(exercise, key, answers)
        partial = cls.partial_credit(exercise)
        items = []
        for res in result.items:
            if res.status == "incorrect" and res.item in partial:
                given = int(res.answer)
                distance = min(abs(given - int(w)) for w in key[res.item].accept)
                if distance == 1:
                    res = replace(res, points=res.max_points * partial[res.item],
                                  status="partial",
                                  feedback=f"Close: you gave {given}, one step from the "
                                           f"keyed {_range(key[res.item].accept)}.")
            items.append(res)
        return replace(result, points=sum(r.points for r in items), items=tuple(items))

    @classmethod
    def item_key(cls, exercise, item_id):
        return f"{exercise.meta.get('scenario', '')}/{item_id}"

    # -- the audit ---------------------------------------------------------------------

    @classmethod
    def cues(cls, entries, course):
        """Stem: title and situation; candidates: the principles' names (cue words aside)."""
        names = course.principle_names()
        return CuePool(tuple(
            CueItem(e.id, f"{e.public['title']}. {e.public['situation']}",
                    tuple(f"{names[p]} {p}" for p in PRINCIPLES),
                    frozenset(PRINCIPLES.index(p) for p in e.key["decisive"]))
            for e in entries), fixed=True, lexicon=tuple(CUES[p] for p in PRINCIPLES))

    @staticmethod
    def most_mentioned(text: str) -> str:
        """The principle whose id words or cue words `text` uses most (ties: the first)."""
        said = [w for w in tokens(text) if len(w) > 1 and not is_function(w)]
        counts = [sum(any(same_word(stem(w), c) for c in _cue_stems(p)) for w in said)
                  for p in PRINCIPLES]
        return PRINCIPLES[counts.index(max(counts))]

    @classmethod
    def answers(cls, weights: dict[str, int], decisive: str) -> dict[str, str]:
        """A learner's answers: a weight per principle and the decisive one."""
        return {**{p: str(w) for p, w in weights.items()}, cls.DECISIVE: decisive}

    @classmethod
    def audit(cls, entries) -> list[Row]:
        """Blind answers, scored by `score`: the same weight for every principle (with the
        pool's most often decisive principle), or the most-mentioned principle decisive and
        weighted 3 and the rest 1. Each must earn at most chance (the expected score of
        uniformly random answers) plus 10 points of the maximum."""
        items = cls.items({p: p for p in PRINCIPLES})
        cases = [(e, Exercise(e.id, cls.name, "", "", items, ""), cls.scenario_key(e.key))
                 for e in entries]
        top = len(items)

        def shares(answers) -> list[float]:
            """Each scenario's score for `answers(entry)`, as a share of its maximum."""
            return [points(cls.score, x, k, answers(e)) / top for e, x, k in cases]

        chance = sum(expected_random(cls.score, x, k) for _, x, k in cases) / top / len(cases)
        decisive = max(PRINCIPLES, key=lambda p: sum(p in e.key["decisive"] for e in entries))
        same = {c: shares(lambda e, c=c: cls.answers(dict.fromkeys(PRINCIPLES, c), decisive))
                for c in WEIGHTS}
        best = max(same, key=lambda c: sum(same[c]))

        def themed(e):
            theme = cls.most_mentioned(f"{e.public['title']}. {e.public['situation']}")
            return cls.answers({p: 3 if p == theme else 1 for p in PRINCIPLES}, theme)

        ids = [e.id for e in entries]
        by_weight = ", ".join(f"{c}: {sum(v) / len(v):.0%}" for c, v in same.items())
        return [blind_row("blind scenario answers: the same weight for every principle",
                          ids, same[best], chance,
                          f"weight {best} everywhere, {decisive} decisive; by weight: "
                          + by_weight),
                blind_row("blind scenario answers: the most-mentioned principle decisive, "
                          "the rest 1", ids, shares(themed), chance)]


@functools.cache
def _cue_stems(principle: str) -> frozenset[str]:
    return frozenset(content_stems(f"{principle.replace('_', ' ')} {CUES[principle]}"))

__all__ = ["PrincipleWeighing"]
