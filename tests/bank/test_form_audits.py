"""The form audits of `peaceops bank audit` (issue 24), each proved in both directions: a
clean doctored pool passes, the same pool with one cue fails."""

from __future__ import annotations

import random

import pytest

from peaceops.content import PRINCIPLES, Entry, load_course
from peaceops.exercises import kind
from peaceops.exercises.connotation import connotation_row, loaded
from peaceops.exercises.convergence import convergence_row
from peaceops.exercises.cues import cue_rows
from peaceops.exercises.findings import CueItem, CuePool
from peaceops.exercises.formclass import classifier_row
from peaceops.exercises.grammar import grammar_rows, odd_one_out, signature
from peaceops.exercises.idcues import adjacency_rows, id_word_row
from peaceops.exercises.overlap import echo_rank_row, overlap_row
from peaceops.exercises.words import content_stems, stem
from tests.conftest import ROOT

COURSE = load_course()
KINDS = ("problem", "polarity")
NOUNS = ("radio", "convoy", "budget", "roster", "bridge", "clinic", "runway", "ledger", "fence",
         "generator", "archive", "tender", "warehouse", "hangar", "payroll", "manifest",
         "pump", "tent", "cable", "vehicle", "register", "ration", "badge", "map")
VERBS = ("repair", "audit", "schedule", "inspect", "replace", "record", "count", "move",
         "clean", "label", "store", "check", "paint", "weigh", "sort", "ship")


def ok(rows, check: str) -> bool:
    (found,) = [r for r in rows if r[0].startswith(check)]
    return found[3]


def pool(labels: list[str], ids: list[str] | None = None, stems: list[str] | None = None,
         candidates: tuple[str, ...] = KINDS) -> CuePool:
    ids = ids or [f"item-{n:02d}" for n in range(len(labels))]
    stems = stems or [f"Text {n}" for n in range(len(labels))]
    return CuePool(tuple(CueItem(i, s, candidates, frozenset({candidates.index(k)}))
                         for i, s, k in zip(ids, stems, labels, strict=True)), fixed=True)


# -- ids vs keys: adjacency --------------------------------------------------------------

BALANCED = ["problem", "polarity", "polarity", "problem", "polarity", "problem", "problem",
            "problem", "polarity", "polarity", "problem", "polarity", "problem", "polarity",
            "polarity", "problem", "problem", "polarity", "problem", "polarity"]


def test_adjacency_passes_keys_in_a_random_looking_order():
    rows = adjacency_rows(pool(BALANCED))
    assert [r[3] for r in rows] == [True, True], rows


def test_adjacency_fails_keys_in_blocks_and_in_exact_alternation():
    blocks = adjacency_rows(pool(["problem"] * 10 + ["polarity"] * 10))
    assert not any(r[3] for r in blocks) and "keys in blocks" in blocks[0][4]
    alternating = adjacency_rows(pool(["problem", "polarity"] * 10))
    assert not any(r[3] for r in alternating) and "keys alternate" in alternating[0][4]


def test_adjacency_orders_by_id_and_by_place_in_the_file_separately():
    roles = [r for r, _ in kind("role_matching").choices(COURSE)]
    keyed = [r for r in roles for _ in range(3)]  # x-role-01..21 keyed in blocks of three
    ids = [f"x-role-{n}" for n in range(1, 22)]  # unpadded: ordered by number, not text
    order = random.Random(5).sample(range(21), 21)  # the file shuffles them
    rows = adjacency_rows(pool([keyed[i] for i in order], [ids[i] for i in order],
                               candidates=tuple(roles)))
    by_id, by_file = rows
    assert "ordered by id" in by_id[0] and not by_id[3]
    assert "in file order" in by_file[0] and by_file[3]


def test_questions_have_no_adjacency_check():
    items = pool(BALANCED)
    assert adjacency_rows(CuePool(items.items, fixed=False, ordered=False)) == []


# -- ids vs keys: words of the id -----------------------------------------------------------

def _questions(ids: list[str], keys: list[str]) -> CuePool:
    items = []
    for n, (item_id, key) in enumerate(zip(ids, keys, strict=True)):
        options = (key, f"Ask the {NOUNS[n % 20]} team", f"Wait for the {NOUNS[n % 20 + 1]}",
                   f"Write to the {NOUNS[n % 20 + 2]} office")
        items.append(CueItem(item_id, f"Question {n}?", options, frozenset({0})))
    return CuePool(tuple(items), fixed=False, ordered=False)


def test_id_words_pass_opaque_ids_and_fail_ids_that_name_the_key():
    keys = [f"{VERBS[n % 16].capitalize()} the risk first" for n in range(20)]
    opaque = _questions([f"x-q-{random.Random(n).getrandbits(24):06x}" for n in range(20)], keys)
    assert id_word_row(opaque)[3]
    naming = [f"x-q-politics-{VERBS[n % 16]}" if n < 6 else f"x-q-politics-{n}"
              for n in range(20)]
    row = id_word_row(_questions(naming, keys))
    assert not row[3] and "x-q-politics-repair: repair" in row[4]


def test_id_words_catch_a_role_id_in_an_item_id():
    practice = [e for e in COURSE.pools["roles"].values() if not e.graded]
    items = kind("role_matching").cues(practice, COURSE).items
    named = CuePool(tuple(CueItem(f"x-{e.key['role']}-{n}", i.stem, i.candidates, i.key)
                          for n, (e, i) in enumerate(zip(practice, items, strict=True))),
                    fixed=True)
    row = id_word_row(named)
    assert not row[3] and "x-pc-" in row[4], row
    opaque = CuePool(tuple(CueItem(f"x-role-{n:02d}", i.stem, i.candidates, i.key)
                           for n, i in enumerate(items)), fixed=True)
    assert id_word_row(opaque)[3]


# -- the form-only classifier ---------------------------------------------------------------

def _challenge(n: int, marked: str) -> str:
    rng = random.Random(n)
    a, b, c, d = rng.sample(NOUNS, 4)
    v, w = rng.sample(VERBS, 2)
    joint = ", yet to" if marked == "polarity" else " or to"  # the cue: one conjunction
    return f"Whether to {v} the {a} near the {b}{joint} {w} the {c} by the {d}"


def test_the_classifier_passes_polarities_and_problems_in_one_form():
    labels = BALANCED
    clean = pool(labels, stems=[_challenge(n, "") for n in range(20)])
    row = classifier_row(clean)
    assert row[3], row


def test_the_classifier_fails_polarities_marked_by_a_conjunction():
    labels = BALANCED
    marked = pool(labels, stems=[_challenge(n, k) for n, k in enumerate(labels)])
    row = classifier_row(marked)
    assert not row[3] and row[1].startswith("100%"), row
    assert row[4].startswith("form features that tell: ") and "'yet'" in row[4], row


def _options(n: int, longest_key: bool) -> CueItem:
    rng = random.Random(n)
    words = rng.sample(NOUNS, 8)
    short = [f"The {words[i]} {rng.choice(VERBS)}s it" for i in range(4)]
    if longest_key:
        short[0] = f"The {words[4]} and the {words[5]}, with care, {rng.choice(VERBS)} it in time"
    key = rng.randrange(4) if not longest_key else 0
    options = short[:]
    rng.shuffle(options)
    key_text = short[key] if not longest_key else short[0]
    return CueItem(f"q{n}", f"What happens to the {words[6]}?", tuple(options),
                   frozenset({options.index(key_text)}))


def test_the_option_classifier_passes_keys_like_their_siblings_and_fails_long_keys():
    clean = CuePool(tuple(_options(n, False) for n in range(24)), fixed=False, ordered=False)
    assert classifier_row(clean)[3], classifier_row(clean)
    cued = CuePool(tuple(_options(n, True) for n in range(24)), fixed=False, ordered=False)
    row = classifier_row(cued)
    assert not row[3] and row[1].startswith("100%"), row


def test_a_small_pool_is_reported_not_judged():
    labels = BALANCED[:6]
    row = classifier_row(pool(labels, stems=[_challenge(n, k) for n, k in enumerate(labels)]))
    assert row[3] and "fewer than 8 items" in row[4]


# -- the key's overlap with the stem --------------------------------------------------------

def _echo(n: int, echoing: bool) -> CueItem:
    rng = random.Random(100 + n)
    a, b, c, d, e, f = rng.sample(NOUNS, 6)
    options = (f"Move the {a} to the {b}" if echoing else f"Move the {c} first",
               f"Ask about the {d}", f"Close the {e}", f"Repair the {f}")
    prompt = f"The {a} blocks the {b}: what now?"
    return CueItem(f"q{n}", prompt, options, frozenset({0}))


def test_stem_overlap_passes_neutral_keys_and_fails_keys_that_echo_the_stem():
    assert overlap_row(CuePool(tuple(_echo(n, False) for n in range(12)), fixed=False))[3]
    row = overlap_row(CuePool(tuple(_echo(n, True) for n in range(12)), fixed=False))
    assert not row[3] and row[1].startswith("100%") and "q0" in row[4]


def _restates(n: int, where: int) -> CueItem:
    """A question whose one stem-echoing option (restating the stem's proposal) sits at
    option `where`; the key is option 0."""
    rng = random.Random(300 + n)
    a, b, *others = rng.sample(NOUNS, 6)
    options = [f"Close the {o}" for o in others[:4]]
    options[where] = f"Move the {a} to the {b}"
    prompt = f"A planner proposes to move the {a} to the {b}: what now?"
    return CueItem(f"q{n}", prompt, tuple(options), frozenset({0}))


def test_the_most_echoing_option_is_keyed_as_often_as_chance_both_ways():
    fair = CuePool(tuple(_restates(n, n % 4) for n in range(24)), fixed=False)
    assert echo_rank_row(fair)[3], echo_rank_row(fair)
    avoided = echo_rank_row(CuePool(tuple(_restates(n, 1 + n % 3) for n in range(24)),
                                    fixed=False))  # the echoing option is never the key
    assert not avoided[3] and avoided[1] == "0 of 24" and "a distractor in: q0" in avoided[4]
    always = echo_rank_row(CuePool(tuple(_restates(n, 0) for n in range(24)), fixed=False))
    assert not always[3] and "keyed and most-echoing" in always[4]
    few = echo_rank_row(CuePool(tuple(_restates(n, 1) for n in range(5)), fixed=False))
    assert few[3] and few[4] == "too few to judge"


def _varied(n: int, centre: int) -> CueItem:
    """A question whose options vary one of them (option `centre`: it shares a word with
    each other option, which share nothing else); the key is option 0."""
    rng = random.Random(500 + n)
    a, b, c, d, *rest = rng.sample(NOUNS, 10)
    hub = f"Repair the {a} {b} {c}"
    spokes = [f"Repair the {a} {rest[0]}", f"Inspect the {b} {rest[1]}",
              f"Label the {c} {rest[2]}"]
    options = spokes[:centre] + [hub] + spokes[centre:]
    return CueItem(f"q{n}", f"The {d} is late: what now?", tuple(options), frozenset({0}))


def test_the_option_sharing_most_with_the_others_is_keyed_as_often_as_chance_both_ways():
    fair = CuePool(tuple(_varied(n, n % 4) for n in range(24)), fixed=False)
    assert convergence_row(fair)[3], convergence_row(fair)
    always = convergence_row(CuePool(tuple(_varied(n, 0) for n in range(24)), fixed=False))
    assert not always[3] and always[1] == "24 of 24" and "keyed and most-shared: q0" in always[4]
    never = convergence_row(CuePool(tuple(_varied(n, 1 + n % 3) for n in range(24)),
                                    fixed=False))
    assert not never[3] and never[1] == "0 of 24" and "a distractor in: q0" in never[4]
    few = convergence_row(CuePool(tuple(_varied(n, 0) for n in range(5)), fixed=False))
    assert few[3] and few[4] == "too few to judge"
    assert convergence_row(pool(["problem"] * 12)) is None  # one set of candidates: no options


def test_stem_overlap_sees_a_role_title_in_the_statement():
    roles = kind("role_matching")
    entries = [Entry(f"r{n}", "roles", {"statement": text}, {"role": role, "source": "MLT roles"},
                     bank="exam")
               for n, (text, role) in enumerate([
                   ("Sets the police chain of command.", "pc"),
                   ("Leads the military component's deployment.", "fc"),
                   ("Manages the mission support budget.", "dms"),
                   ("Coordinates humanitarian partners.", "dsrsg_rchc")] * 3)]
    assert not overlap_row(roles.cues(entries, COURSE))[3]
    plain = [Entry(e.id, "roles", {"statement": "Decides who answers to whom."}, e.key,
                   bank="exam") for e in entries]
    assert overlap_row(roles.cues(plain, COURSE))[3]


def test_content_words_meet_across_plural_and_tense():
    assert stem("forces") == stem("forced") == stem("forcing") == stem("force")
    assert content_stems("The mission and its patrols") == {"mission", "patrol"}


# -- blind scenario answers -----------------------------------------------------------------

def _scenario(n: int, ranges: dict[str, tuple[int, int]], decisive: tuple[str, ...],
              situation: str = "This situation is fictional.") -> Entry:
    return Entry(f"s{n}", "scenarios", {"title": f"Case {n}", "situation": situation,
                                        "section": "1.1.2"},
                 {"at_stake": tuple(PRINCIPLES), "decisive": decisive, "ranges": ranges,
                  "rationale": {p: "Because." for p in PRINCIPLES}, "source": "1.1.2"},
                 bank="exam")


def _spread(n: int) -> Entry:
    """Keys that no blind answer fits: exact weights, a different decisive each time."""
    weights = [3, 0, 2, 0, 1, 3]
    rot = weights[n % 6:] + weights[: n % 6]
    ranges = {p: (w, w) for p, w in zip(PRINCIPLES, rot, strict=True)}
    decisive = tuple(p for p, w in zip(PRINCIPLES, rot, strict=True) if w == 3)
    return _scenario(n, ranges, decisive)


def blind(entries) -> dict[str, bool]:
    return {r[0]: r[3] for r in kind("principle_weighing").audit(entries)}


SAME = [f"blind scenario answers: weight {w} for every principle" for w in range(4)]
THEME = "blind scenario answers: the most-mentioned principle decisive, the rest 1"
FIXED = ("blind scenario answers: the best answer the same for every scenario (a profile "
         "fitted to these keys)")


@pytest.mark.slow  # brute force over every combination of weights (about 3 s)
def test_random_answers_are_scored_exactly_by_the_kinds_own_scoring():
    """The kind's chance is the mean score over every combination of weights (they score
    together, by order) and every decisive principle: checked by brute force."""
    from itertools import product

    from peaceops.exercises.model import Exercise

    weighing = kind("principle_weighing")
    entry = _spread(0)
    items = weighing.items({p: p for p in PRINCIPLES})
    exercise = Exercise("s0", weighing.name, "", "", items, "")
    key = weighing.scenario_key(entry.key)
    total = 0.0
    for combo in product("0123", repeat=6):
        for decisive in PRINCIPLES:
            answers = weighing.answers(dict(zip(PRINCIPLES, combo, strict=True)), decisive)
            total += weighing.score(exercise, key, answers).points
    assert weighing.chance(exercise, key) == pytest.approx(total / 4 ** 6 / 6)
    # every ranked pair is right by chance 6/16; the two decisive principles 2/6
    assert weighing.chance(exercise, key) == pytest.approx(2 * 6 / 16 + 2 / 6)


@pytest.mark.slow  # a synthetic bank through the whole blind audit (over 1 s)
def test_blind_answers_pass_on_spread_keys_and_fail_on_constant_weight_friendly_keys():
    assert all(blind([_spread(n) for n in range(8)]).values())
    # ranges so wide that no principle is ranked apart from another: a weight is judged by
    # its range alone, and weight 1 everywhere (consent decisive) earns every point
    friendly = [_scenario(n, {p: ((1, 3) if p == "consent" else (1, 2)) for p in PRINCIPLES},
                          ("consent",)) for n in range(8)]
    checks = blind(friendly)
    assert not checks[SAME[1]] and not checks[SAME[2]]
    assert checks[SAME[0]] and checks[SAME[3]]  # outside every range: nothing


def test_one_weight_everywhere_earns_nothing_for_the_weights():
    """The scoring's property, on every key of both banks and the practice scenarios: the
    same weight for every principle earns no weight points where the key ranks principles
    apart, whatever the weight."""
    from peaceops.content import load_course, load_keys
    from peaceops.exercises.model import Exercise

    weighing = kind("principle_weighing")
    course = load_course()
    keyed = course.with_keys(load_keys(course))
    items = weighing.items({p: p for p in PRINCIPLES})
    exercise = Exercise("s", weighing.name, "", "", items, "")
    entries = list(keyed.pools["scenarios"].values())
    assert {e.bank for e in entries} >= {"exam", "lessons", ""}
    for entry in entries:
        key = weighing.scenario_key(entry.key)
        for w in range(4):
            result = weighing.score(exercise, key, weighing.answers(
                dict.fromkeys(PRINCIPLES, w), "consent"))
            ranked = [r for r in result.items if r.item != weighing.DECISIVE
                      and any(_apart(entry.key["ranges"], r.item))]
            assert ranked and all(r.points == 0 for r in ranked), (entry.id, w)


def _apart(ranges, principle):
    low, high = ranges[principle]
    return [q for q, (lq, hq) in ranges.items() if low > hq or high < lq]


@pytest.mark.slow  # a synthetic bank through the whole blind audit (over 1 s)
def test_blind_answers_fail_when_the_theme_is_the_decisive_principle():
    theme = "Armed men fire on a patrol; weapons are seen and force is threatened."
    themed = [_scenario(n, _spread(n).key["ranges"] | {"non_use_of_force": (3, 3)},
                        ("non_use_of_force",), theme) for n in range(8)]
    assert kind("principle_weighing").most_mentioned(theme) == "non_use_of_force"
    checks = blind(themed)
    assert not checks[THEME]
    elsewhere = [_scenario(n, e.key["ranges"], e.key["decisive"], theme)
                 for n, e in enumerate(_spread(n) for n in range(8))
                 if "non_use_of_force" not in e.key["decisive"]]
    assert all(blind(elsewhere).values())


def test_a_profile_shared_by_every_key_is_reported_not_judged():
    rows = {r[0]: r for r in kind("principle_weighing").audit([_scenario(
        n, {p: (w, w) for p, w in zip(PRINCIPLES, [3, 2, 1, 0, 0, 0], strict=True)},
        ("consent",)) for n in range(6)])}
    check, value, _, ok, detail = rows[FIXED]
    assert ok and value == "100% of the maximum" and detail.startswith("reported, not judged")
    assert "consent 3, impartiality 2, non_use_of_force 1" in detail


def test_every_form_audit_runs_on_a_pool():
    rows = cue_rows(pool(BALANCED, stems=[_challenge(n, "") for n in range(20)]))
    assert len(rows) == 7 and all(r[3] for r in rows), rows
    assert cue_rows(None) == [] and cue_rows(pool(BALANCED[:2])) == []


@pytest.fixture(scope="module")
def real_pools():
    from peaceops.content import CourseDir

    course_dir = CourseDir.resolve(ROOT)
    return course_dir.content(), course_dir.keys()


def _blind_findings(course, keys) -> dict[tuple[str, str], object]:
    from peaceops.bank.audit import audit

    return {(f.bank, f.check): f for f in audit(course, keys, meaning=False).findings
            if f.pool == "scenarios" and f.check.startswith("blind scenario answers")}


@pytest.mark.slow  # the audit over every bank (about 4 s); the full run includes it
def test_the_bank_audit_checks_blind_scenario_answers_in_every_bank_and_fails_a_doctored_one(
        real_pools):
    """Both directions on the real pools: the exam bank, the lesson bank and the practice
    scenarios pass every blind check (weight 0-3 everywhere, the theme) within chance + 5
    points; one exam scenario doctored so that its ranges rank no principle apart (every
    weight 1-2, the decisive 1-3) lets weight 1 everywhere earn all of it, and the exam
    fails, naming the scenario."""
    import copy

    course, keys = real_pools
    found = _blind_findings(course, keys)
    for bank in ("exam", "lessons", "practice"):
        for check in [*SAME, THEME]:
            finding = found[(bank, check)]
            assert finding.status == "ok" and "+ 5 points" in finding.limit, finding
        assert found[(bank, FIXED)].status == "ok"  # reported, not judged
    doctored = copy.deepcopy(keys)
    scenario = next(i for i in doctored["scenarios"] if i.startswith("x-scn-"))
    top = doctored["scenarios"][scenario]["decisive"][0]
    doctored["scenarios"][scenario]["ranges"] = {p: (1, 3) if p == top else (1, 2)
                                                 for p in PRINCIPLES}
    doctored["scenarios"][scenario]["decisive"] = (top,)
    failed = _blind_findings(course, doctored)[("exam", SAME[1])]
    assert failed.status == "FAIL" and scenario in failed.detail, failed


# -- grammar: the option alone in its tense, mood or negation ------------------------------

#: The exam item the French translator found (x-q-6f319c before its fix): the key
#: was the one option in the present tense among options in the past.
RETURNED = ("They returned because the rulings were weak, so firmer early rulings would settle them",
            "They returned because they were technical matters, so specialists would settle them",
            "They returned because they are lasting tensions, so shared attention would manage them",
            "They returned because the consultation was narrow, so wider talks would manage them")


def _grammar(n: int, options: tuple[str, ...], key: int) -> CueItem:
    return CueItem(f"q{n}", f"Question {n}?", options, frozenset({key}))


def test_grammar_signatures_read_tense_mood_and_negation():
    assert signature("They were technical matters") == (frozenset({"past"}), False)
    assert signature("They returned to the table")[0] == {"past"}
    assert signature("They are lasting tensions")[0] == {"present"}
    assert signature("So that the team would settle it")[0] == {"conditional"}
    assert signature("The policy must be enforced")[0] == {"future or obligation"}
    assert signature("Do not settle it")[1] and signature("It isn't settled")[1]
    assert signature("Settle it with the ministry") == (frozenset(), False)


def test_grammar_fails_a_key_alone_in_its_tense_and_passes_it_in_step():
    cued = _grammar(0, RETURNED, 2)
    assert odd_one_out(cued) == 2
    pool_rows = grammar_rows(CuePool((cued,), fixed=False, ordered=False))
    assert not ok(pool_rows, "no key stands alone") and "q0" in pool_rows[1][4]
    fixed = _grammar(0, tuple(o.replace("they are", "they were") for o in RETURNED), 2)
    assert odd_one_out(fixed) is None
    assert ok(grammar_rows(CuePool((fixed,), fixed=False, ordered=False)), "no key stands alone")
    distractor = _grammar(0, RETURNED, 0)  # the odd one out is a distractor: no single give-away
    assert ok(grammar_rows(CuePool((distractor,), fixed=False, ordered=False)),
              "no key stands alone")
    assert grammar_rows(pool(["problem"] * 12)) == []  # one set of candidates: no options


def test_grammar_pool_check_fails_an_odd_one_out_always_or_never_keyed():
    def pool_of(keys: list[int]) -> CuePool:
        return CuePool(tuple(_grammar(n, RETURNED, k) for n, k in enumerate(keys)),
                       fixed=False, ordered=False)

    fair = pool_of([2 if n % 4 == 0 else (n % 3 if n % 3 != 2 else 3) for n in range(24)])
    assert ok(grammar_rows(fair), "the option alone in its tense")
    always = grammar_rows(pool_of([2] * 24))
    assert not ok(always, "the option alone in its tense") and always[0][1] == "24 of 24"
    never = grammar_rows(pool_of([0, 1, 3] * 8))
    assert not ok(never, "the option alone in its tense") and "a distractor in: q0" in never[0][4]
    assert ok(grammar_rows(pool_of([0] * 5)), "the option alone in its tense")  # too few


def test_the_audit_runs_the_grammar_checks_on_every_bank_with_options():
    from peaceops.bank.audit import audit
    from peaceops.content import load_keys

    found = audit(COURSE, load_keys(COURSE), meaning=False).findings
    rows = {(f.bank, f.check): f for f in found if "tense, mood" in f.check}
    assert {bank for bank, _ in rows} == {"lessons", "exam", "practice"}
    assert all(f.ok for (bank, _), f in rows.items() if bank == "exam")


# -- connotation: loaded words that make an answer look right or wrong -----------------------

#: The exam item the key reviewer found (x-pol-6f8ab7 before its fix): "patchwork" marks the
#: wrong pole of a problem as bad, so a reader who knows nothing guesses "problem".
PATCHWORK = ("Whether to frame the mission's rights work with results in one strategy, or to draw "
             "them from a patchwork of component and section plans")
NEUTRAL = ("Whether to frame the mission's rights work with results in one strategy, or to draw "
           "them from the plans of each component and section")


def test_loaded_words_are_found_whole_with_their_direction_in_both_languages():
    assert loaded(PATCHWORK) == ["-patchwork"] and loaded(NEUTRAL) == []
    assert loaded("Merely note it, then act judiciously") == ["-merely", "+judiciously"]
    assert loaded("A RUBBER-STAMP board") == ["-rubber-stamp"]
    assert loaded("Blindness is a disability; she blinds nobody") == []  # whole words only
    assert loaded("Les plans, rafistolés au coup par coup") == ["-rafistolés", "-au coup par coup"]
    assert loaded("Une décision sensée et judicieuse") == ["+sensée", "+judicieuse"]


def test_connotation_fails_a_loaded_pole_or_option_and_passes_its_neutral_wording():
    sorting = pool(["problem", "polarity", "problem"], stems=[PATCHWORK, NEUTRAL, NEUTRAL])
    row = connotation_row(sorting)
    assert not row[3] and row[1] == "1 of 3 items" and row[4] == "item-00: -patchwork"
    assert connotation_row(pool(["problem"] * 3, stems=[NEUTRAL] * 3))[3]
    options = ("Ask the ministry first", "Merely ask the ministry", "Ask the donors first",
               "Ask the governor first")
    for key in (0, 1):  # a loaded distractor gives the key away; a loaded key is no better
        item = CueItem("q0", "What should the team do?", options, frozenset({key}))
        row = connotation_row(CuePool((item,) * 3, fixed=False, ordered=False))
        assert not row[3] and "-merely" in row[4]
    plain = CueItem("q0", "Merely a question?", options[:1] + options[2:] + ("Ask nobody",),
                    frozenset({0}))
    assert connotation_row(CuePool((plain,) * 3, fixed=False, ordered=False))[3]  # stems of
    # questions are stories: only the options are read
    story = CuePool(pool(["problem"] * 3, stems=[PATCHWORK] * 3).items, fixed=True, story=True)
    assert connotation_row(story) is None


def test_the_audit_runs_the_connotation_check_on_every_bank_and_every_pool_passes():
    from peaceops.bank.audit import audit
    from peaceops.content import load_keys

    found = audit(COURSE, load_keys(COURSE), meaning=False).findings
    rows = {(f.bank, f.pool): f for f in found if f.check.startswith("no option or pole")}
    assert {bank for bank, _ in rows} == {"lessons", "exam", "practice"}
    assert {pool for _, pool in rows} == {"roles", "polarities", "questions"}
    assert all(f.status == "ok" for f in rows.values()), [f for f in rows.values() if not f.ok]
