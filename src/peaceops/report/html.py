"""The report as one self-contained HTML page: inline CSS, plots as data: URIs, and one
short inline script (sorting the learners' grid; the page reads fully without it). Nothing
is fetched from elsewhere."""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Mapping, Sequence
from html import escape

import pandas as pd

from .analysis import Analysis
from .grid import LABELS, Grid
from .stats import MIN_ALPHA_LEARNERS, MIN_N_DISCRIMINATION

#: Fewer learners than this: no score distributions or item plots (each would be a few
#: points), and the page says so.
MIN_LEARNERS_FOR_PLOTS = MIN_N_DISCRIMINATION

EMPTY_MESSAGE = ("No graded submissions yet. Grade the cohort first (`peaceops grade`, or "
                 "`nbgrader autograde`) in the course directory, then run `peaceops report` "
                 "again.")
FEW_LEARNERS = ("Item statistics need at least two learners with graded answers: "
                "discrimination and Cronbach's alpha are not available yet.")
WRONG_ROWS_SHOWN = 30

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;
margin:0 auto;padding:1rem 1.5rem 3rem;color:#1b1b1b;line-height:1.5}
h1,h2,h3{line-height:1.2;color:#12355b}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;
margin-top:2.2rem}
table{border-collapse:collapse;margin:.8rem 0 1.4rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top}
thead th{background:#eef2f6}tbody th{text-align:left;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}
.note{background:#f6f8fa;border-left:4px solid #12355b;padding:.5rem 1rem}
.warn{background:#fff4e5;border-left:4px solid #b35900;padding:.5rem 1rem}
code{background:#f0f0f0;padding:0 .2rem}
#grid td{font-size:.85rem}#grid th button{font:inherit;font-weight:600;background:none;
border:0;padding:0;cursor:pointer;color:inherit;text-align:left}
#grid th button::after{content:" \\2195";color:#666}
td.st-not-submitted{background:#f3f3f3;color:#555}td.st-waiting{background:#fff4e5}
td.st-flagged{background:#fde8e8}td.st-failed{background:#fde8e8}
td.st-passed{background:#e6f4ea}td.st-certified{background:#d7eedd}
.legend span{display:inline-block;padding:0 .4rem;margin:0 .3rem .3rem 0;border:1px solid #d0d7de}
@media print{nav,#grid th button::after{display:none}body{max-width:none;padding:0}
table{font-size:8pt}tr{break-inside:avoid}thead{display:table-header-group}
h2{break-after:avoid}figure{break-inside:avoid}td{-webkit-print-color-adjust:exact;
print-color-adjust:exact}}
"""

#: Sorts the grid by a column when its header button is pressed (again: the other way).
SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th button").forEach(function (button, column) {
    button.addEventListener("click", function () {
      var th = button.parentNode, up = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column], sort = cell.getAttribute("data-sort");
        return sort === null ? cell.textContent.toLowerCase() : parseFloat(sort);
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), order = x < y ? -1 : x > y ? 1 : 0;
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

Column = tuple[str, str, Callable[[object], str] | None]  # (column, header, formatter)


def _num(digits: int) -> Callable[[object], str]:
    def fmt(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "n/a"
        return f"{float(value):.{digits}f}"

    return fmt


def _pct(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{100 * float(value):.0f} %"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _yes(value: object) -> str:
    return "yes" if bool(value) else ""


def table(frame: pd.DataFrame, caption: str, columns: Sequence[Column]) -> str:
    """An accessible table: a caption, column headers with scope, the first column as the
    row header."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for _, h, _ in columns)
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for n, (column, _, fmt) in enumerate(columns):
            value = record[column]
            text = escape(fmt(value) if fmt else ("" if pd.isna(value) else str(value)))
            if n == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="num">{text}</td>' if fmt else f"<td>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def image(data: bytes, alt: str, caption: str = "") -> str:
    """A PNG as an inline data: URI inside a figure, with alt text."""
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{uri}" alt="{escape(alt)}">{figcaption}</figure>'


def _p(text: str, cls: str = "") -> str:
    """A paragraph of plain text; `code` in backticks becomes <code>."""
    inner = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))
    return f'<p class="{cls}">{inner}</p>' if cls else f"<p>{inner}</p>"


def histogram_alt(row: pd.Series, pass_percent: float) -> str:
    text = (f"Histogram of the scores in {row['title']}: "
            f"{_count(row['n_submissions'], 'submission')}, "
            f"mean {row['mean']:.1f} and median {row['median']:.1f} of {row['max_score']:g}")
    if not bool(row["certification"]):
        return text + " (submission only: no pass mark)."
    return text + f"; {100 * row['pass_rate']:.0f} % reach the pass mark of {pass_percent:g} %."


def _applies(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else \
        str(value)


def _scores_section(a: Analysis, histograms: Mapping[str, bytes]) -> list[str]:
    out = ['<h2 id="scores">Scores</h2>',
           _p(f"The pass mark ({a.pass_percent:g} % of the maximum) applies to the "
              "certification exam only: the other assignments need only be submitted, so they "
              "have no pass rate. Flagged submissions (e.g. a missing or unreadable answers "
              "file) are counted here and listed in scores.csv; review them in formgrader.")]
    shown = a.assignments.copy()
    lesson = ~shown["certification"].astype(bool)
    shown["n_passed"] = shown["n_passed"].astype(object)
    shown["pass_rate"] = shown["pass_rate"].astype(object)
    shown.loc[lesson, "n_passed"] = "no pass mark (submission only)"
    shown.loc[lesson, "pass_rate"] = "no pass mark (submission only)"
    shown.loc[~lesson, "n_passed"] = [_num(0)(v) for v in a.assignments.loc[~lesson, "n_passed"]]
    shown.loc[~lesson, "pass_rate"] = [_pct(v) for v in a.assignments.loc[~lesson, "pass_rate"]]
    out.append(table(shown, "Scores per assignment", [
        ("title", "Assignment", None), ("n_submissions", "Submissions", _num(0)),
        ("n_flagged", "Flagged", _num(0)), ("max_score", "Maximum", _num(0)),
        ("mean", "Mean", _num(2)), ("median", "Median", _num(2)), ("sd", "SD", _num(2)),
        ("min", "Lowest", _num(1)), ("max", "Highest", _num(1)),
        ("n_passed", "Passed", _applies), ("pass_rate", "Pass rate", _applies)]))
    if a.n_learners < MIN_LEARNERS_FOR_PLOTS:
        out.append(_p(f"With {_count(a.n_learners, 'learner')}, no score distributions or "
                      f"item plots are drawn: they need at least {MIN_LEARNERS_FOR_PLOTS} "
                      "learners to show more than a few points. The tables hold every number.",
                      "note"))
    for _, row in a.assignments.iterrows():
        if row["assignment"] in histograms:
            out.append(f"<h3>{escape(row['title'])}</h3>")
            out.append(image(histograms[row["assignment"]], histogram_alt(row, a.pass_percent),
                             f"Scores in {row['title']}"
                             + ("; the dashed line is the pass mark." if row["certification"]
                                else ".")))
    return out


def _items_section(a: Analysis, item_maps: Mapping[str, bytes]) -> list[str]:
    t = a.thresholds
    out = ['<h2 id="items">Item analysis</h2>', _p(
        "Facility is an item's mean points over its maximum (the share of learners who got it "
        "right). Discrimination is the corrected item-total correlation: the Pearson "
        "correlation between the item's points and the learner's auto-graded total on the "
        "assignment minus that item, over the learners who were given the item (each learner "
        "gets a random subset of the bank, so n differs per item). Submissions with no "
        "scorable answer at all are left out of the item statistics.")]
    out.append(_p(
        f"An item is flagged as too easy when its facility is above {t.too_easy:.2f} and too "
        f"hard below {t.too_hard:.2f} (judged on at least {t.min_n_facility} learners), and "
        f"not discriminating when its discrimination is below {t.low_discrimination:.2f} "
        f"(judged on at least {t.min_n} learners). A negative "
        "discrimination means strong learners miss the item more often than weak ones: check "
        "the key first, then the wording. On few learners the discrimination is imprecise "
        "(its standard error is roughly 1/√n: 0.3 at n = 10, 0.1 at n = 100), so a flag on a "
        "small n is a prompt to look, not a verdict.", "note"))
    if a.n_learners < 2:
        out.append(_p(FEW_LEARNERS, "warn"))
    flagged = a.flagged
    columns: list = [("item", "Item", None), ("assignment", "Assignment", None),
                     ("kind", "Kind", None), ("n", "n", _num(0)),
                     ("facility", "Facility", _num(2)),
                     ("discrimination", "Discrimination", _num(2)), ("flags", "Why", None)]
    if flagged.empty:
        out.append(_p("No item is flagged."))
    else:
        checks = flagged[flagged["check_key"]]
        if not checks.empty:
            out.append(_p("Check the key of: " + ", ".join(checks["item"]) + ".", "warn"))
        out.append(table(flagged, f"Flagged items ({len(flagged)})", columns))
    titles = dict(zip(a.assignments["assignment"], a.assignments["title"], strict=True))
    for assignment, rows in a.items.groupby("assignment", sort=True):
        title = titles.get(assignment, assignment)
        out.append(f"<h3>{escape(title)}</h3>")
        if assignment in item_maps:
            n_flag = int((rows["flags"] != "").sum())
            out.append(image(item_maps[assignment],
                             f"Scatter plot of facility against discrimination for the "
                             f"{len(rows)} items of {title}; {n_flag} flagged items are "
                             "labelled.", "Dotted lines: the flagging thresholds."))
        out.append("<details><summary>Every item of this assignment</summary>")
        out.append(table(rows, f"Item statistics: {title}", columns))
        out.append("</details>")
    return out


def _roles_section(a: Analysis, heatmap: bytes | None) -> list[str]:
    out = ['<h2 id="roles">Wrong roles in role matching</h2>']
    if a.wrong_roles.empty:
        out.append(_p("No wrong role was picked (or no role-matching answers were graded)."))
        return out
    out.append(_p("The roles learners picked instead of the keyed one, over every assignment. "
                  "Share is the count over all graded answers to the item. A wrong role that "
                  "many strong learners pick can mean an ambiguous statement or a wrong key."))
    shown = a.wrong_roles.head(WRONG_ROWS_SHOWN)
    more = len(a.wrong_roles) - len(shown)
    caption = "Wrong roles picked, most frequent first" + (
        f" (the {len(shown)} most frequent; all {len(a.wrong_roles)} in wrong_roles.csv)"
        if more > 0 else "")
    out.append(table(shown, caption, [
        ("item", "Item", None), ("statement", "Statement", None),
        ("keyed_role_name", "Keyed role", None), ("picked_role_name", "Role picked", None),
        ("count", "Count", _num(0)), ("share", "Share", _pct)]))
    if heatmap is not None:
        names = "; ".join(f"{r}: {a.role_names.get(r, r)}" for r in a.confusion.index)
        worst = a.wrong_roles.iloc[0]
        out.append(image(heatmap, (
            "Heatmap of keyed role against role picked in role matching; the most frequent "
            f"confusion is {worst['keyed_role_name']} answered as {worst['picked_role_name']} "
            f"({worst['count']} times)."), f"Rows: keyed role; columns: role picked. {names}."))
    return out


def _alpha_section(a: Analysis) -> list[str]:
    out = ['<h2 id="alpha">Internal consistency (Cronbach\'s alpha)</h2>', _p(
        "Cronbach's alpha = k/(k−1) · (1 − Σ var(part) / var(total)), with sample variances "
        "over the learners. Because every learner gets a different random subset of the bank, "
        "no item is answered by everyone; alpha is therefore computed over the assignment's "
        "exercises as parts (each learner's points per exercise: everyone has every exercise). "
        "Item-level alpha is reported too where a complete learners × items matrix exists "
        "(items every learner got). Values above about 0.7 are usually wanted for a "
        "certification decision; a low alpha on few parts or few learners is imprecise.")]
    exams = a.assignments[a.assignments["certification"]]
    for _, row in exams.iterrows():
        if row["n_alpha"] < MIN_ALPHA_LEARNERS:
            out.append(_p(f"{row['title']}: too few learners for alpha "
                          f"({_count(row['n_alpha'], 'learner')}; it needs at least "
                          f"{MIN_ALPHA_LEARNERS}).", "note"))
            continue
        out.append(_p(
            f"{row['title']}: alpha over {_count(row['k_exercises'], 'exercise')} = "
            f"{_num(2)(row['alpha_exercises'])} (n = {_count(row['n_alpha'], 'learner')}); "
            "item-level "
            + (f"alpha over {row['k_items']} items = {_num(2)(row['alpha_items'])}."
               if row["k_items"] >= 2 else "alpha: not available (no complete item matrix)."),
            "note"))
    out.append(table(a.assignments, "Cronbach's alpha per assignment", [
        ("title", "Assignment", None), ("certification", "Certification", _yes),
        ("n_alpha", "Learners", _num(0)), ("k_exercises", "Exercises (parts)", _num(0)),
        ("alpha_exercises", "Alpha (exercises)", _num(2)),
        ("k_items", "Items answered by all", _num(0)),
        ("alpha_items", "Alpha (items)", _num(2))]))
    return out


FILES = [
    ("scores.csv", "one row per submission: score, percent, passed, flags"),
    ("assignments.csv", "per assignment: counts, score summary, pass rate, Cronbach's alpha"),
    ("items.csv", "per assignment and item: n, facility, discrimination and flags"),
    ("wrong_roles.csv", "per role item: the wrong roles picked, counts and shares"),
]


def _grid_section(grid: Grid) -> list[str]:
    out = ['<h2 id="learners">Learners</h2>', _p(
        "Every learner × assignment, with its status: not submitted; submitted (a lesson "
        "assignment only needs to be submitted); waiting for manual grading (grade it in "
        "nbgrader's formgrader: the score is not final, and exports hold it back); flagged, "
        "with the grader's reason; the exam passed or failed against the pass rule; "
        "certified. Press a column's header to sort by it; the page prints as it is.")]
    out.append('<p class="legend">' + "".join(
        f'<span class="st-{code}">{escape(label)}</span>' for code, label in LABELS.items())
        + "</p>")
    if grid.at_risk:
        out.append('<h3 id="at-risk">At risk</h3><ul class="at-risk">' + "".join(
            f"<li><strong>{escape(name)}</strong> ({escape(student)}): {escape(why)}</li>"
            for student, name, why in grid.at_risk) + "</ul>")
    else:
        out.append(_p("No learner is at risk: no exam is below the pass mark."))
    head = ['<th scope="col"><button type="button">Learner</button></th>']
    head += [f'<th scope="col"><button type="button">{escape(t)}</button></th>'
             for _, t, _ in grid.assignments]
    head.append('<th scope="col"><button type="button">Certified</button></th>')
    rows = []
    for student, name in grid.learners:
        label = name if name == student else f"{name} ({student})"
        cells = [f'<th scope="row">{escape(label)}</th>']
        for assignment, _, _ in grid.assignments:
            cell = grid.cells[(student, assignment)]
            classes = " ".join(f"st-{s}" for s in cell.statuses)
            cells.append(f'<td class="{classes}" data-status="{" ".join(cell.statuses)}" '
                         f'data-sort="{cell.sort:.6g}">{escape(cell.text)}</td>')
        done = student in grid.certified
        cells.append(f'<td class="{"st-certified" if done else ""}" data-sort="{int(done)}">'
                     f'{"certified" if done else ""}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    out.append(f'<table id="grid" class="sortable"><caption>Learners × assignments '
               f'({_count(len(grid.learners), "learner")})</caption><thead><tr>{"".join(head)}'
               f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return out


def render(
    a: Analysis,
    histograms: Mapping[str, bytes] | None = None,
    item_maps: Mapping[str, bytes] | None = None,
    heatmap: bytes | None = None,
    title: str = "peaceops cohort report",
    grid: Grid | None = None,
) -> str:
    """The whole page."""
    body = [f"<h1>{escape(title)}</h1>"]
    if a.empty:
        body.append(_p(EMPTY_MESSAGE, "warn"))
    else:
        body.append(_p(
            f"{_count(a.n_learners, 'learner')}, {_count(len(a.scores), 'graded submission')} "
            f"in {_count(len(a.assignments), 'assignment')}; pass mark {a.pass_percent:g} %; "
            f"{_count(len(a.flagged), 'item')} flagged. Generated {a.generated}."))
        body.append('<nav aria-label="Contents"><ul>'
                    + ('<li><a href="#learners">Learners</a></li>' if grid else "")
                    + '<li><a href="#scores">Scores</a></li>'
                    '<li><a href="#items">Item analysis</a></li>'
                    '<li><a href="#roles">Wrong roles in role matching</a></li>'
                    '<li><a href="#alpha">Internal consistency</a></li>'
                    '<li><a href="#files">Files</a></li></ul></nav>')
        if grid is not None:
            body += _grid_section(grid)
        body += _scores_section(a, histograms or {})
        body += _items_section(a, item_maps or {})
        body += _roles_section(a, heatmap)
        body += _alpha_section(a)
    body.append('<h2 id="files">Files</h2><ul>' + "".join(
        f"<li><code>{name}</code>: {escape(what)}</li>" for name, what in FILES) + "</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
            + "\n".join(body) + "</main>"
            + (f"<script>{SORT_SCRIPT}</script>" if grid is not None and not a.empty else "")
            + "</body></html>\n")
