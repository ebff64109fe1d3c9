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
