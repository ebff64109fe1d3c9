"""The ITEMS in French as data (issue 31): data/i18n/fr/{checks,scenarios,bank,exam-bank}.yaml
and the hidden solutions/keys/i18n/fr/bank-keys.yaml. The committed translations pass every
check; every check fails, naming file and id, on a doctored copy (never the repository)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from peaceops.cli import main
from peaceops.content import load_course, load_keys
from peaceops.content.item_translations import (
    ITEM_FILES,
    SHA,
    check_file,
    check_items,
    english_items,
    source_sha,
    stamp_items,
    translation_path,
)
from peaceops.content.translations import load_terms, terms_in

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CHECKS_FR = DATA / "i18n" / "fr" / "checks.yaml"
#: The item files translated in full: every one (issue 31).
COMPLETE = tuple(ITEM_FILES)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A writable course: data/ (tables, items, translations), the hidden keys and
    nbgrader_config.py (which names solutions/ as the source folder)."""
    root = tmp_path / "course"
    shutil.copytree(DATA, root / "data")
    shutil.copytree(ROOT / "solutions" / "keys", root / "solutions" / "keys")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    return root


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def said(issues) -> list[str]:
    return [str(issue) for issue in issues]


def doctor(course: Path, change) -> list[str]:
    """The check's messages for checks.yaml after `change(french items)`."""
    path = course / "data/i18n/fr/checks.yaml"
    data = load(path)
    change(data)
    dump(path, data)
    return said(check_file(course / "data", "checks", "fr"))


def test_the_committed_item_translations_pass_every_check():
    """Every item file translated so far: clean (none missing, stale, unknown, short, in
    English or without its official terms)."""
    present = [n for n in ITEM_FILES if translation_path(DATA, n, "fr").is_file()]
    assert set(COMPLETE) <= set(present)
    for name in present:
        problems = said(check_file(DATA, name, "fr"))
        if name in COMPLETE:
            assert problems == [], name
        else:  # still in translation: only items not translated yet
            assert all(": missing: data/" in p for p in problems), problems


def test_a_clean_copy_passes_and_the_format_is_id_to_fields(course):
    assert doctor(course, lambda data: None) == []
    french = load(course / "data/i18n/fr/checks.yaml")
    english = english_items(load(DATA / "checks.yaml"))
    assert list(french) == list(english)  # same ids, same order
    for ident, fields in french.items():
        assert set(fields) == {*english[ident], SHA}
        assert fields[SHA] == source_sha(english[ident])


def test_a_missing_item_is_reported(course):
    problems = doctor(course, lambda data: data.pop("why-learning"))
    assert problems == ["data/i18n/fr/checks.yaml, id 'why-learning': missing: data/checks.yaml "
                        "has this item and the translation has none; translate it, then "
                        "`peaceops translations stamp checks why-learning`"]


def test_an_unknown_id_is_reported(course):
    def add(data):
        data["no-such-check"] = dict(data["why-learning"])

    (problem,) = doctor(course, add)
    assert problem.startswith("data/i18n/fr/checks.yaml, id 'no-such-check': unknown id")


def test_options_of_another_length_are_reported(course):
    def shorten(data):
        data["welcome-peacekeeping"]["options"].pop()

    (problem,) = doctor(course, shorten)
    assert problem.startswith("data/i18n/fr/checks.yaml, id 'welcome-peacekeeping', field "
                              "'options': has 3 entries, the English 4")


def test_a_field_the_english_lacks_is_reported(course):
    def add(data):
        data["welcome-peacekeeping"]["correct"] = ["Impartialité"]
        data["mlt-roles"]["situation"] = "Une situation."

    problems = doctor(course, add)
    assert len(problems) == 2
    assert "id 'welcome-peacekeeping', field 'correct': not a learner-facing field" in problems[0]
    assert "id 'mlt-roles', field 'situation': not a learner-facing field" in problems[1]


def test_a_missing_or_empty_field_is_reported(course):
    def blank(data):
        del data["why-learning"]["hint"]
        data["why-political-solutions"]["explanation"] = " "

    problems = doctor(course, blank)
    assert any("id 'why-learning', field 'hint': missing" in p for p in problems), problems
    assert any("id 'why-political-solutions', field 'explanation': empty" in p
               for p in problems), problems


def test_an_edited_english_item_is_stale_until_stamped(course):
    english = course / "data/checks.yaml"
    text = english.read_text(encoding="utf-8")
    assert "Think of direction and execution." in text
    english.write_text(text.replace("Think of direction and execution.",
                                    "Think of who directs and who executes."), encoding="utf-8")
    (problem,) = said(check_file(course / "data", "checks", "fr"))
    assert problem.startswith("data/i18n/fr/checks.yaml, id 'essence-civil-uniformed', field "
                              "'source_sha': stale: the English item of data/checks.yaml changed")
    # an ill-typed stamp cannot mask it, and the overlay leaves the stale item in English
    french = load_course(course / "data", language="fr", cache=False)
    assert french.checks["essence-civil-uniformed"].hint == "Think of who directs and who executes."
    assert french.checks["why-learning"].hint != load_course().checks["why-learning"].hint
    before = (course / "data/i18n/fr/checks.yaml").read_text(encoding="utf-8")
    assert stamp_items("checks", ["essence-civil-uniformed"], "fr", course / "data") == \
        ["essence-civil-uniformed"]
    after = (course / "data/i18n/fr/checks.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 1 and changed[0][1].strip().startswith(f"{SHA}: ")  # text kept
    assert said(check_file(course / "data", "checks", "fr")) == []
    assert stamp_items("checks", None, "fr", course / "data") == []  # nothing else changed
    with pytest.raises(KeyError, match="no-such-check"):
        stamp_items("checks", ["no-such-check"], "fr", course / "data")


def test_a_missing_official_term_is_reported(course):
    """Take an item whose English uses a term of terms.csv; drop the term's official
    forms from the French: the check names the term."""
    terms = load_terms("fr", DATA)
    english = english_items(load(DATA / "checks.yaml"))
    ident, field, term = next((i, f, t[0]) for i, fields in english.items()
                              for f, v in fields.items() if isinstance(v, str)
                              and (t := [x for x in terms_in(v, terms) if x.id == "hrddp"]))

    def drop(data):
        text = data[ident][field]
        for form in sorted(term.translated, key=len, reverse=True):
            text = re.sub(re.escape(form), "cette politique", text, flags=re.IGNORECASE)
        data[ident][field] = text

    (problem,) = doctor(course, drop)
    assert problem.startswith(f"data/i18n/fr/checks.yaml, id '{ident}', field '{field}': "
                              f"term '{term.id}'")


def test_a_field_left_in_english_is_reported(course):
    english = english_items(load(DATA / "checks.yaml"))

    def revert(data):
        data["why-learning"]["hint"] = english["why-learning"]["hint"]
        data["why-political-solutions"]["options"][0] = "The role of the mission"
        data["why-learning"]["options"][2] = english["why-learning"]["options"][2]
        data["essence-characteristics"]["options"][2] = "Inclusive"  # one shared word: passes

    assert doctor(course, revert) == [
        "data/i18n/fr/checks.yaml, id 'why-political-solutions', field 'options': left in "
        "English (English words in it); translate it",
        "data/i18n/fr/checks.yaml, id 'why-learning', field 'options': left in English "
        "(English words in it); translate it",
        "data/i18n/fr/checks.yaml, id 'why-learning', field 'hint': left in English (English "
        "words in it); translate it"]


def test_a_mapping_with_other_keys_is_reported(course):
    """A scenario's rationale maps principle ids to texts: the same ids as the English."""
    path = course / "data/i18n/fr/scenarios.yaml"
    data = load(path)
    ident = next(iter(data))
    data[ident]["rationale"]["consentement"] = data[ident]["rationale"].pop("consent")
    dump(path, data)
    (problem,) = said(check_file(course / "data", "scenarios", "fr"))
    assert problem == (f"data/i18n/fr/scenarios.yaml, id '{ident}', field 'rationale': must "
                       "have the English keys; missing ['consent']; not in the English "
                       "['consentement']")


def test_bad_yaml_and_a_missing_file_are_reported(course):
    path = course / "data/i18n/fr/checks.yaml"
    path.write_text("why-learning: [unclosed\n", encoding="utf-8")
    (problem,) = said(check_file(course / "data", "checks", "fr"))
    assert problem.startswith("data/i18n/fr/checks.yaml: not valid YAML")
    path.unlink()
    (problem,) = said(check_file(course / "data", "checks", "fr"))
    assert problem.startswith("data/i18n/fr/checks.yaml: file not found; translate "
                              "data/checks.yaml into it")
    # and the course still loads in French, the checks in English
    french = load_course(course / "data", language="fr", cache=False)
    assert french.checks["why-learning"].hint == load_course().checks["why-learning"].hint


def test_the_hidden_keys_translation_lives_beside_the_keys(course):
    """solutions/keys/i18n/fr/bank-keys.yaml: its feedback reaches load_keys of the French
    course for the lesson bank only, checked like the public files."""
    english = english_items(load(course / "solutions/keys/bank-keys.yaml"))
    terms = load_terms("fr", DATA)

    def plain(text):  # no official term to render
        return not terms_in(text, terms)

    ident = next(i for i, f in english.items() if isinstance(f.get("rationale"), dict)
                 and plain(" ".join(f["rationale"].values())))
    question = next(i for i, f in english.items() if i.startswith("b-q-")
                    and plain(f["explanation"]))
    french = {ident: {"rationale": {p: f"Raison en français pour {p}."
                                    for p in english[ident]["rationale"]}},
              question: {"explanation": "Une explication en français, pour la question."}}
    path = course / "solutions/keys/i18n/fr/bank-keys.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    dump(path, french)  # in place of the committed translation, if any
    problems = said(check_file(course / "data", "bank-keys", "fr"))
    assert any(p.startswith(f"solutions/keys/i18n/fr/bank-keys.yaml, id '{ident}', field "
                            f"'{SHA}': stale") for p in problems), problems
    assert not [p for p in problems if "b-role-" in p]  # a role key: no text to translate
    assert stamp_items("bank-keys", None, "fr", course / "data") == [ident, question]
    problems = said(check_file(course / "data", "bank-keys", "fr"))
    assert not [p for p in problems if f"id '{ident}'" in p or f"id '{question}'" in p]
    assert all(": missing: solutions/keys/bank-keys.yaml has this item" in p
               for p in problems), problems
    en = load_course(course / "data", cache=False)
    fr = load_course(course / "data", language="fr", cache=False)
    keys_en, keys_fr = load_keys(en), load_keys(fr)
    assert keys_fr["scenarios"][ident]["rationale"]["consent"] == "Raison en français pour consent."
    assert keys_fr["questions"][question]["explanation"].startswith("Une explication")
    assert keys_en["questions"][question]["explanation"] == \
        " ".join(english[question]["explanation"].split())  # English unchanged
    for pool, items in keys_en.items():  # every other key: the English, same keyed values
        for item, key in items.items():
            assert {k: v for k, v in keys_fr[pool][item].items()
                    if k not in ("explanation", "rationale", "correct")} == \
                {k: v for k, v in key.items() if k not in ("explanation", "rationale", "correct")}


def test_the_cli_checks_and_stamps_items(course, capsys):
    args = ["--course", str(course)]
    english = course / "data/checks.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "Think of direction and execution.", "Think of who directs."), encoding="utf-8")
    assert main(["translations", "check", *args]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "  - data/i18n/fr/checks.yaml, id 'essence-civil-uniformed', field 'source_sha': stale: "
        "the English item of data/checks.yaml changed since this translation (or it was never "
        "stamped); re-translate it, then record its English source with `peaceops translations "
        "stamp checks essence-civil-uniformed` (see data/README.md, data/i18n/)"]
    assert main(["translations", "stamp", "checks", "essence-civil-uniformed", *args]) == 0
    assert capsys.readouterr().out.startswith(
        "stamped 1 item(s) of data/i18n/fr/checks.yaml: essence-civil-uniformed")
    assert main(["translations", "check", *args]) == 0


def test_check_items_covers_every_file(course):
    """Each item file is checked: one missing translation file is one problem each."""
    for name in ITEM_FILES:
        path = translation_path(course / "data", name, "fr")
        if path.is_file():
            path.unlink()
    problems = said(check_items(course / "data", "fr"))
    assert [p.split(":")[0] for p in problems] == [
        "data/i18n/fr/checks.yaml", "data/i18n/fr/scenarios.yaml", "data/i18n/fr/bank.yaml",
        "data/i18n/fr/exam-bank.yaml", "solutions/keys/i18n/fr/bank-keys.yaml",
        "data/i18n/fr/assignments.yaml", "data/i18n/fr/exam-blueprint.yaml"]


def test_stamp_keeps_the_layout_and_refuses_one_it_cannot_stamp(course):
    """Stamping writes one line under each id, indented like its fields (four spaces
    here), and keeps comments and quoting; an item written inline cannot be stamped: a
    clear error, and the file is left as it was."""
    path = course / "data/i18n/fr/checks.yaml"
    data = load(path)
    english = english_items(load(DATA / "checks.yaml"))
    lines = ["# a translator's note", ""]
    for ident, fields in data.items():
        fields.pop(SHA)
        lines.append(f'"{ident}":' if ident == "why-learning" else f"{ident}:  # checked")
        for field, value in fields.items():
            text = yaml.safe_dump({field: value}, allow_unicode=True, width=1000)
            lines += ["    " + line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert stamp_items("checks", None, "fr", course / "data") == list(english)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# a translator's note\n") and "why-learning" in text
    assert f"\n    {SHA}: {source_sha(english['why-learning'])}\n" in text
    assert said(check_file(course / "data", "checks", "fr")) == []
    inline = text.replace('"why-learning":\n', 'why-learning: {hint: "Un indice."}\nx:\n', 1)
    path.write_text(inline, encoding="utf-8")
    with pytest.raises(ValueError, match="could not stamp 'why-learning'"):
        stamp_items("checks", None, "fr", course / "data")
    assert path.read_text(encoding="utf-8") == inline
