"""The pure statistics against hand-computed values."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from peaceops.report import stats

NAN = float("nan")


def item_rows(matrix: dict[str, list[float]], assignment: str = "a", kind: str = "quiz",
              exercise: str = "ex") -> pd.DataFrame:
    """Long item rows from {student: [points per item, NaN: not drawn]}."""
    rows = []
    for student, points in matrix.items():
        for n, p in enumerate(points, start=1):
            if not math.isnan(p):
                rows.append({"student": student, "assignment": assignment, "exercise": exercise,
                             "kind": kind, "item": f"i{n}", "points": p, "max_points": 1,
                             "status": "correct" if p else "incorrect", "answer": '"x"',
                             "accepted": '["x"]'})
    return pd.DataFrame(rows)


TINY = {"A": [1, 1, 1], "B": [1, 0, 1], "C": [0, 1, 0], "D": [0, 0, 0], "E": [NAN, 1, 1]}


def test_corrected_item_total_on_a_tiny_matrix_by_hand():
    matrix = stats.item_matrix(item_rows(TINY), "a")
    got = stats.corrected_item_total(matrix)
    # i1 over A-D: x = 1 1 0 0, rest = 2 1 1 0 -> r = 1/sqrt(1*2)
    assert got.loc["i1", "n"] == 4
    assert got.loc["i1", "discrimination"] == pytest.approx(1 / math.sqrt(2))
    # i2: x = 1 0 1 0 1, rest = 2 2 0 0 1 -> the cross-products cancel: r = 0
    assert got.loc["i2", "discrimination"] == pytest.approx(0.0, abs=1e-12)
    # i3: x = 1 1 0 0 1, rest = 2 1 1 0 1 -> 1 / sqrt(1.2 * 2)
    assert got.loc["i3", "n"] == 5
    assert got.loc["i3", "discrimination"] == pytest.approx(1 / math.sqrt(2.4))


def test_corrected_item_total_is_nan_without_variance_or_learners():
    matrix = pd.DataFrame({"same": [1.0, 1.0, 1.0], "one": [1.0, NAN, NAN],
                           "varies": [1.0, 0.0, 1.0]})
    got = stats.corrected_item_total(matrix)
    assert math.isnan(got.loc["same", "discrimination"])  # every learner got it right
    assert got.loc["one", "n"] == 1 and math.isnan(got.loc["one", "discrimination"])


def test_item_statistics_facility_and_n():
    got = stats.item_statistics(item_rows(TINY)).set_index("item")
    assert got.loc["i1", "facility"] == pytest.approx(2 / 4)
    assert got.loc["i2", "facility"] == pytest.approx(3 / 5)
    assert got.loc["i3", "facility"] == pytest.approx(3 / 5)
    assert list(got["n"]) == [4, 5, 5]
    assert got.loc["i1", "discrimination"] == pytest.approx(1 / math.sqrt(2))


def test_facility_uses_the_item_maximum():
    rows = item_rows({"A": [2, 0], "B": [1, 1], "C": [0, 0]})
    rows["max_points"] = 2
    got = stats.item_statistics(rows).set_index("item")
    assert got.loc["i1", "facility"] == pytest.approx(3 / 6)
    assert got.loc["i1", "mean_points"] == pytest.approx(1.0)


def test_submissions_with_nothing_scorable_are_left_out_of_item_statistics():
    rows = item_rows(TINY)
    blank = rows[rows["student"] == "A"].assign(student="Z", points=0, status="unanswered")
    got = stats.item_statistics(pd.concat([rows, blank])).set_index("item")
    assert got.loc["i1", "n"] == 4


def alpha_by_formula(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_cronbach_alpha_known_values():
    # identical parts: alpha 1; uncorrelated parts of equal variance: alpha 0
    assert stats.cronbach_alpha(np.array([[1, 1], [0, 0], [2, 2]])) == pytest.approx(1.0)
    assert stats.cronbach_alpha(np.array([[1, 0], [0, 1], [1, 1], [0, 0]])) == pytest.approx(0.0)
    # 5 learners, 3 parts; by hand: part variances 2.5, 1.3, 1.3; totals 5 8 10 12 15 have
    # variance 58/4 = 14.5; alpha = 3/2 * (1 - 5.1/14.5)
    x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 4], [5, 5, 5]], dtype=float)
    assert stats.cronbach_alpha(x) == pytest.approx(1.5 * (1 - 5.1 / 14.5))
    assert stats.cronbach_alpha(x) == pytest.approx(0.97241, abs=1e-5)


def test_cronbach_alpha_matches_the_numpy_formula_and_drops_incomplete_rows():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, size=(40, 6)).astype(float) + rng.normal(size=(40, 1))
    assert stats.cronbach_alpha(x) == pytest.approx(alpha_by_formula(x))
    with_gap = np.vstack([x, [[NAN, 1, 1, 1, 1, 1]]])
    assert stats.cronbach_alpha(pd.DataFrame(with_gap)) == pytest.approx(alpha_by_formula(x))


def test_cronbach_alpha_is_nan_when_undefined():
    assert math.isnan(stats.cronbach_alpha(np.ones((5, 1))))  # one part
    assert math.isnan(stats.cronbach_alpha(np.array([[1.0, 2.0]])))  # one learner
    assert math.isnan(stats.cronbach_alpha(np.ones((4, 3))))  # no variance
    with pytest.raises(ValueError, match="two-dimensional"):
        stats.cronbach_alpha(np.ones(4))


def test_alpha_by_exercise_and_by_item():
    rows = pd.concat([item_rows({"A": [1, 1], "B": [0, 1], "C": [0, 0], "D": [1, 1]},
                                exercise="e1"),
                      item_rows({"A": [1, NAN], "B": [NAN, 0], "C": [0, NAN], "D": [NAN, 1]},
                                exercise="e2").assign(item=lambda f: "j" + f["item"])])
    alpha, k, n = stats.alpha_by_exercise(rows, "a")
    parts = np.array([[2, 1], [1, 0], [0, 0], [2, 1]], dtype=float)
    assert (k, n) == (2, 4) and alpha == pytest.approx(alpha_by_formula(parts))
    alpha_i, k_i, n_i = stats.alpha_by_item(rows, "a")  # only i1, i2 were given to everyone
    items = np.array([[1, 1], [0, 1], [0, 0], [1, 1]], dtype=float)
    assert (k_i, n_i) == (2, 4) and alpha_i == pytest.approx(alpha_by_formula(items))


def submissions(scores: list[float], top: float = 10.0, assignment: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"student": [f"s{i}" for i in range(len(scores))],
                         "assignment": assignment, "score": scores, "max_score": top,
                         "timestamp": "", "needs_manual_grade": False,
                         "flagged": [i == 0 for i in range(len(scores))], "flags": ""})


def test_scores_and_pass_rate_at_the_boundary():
    table = stats.scores(submissions([7.5, 7.4, 10, 0]), 75)
    assert list(table["passed"]) == [True, False, True, False]
    assert list(table["percent"]) == [75.0, 74.0, 100.0, 0.0]
    summary = stats.assignment_summary(submissions([7.5, 7.4, 10, 0]), item_rows(TINY), 75,
                                       titles={"a": "Alpha"}, certification=["a"])
    row = summary.iloc[0]
    assert (row["title"], row["n_submissions"], row["n_flagged"], row["n_passed"]) == (
        "Alpha", 4, 1, 2)
    assert row["pass_rate"] == 0.5 and row["mean"] == pytest.approx(6.225)
    assert row["median"] == pytest.approx(7.45) and bool(row["certification"])
    assert list(summary.columns) == stats.ASSIGNMENT_COLUMNS


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="pass mark"):
        stats.scores(submissions([1]), 0)
    with pytest.raises(ValueError, match="pass mark"):
        stats.scores(submissions([1]), 120)
    with pytest.raises(ValueError, match="lacks column.*max_score"):
        stats.scores(submissions([1]).drop(columns="max_score"))
    with pytest.raises(ValueError, match="lacks column.*status"):
        stats.item_statistics(item_rows(TINY).drop(columns="status"))
    rows = item_rows(TINY)
    with pytest.raises(ValueError, match="non-numeric points for item 'i1'"):
        stats.item_statistics(rows.assign(points=["x"] + list(rows["points"][1:])))
    with pytest.raises(ValueError, match="appears twice"):
        stats.item_statistics(pd.concat([rows, rows.iloc[[0]]]))


def test_flag_items_thresholds():
    table = pd.DataFrame({
        "item": ["easy", "hard", "flat", "keyed-wrong", "few", "fine", "tiny"],
        "n": [40, 40, 40, 40, 9, 40, 2],
        "facility": [0.95, 0.25, 0.6, 0.5, 0.5, 0.6, 1.0],
        "discrimination": [0.3, 0.3, 0.1, -0.3, -0.5, 0.4, NAN],
    })
    got = stats.flag_items(table).set_index("item")
    assert got["too_easy"].to_dict() == {**dict.fromkeys(got.index, False), "easy": True}
    assert got["too_hard"].to_dict() == {**dict.fromkeys(got.index, False), "hard": True}
    assert set(got.index[got["not_discriminating"]]) == {"flat", "keyed-wrong"}
    assert set(got.index[got["check_key"]]) == {"keyed-wrong"}
    assert "check the key" in got.loc["keyed-wrong", "flags"]
    assert got.loc["few", "flags"] == "" and got.loc["fine", "flags"] == ""
    assert got.loc["tiny", "flags"] == ""  # facility 1.0 on two learners says nothing yet
    strict = stats.flag_items(table, too_easy=0.55, min_n=5).set_index("item")
    assert strict.loc["fine", "too_easy"] and strict.loc["few", "check_key"]


def role_rows(picks: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Role-matching rows from (item, keyed role, picked role)."""
    return pd.DataFrame([{
        "student": f"s{n}", "assignment": "a", "exercise": "roles", "kind": "role_matching",
        "item": item, "points": int(key == pick), "max_points": 1,
        "status": "correct" if key == pick else "incorrect", "answer": json.dumps(pick),
        "accepted": json.dumps([key])} for n, (item, key, pick) in enumerate(picks)])


def test_the_kind_class_says_whose_wrong_picks_are_tabulated(monkeypatch):
    """No kind's name in the report: role matching's class asks for the table; a kind whose
    class does not is left out, until its class asks too."""
    from peaceops.exercises.kinds import PolaritySorting

    assert stats.tabulated_kinds() == ["role_matching"]
    sorting = role_rows([("p1", "pole_a", "pole_b")]).assign(kind="polarity_sorting")
    assert stats.role_answers(sorting).empty
    monkeypatch.setattr(PolaritySorting, "tabulates_wrong_picks", True)
    assert list(stats.role_answers(sorting)["picked_role"]) == ["pole_b"]


def test_wrong_roles_and_confusion():
    rows = role_rows([("r1", "fc", "pc"), ("r1", "fc", "pc"), ("r1", "fc", "fc"),
                      ("r1", "fc", "hom"), ("r2", "cos", "dms"), ("r2", "cos", "cos")])
    unanswered = role_rows([("r1", "fc", "fc")]).assign(status="unanswered", answer="null",
                                                         points=0)
    quiz = role_rows([("q1", "x", "y")]).assign(kind="quiz")
    got = stats.wrong_roles(pd.concat([rows, unanswered, quiz]),
                            {"fc": "Force Commander", "pc": "Police Commissioner"},
                            {"r1": "Commands the military component."})
    assert list(got.columns) == stats.WRONG_ROLE_COLUMNS
    top = got.iloc[0]
    assert (top["item"], top["keyed_role"], top["picked_role"], top["count"]) == (
        "r1", "fc", "pc", 2)
    assert (top["keyed_role_name"], top["picked_role_name"]) == (
        "Force Commander", "Police Commissioner")
    assert top["statement"] == "Commands the military component."
    assert top["n_answered"] == 4 and top["share"] == pytest.approx(0.5)
    assert len(got) == 3 and got["count"].sum() == 4
    confusion = stats.role_confusion(rows, ["hom", "fc", "pc", "cos", "dms", "dsrsg_pol"])
    assert list(confusion.index) == list(confusion.columns)
    assert confusion.loc["fc", "pc"] == 2 and confusion.loc["fc", "fc"] == 1
    assert confusion.loc["cos", "dms"] == 1 and confusion.loc["dsrsg_pol"].sum() == 0
    assert confusion.to_numpy().sum() == len(rows)


def test_wrong_roles_of_no_role_answers_is_empty():
    assert stats.wrong_roles(item_rows(TINY)).empty
    assert stats.role_confusion(item_rows(TINY)).empty


def test_alpha_is_not_reported_for_too_few_learners(tmp_path):
    """Two learners once gave alpha = −8.00; the report now says there are too few."""
    from peaceops.report import build_report
    from tests.factories.cohort import cohort

    results = cohort(n=2, seed=1)
    build_report(results, tmp_path)
    page = (tmp_path / "report.html").read_text()
    assert "too few learners for alpha" in page
    frame = pd.read_csv(tmp_path / "assignments.csv")
    assert frame["alpha_exercises"].isna().all()
