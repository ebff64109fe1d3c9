"""Pure cohort statistics on the tidy tables of `Results`: no I/O, no plotting.

Conventions: an item's *facility* is its mean points over its maximum; its *discrimination*
is the corrected item-total correlation (Pearson r between the item's points and the
learner's auto-graded assignment total minus that item) over the learners who got the item.
Cronbach's alpha is k/(k-1)·(1 − Σ var(part)/var(total)) with sample variances (ddof 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

#: Item flags (see `flag_items`).
TOO_EASY = 0.90  # facility above this: too easy
TOO_HARD = 0.30  # facility below this: too hard
LOW_DISCRIMINATION = 0.20  # discrimination below this: not discriminating
MIN_N_DISCRIMINATION = 10  # discrimination is judged only on at least this many learners
MIN_N_FACILITY = 5  # facility is judged only on at least this many learners

SCORE_COLUMNS = ["student", "assignment", "score", "max_score", "percent", "passed",
                 "needs_manual_grade", "flagged", "flags", "timestamp"]
ASSIGNMENT_COLUMNS = ["assignment", "title", "certification", "n_submissions", "n_flagged",
                      "max_score", "mean", "median", "sd", "min", "max", "mean_percent",
                      "n_passed", "pass_rate", "alpha_exercises", "k_exercises", "n_alpha",
                      "alpha_items", "k_items", "n_alpha_items"]
ITEM_COLUMNS = ["assignment", "exercise", "kind", "item", "n", "mean_points", "max_points",
                "facility", "discrimination", "too_easy", "too_hard", "not_discriminating",
                "check_key", "flags"]
WRONG_ROLE_COLUMNS = ["item", "statement", "keyed_role", "keyed_role_name", "picked_role",
                      "picked_role_name", "count", "n_answered", "share"]

_SCORABLE = {"correct", "incorrect"}


def require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise a clear ValueError when `frame` lacks any of `columns`."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the {name} table lacks column(s) {', '.join(missing)}")


def _check_percent(pass_percent: float) -> None:
    if not 0 < pass_percent <= 100:
        raise ValueError(f"the pass mark must be a percentage in (0, 100], got {pass_percent}")


# --- scores -------------------------------------------------------------------------------


def scores(submissions: pd.DataFrame, pass_percent: float = 75.0) -> pd.DataFrame:
    """One row per submission with its percentage and whether it reaches `pass_percent`."""
    _check_percent(pass_percent)
    require(submissions, ["student", "assignment", "score", "max_score"], "submissions")
    out = submissions.copy()
    for column, default in (("needs_manual_grade", False), ("flagged", False), ("flags", ""),
                            ("timestamp", "")):
        if column not in out:
            out[column] = default
    score = pd.to_numeric(out["score"], errors="raise").astype(float)
    top = pd.to_numeric(out["max_score"], errors="raise").astype(float)
    out["score"], out["max_score"] = score, top
    out["percent"] = (100 * score / top.where(top > 0)).round(6)
    out["passed"] = out["percent"] >= pass_percent
    return out[SCORE_COLUMNS].sort_values(["assignment", "student"], ignore_index=True)


def cronbach_alpha(parts: pd.DataFrame | np.ndarray) -> float:
    """Cronbach's alpha of a learners × parts matrix; rows with a missing part are dropped.

    NaN when there are fewer than two parts or two complete rows, or the total has no
    variance."""
    matrix = np.asarray(parts, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("Cronbach's alpha needs a two-dimensional learners × parts matrix")
    matrix = matrix[~np.isnan(matrix).any(axis=1)]
    n, k = matrix.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = matrix.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_var))


def scorable(items: pd.DataFrame) -> pd.DataFrame:
    """The item rows of submissions with at least one scorable (correct or incorrect) answer:
    a submission with nothing to score (e.g. no answers file) says nothing about the items."""
    require(items, ["student", "assignment", "item", "points", "max_points", "status"], "items")
    answered = items["status"].isin(_SCORABLE).groupby(
        [items["student"], items["assignment"]]).transform("any")
    out = items[answered.astype(bool)].copy()
    for column in ("points", "max_points"):
        values = pd.to_numeric(out[column], errors="coerce")
        if values.isna().any():
            raise ValueError(f"the items table has a non-numeric {column} for item "
                             f"'{out.loc[values.isna(), 'item'].iloc[0]}'")
        out[column] = values.astype(float)
    dup = out.duplicated(["student", "assignment", "item"])
    if dup.any():
        row = out[dup].iloc[0]
        raise ValueError(f"item '{row['item']}' appears twice for learner '{row['student']}' in "
                         f"assignment '{row['assignment']}'")
    return out


def item_matrix(items: pd.DataFrame, assignment: str) -> pd.DataFrame:
    """Learners × items points of one assignment; NaN where a learner did not get the item."""
    rows = items[items["assignment"] == assignment]
    matrix = rows.pivot(index="student", columns="item", values="points")
    return matrix.astype(float).sort_index(axis=0).sort_index(axis=1)


def exercise_matrix(items: pd.DataFrame, assignment: str) -> pd.DataFrame:
    """Learners × exercises points (sum over each learner's drawn items) of one assignment."""
    rows = items[items["assignment"] == assignment]
    sums = rows.groupby(["student", "exercise"])["points"].sum().astype(float)
    return sums.unstack("exercise").sort_index(axis=0).sort_index(axis=1)


def corrected_item_total(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per item (column) of a learners × items points matrix (NaN: not drawn): n (learners
    who got it) and discrimination, the Pearson r between the item and the learner's total
    minus that item. NaN when n < 2 or either side has no variance."""
    values = matrix.to_numpy(dtype=float)
    totals = matrix.sum(axis=1, skipna=True).to_numpy(dtype=float)
    out = {}
    for j, item in enumerate(matrix.columns):  # on arrays: a cohort has 100s of items
        column = values[:, j]
        got = ~np.isnan(column)
        x = column[got]
        rest = totals[got] - x
        r = float("nan")
        if len(x) >= 2 and x.std(ddof=0) > 0 and rest.std(ddof=0) > 0:
            r = float(np.corrcoef(x, rest)[0, 1])
        out[item] = {"n": len(x), "discrimination": r}
    return pd.DataFrame.from_dict(out, orient="index", columns=["n", "discrimination"])


def item_statistics(items: pd.DataFrame, *, scored: pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """Per (assignment, item): n, mean points, max points, facility and discrimination
    (unflagged; see `flag_items`). `scored`: `scorable(items)`, when the caller has it."""
    items = scorable(items) if scored is None else scored
    require(items, ["exercise", "kind"], "items")
    frames = []
    for assignment, rows in items.groupby("assignment", sort=True):  # one pass, not a filter each
        grouped = rows.groupby("item")
        stats = pd.DataFrame({
            "assignment": assignment,
            "exercise": grouped["exercise"].first(),
            "kind": grouped["kind"].first(),
            "mean_points": grouped["points"].mean().astype(float),
            "max_points": grouped["max_points"].mean().astype(float),
            "facility": (grouped["points"].sum() / grouped["max_points"].sum()).astype(float),
        })
        stats = stats.join(corrected_item_total(item_matrix(rows, assignment)))
        frames.append(stats.rename_axis("item").reset_index())
    columns = ["assignment", "exercise", "kind", "item", "n", "mean_points", "max_points",
               "facility", "discrimination"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    out["n"] = out["n"].astype(int)
    return out.sort_values(["assignment", "exercise", "item"], ignore_index=True)


def flag_items(
    stats: pd.DataFrame,
    too_easy: float = TOO_EASY,
    too_hard: float = TOO_HARD,
    low_discrimination: float = LOW_DISCRIMINATION,
    min_n: int = MIN_N_DISCRIMINATION,
    min_n_facility: int = MIN_N_FACILITY,
) -> pd.DataFrame:
    """Add the flag columns (too_easy, too_hard, not_discriminating, check_key) and `flags`,
    a readable "; "-joined list. Facility is judged only when n ≥ `min_n_facility`,
    discrimination only when n ≥ `min_n`; a negative discrimination means the strong
    learners miss the item: check the key."""
    require(stats, ["n", "facility", "discrimination"], "item statistics")
    out = stats.copy()
    judged = (out["n"] >= min_n) & out["discrimination"].notna()
    enough = out["n"] >= min_n_facility
    out["too_easy"] = enough & (out["facility"] > too_easy)
    out["too_hard"] = enough & (out["facility"] < too_hard)
    out["not_discriminating"] = judged & (out["discrimination"] < low_discrimination)
    out["check_key"] = judged & (out["discrimination"] < 0)

    def reasons(row: pd.Series) -> str:
        found = []
        if row["too_easy"]:
            found.append(f"too easy (facility {row['facility']:.3f} > {too_easy:.2f})")
        if row["too_hard"]:
            found.append(f"too hard (facility {row['facility']:.3f} < {too_hard:.2f})")
        if row["check_key"]:
            found.append(f"negative discrimination ({row['discrimination']:.3f}): check the key")
        elif row["not_discriminating"]:
            found.append(f"not discriminating ({row['discrimination']:.3f} < "
                         f"{low_discrimination:.2f})")
        return "; ".join(found)

    out["flags"] = out.apply(reasons, axis=1) if len(out) else pd.Series(dtype=str)
    for column in ("too_easy", "too_hard", "not_discriminating", "check_key"):
        out[column] = out[column].astype(bool)
    return out


# --- per assignment -------------------------------------------------------------------------


#: Fewer learners than this give no alpha: with 2 learners it can read −8.
MIN_ALPHA_LEARNERS = 10


def alpha_by_exercise(items: pd.DataFrame, assignment: str) -> tuple[float, int, int]:
    """Cronbach's alpha over an assignment's exercises as parts (each learner has every
    exercise, whatever items were drawn): (alpha, k parts, n learners)."""
    return _alpha_by_exercise(scorable(items), assignment)


def _alpha_by_exercise(scored: pd.DataFrame, assignment: str) -> tuple[float, int, int]:
    parts = exercise_matrix(scored, assignment).dropna()
    return cronbach_alpha(parts), parts.shape[1], parts.shape[0]


def alpha_by_item(items: pd.DataFrame, assignment: str) -> tuple[float, int, int]:
    """Cronbach's alpha over the items every learner of the assignment got (a complete
    learners × items matrix): (alpha, k items, n learners); NaN when fewer than two such."""
    return _alpha_by_item(scorable(items), assignment)


def _alpha_by_item(scored: pd.DataFrame, assignment: str) -> tuple[float, int, int]:
    matrix = item_matrix(scored, assignment)
    complete = matrix.loc[:, matrix.notna().all(axis=0)]
    return cronbach_alpha(complete), complete.shape[1], complete.shape[0]


def assignment_summary(
    submissions: pd.DataFrame,
    items: pd.DataFrame,
    pass_percent: float = 75.0,
    titles: Mapping[str, str] | None = None,
    certification: Iterable[str] = (),
    *,
    scored: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per assignment: submissions, flagged, score mean/median/sd/range, pass rate and
    Cronbach's alpha (by exercise, and by item where a complete matrix exists).
    `scored`: `scorable(items)`, when the caller has it."""
    table = scores(submissions, pass_percent)
    titles, certification = dict(titles or {}), set(certification)
    if scored is None:
        scored = scorable(items)  # once, not twice per assignment
    by_assignment = dict(tuple(scored.groupby("assignment", sort=False)))
    rows = []
    for assignment, group in table.groupby("assignment", sort=True):
        score = group["score"]
        mine = by_assignment.get(assignment, scored.iloc[0:0])
        alpha, k, n_alpha = _alpha_by_exercise(mine, assignment)
        alpha_i, k_i, n_alpha_i = _alpha_by_item(mine, assignment)
        if n_alpha < MIN_ALPHA_LEARNERS:  # the report says "too few learners" instead
            alpha = float("nan")
        if n_alpha_i < MIN_ALPHA_LEARNERS:
            alpha_i = float("nan")
        rows.append({
            "assignment": assignment,
            "title": titles.get(assignment, assignment),
            "certification": assignment in certification,
            "n_submissions": len(group),
            "n_flagged": int(group["flagged"].astype(bool).sum()),
            "max_score": float(group["max_score"].max()),
            "mean": float(score.mean()),
            "median": float(score.median()),
            "sd": float(score.std(ddof=1)) if len(group) > 1 else float("nan"),
            "min": float(score.min()),
            "max": float(score.max()),
            "mean_percent": float(group["percent"].mean()),
            "n_passed": int(group["passed"].sum()),
            "pass_rate": float(group["passed"].mean()),
            "alpha_exercises": alpha, "k_exercises": k, "n_alpha": n_alpha,
            "alpha_items": alpha_i, "k_items": k_i, "n_alpha_items": n_alpha_i,
        })
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


# --- role matching ------------------------------------------------------------------------


def _decode(text: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def tabulated_kinds() -> list[str]:
    """The exercise kinds whose wrong picks the report tabulates: each kind's class says so
    (`Kind.tabulates_wrong_picks`), no kind is named here."""
    from ..exercises.kinds import KINDS

    return sorted(name for name, k in KINDS.items() if getattr(k, "tabulates_wrong_picks", False))


def role_answers(items: pd.DataFrame) -> pd.DataFrame:
    """The scorable answers of the kinds whose wrong picks are tabulated (`tabulated_kinds`:
    role matching): item, keyed_role, picked_role, correct."""
    require(items, ["kind", "item", "status", "answer", "accepted"], "items")
    rows = items[items["kind"].isin(tabulated_kinds()) & items["status"].isin(_SCORABLE)]
    decoded: dict = {}  # a cohort gives the same few answers: decode each text once

    def decode(text):
        try:
            return decoded[text]
        except KeyError:
            value = decoded[text] = _decode(text)
            return value
        except TypeError:  # not hashable (not text): not JSON either
            return _decode(text)

    out = []
    for item, status, answer, accepted in zip(*(rows[c].tolist() for c in (
            "item", "status", "answer", "accepted")), strict=True):
        picked, keyed = decode(answer), decode(accepted)
        if not isinstance(picked, str) or not isinstance(keyed, list) or not keyed:
            continue
        out.append({"item": item, "keyed_role": " / ".join(map(str, keyed)),
                    "picked_role": picked, "correct": status == "correct"})
    frame = pd.DataFrame(out, columns=["item", "keyed_role", "picked_role", "correct"])
    return frame.astype({"correct": bool})


def wrong_roles(
    items: pd.DataFrame,
    role_names: Mapping[str, str] | None = None,
    statements: Mapping[str, str] | None = None,
    *,
    answers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The wrong roles picked per role-matching item (over every assignment): item,
    statement, keyed and picked role (ids and names), count, n_answered (scorable answers to
    the item) and share = count / n_answered; most frequent first. `answers`:
    `role_answers(items)`, when the caller has it."""
    if answers is None:
        answers = role_answers(items)
    if answers.empty:
        return pd.DataFrame(columns=WRONG_ROLE_COLUMNS)
    names, texts = dict(role_names or {}), dict(statements or {})
    answered = answers.groupby("item").size()
    wrong = answers[~answers["correct"]]
    counts = wrong.groupby(["item", "keyed_role", "picked_role"]).size().rename("count")
    out = counts.reset_index()
    out["statement"] = out["item"].map(lambda i: texts.get(i, ""))
    out["keyed_role_name"] = out["keyed_role"].map(
        lambda k: " / ".join(names.get(r, r) for r in k.split(" / ")))
    out["picked_role_name"] = out["picked_role"].map(lambda r: names.get(r, r))
    out["n_answered"] = out["item"].map(answered).astype(int)
    out["share"] = (out["count"] / out["n_answered"]).astype(float)
    out = out.sort_values(["count", "item", "picked_role"], ascending=[False, True, True])
    return out[WRONG_ROLE_COLUMNS].reset_index(drop=True)


def role_confusion(items: pd.DataFrame, roles: Iterable[str] | None = None, *,
                   answers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keyed role × picked role counts of every scorable role-matching answer, a square
    table (the diagonal holds the correct ones). `roles` fixes the order and includes roles
    nobody was keyed or picked; other roles follow, sorted. `answers`: `role_answers(items)`,
    when the caller has it."""
    if answers is None:
        answers = role_answers(items)
    table = pd.crosstab(answers["keyed_role"], answers["picked_role"])
    order = list(roles or [])
    present = set(table.index) | set(table.columns)
    axis = order + sorted(present - set(order))
    table = table.reindex(index=axis, columns=axis, fill_value=0)
    table.index.name, table.columns.name = "keyed_role", "picked_role"
    return table.astype(int)
