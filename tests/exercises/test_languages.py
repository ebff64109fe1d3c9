"""The course in French (issue 31) changes the words, never the grading: the same answers
(item ids and choice values, never display text) score the same in English and French and
are saved to the same answers file; the widget, its payload and the browser's scorer speak
the learner's language, and the exercise data come in French where data/i18n/fr has them."""

from __future__ import annotations

import json
import random

import pytest

from peaceops.content import load_course, load_keys
from peaceops.content.language import ENV as ENV_LANGUAGE
from peaceops.exercises import build, grade_record, kind
from peaceops.exercises.assessment_mode import assessment
from peaceops.exercises.payload import payload
from peaceops.exercises.phrases import FEEDBACK, STATUS_WORDS, UI, VERDICTS
from peaceops.exercises.render import feedback_html
from peaceops.exercises.store import AnswerStore, read

EN, FR = load_course(), load_course(language="fr")
KEYS = {"en": load_keys(EN), "fr": load_keys(FR)}
LEARNERS = ("amina", "dara", "learner-7")
#: Every practice check, and every graded exercise for a few learners and attempts.
SPECS = [(spec, None, 1) for spec in EN.checks.values()] + [
    (spec, learner, attempt) for assignment in EN.assignments.values()
    for spec in assignment.exercises for learner in LEARNERS for attempt in (1, 2)]


def both(spec, learner, attempt):
    keys = None if learner is None else KEYS
    return [build(course, spec, learner, keys and keys[lang], attempt)
            for course, lang in ((EN, "en"), (FR, "fr"))]


def answers_for(exercise, rng: random.Random) -> dict:
    """Answers as a learner gives them: choice values (ids), some blank, some ill-typed."""
    answers = {}
    for item in exercise.items:
        values = [v for v, _ in item.choices]
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.15:
            answers[item.id] = rng.choice([7, "nonsense", {"x": 1}])
        elif item.multiple:
            answers[item.id] = rng.sample(values, rng.randint(0, len(values)))
        else:
            answers[item.id] = rng.choice(values)
    return answers


def test_the_french_course_has_french_role_names_and_the_same_ids():
    roles_en = dict(zip(EN.roles["id"], EN.roles["name"], strict=True))
    roles_fr = dict(zip(FR.roles["id"], FR.roles["name"], strict=True))
    assert roles_en.keys() == roles_fr.keys()
    assert roles_fr["hom"].startswith("Chef de mission") and roles_en["hom"] != roles_fr["hom"]
    principles = dict(zip(FR.principles["id"], FR.principles["name"], strict=True))
    assert principles["impartiality"] == "Impartialité", principles
    # the widgets' data: role matching offers the roles' French names, same values
    spec = next(s for s in EN.checks.values() if s.kind == "role_matching")
    (en, _), (fr, _) = both(spec, None, 1)
    assert [v for v, _ in en.items[0].choices] == [v for v, _ in fr.items[0].choices]
    assert dict(fr.items[0].choices)["hom"] == roles_fr["hom"]


@pytest.mark.parametrize(("spec", "learner", "attempt"), SPECS,
                         ids=[f"{s.id}-{learner}-{a}" for s, learner, a in SPECS])
def test_the_same_answers_score_the_same_in_english_and_french(spec, learner, attempt):
    (en, key_en), (fr, key_fr) = both(spec, learner, attempt)
    assert (fr.id, fr.variant, fr.kind) == (en.id, en.variant, en.kind)
    assert [(i.id, [v for v, _ in i.choices], i.points, i.multiple) for i in fr.items] == \
        [(i.id, [v for v, _ in i.choices], i.points, i.multiple) for i in en.items]
    rng = random.Random(f"{spec.id}/{learner}/{attempt}")
    scorer = kind(en.kind).score
    for _ in range(25):
        answers = answers_for(en, rng)
        a, b = scorer(en, key_en, answers), scorer(fr, key_fr, answers)
        assert (a.points, a.max_points) == (b.points, b.max_points)
        assert [r.status for r in a.items] == [r.status for r in b.items]
        assert [r.points for r in a.items] == [r.points for r in b.items]


def test_an_answers_file_saved_in_french_is_the_one_saved_in_english(tmp_path, monkeypatch):
    """Through the notebook's own call (`assessment`), once per language: the same file,
    and graded by the English grader to the same score."""
    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "dara")
    spec = next(s for a in EN.assignments.values() for s in a.exercises if s.kind == "role_matching")
    saved = {}
    for lang in ("en", "fr"):
        monkeypatch.setenv(ENV_LANGUAGE, lang)
        widget = assessment(spec, folder=tmp_path / lang)
        assert widget.lang == lang
        rng = random.Random(3)
        widget.set_answers({item.id: rng.choice([v for v, _ in item.choices])
                            for item in widget.exercise.items})
        saved[lang] = json.loads((tmp_path / lang / "peaceops-answers.json").read_text())
        for record in saved[lang]["exercises"].values():
            record.pop("saved_at")
    assert saved["fr"] == saved["en"] and saved["fr"]["exercises"]
    monkeypatch.setenv(ENV_LANGUAGE, "en")
    scores = [grade_record(EN, spec, read(tmp_path / lang / "peaceops-answers.json")
                           .records[spec.id], "dara", KEYS["en"]) for lang in ("en", "fr")]
    assert scores[0] == scores[1]


def test_the_widget_speaks_the_learners_language(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "dara")
    spec = next(s for a in EN.assignments.values() for s in a.exercises)
    monkeypatch.setenv(ENV_LANGUAGE, "fr")
    widget = assessment(spec, folder=tmp_path)
    first = widget.exercise.items[0]
    widget.set_answers({first.id: [first.choices[0][0]] if first.multiple else first.choices[0][0]})
    assert widget.status.startswith("✔ Enregistré à "), widget.status
    assert widget.payload["language"] == "fr"
    assert widget.payload["words"]["ui"]["check"] == "Vérifier"
    # an unreadable answers file: the learner is told, in French
    (tmp_path / "peaceops-answers.json").write_text("{not json")
    assert AnswerStore(tmp_path).messages[0].startswith("Votre fichier de réponses")
    # and the other direction: in English, English
    monkeypatch.setenv(ENV_LANGUAGE, "en")
    english = assessment(spec, folder=tmp_path / "en")
    english.set_answers({first.id: [first.choices[0][0]] if first.multiple else first.choices[0][0]})
    assert english.status.startswith("✔ Saved at ")


def test_every_word_of_the_payload_is_translated():
    spec = next(iter(EN.checks.values()))
    exercise, key = build(FR, spec)
    words = {lang: payload(exercise, key, lang=lang)["words"] for lang in ("en", "fr")}
    tables = {"status": STATUS_WORDS, "verdict": VERDICTS, "feedback": FEEDBACK, "ui": UI}
    for name, table in tables.items():
        assert words["en"][name] == table  # English: the words as written
        assert words["fr"][name].keys() == table.keys()
        same = [k for k in table if words["fr"][name][k] == table[k]]
        assert not same, f"{name} left in English: {same}"


def test_practice_feedback_in_french(monkeypatch):
    monkeypatch.setenv(ENV_LANGUAGE, "fr")
    spec = next(s for s in EN.checks.values() if s.kind == "role_matching")
    exercise, key = build(FR, spec)
    item = exercise.items[0]
    wrong = next(v for v, _ in item.choices if v not in key[item.id].accept)
    result = kind(exercise.kind).score(exercise, key, {item.id: wrong})
    assert result.items[0].feedback.startswith("Vous avez choisi ")
    html = feedback_html(exercise, result)
    assert "✘ Inexact" in html and "(Source\u00a0: " in html and "Not correct" not in html


def test_answers_are_ids_never_display_text():
    """The other direction: a French label given as the answer is no answer in either
    language (it is not a choice value), so no display text can reach a score."""
    spec = next(s for s in EN.checks.values() if s.kind == "role_matching")
    (en, key_en), (fr, key_fr) = both(spec, None, 1)
    item = fr.items[0]
    keyed = sorted(key_fr[item.id].accept)[0]
    as_label = {item.id: dict(item.choices)[keyed]}
    for exercise, key in ((en, key_en), (fr, key_fr)):
        assert kind(exercise.kind).score(exercise, key, {item.id: keyed}).items[0].status == "correct"
        assert kind(exercise.kind).score(exercise, key, as_label).items[0].status == "invalid"


@pytest.mark.slow  # the browser's scorer, under node
def test_the_browser_gives_the_french_feedback_python_gives(monkeypatch, tmp_path):
    from tests.exercises.test_frontend_scoring import NODE, Node

    if NODE is None:
        pytest.skip("node is not installed: install Node.js to compare the browser's scoring")
    monkeypatch.setenv(ENV_LANGUAGE, "fr")
    runner = Node(tmp_path)
    try:
        rng = random.Random(31)
        for spec in EN.checks.values():
            exercise, key = build(FR, spec)
            data = payload(exercise, key)
            for _ in range(4):
                answers = answers_for(exercise, rng)
                expected = kind(exercise.kind).score(exercise, key, answers)
                shown = runner.score(data, answers)
                assert shown["result"]["points"] == expected.points
                for mine, theirs in zip(shown["result"]["items"], expected.items, strict=True):
                    if theirs.status != "invalid":  # Python's repr() of odd values differs
                        assert mine["feedback"] == theirs.feedback
                    else:
                        assert mine["feedback"].startswith("Non noté\u00a0: ")
                if all(r.status != "invalid" for r in expected.items):
                    assert shown["html"].endswith(feedback_html(exercise, expected))
                    assert "Not scored" not in shown["html"] and "(Source:" not in shown["html"]
    finally:
        runner.process.stdin.close()
        runner.process.wait(10)


def test_answered_and_my_progress_speak_french(tmp_path, monkeypatch, capsys):
    from peaceops.assignments import answered
    from peaceops.progress import progress

    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "dara")
    monkeypatch.setenv("PEACEOPS_LEARNER", "dara")
    spec = next(s for a in EN.assignments.values() for s in a.exercises)
    monkeypatch.setenv(ENV_LANGUAGE, "fr")
    answered(spec.id, tmp_path)
    said = capsys.readouterr().out
    assert said.startswith("0 de vos ") and "Répondez à chaque item" in said, said
    mine = progress(tmp_path)
    assert mine.summary().startswith("Entraînement\u00a0: 0 vérifications sur ")
    titles = dict(zip(FR.lessons["id"], FR.lessons["title"], strict=True))
    assert set(mine.practice.lesson) <= set(titles.values())
    monkeypatch.setenv(ENV_LANGUAGE, "en")  # the other direction
    answered(spec.id, tmp_path)
    assert capsys.readouterr().out.startswith("0 of your ")
    assert progress(tmp_path).summary().startswith("Practice: 0 of ")
