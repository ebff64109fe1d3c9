"""Widgets driven programmatically: values set, buttons pressed, file saved, feedback shown;
answers restored in a fresh kernel."""

import getpass
import json
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from peaceops.content import load_course
from peaceops.exercises import ASSESSMENT, AnswerStore, ExerciseWidget, Spec, assessment, build
from peaceops.exercises.identity import set_learner
from peaceops.exercises.store import FILENAME
from peaceops.exercises.frontend import book_html
from peaceops.lessons import check
from tests.grading.test_release import leaks

COURSE = load_course()


def _set(widget, **answers):
    widget.chosen = {**widget.chosen, **answers}


def test_practice_check_gives_text_feedback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the practice log is written beside the lesson
    widget = check("mlt-roles")
    _set(widget, **{"resp-10": "fc", "resp-13": "cos"})
    widget.check()
    text = widget.feedback
    assert "2 / 7" not in text and "1 / 7" in text
    assert "✔ Correct" in text and "✘ Not correct" in text  # words, not colour alone
    assert "Chief of Staff" in text and "(Source: MLT roles)" in text
    log = json.loads((tmp_path / "peaceops-practice.json").read_text())["checks"]["mlt-roles"]
    assert (log["attempts"], log["best"], log["max"]) == (1, 1, 7)
    widget.reset()
    assert widget.answers()["resp-10"] is None and widget.feedback == ""


def test_a_check_from_the_browser_is_scored_and_logged_in_python(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    widget = check("wps-participation")
    item = widget.exercise.items[0]
    _set(widget, **{item.id: sorted(widget.key[item.id].accept)[0]})
    widget._message(widget, {"event": "check", "points": 0, "max_points": 1}, [])
    assert "All correct" in widget.feedback  # Python's own score, not the browser's claim
    log = json.loads((tmp_path / "peaceops-practice.json").read_text())["checks"]
    assert log["wps-participation"]["first_correct_at"]
    widget._message(widget, {"event": "something else"}, [])
    assert json.loads((tmp_path / "peaceops-practice.json").read_text())["checks"][
        "wps-participation"]["attempts"] == 1


def test_multi_select_round_trip():
    widget = check("essence-characteristics")
    widget.set_answers({"essence-characteristics": ["3", "0", "junk"]})
    assert widget.answers() == {"essence-characteristics": ["0", "3"]}
    widget.set_answers({"essence-characteristics": "3"})
    assert widget.answers() == {"essence-characteristics": []}
    roles = check("mlt-roles")
    roles.set_answers({"resp-10": "fc", "resp-13": "nobody"})
    assert roles.answers()["resp-10"] == "fc" and roles.answers()["resp-13"] is None
    roles.set_answers({"resp-10": None})
    assert roles.answers()["resp-10"] is None


def test_every_control_has_a_label_and_a_control_type():
    for check_id in COURSE.checks:
        data = check(check_id).payload
        for item in data["items"]:
            assert item["label"] and item["prompt"]
            assert item["control"] == ("checkbox" if item["multiple"] else item["control"])
            assert item["control"] in ("select", "radio", "checkbox")


def test_practice_payload_has_the_key_and_assessment_payload_has_none():
    widget = check("mlt-roles")
    assert set(widget.payload["key"]) == {i.id for i in widget.exercise.items}
    for assignment in COURSE.assignments.values():
        for spec in assignment.exercises:
            exercise, _ = build(COURSE, spec, "amina")
            data = ExerciseWidget(exercise, mode=ASSESSMENT).payload
            assert "key" not in data and data["mode"] == "assessment"
            text = json.dumps(data)
            assert not leaks(text), spec.id
            assert '"rationale":' not in text and '"accept":' not in text  # key fields


def test_the_book_gets_practice_checks_only():
    bundle, _ = check("mlt-roles")._repr_mimebundle_()
    assert 'class="peaceops-book-exercise"' in bundle["text/html"]
    exercise, _ = build(COURSE, next(iter(COURSE.assignments.values())).exercises[0], "amina")
    bundle, _ = ExerciseWidget(exercise, mode=ASSESSMENT)._repr_mimebundle_()
    assert "peaceops-payload" not in bundle["text/html"]
    with pytest.raises(ValueError, match="practice checks only"):
        book_html(ExerciseWidget(exercise, mode=ASSESSMENT).payload)


def test_assessment_saves_each_change_at_once_and_shows_status(tmp_path):
    spec = Spec(id="exam-weigh", kind="principle_weighing", source="1.1.1", items=("stones-at-the-gate",))
    exercise, _ = build(COURSE, spec)
    widget = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="amina")
    assert "key" not in widget.payload  # no correctness in assessment mode
    _set(widget, non_use_of_force="3")
    saved = json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-weigh"]
    assert saved["answers"]["non_use_of_force"] == "3" and saved["learner"] == "amina"
    assert "Saved at" in widget.status
    _set(widget, decisive="non_use_of_force")
    saved = json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-weigh"]
    assert saved["answers"]["decisive"] == "non_use_of_force"
    assert "Correct" not in widget.feedback
    restored = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="amina")
    assert restored.answers()["decisive"] == "non_use_of_force"
    assert "restored" in restored.status


def test_assessment_never_asks_for_a_learner_id(tmp_path, monkeypatch):
    """Off a hub the learner id is nbgrader's student id (the OS user name), or the one set
    once with `peaceops learner set` in the course folder: no exercise asks for it."""
    for name in ("JUPYTERHUB_USER", "PEACEOPS_LEARNER", "PEACEOPS_STUDENT_ID"):
        monkeypatch.delenv(name, raising=False)
    spec = Spec(id="exam-roles", kind="role_matching", source="MLT roles",
                items=tuple(COURSE.responsibilities["id"]), draw=5)
    widget = assessment(spec, course=COURSE, folder=tmp_path / "a1")
    assert isinstance(widget, ExerciseWidget) and widget.learner == getpass.getuser()
    set_learner(tmp_path, "amina")  # in the course folder, above the assignment's
    widget = assessment(spec, course=COURSE, folder=tmp_path / "a1")
    assert widget.learner == "amina" and len(widget.exercise.items) == 5
    _set(widget, **{widget.exercise.items[0].id: widget.exercise.items[0].choices[0][0]})
    assert widget.status.startswith("✔ Saved") and widget.notes == []
    assert AnswerStore(tmp_path / "a1").learner == "amina"


def test_a_learner_id_nbgrader_would_not_submit_under_is_caught_at_the_first_save(
        tmp_path, monkeypatch):
    for name in ("JUPYTERHUB_USER", "PEACEOPS_STUDENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PEACEOPS_LEARNER", "amina")  # but nbgrader submits as the OS user
    spec = Spec(id="exam-roles", kind="role_matching", source="MLT roles",
                items=tuple(COURSE.responsibilities["id"]), draw=5)
    widget = assessment(spec, course=COURSE, folder=tmp_path)
    assert widget.notes == []  # nothing said before the first save
    item = widget.exercise.items[0]
    _set(widget, **{item.id: item.choices[0][0]})
    assert widget.status.startswith("⚠ Saved") and "wrong learner id" in widget.status
    (note,) = widget.notes
    assert f"nbgrader will submit this notebook as '{getpass.getuser()}'" in note
    assert "peaceops learner set amina" in note
    assert AnswerStore(tmp_path).record("exam-roles").answers[item.id]  # nothing lost
    # someone else's answers file in the folder is caught too
    monkeypatch.setenv("PEACEOPS_LEARNER", getpass.getuser())
    widget = assessment(spec, course=COURSE, folder=tmp_path)
    _set(widget, **{item.id: None})
    assert "belongs to learner 'amina'" in " ".join(widget.notes)


def test_corrupt_file_message_shown_in_widget(tmp_path):
    (tmp_path / FILENAME).write_text("{broken")
    exercise, _ = build(COURSE, Spec(id="x", kind="polarity_sorting", source="Polarities",
                                     items=("vendor",)))
    widget = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="a")
    assert "could not be read" in " ".join(widget.notes)
    assert list(tmp_path.glob("*.unreadable-*.json"))


NOTEBOOK_CELL = textwrap.dedent("""
    from peaceops.content import load_course
    from peaceops.exercises import Spec, assessment
    course = load_course()
    spec = Spec(id="exam-roles", kind="role_matching", source="MLT roles",
                items=tuple(course.responsibilities["id"]), draw=4)
    widget = assessment(spec)
    widget
""")


def _run(folder, extra: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL),
                                         nbformat.v4.new_code_cell(extra)])
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


@pytest.mark.slow
def test_answers_restored_in_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_LEARNER", "amina")
    first = _run(tmp_path, "first = widget.exercise.items[0].id\n"
                           "widget.chosen = {**widget.chosen, first: 'dms'}\nprint(first)")
    item = first.cells[1].outputs[0]["text"].strip()
    assert json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-roles"]["answers"][item] == "dms"
    second = _run(tmp_path, "print(widget.answers()[widget.exercise.items[0].id], widget.status)")
    text = second.cells[1].outputs[0]["text"]
    assert text.startswith("dms") and "restored" in text
