"""Widgets driven programmatically: values set, buttons pressed, file saved, feedback shown;
answers restored in a fresh kernel."""

import json
import textwrap

import nbformat
from nbclient import NotebookClient

from peaceops.content import load_course
from peaceops.exercises import ASSESSMENT, AnswerStore, ExerciseWidget, Spec, assessment, build
from peaceops.exercises.store import FILENAME
from peaceops.lessons import check

COURSE = load_course()


def test_practice_check_gives_text_feedback():
    widget = check("mlt-roles")
    widget.controls["fc-chain"].value = "fc"
    widget.controls["pc-command"].value = "cos"
    widget.check_button.click()
    text = widget.feedback.value
    assert "2 / 7" not in text and "1 / 7" in text
    assert "✔ Correct" in text and "✘ Not correct" in text  # words, not colour alone
    assert "Chief of Staff" in text and "(Source: MLT roles)" in text
    widget.hint_button.click()
    assert "Hint:" in widget.feedback.value
    widget.reset_button.click()
    assert widget.answers()["fc-chain"] is None and widget.feedback.value == ""


def test_practice_all_correct_message():
    widget = check("wps-participation")
    exercise, key = widget.exercise, widget.key
    widget.controls[exercise.items[0].id].value = next(iter(key[exercise.items[0].id].accept))
    widget.check_button.click()
    assert "All correct" in widget.feedback.value


def test_multi_select_checkboxes_round_trip():
    widget = check("essence-characteristics")
    boxes = widget.controls["essence-characteristics"].children
    boxes[0].value = boxes[2].value = True
    assert widget.answers() == {"essence-characteristics": ["0", "2"]}
    widget.set_answers({"essence-characteristics": ["3"]})
    assert [b.value for b in boxes] == [False, False, False, True, False, False]


def test_every_control_has_a_visible_label():
    for check_id in COURSE.checks:
        widget = check(check_id)
        for item in widget.exercise.items:
            control = widget.controls[item.id]
            if item.multiple:
                assert all(box.description for box in control.children)
            else:
                assert control.description


def test_assessment_saves_each_change_at_once_and_shows_status(tmp_path):
    spec = Spec(id="exam-weigh", kind="principle_weighing", source="1.1.1", items=("stones-at-the-gate",))
    exercise, _ = build(COURSE, spec)
    widget = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="amina")
    assert not hasattr(widget, "check_button")  # no correctness in assessment mode
    widget.controls["non_use_of_force"].value = "3"
    saved = json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-weigh"]
    assert saved["answers"]["non_use_of_force"] == "3" and saved["learner"] == "amina"
    assert "Saved at" in widget.status.value
    widget.controls["decisive"].value = "non_use_of_force"
    saved = json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-weigh"]
    assert saved["answers"]["decisive"] == "non_use_of_force"
    assert "Correct" not in widget.feedback.value
    restored = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="amina")
    assert restored.answers()["decisive"] == "non_use_of_force"
    assert "restored" in restored.status.value


def test_assessment_asks_for_learner_id_once(tmp_path, monkeypatch):
    for name in ("JUPYTERHUB_USER", "PEACEOPS_LEARNER"):
        monkeypatch.delenv(name, raising=False)
    spec = Spec(id="exam-roles", kind="role_matching", source="MLT roles",
                items=tuple(COURSE.responsibilities["id"]), draw=5)
    box = assessment(spec, course=COURSE, folder=tmp_path)
    entry, start = box.children[1].children
    start.click()
    assert "enter your learner id" in box.children[0].value
    entry.value = "amina"
    start.click()
    (widget,) = box.children
    assert isinstance(widget, ExerciseWidget) and widget.learner == "amina"
    assert len(widget.exercise.items) == 5
    assert AnswerStore(tmp_path).learner == "amina"
    again = assessment(spec, course=COURSE, folder=tmp_path)  # id remembered in the file
    assert isinstance(again, ExerciseWidget) and again.exercise.variant == widget.exercise.variant


def test_corrupt_file_message_shown_in_widget(tmp_path):
    (tmp_path / FILENAME).write_text("{broken")
    exercise, _ = build(COURSE, Spec(id="x", kind="polarity_sorting", source="Polarities",
                                     items=("vendor",)))
    widget = ExerciseWidget(exercise, mode=ASSESSMENT, store=AnswerStore(tmp_path), learner="a")
    assert "could not be read" in widget.feedback.value
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


def test_answers_restored_in_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_LEARNER", "amina")
    first = _run(tmp_path, "first = widget.exercise.items[0].id\n"
                           "widget.controls[first].value = 'dms'\nprint(first)")
    item = first.cells[1].outputs[0]["text"].strip()
    assert json.loads((tmp_path / FILENAME).read_text())["exercises"]["exam-roles"]["answers"][item] == "dms"
    second = _run(tmp_path, "print(widget.answers()[widget.exercise.items[0].id], widget.status.value)")
    text = second.cells[1].outputs[0]["text"]
    assert text.startswith("dms") and "restored" in text
