"""The whole report: a simulated cohort with one wrongly keyed item, the HTML, the CSVs, the CLI."""

import argparse
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from peaceops.content import load_course
from peaceops.report import CSVS, HTML, analyse, build_report
from peaceops.report import cli as report_cli
from peaceops.report.html import EMPTY_MESSAGE, FEW_LEARNERS
from peaceops.results import (
    ATTEMPT_COLUMNS,
    ITEM_COLUMNS,
    STUDENT_COLUMNS,
    SUBMISSION_COLUMNS,
    Results,
)
from tests.factories.cohort import EXAM, bank_results, cohort

WRONG = "b-role-sim-03"


@pytest.fixture(scope="module")
def simulated() -> Results:
    return cohort(n=240, seed=7, wrong=WRONG)


@pytest.fixture(scope="module")
def built(simulated, tmp_path_factory) -> Path:
    return build_report(simulated, tmp_path_factory.mktemp("report"))


class Page(HTMLParser):
    """Collects what the checks need: tags, attributes, text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_simulated_cohort_flags_exactly_the_wrongly_keyed_item(simulated):
    a = analyse(simulated)
    items = a.items.set_index("item")
    assert len(items) == 36 and items["n"].min() >= 100
    assert list(items.index[items["check_key"]]) == [WRONG]
    assert items.loc[WRONG, "discrimination"] < -0.2
    assert "check the key" in items.loc[WRONG, "flags"]
    healthy = items.drop(index=WRONG)
    assert (healthy["flags"] == "").all(), healthy[healthy["flags"] != ""]
    assert healthy["discrimination"].min() > 0.3
    assert list(a.flagged["item"]) == [WRONG]


def test_with_every_key_right_nothing_is_flagged():
    a = analyse(cohort(n=240, seed=7, wrong=None))
    assert a.flagged.empty and not a.items["check_key"].any()


def test_the_wrong_key_shows_as_learners_picking_the_true_role(simulated):
    a = analyse(simulated)
    top = a.wrong_roles.iloc[0]
    # the key says "pc" (the lure); most learners pick the true role "fc"
    assert (top["item"], top["keyed_role"], top["picked_role"]) == (WRONG, "pc", "fc")
    assert top["share"] > 0.5
    assert a.confusion.loc["pc", "fc"] >= top["count"]


def test_the_exam_alpha_is_reported(simulated):
    row = analyse(simulated).assignments.set_index("assignment").loc[EXAM]
    assert bool(row["certification"]) and row["k_exercises"] == 3 and row["n_alpha"] == 240
    assert 0.6 < row["alpha_exercises"] < 1
    assert row["k_items"] == 12 and 0.6 < row["alpha_items"] < 1  # the quiz: everyone got it


def test_the_html_is_self_contained_and_accessible(built):
    assert built.name == HTML
    html = built.read_text(encoding="utf-8")
    page = parse(built)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "http:" not in html and "https:" not in html
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == 3  # a histogram, an item map, the role heatmap
    for attrs in images:
        assert attrs["src"].startswith("data:image/png;base64,")
        assert len(attrs.get("alt", "")) > 30
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            if name in attrs:
                assert attrs[name].startswith(("data:", "#")), (tag, attrs[name][:40])
    tables = sum(tag == "table" for tag, _ in page.tags)
    assert tables == sum(tag == "caption" for tag, _ in page.tags) >= 4
    headers = [attrs for tag, attrs in page.tags if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    assert [tag for tag, _ in page.tags if tag == "h1"] == ["h1"]
    text = " ".join(page.text)
    assert f"Check the key of: {WRONG}." in text
    assert "Cronbach's alpha = k/(k−1)" in text and "corrected item-total" in text


def test_the_csvs_have_the_documented_columns(built, simulated):
    for name, columns in CSVS.items():
        frame = pd.read_csv(built.parent / name, keep_default_na=False)
        assert list(frame.columns) == columns, name
    assert len(pd.read_csv(built.parent / "scores.csv")) == len(simulated.submissions)
    items = pd.read_csv(built.parent / "items.csv", keep_default_na=False).set_index("item")
    assert items.loc[WRONG, "check_key"] and "check the key" in items.loc[WRONG, "flags"]
    summary = pd.read_csv(built.parent / "assignments.csv")
    assert summary.loc[0, "pass_rate"] == pytest.approx(
        (simulated.submissions["score"] >= 0.75 * simulated.submissions["max_score"]).mean())


def test_a_cohort_on_the_real_bank(tmp_path):
    results = bank_results(n=60, assignment_ids=["certification-exam", "mlt-roles"])
    path = build_report(results, tmp_path)
    items = pd.read_csv(tmp_path / "items.csv", keep_default_na=False)
    assert set(items["assignment"]) == {"certification-exam", "mlt-roles"}
    assert set(items["kind"]) == {"role_matching", "principle_weighing", "polarity_sorting",
                                  "quiz"}
    assert items.loc[items["kind"] == "principle_weighing", "item"].str.match(
        r"[bx]-scn-[a-z0-9-]+/[a-z_]+$").all()
    wrong = pd.read_csv(tmp_path / "wrong_roles.csv")
    assert not wrong.empty and (wrong["statement"].str.len() > 20).all()
    summary = pd.read_csv(tmp_path / "assignments.csv").set_index("assignment")
    exam = load_course().assignments["certification-exam"]
    assert summary.loc["certification-exam", "k_exercises"] == len(exam.exercises)
    assert summary.loc["certification-exam", "k_items"] == 0  # draws: no complete matrix
    assert summary.loc["mlt-roles", "k_items"] >= 2  # its quiz goes to everyone
    assert "not available (no complete item matrix)" in path.read_text(encoding="utf-8")


def empty_results() -> Results:
    return Results(pd.DataFrame(columns=SUBMISSION_COLUMNS), pd.DataFrame(columns=ITEM_COLUMNS),
                   pd.DataFrame(columns=ATTEMPT_COLUMNS), pd.DataFrame(columns=STUDENT_COLUMNS),
                   {})


def test_an_empty_cohort_gets_a_clear_message(tmp_path):
    path = build_report(empty_results(), tmp_path / "out")
    text = " ".join(parse(path).text)
    assert EMPTY_MESSAGE.split("`")[0].strip() in text and "peaceops grade" in text
    for name, columns in CSVS.items():
        frame = pd.read_csv(tmp_path / "out" / name)
        assert frame.empty and list(frame.columns) == columns


def test_one_learner_reports_without_statistics_that_need_two(tmp_path):
    path = build_report(cohort(n=1, seed=3), tmp_path)
    text = " ".join(parse(path).text)
    assert FEW_LEARNERS.split(":")[0] in text and "No item is flagged." in text
    assert pd.read_csv(tmp_path / "items.csv")["discrimination"].isna().all()


def test_a_bad_pass_mark_is_a_clear_error(simulated, tmp_path):
    with pytest.raises(ValueError, match="pass mark"):
        build_report(simulated, tmp_path, pass_percent=0)


def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="peaceops")
    report_cli.add_parser(parser.add_subparsers(dest="verb"))
    return parser.parse_args(["report", *argv])


def test_cli_writes_the_report_into_the_course(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake_load(course_dir):
        seen["course"] = course_dir.root
        return cohort(n=60, seed=1)

    monkeypatch.setattr("peaceops.results.load_results", fake_load)
    args = cli_args("--course", str(tmp_path), "--pass-percent", "60")
    assert args.func is report_cli.run and args.pass_percent == 60
    assert report_cli.run(args) == 0
    assert seen["course"] == tmp_path
    assert (tmp_path / "reports" / HTML).exists()
    assert "60 learners" in capsys.readouterr().out
    summary = pd.read_csv(tmp_path / "reports" / "assignments.csv")
    assert summary.loc[0, "n_passed"] == (
        cohort(n=60, seed=1).submissions.eval("score >= 0.6 * max_score").sum())
    assert report_cli.run(cli_args("--course", str(tmp_path), "--out",
                                   str(tmp_path / "elsewhere"))) == 0
    assert (tmp_path / "elsewhere" / HTML).exists()


def test_cli_without_a_gradebook_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="peaceops grade"):
        report_cli.run(cli_args("--course", str(tmp_path)))
