"""data/certification.yaml loads, and each mistake is named by file and field with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import peaceops
from peaceops.content import ContentError, data_dir, load_certification


def test_the_course_configuration_loads(certification):
    assert certification.course_id == "peaceops"
    assert certification.course_version == peaceops.__version__
    rule = certification.rule()
    assert rule.version == certification.current == "2026.1"
    assert (rule.exam, rule.min_percent, rule.max_attempts) == ("certification-exam", 75, 2)
    assert rule.require_submitted == (
        "mlt-roles",
        "principles-politics",
        "rights-wps-conduct",
        "polarities",
    )
    assert "75 %" in rule.describe()


def test_the_course_title_is_given_in_every_language_with_the_un_terms(certification):
    """Issue 31: the French title is data, and uses the UN's French term (terms.csv) for
    each term of the English title; a title without them fails the same check."""
    from peaceops.content.translations import load_terms, missing_terms

    assert certification.title() == certification.title("en") == certification.course_title
    assert certification.title("fr") == "Diriger les opérations de paix des Nations Unies"
    terms = load_terms("fr")
    assert missing_terms(certification.course_title, certification.title("fr"), terms) == []
    wrong = "Diriger les missions de maintien de la paix de l'ONU"
    assert [t.id for t in missing_terms(certification.course_title, wrong, terms)] == [
        "peace_operations"]


def test_a_retranslated_title_loads_once_its_source_is_stamped(tmp_path):
    """The stamp is data/i18n's (`translations.source_sha` of a one-field row): after a new
    English title, the French loads again once re-translated and stamped."""
    from peaceops.content.certification import source_sha
    from peaceops.content.translations import source_sha as row_sha

    title = "Leading  United Nations\nPeace Operations"
    assert source_sha(title) == row_sha({"title": title}, "lessons") == "6b2a8cf031"
    new = "Leading UN Peace Operations"
    path = _write(tmp_path, _course(title=new, translations={"fr": {
        "title": "Diriger les opérations de paix de l'ONU", "source_sha": source_sha(new)}}))
    assert load_certification(path).title("fr") == "Diriger les opérations de paix de l'ONU"


def test_an_unknown_rule_version_is_a_clear_error(certification):
    with pytest.raises(ContentError, match="no pass rule '1999.1'.*use one of 2026.1"):
        certification.rule("1999.1")


def _write(tmp_path: Path, change) -> Path:
    config = yaml.safe_load((data_dir() / "certification.yaml").read_text())
    change(config)
    path = tmp_path / "certification.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def _rule(**fields):
    def change(config):
        config["rules"][0].update(fields)

    return change


def _pop(*keys):
    def change(config):
        target = config
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return change


def _set(key, value):
    def change(config):
        config[key] = value

    return change


def _course(**fields):
    def change(config):
        config["course"].update(fields)

    return change


def _second_rule(**fields):
    def change(config):
        config["rules"].append({**config["rules"][0], **fields})

    return change


@pytest.mark.parametrize(
    "change, field, message",
    [
        (_pop("course", "version"), "course.version", "is missing"),
        (_course(version="9.9.9"), "course.version", f"set it to '{peaceops.__version__}'"),
        (_course(version=1.0), "course.version", "must be text"),
        (_course(colour="blue"), "course.colour", "unknown field"),
        (_pop("issuer"), "issuer", "is missing"),
        (_set("course", "peaceops"), "course", "must be a mapping"),
        (_set("rules", []), "rules", "non-empty list"),
        (_set("current", "2030.1"), "current", "names no rule: use one of 2026.1"),
        (_set("extra", 1), "extra", "unknown field"),
        (_rule(version=2026.1), "version", 'write it in quotes, e.g. "2026.1"'),
        (_rule(version="2026/1"), "version", "letters, digits"),
        (_rule(exam="final-exam"), "exam", "is not in data/assignments.yaml"),
        (_rule(exam="polarities"), "exam", "is not the certification exam"),
        (_rule(min_percent=0), "min_percent", "above 0 and at most 100"),
        (_rule(min_percent=101), "min_percent", "above 0 and at most 100"),
        (_rule(min_percent="75"), "min_percent", "above 0 and at most 100"),
        (_rule(max_attempts=0), "max_attempts", "at least 1"),
        (_rule(max_attempts=1.5), "max_attempts", "whole number"),
        (_rule(max_attempts=True), "max_attempts", "whole number"),
        (_rule(require_submitted="mlt-roles"), "require_submitted", "list of assignment ids"),
        (_rule(require_submitted=["mlt-role"]), "require_submitted", "'mlt-role' is not in"),
        (_rule(require_submitted=["certification-exam"]), "require_submitted", "the exam itself"),
        (_rule(require_submitted=["polarities", "polarities"]), "require_submitted", "twice"),
        (_rule(pass_mark=75), "pass_mark", "unknown field"),
        (_second_rule(), "version", "duplicate version"),
        # issue 31: the course title in each other language of the course, as data
        (_pop("course", "translations"), "course.translations.fr", "is missing: add the "
         "course title in 'fr'"),
        (_pop("course", "translations", "fr", "title"), "course.translations.fr.title",
         "is missing"),
        (_course(translations={"fr": {"title": ""}}), "course.translations.fr.title",
         "is missing"),
        (_course(translations={"fr": {"title": "X"}, "de": {"title": "Y"}}),
         "course.translations.de", "not a language the course is translated into: use fr"),
        (_course(translations={"fr": "Diriger"}), "course.translations.fr", "must be a mapping"),
        (_course(translations={"fr": {"title": "X", "source_sha": "6b2a8cf031", "name": "Y"}}),
         "course.translations.fr.name", "unknown field"),
        (_course(translations=["fr"]), "course.translations", "must be a mapping of languages"),
        (_course(title="Leading UN Peace Operations"), "course.translations.fr.source_sha",
         "another English title than the one translated: re-translate course.translations.fr"
         ".title from 'Leading UN Peace Operations', then set source_sha to '"),
        (_pop("course", "translations", "fr", "source_sha"), "course.translations.fr.source_sha",
         "is missing: re-translate"),
    ],
)
def test_each_mistake_names_file_and_field(tmp_path, change, field, message):
    path = _write(tmp_path, change)
    with pytest.raises(ContentError) as error:
        load_certification(path)
    text = str(error.value)
    assert str(path) in text and f"field '{field}'" in text and message in text, text


def test_a_valid_change_loads(tmp_path):
    path = _write(tmp_path, _second_rule(version="2027.1", min_percent=80, max_attempts=1))
    certification = load_certification(path)
    assert certification.rule("2027.1").min_percent == 80
    assert certification.rule().version == "2026.1"


def test_every_problem_is_reported_at_once(tmp_path):
    def change(config):
        _rule(min_percent=0, max_attempts=0)(config)
        _course(version="9")(config)

    with pytest.raises(ContentError) as error:
        load_certification(_write(tmp_path, change))
    assert len(error.value.issues) == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules: [unclosed", "not valid YAML"),
        ("- a list", "must be a mapping"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "certification.yaml"
    path.write_text(text)
    with pytest.raises(ContentError, match=message):
        load_certification(path)


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ContentError, match="file not found.*data/README.md"):
        load_certification(tmp_path / "nothing.yaml")
