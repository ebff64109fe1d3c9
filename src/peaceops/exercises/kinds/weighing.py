"""Principle weighing: a fictional scenario, a 0-3 weight per principle, the decisive one."""

from __future__ import annotations

import functools
from dataclasses import replace

from ...content import PRINCIPLES, WEIGHTS
from ...content.messages import N_, _
from ...content.sources import SECTIONS
from ..blind import blind_row, points
from ..findings import CueItem, CuePool, Row
from ..model import Exercise, Item, ItemKey
from ..phrases import FEEDBACK, say
from ..words import content_stems, is_function, same_word, stem, tokens
from .base import Kind

#: A scenario's points: its weights share WEIGHT_POINTS, scored by ORDER (`order_shares`),
#: and the decisive principle earns DECISIVE_POINTS.
WEIGHT_POINTS = 2
DECISIVE_POINTS = 1
#: Blind scenario answers may earn at most chance plus this share of the maximum.
BLIND_MARGIN = 0.05
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


def apart(ranges: dict[str, tuple[int, int]]) -> dict[str, dict[str, int]]:
    """For each principle, the principles the key ranks apart from it: +1 where its keyed
    range lies wholly above the other's, -1 wholly below. Overlapping ranges are not ranked
    (either order is defensible)."""
    found: dict[str, dict[str, int]] = {p: {} for p in ranges}
    for p, (low, high) in ranges.items():
        for q, (low_q, high_q) in ranges.items():
            if low > high_q:
                found[p][q] = 1
            elif high < low_q:
                found[p][q] = -1
    return found


def order_shares(ranges: dict[str, tuple[int, int]],
                 weights: dict[str, int | None]) -> dict[str, float]:
    """Each principle's share of its weight points: of the principles the key ranks apart
    from it, the share the learner ranks the same way (strictly: equal weights rank nothing).
    A principle the key ranks apart from none (its range overlaps every other) earns all or
    nothing by its range. A principle without a weight (None) earns nothing and ranks
    against nothing."""
    shares = {}
    for p, others in apart(ranges).items():
        mine = weights.get(p)
        if mine is None:
            shares[p] = 0.0
            continue
        if not others:
            shares[p] = 1.0 if ranges[p][0] <= mine <= ranges[p][1] else 0.0
            continue
        agree = sum(1 for q, side in others.items() if weights.get(q) is not None
                    and (mine - weights[q]) * side > 0)
        shares[p] = agree / len(others)
    return shares


class PrincipleWeighing(Kind):
    name = "principle_weighing"
    pool = "scenarios"
    owns_pool = True
    practice_source = "scenarios.yaml"
    title = N_("Weigh the principles")
    prompt = N_("Give each principle a weight for this decision, then name the decisive one.")
    #: The scale's choices as shown: "<weight>: <WEIGHTS label>" (a test keeps them equal).
    SCALE = {0: N_("0: not at stake"), 1: N_("1: relevant"), 2: N_("2: important"),
             3: N_("3: decisive")}
    WEIGHT = N_("Weight of {name}")
    QUESTION = N_("Which principle is decisive here?")
    DECISIVE_LABEL = N_("Decisive principle")
    DECISIVE = "decisive"
    POINTS = WEIGHT_POINTS + DECISIVE_POINTS  # what one scenario is worth
    control = "radio"  # a 0-3 scale per principle, and one of six principles
    one_situation = True

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
        items = cls.items(course.principle_names(), entry.lesson, course.language)
        key = cls.scenario_key(scenario) if scenario is not None else {}
        exercise = Exercise(spec.id, cls.name, public["title"],
                            spec.prompt or _(cls.prompt, course.language),
                            items, spec.source or public["section"], spec.hint,
                            context=public["situation"], variant=variant,
                            meta={"scenario": entry.id})
        return exercise, key

    @classmethod
    def items(cls, names: dict[str, str], lesson: str = "",
              lang: str = "en") -> tuple[Item, ...]:
        """A weight (0-3) per principle, then the decisive principle (words in `lang`)."""
        scale = tuple((str(w), _(cls.SCALE[w], lang)) for w in WEIGHTS)
        share = WEIGHT_POINTS / len(PRINCIPLES)
        weight = _(cls.WEIGHT, lang)
        items = [Item(p, names[p], scale, label=weight.format(name=names[p]), lesson=lesson,
                      points=share) for p in PRINCIPLES]
        items.append(Item(cls.DECISIVE, _(cls.QUESTION, lang),
                          tuple((p, names[p]) for p in PRINCIPLES),
                          label=_(cls.DECISIVE_LABEL, lang), lesson=lesson,
                          points=DECISIVE_POINTS))
        return tuple(items)

    @classmethod
    def scenario_key(cls, scenario) -> dict[str, ItemKey]:
        """The key of one scenario: each principle's keyed range, and the decisive ones."""
        key = {}
        for principle in PRINCIPLES:
            low, high = scenario["ranges"][principle]
            key[principle] = ItemKey(frozenset(str(w) for w in range(low, high + 1)),
                                     scenario["rationale"][principle], scenario["source"],
                                     WEIGHT_POINTS / len(PRINCIPLES))
        decisive = scenario["decisive"]
        key[cls.DECISIVE] = ItemKey(
            frozenset(decisive), " ".join(scenario["rationale"][p] for p in decisive),
            scenario["source"], DECISIVE_POINTS)
        return key

    @classmethod
    def scale_items(cls, exercise):
        return frozenset(item.id for item in exercise.items if item.id != cls.DECISIVE)

    @classmethod
    def score(cls, exercise, key, answers):
        """The weights are scored by ORDER: each principle's share of its points is the share
        of the principles the key ranks apart from it (`apart`) that the learner ranks the
        same way; equal weights rank nothing, so one weight everywhere earns nothing. The
        decisive principle is right or wrong."""
        result = super().score(exercise, key, answers)
        names = {item.id: item.prompt for item in exercise.items}
        weighed = [r for r in result.items if r.item != cls.DECISIVE]
        ranges = {r.item: _bounds(key[r.item].accept) for r in weighed}
        weights = {r.item: int(str(r.answer)) if r.status in ("correct", "incorrect") else None
                   for r in weighed}
        shares = order_shares(ranges, weights)
        ranked = apart(ranges)
        items = []
        for res in result.items:
            if res.item in weights and weights[res.item] is not None:
                share = shares[res.item]
                status = "correct" if share == 1 else "partial" if share > 0 else "incorrect"
                res = replace(res, points=res.max_points * share, status=status,
                              feedback="" if share == 1 else _order_feedback(
                                  res.item, weights, ranked[res.item], names,
                                  ranges[res.item]))
            items.append(res)
        # rounded: shares of a third of a point must not depend on the order of the sum
        return replace(result, points=round(sum(r.points for r in items), 9),
                       max_points=round(result.max_points, 9), items=tuple(items))

    @classmethod
    def entry_points(cls, key) -> float:
        return float(cls.POINTS)

    @classmethod
    def guessing_floor(cls, course, entry) -> float:
        exercise = Exercise("", cls.name, "", "", cls.items(course.principle_names()), "")
        return cls.chance(exercise, cls.scenario_key(entry.key)) / exercise.max_points

    @classmethod
    def chance(cls, exercise, key) -> float:
        """The expected score of uniformly random answers, exact: the weights score
        together (by order), so every combination of weights is counted."""
        from itertools import product

        weighed = [i.id for i in exercise.items if i.id != cls.DECISIVE]
        ranges = {p: _bounds(key[p].accept) for p in weighed}
        total = 0.0
        combos = list(product(sorted(WEIGHTS), repeat=len(weighed)))
        for combo in combos:
            shares = order_shares(ranges, dict(zip(weighed, combo, strict=True)))
            total += sum(key[p].points * shares[p] for p in weighed)
        decisive = next(i for i in exercise.items if i.id == cls.DECISIVE)
        hits = sum(v in key[cls.DECISIVE].accept for v, _ in decisive.choices)
        return total / len(combos) + key[cls.DECISIVE].points * hits / len(decisive.choices)

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
            for e in entries), fixed=True, lexicon=tuple(CUES[p] for p in PRINCIPLES),
            story=True)

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
        """Blind answers, scored by `score`, against chance (the exact expected score of
        uniformly random answers) plus BLIND_MARGIN of the maximum: the same weight w for
        every principle, for each w (with the pool's most often decisive principle), and
        the most-mentioned principle decisive and weighted 3, the rest 1. Each must stay
        within the limit on average; one weight everywhere on every scenario too (scored by
        order it earns nothing for the weights, so only a key whose ranges rank nothing
        apart lets it through). Also reported, not judged: the best answer that is the same for
        every scenario (any weights, any decisive, fitted with the keys in hand), which
        measures how much the pool's keys share one profile."""
        items = cls.items({p: p for p in PRINCIPLES})
        cases = [(e, Exercise(e.id, cls.name, "", "", items, ""), cls.scenario_key(e.key))
                 for e in entries]
        top = Exercise("", cls.name, "", "", items, "").max_points

        def shares(answers) -> list[float]:
            """Each scenario's score for `answers(entry)`, as a share of its maximum."""
            return [points(cls.score, x, k, answers(e)) / top for e, x, k in cases]

        chance = sum(cls.chance(x, k) for _, x, k in cases) / top / len(cases)
        decisive = max(PRINCIPLES, key=lambda p: sum(p in e.key["decisive"] for e in entries))
        same = {c: shares(lambda e, c=c: cls.answers(dict.fromkeys(PRINCIPLES, c), decisive))
                for c in WEIGHTS}
        fixed, fixed_shares = cls._best_fixed(cases, top)

        def themed(e):
            theme = cls.most_mentioned(f"{e.public['title']}. {e.public['situation']}")
            return cls.answers({p: 3 if p == theme else 1 for p in PRINCIPLES}, theme)

        ids = [e.id for e in entries]
        margin = {"margin": BLIND_MARGIN}
        rows = [blind_row(f"blind scenario answers: weight {c} for every principle", ids,
                          same[c], chance, f"{decisive} decisive", each=True, **margin)
                for c in WEIGHTS]
        check, value, limit, _, detail = blind_row(
            "blind scenario answers: the best answer the same for every scenario (a profile "
            "fitted to these keys)", ids, fixed_shares, chance, fixed, **margin)
        rows.append((check, value, limit, True, "reported, not judged: it measures how much "
                     "the keys share one profile (the pool's design), not the scoring; "
                     + detail))
        rows.append(blind_row("blind scenario answers: the most-mentioned principle decisive, "
                              "the rest 1", ids, shares(themed), chance, **margin))
        return rows

    @classmethod
    def _best_fixed(cls, cases, top: float) -> tuple[str, list[float]]:
        """The answer (weights and decisive) that scores most over all `cases` when given
        to every one of them, described, with its share of each scenario's maximum."""
        from itertools import product

        best: tuple[float, tuple[int, ...], str, list[float]] = (-1.0, (), "", [])
        hits = {p: [p in k[cls.DECISIVE].accept for _, _, k in cases] for p in PRINCIPLES}
        pick = max(PRINCIPLES, key=lambda p: sum(hits[p]))
        ranges = [{p: _bounds(k[p].accept) for p in PRINCIPLES} for _, _, k in cases]
        weight_points = [k[PRINCIPLES[0]].points for _, _, k in cases]
        for combo in product(sorted(WEIGHTS), repeat=len(PRINCIPLES)):
            weights = dict(zip(PRINCIPLES, combo, strict=True))
            each = [(w * sum(order_shares(r, weights).values())
                     + cases[n][2][cls.DECISIVE].points * hits[pick][n]) / top
                    for n, (r, w) in enumerate(zip(ranges, weight_points, strict=True))]
            if sum(each) > best[0] + 1e-12:
                best = (sum(each), combo, pick, each)
        _, combo, pick, each = best
        how = ", ".join(f"{p} {w}" for p, w in zip(PRINCIPLES, combo, strict=True))
        return f"{how}; {pick} decisive", each


def _bounds(accept) -> tuple[int, int]:
    weights = sorted(int(w) for w in accept)
    return weights[0], weights[-1]


def _order_feedback(principle: str, weights: dict[str, int | None], others: dict[str, int],
                    names: dict[str, str], keyed: tuple[int, int]) -> str:
    """Which principles the learner did not rank as the key does, against `principle`."""
    if not others:
        low, high = keyed
        return say(FEEDBACK, "weigh_alone", weight=weights[principle], low=low, high=high)
    above = sorted(names[q] for q, side in others.items() if side > 0
             and not (weights.get(q) is not None and weights[principle] > weights[q]))
    below = sorted(names[q] for q, side in others.items() if side < 0
             and not (weights.get(q) is not None and weights[principle] < weights[q]))
    parts = ([say(FEEDBACK, "above", names=", ".join(above))] if above else []) + \
        ([say(FEEDBACK, "below", names=", ".join(below))] if below else [])
    right = len(others) - len(above) - len(below)
    n = len(others)
    both = say(FEEDBACK, "both", above=parts[0], below=parts[1]) if len(parts) == 2 else parts[0]
    return say(FEEDBACK, "weigh_one" if n == 1 else "weigh_many", right=right, n=n, parts=both,
               weight=weights[principle])


@functools.cache
def _cue_stems(principle: str) -> frozenset[str]:
    return frozenset(content_stems(f"{principle.replace('_', ' ')} {CUES[principle]}"))

__all__ = ["PrincipleWeighing"]
