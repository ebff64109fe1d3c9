"""The bank audit passes on the course's banks and fails on each cue, shown on doctored items."""

from __future__ import annotations

import pytest

from peaceops.bank.audit import audit
from peaceops.cli import main
from peaceops.content import Entry, load_course, load_keys
from peaceops.exercises import kind
from peaceops.exercises.findings import chi2_sf, class_words, uniform_positions
from tests.conftest import ROOT


@pytest.mark.slow
def test_the_course_banks_pass_every_check(capsys, embedding_model):
    course = load_course()
    result = audit(course, load_keys(course))
    assert result.findings and not result.failures, "\n".join(result.lines())
    assert {f.bank for f in result.findings} == {"lessons", "exam", "practice"}
    assert [f for f in result.findings if f.check.startswith("near-duplicates by meaning")]
    assert main(["bank", "audit", "--course", str(ROOT)]) == 0
    assert "Every check passed" in capsys.readouterr().out


@pytest.mark.parametrize(("x", "df", "p"), [(3.841, 1, 0.05), (7.815, 3, 0.05),
                                            (11.345, 3, 0.01), (0.0, 3, 1.0), (2.366, 3, 0.5)])
def test_chi_square_tail_matches_the_tables(x, df, p):
    assert chi2_sf(x, df) == pytest.approx(p, abs=2e-3)


def _question(n: int, options: list[str], correct: list[str], multiple=False) -> Entry:
    return Entry(f"q{n}", "questions", {"prompt": f"Question {n}?", "options": tuple(options),
                                        "multiple": multiple},
                 {"correct": tuple(correct), "explanation": "", "source": "1.1.1"}, bank="exam")


def _checks(entries) -> dict[str, bool]:
    return {check: ok for check, _, _, ok, _ in kind("quiz").audit(entries)}


def test_keys_always_first_fail_the_uniformity_test():
    entries = [_question(n, ["Right answer", "Wrong one", "Wrong two", "Wrong three"],
                         ["Right answer"]) for n in range(20)]
    checks = _checks(entries)
    assert not checks["single-choice key position uniform (chi-square p)"]
    assert uniform_positions([(0, 4)] * 20)[1] < 0.001
    assert uniform_positions([(n % 4, 4) for n in range(20)])[1] == pytest.approx(1.0)


def test_long_keys_few_options_and_all_of_the_above_fail():
    longest = [_question(n, ["The long and careful correct answer", "No", "Nope", "Never"],
                         ["The long and careful correct answer"]) for n in range(5)]
    assert not _checks(longest)["single-choice key is the longest option"]
    few = [_question(1, ["Yes", "No", "Maybe"], ["Yes"])]
    assert not _checks(few)["single-choice questions with fewer than 4 options"]
    above = [_question(1, ["A", "B", "C", "All of the above"], ["All of the above"])]
    assert not _checks(above)['"all/none of the above" options']
    first = [_question(n, ["A", "B", "C", "D"], ["A", "C"], multiple=True) for n in range(3)]
    assert not _checks(first)["select-all items whose first option is correct"]


def test_a_word_only_one_class_uses_fails():
    def polarity(n, text, k):
        return Entry(f"p{n}", "polarities", {"challenge": text},
                     {"kind": k, "explanation": "", "source": "Polarities"}, bank="exam")

    entries = [polarity(1, "Speed while quality", "polarity"),
               polarity(2, "Autonomy while control", "polarity"),
               polarity(3, "Fix the broken radio", "problem"),
               polarity(4, "Book the flights", "problem")]
    ((check, value, _, ok, detail),) = kind("polarity_sorting").audit(entries)
    assert not ok and "while" in detail
    assert class_words({"a": ["x y", "x z"], "b": ["y", "z"]}) == {"a": {"x"}}
