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
from peaceops.exercises.connotation import connotation_row
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


# --- the items in French (data/i18n/fr/*.yaml, the hidden keys' feedback) -------------------

from peaceops.content import EXAM_BANK, LESSON_BANK  # noqa: E402
from peaceops.content.item_translations import clean_translations, english_words  # noqa: E402
from peaceops.content.schema import WEIGHTS  # noqa: E402
from peaceops.exercises.kinds import PrincipleWeighing  # noqa: E402
from peaceops.exercises.widget import PRACTICE, ExerciseWidget  # noqa: E402

FRENCH = {name: clean_translations(EN.directory, name, "fr")
          for name in ("checks", "scenarios", "bank", "exam-bank", "bank-keys")}
EXAM = next(a for a in EN.assignments.values() if a.certification)
#: One graded exercise per kind and bank (lesson-group assignments, the exam).
GRADED = {(spec.kind, a.certification): spec for a in EN.assignments.values()
          for spec in a.exercises}


def _words(exercise, key=None) -> list[str]:
    """Every text of an exercise a learner reads, with its key's feedback."""
    texts = [exercise.title, exercise.prompt, exercise.hint, exercise.context]
    for item in exercise.items:
        texts += [item.prompt, item.label, *(label for _, label in item.choices)]
    texts += [k.rationale for k in (key or {}).values()]
    return [t for t in texts if t]


def _english(texts) -> list[str]:
    """The texts with English words in them (three or more: a sentence left in English)."""
    return [t for t in texts if len(english_words(t)) >= 3]


def test_the_scale_shows_the_weights_labels():
    assert {w: f"{w}: {label}" for w, label in WEIGHTS.items()} == PrincipleWeighing.SCALE


def test_a_french_learner_reads_the_practice_checks_in_french():
    """Prompt, options, hint and feedback (explanation, rationales) from data/i18n/fr, in
    every practice check; the kinds' own words in French too; and in English, English."""
    assert FRENCH["checks"] and FRENCH["scenarios"]
    for spec in EN.checks.values():  # each course's own check, as `lessons.check` builds it
        (en, key_en), (fr, key_fr) = build(EN, spec), build(FR, FR.checks[spec.id])
        assert not _english(_words(fr, key_fr)), (spec.id, _english(_words(fr, key_fr)))
        assert _english(_words(en, key_en)), spec.id  # the other direction
        french = FRENCH["checks"][spec.id]
        assert " ".join(french["hint"].split()) == fr.hint
        if "prompt" in french:  # a choice: its question, options (same order) and explanation
            assert fr.prompt == " ".join(french["prompt"].split())
            assert [label for _, label in fr.items[0].choices] == \
                [" ".join(o.split()) for o in french["options"]]
            assert key_fr[spec.id].rationale == " ".join(french["explanation"].split())
        if spec.kind == "principle_weighing":
            scenario = FRENCH["scenarios"][spec.items[0]]
            assert fr.title == " ".join(scenario["title"].split())
            assert fr.context == " ".join(scenario["situation"].split())
            assert key_fr["consent"].rationale == " ".join(scenario["rationale"]["consent"].split())


@pytest.mark.parametrize(("kind_name", "exam"), sorted(GRADED), ids=lambda v: str(v))
def test_a_french_learner_reads_graded_items_in_french(kind_name, exam):
    """A graded exercise of each kind and bank, built for a French learner: the items'
    texts from data/i18n/fr/{bank,exam-bank}.yaml where translated, the lesson bank's
    feedback from the hidden French keys; same items, values and keys as in English."""
    spec = GRADED[kind_name, exam]
    bank = EXAM_BANK if exam else LESSON_BANK
    public = FRENCH["exam-bank" if exam else "bank"]
    for learner in LEARNERS:
        (en, key_en), (fr, key_fr) = both(spec, learner, 1)
        pool = kind(spec.kind).pool
        ids = [fr.meta["scenario"]] if "scenario" in fr.meta else [i.id for i in fr.items]
        for ident in ids:
            entry = FR.entry(pool, ident)
            assert entry.bank == bank
            if ident not in public:
                continue  # not translated yet: English (translations check reports it)
            texts = [" ".join(str(v).split()) for f, v in public[ident].items()
                     if f != "options"]
            shown = _words(fr)
            assert any(t in shown for t in texts), (ident, texts)
        if not exam and all(i in public for i in ids):
            assert not _english(_words(fr, key_fr)), _english(_words(fr, key_fr))
        assert {i: k.accept for i, k in key_fr.items()} == {i: k.accept for i, k in key_en.items()}


def test_the_lesson_banks_feedback_is_french_and_the_exams_keys_unchanged():
    feedback = FRENCH["bank-keys"]
    assert feedback, "solutions/keys/i18n/fr/bank-keys.yaml"
    for pool, items in KEYS["fr"].items():
        for ident, key in items.items():
            english = KEYS["en"][pool][ident]
            same = {k: v for k, v in key.items() if k not in ("explanation", "rationale",
                                                             "correct")}
            assert same == {k: v for k, v in english.items()
                            if k not in ("explanation", "rationale", "correct")}
            if ident in feedback and "explanation" in feedback[ident]:
                assert key["explanation"] == " ".join(feedback[ident]["explanation"].split())
            if EN.entry(pool, ident).bank == EXAM_BANK and "explanation" in english:
                assert key["explanation"] == english["explanation"]  # never shown: kept


@pytest.mark.parametrize("attempt", (1, 2, 3))
def test_the_french_exam_draws_the_same_items_keys_and_order(attempt):
    """A French candidate's variant of every exam exercise: the same items, in the same
    order, with the same choices (values, order) and keys as the English one, for each
    learner and attempt."""
    for learner in (*LEARNERS, "candidate-0042"):
        for spec in EXAM.exercises:
            (en, key_en), (fr, key_fr) = both(spec, learner, attempt)
            assert fr.variant == en.variant and fr.meta == en.meta
            assert [(i.id, [v for v, _ in i.choices], i.points) for i in fr.items] == \
                [(i.id, [v for v, _ in i.choices], i.points) for i in en.items]
            assert {i: (k.accept, k.points) for i, k in key_fr.items()} == \
                {i: (k.accept, k.points) for i, k in key_en.items()}


@pytest.mark.parametrize(("kind_name", "exam"), sorted(GRADED), ids=lambda v: str(v))
def test_every_kind_saves_the_same_answers_file_in_french_and_english(
        kind_name, exam, tmp_path, monkeypatch):
    """Through the notebook's own call, for each kind in the lesson bank and the exam: the
    same answers give the same answers file, and it grades the same in both languages."""
    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "dara")
    spec = GRADED[kind_name, exam]
    saved = {}
    for lang in ("en", "fr"):
        monkeypatch.setenv(ENV_LANGUAGE, lang)
        widget = assessment(spec, folder=tmp_path / lang)
        rng = random.Random(f"{spec.id}")
        widget.set_answers(answers_for(widget.exercise, rng))
        widget._changed()
        saved[lang] = json.loads((tmp_path / lang / "peaceops-answers.json").read_text())
        for record in saved[lang]["exercises"].values():
            record.pop("saved_at")
    assert saved["fr"] == saved["en"] and saved["fr"]["exercises"]
    scores = {lang: grade_record(course, spec, read(tmp_path / lang / "peaceops-answers.json")
                                 .records[spec.id], "dara", KEYS[lang])
              for lang, course in (("en", EN), ("fr", FR))}
    assert (scores["en"].points, [r.status for r in scores["en"].items]) == \
        (scores["fr"].points, [r.status for r in scores["fr"].items])


def test_every_practice_check_keeps_the_same_answers_in_french(monkeypatch):
    """Practice: the widget holds the same answers (values) and Check scores them the same."""
    for spec in EN.checks.values():
        rng = random.Random(spec.id)
        widgets = {}
        for course, lang in ((EN, "en"), (FR, "fr")):
            exercise, key = build(course, course.checks[spec.id])
            widgets[lang] = ExerciseWidget(exercise, key, mode=PRACTICE, lang=lang)
        answers = answers_for(widgets["en"].exercise, rng)
        for widget in widgets.values():
            widget.set_answers(answers)
        assert widgets["en"].answers() == widgets["fr"].answers()
        en, fr = widgets["en"].check(), widgets["fr"].check()
        assert (en.points, [r.status for r in en.items]) == (fr.points, [r.status for r in fr.items])
        if any(r.status == "incorrect" for r in fr.items):
            assert "✘ Inexact" in widgets["fr"].feedback


@pytest.mark.parametrize("bank", (LESSON_BANK, EXAM_BANK))
def test_the_french_items_pass_the_form_audits(bank):
    """No cue of form gives a key away in French either: the questions' and polarities'
    form audits (key position, longest option, class words...) and the loaded-words check
    pass on the French texts."""
    course = FR.with_keys(KEYS["fr"])
    for name in ("quiz", "polarity_sorting", "role_matching"):
        cls = kind(name)
        entries = list(course.graded(cls.pool, bank).values())
        rows = [*cls.audit(entries), connotation_row(cls.cues(entries, course))]
        assert rows and all(ok for _, _, _, ok, _ in rows), [r for r in rows if not r[3]]


def test_the_exam_notebook_shows_a_french_candidate_the_french_variant(tmp_path, monkeypatch):
    """The exam's cell (`show`, as the released notebook calls it) in the learner's
    language: the same variant and item ids as in English, the French statements."""
    from peaceops.assignments import show

    monkeypatch.chdir(tmp_path)  # the notebook's folder: its answers file would be here
    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "dara")
    spec = next(s for s in EXAM.exercises if s.kind == "role_matching")
    shown = {}
    for lang in ("en", "fr"):
        monkeypatch.setenv(ENV_LANGUAGE, lang)
        shown[lang] = show(spec.id).exercise
    en, fr = shown["en"], shown["fr"]
    assert (fr.variant, [i.id for i in fr.items]) == (en.variant, [i.id for i in en.items])
    for item in fr.items:
        assert item.prompt == " ".join(FRENCH["exam-bank"][item.id]["statement"].split())
    assert fr.title != en.title and not _english(_words(fr))
    monkeypatch.setenv(ENV_LANGUAGE, "en")  # an explicit language wins over the setting
    assert show(spec.id, lang="fr").exercise == fr
