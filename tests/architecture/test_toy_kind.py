"""Adding an exercise kind is one class plus its data: a toy kind, defined here and touching
no module of the package, goes through loading, the widget and grading."""

from __future__ import annotations

import shutil

import pytest
import yaml

from peaceops.content import REGISTRY, load_course, load_keys
from peaceops.exercises import Exercise, Item, ItemKey, Kind, build, grade_record
from peaceops.exercises.store import Record
from tests.conftest import ROOT


@pytest.fixture
def true_false():
    """A "true or false" kind: its own pool, practice file, check and bank sections."""

    class TrueFalse(Kind):
        name = "true_false"
        pool = "statements"
        owns_pool = True
        practice_source = "statements.yaml"
        title = "True or false?"
        control = "radio"
        CHOICES = (("true", "True"), ("false", "False"))

        @classmethod
        def read_public(cls, entry, context, say):
            return {"text": say.text(entry, "text")}

        @classmethod
        def read_key(cls, entry, public, context, say):
            if not isinstance(entry.get("true"), bool):
                say("true", "must be true or false")
            return {"true": entry.get("true") is True, "why": say.text(entry, "why"),
                    "source": cls.citation(entry, say)}

        @classmethod
        def read_check(cls, entry, context, say):
            return {"items": tuple(entry.get("items") or ())}, []

        @classmethod
        def build(cls, course, spec, learner=None, keys=None, attempt=1):
            ids, variant = cls.drawn(spec, learner, attempt)
            items, key = [], {}
            for item_id in ids:
                entry = course.entry(cls.pool, item_id)
                items.append(Item(item_id, entry.public["text"], cls.CHOICES))
                if (k := cls.key_of(entry, keys)) is not None:
                    key[item_id] = ItemKey(frozenset({"true" if k["true"] else "false"}),
                                           k["why"], k["source"])
            return Exercise(spec.id, cls.name, cls.title, "Is each statement true?",
                            tuple(items), spec.source, variant=variant), key

    yield TrueFalse
    REGISTRY.pop("true_false")


@pytest.fixture
def toy_course(tmp_path, true_false):
    """A course copy whose data/ and keys hold the toy kind's content, and nothing else new."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)  # its folders: solutions/, exercises/
    keys_dir = tmp_path / "solutions" / "keys"
    keys_dir.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "keys" / "bank-keys.yaml", keys_dir)
    shutil.copy(ROOT / "solutions" / "keys" / "exam-keys.yaml", keys_dir)
    data = tmp_path / "data"
    (data / "statements.yaml").write_text(yaml.safe_dump([
        {"id": "tf-hom", "text": "The HoM leads the MLT.", "true": True,
         "why": "The HoM heads the mission.", "source": "MLT roles"},
        {"id": "tf-fc", "text": "The FC heads the police.", "true": False,
         "why": "The PC heads the police.", "source": "MLT roles"},
    ]))
    checks = yaml.safe_load((data / "checks.yaml").read_text())
    checks.append({"id": "mlt-true-false", "lesson": "mlt", "kind": "true_false",
                   "items": ["tf-hom", "tf-fc"], "source": "MLT roles"})
    (data / "checks.yaml").write_text(yaml.safe_dump(checks))
    bank = yaml.safe_load((data / "bank.yaml").read_text())
    bank["statements"] = [{"id": "b-tf-dms", "text": "The DMS advises on finances."},
                          {"id": "b-tf-cos", "text": "The CoS commands the force."}]
    (data / "bank.yaml").write_text(yaml.safe_dump(bank))
    keys = yaml.safe_load((keys_dir / "bank-keys.yaml").read_text())
    keys["statements"] = {
        "b-tf-dms": {"true": True, "why": "Finance is the DMS's.", "source": "MLT roles"},
        "b-tf-cos": {"true": False, "why": "The FC commands.", "source": "MLT roles"}}
    (keys_dir / "bank-keys.yaml").write_text(yaml.safe_dump(keys))
    assignments = yaml.safe_load((data / "assignments.yaml").read_text())
    assignments[0]["exercises"].append({"id": "mlt-tf", "kind": "true_false",
                                        "items": "b-tf-*", "source": "MLT roles"})
    (data / "assignments.yaml").write_text(yaml.safe_dump(assignments))
    return data


def test_a_toy_kind_loads_renders_and_grades(toy_course):
    course = load_course(toy_course, cache=False)
    assert set(course.pools["statements"]) == {"tf-hom", "tf-fc", "b-tf-dms", "b-tf-cos"}

    # practice: the widget shows it with radio buttons and checks it with the kind's key
    from peaceops.exercises import PRACTICE, ExerciseWidget

    exercise, key = build(course, course.checks["mlt-true-false"])
    seen = []
    widget = ExerciseWidget(exercise, key, mode=PRACTICE, on_check=lambda e, r: seen.append(r))
    assert [item["control"] for item in widget.payload["items"]] == ["radio", "radio"]
    widget.set_answers({"tf-hom": "true", "tf-fc": "true"})
    widget.check()
    assert (seen[0].points, seen[0].max_points) == (1, 2)

    # grading: the hidden keys are read and validated by the kind, the assignment draws it
    keys = load_keys(course, toy_course.parent / "solutions" / "keys" / "bank-keys.yaml")
    spec = course.assignments["mlt-roles"].spec("mlt-tf")
    record = Record("mlt-tf", "all", "amina", "now", {"b-tf-dms": "true", "b-tf-cos": "false"})
    assert grade_record(course, spec, record, "amina", keys).points == 2
    assert grade_record(course, spec, None, "amina", keys).points == 0


def test_the_toy_kind_validates_its_own_content(toy_course):
    statements = yaml.safe_load((toy_course / "statements.yaml").read_text())
    statements[1]["true"] = "maybe"
    (toy_course / "statements.yaml").write_text(yaml.safe_dump(statements))
    from peaceops.content import ContentError

    with pytest.raises(ContentError) as error:
        load_course(toy_course, cache=False)
    (issue,) = error.value.issues
    assert (issue.file, issue.field, issue.message) == ("data/statements.yaml", "true",
                                                        "must be true or false")
