"""The feedback nbgrader writes for a lesson-group assignment, in the grader's language
(issue 31): PEACEOPS_LANGUAGE=fr where a French cohort is graded gives the French items and
rationales with the same points; English stays as it was."""

from __future__ import annotations

import json
from html import unescape

import nbformat

from peaceops.content import CourseDir
from peaceops.content.language import ENV as ENV_LANGUAGE
from peaceops.grading.submission import grade_submission, grading_context
from tests.conftest import ROOT
from tests.factories import answers_for

MLT = "mlt-roles"


def _graded(monkeypatch, lang: str, answers: bytes):
    monkeypatch.setenv(ENV_LANGUAGE, lang)
    context = grading_context(CourseDir.resolve(ROOT))
    release = nbformat.read(ROOT / "exercises" / MLT / f"{MLT}.ipynb", 4)
    graded = grade_submission(context, MLT, "ana", release, {}, "2026-12-07T15:00:00", MLT,
                              answers, 1)
    points = [o["data"]["text/plain"] for c in graded.notebook.cells
              for o in c.get("outputs", []) if o.get("output_type") == "execute_result"]
    html = " ".join(o["data"]["text/html"] for c in graded.notebook.cells
                    for o in c.get("outputs", []) if o.get("output_type") == "display_data")
    return points, html


def test_the_feedback_follows_the_graders_language_and_the_points_do_not(monkeypatch):
    answers, expected = answers_for(MLT, "ana", 0.5)
    data = json.dumps(answers).encode()
    points_en, html_en = _graded(monkeypatch, "en", data)
    points_fr, html_fr = _graded(monkeypatch, "fr", data)
    assert points_fr == points_en and sum(map(float, points_en)) == expected
    assert "✔ Correct" in html_en and "✘ Not correct" in html_en  # English as before
    assert "✘ Inexact" in html_fr and "Not correct" not in html_fr
    french, keys = grading_context(CourseDir.resolve(ROOT)).translated("fr")
    shown_fr, shown_en = unescape(html_fr), unescape(html_en)
    questions = 0
    for record in answers["exercises"].values():  # each item: its French text and feedback
        for item in record["answers"]:
            pool = next(p for p, entries in french.pools.items() if item in entries)
            public = french.entry(pool, item).public
            text = public.get("statement") or public.get("challenge") or public["prompt"]
            assert text in shown_fr and text not in shown_en, item
            if pool == "questions":  # the lesson bank's feedback: the hidden French keys
                explanation = keys[pool][item]["explanation"]
                assert explanation in shown_fr and explanation not in shown_en, item
                questions += 1
    assert questions


# --- each learner's language: the course roster (issue 31) ------------------------------


def _course_with_roster(tmp_path, roster: str) -> CourseDir:
    """The repository's course (its data, keys, release and configuration, linked) with
    `roster` as its roster.csv."""
    for name in ("data", "solutions", "exercises", "nbgrader_config.py"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    return CourseDir.resolve(tmp_path)


def _feedback(context, student: str, answers: bytes):
    release = nbformat.read(ROOT / "exercises" / MLT / f"{MLT}.ipynb", 4)
    graded = grade_submission(context, MLT, student, release, {}, "2026-12-07T15:00:00", MLT,
                              answers, 1)
    cells = graded.notebook.cells
    points = [o["data"]["text/plain"] for c in cells for o in c.get("outputs", [])
              if o.get("output_type") == "execute_result"]
    html = " ".join(o["data"]["text/html"] for c in cells for o in c.get("outputs", [])
                    if o.get("output_type") == "display_data")
    return points, unescape(html), graded.flags


def test_one_run_gives_each_learner_feedback_in_the_rosters_language(monkeypatch, tmp_path):
    """ana (French on the roster) and bo (English) graded by one context, the grader in
    English: each gets their own language, the same points; cy (not on the roster) gets
    the grader's language, and the grader's language changes only cy's."""
    monkeypatch.setenv(ENV_LANGUAGE, "en")
    course_dir = _course_with_roster(
        tmp_path, "id,first_name,last_name,email,language\nana,Ana,A,,FR\nbo,Bo,B,,en\n")
    context = grading_context(course_dir)
    french, _ = context.translated("fr")
    runs = {}
    for student in ("ana", "bo", "cy"):
        answers, expected = answers_for(MLT, student, 0.5)
        runs[student] = _feedback(context, student, json.dumps(answers).encode()), answers
        assert sum(map(float, runs[student][0][0])) == expected, student
        assert not runs[student][0][2], student  # no flag

    def items(student):
        answers = runs[student][1]
        for record in answers["exercises"].values():
            for item in record["answers"]:
                pool = next(p for p, entries in french.pools.items() if item in entries)
                public = french.entry(pool, item).public
                yield public.get("statement") or public.get("challenge") or public["prompt"]

    (_, ana, _), (_, bo, _), (_, cy, _) = (runs[s][0] for s in ("ana", "bo", "cy"))
    assert "✘ Inexact" in ana and "Not correct" not in ana
    assert all(text in ana for text in items("ana"))
    for english in (bo, cy):
        assert "✘ Not correct" in english and "Inexact" not in english
        assert not any(text in english for text in items("ana"))
    monkeypatch.setenv(ENV_LANGUAGE, "fr")  # a French grader: cy (no roster row) in French
    answers = json.dumps(runs["cy"][1]).encode()
    points, cy_fr, _ = _feedback(context, "cy", answers)
    assert points == runs["cy"][0][0] and "✘ Inexact" in cy_fr
    assert "✘ Not correct" in _feedback(context, "bo", json.dumps(runs["bo"][1]).encode())[1]


def test_a_roster_that_cannot_say_flags_the_learner_and_grades_in_the_graders_language(
        monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_LANGUAGE, "en")
    context = grading_context(_course_with_roster(tmp_path, "id,language\nana,de\nbo,fr\n"))
    answers, expected = answers_for(MLT, "ana", 1.0)
    points, html, flags = _feedback(context, "ana", json.dumps(answers).encode())
    assert sum(map(float, points)) == expected and "✔ Correct" in html
    assert any("ana's language is 'de' (roster.csv, row 2)" in f and "one of en, fr" in f
               and "grader's language (en)" in f for f in flags), flags
    bo = json.dumps(answers_for(MLT, "bo", 1.0)[0]).encode()
    assert "✔ Juste" in _feedback(context, "bo", bo)[1]  # bo: French, as the roster says
    broken = tmp_path / "broken"
    broken.mkdir()
    context = grading_context(_course_with_roster(broken, "language,name\nfr,Ana\n"))
    points, html, flags = _feedback(context, "ana", json.dumps(answers).encode())
    assert sum(map(float, points)) == expected and "✔ Correct" in html
    assert any("has no column id" in f for f in flags), flags
    plain = tmp_path / "plain"  # a plain nbgrader roster (no language column): no language
    plain.mkdir()
    context = grading_context(_course_with_roster(plain, "id,first_name\nana,Ana\n"))
    points, html, flags = _feedback(context, "ana", json.dumps(answers).encode())
    assert "✔ Correct" in html and not flags


def test_a_reflection_written_in_french_waits_for_the_instructor_like_any_other(
        monkeypatch, tmp_path):
    """The reflection cell is graded by hand whatever the language: a French answer is
    carried into the graded notebook as written (plain text), with no score and no flag,
    for the French and the English learner alike."""
    monkeypatch.setenv(ENV_LANGUAGE, "en")
    context = grading_context(_course_with_roster(tmp_path, "id,language\nana,fr\n"))
    release = nbformat.read(ROOT / "exercises" / MLT / f"{MLT}.ipynb", 4)
    written = ("Chaque jour, je réunirais l'équipe de direction de la mission « un peu » : "
               "une réunion brève, des décisions partagées (considération 3).")
    for student in ("ana", "bo"):
        answers, _ = answers_for(MLT, student, 1.0)
        graded = grade_submission(context, MLT, student, release, {"reflection": written},
                                  "2026-12-07T15:00:00", MLT, json.dumps(answers).encode(), 1)
        (cell,) = [c for c in graded.notebook.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id") == "reflection"]
        assert written in cell.source and "<" not in cell.source.replace(written, "")
        assert cell.metadata["nbgrader"]["solution"]
        assert cell.cell_type == "markdown" and "outputs" not in cell
        assert "reflection" not in graded.record.results and not graded.flags
