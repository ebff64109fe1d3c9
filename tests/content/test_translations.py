"""Translations as data (data/i18n/fr/): the committed French passes every check, and every
check fails, naming file and id, on a doctored copy."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from peaceops.cli import main
from peaceops.content import ContentError
from peaceops.content.translations import (
    FIELDS,
    check_table,
    check_translations,
    load_terms,
    missing_terms,
    stamp,
    terms_in,
    translated_rows,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CORE_TERMS = {"hom": "chef de mission", "dsrsg_pol": "représentant spécial adjoint",
              "dsrsg_rchc": "coordonnateur résident", "fc": "commandant de la force",
              "pc": "chef de la police", "cos": "chef de cabinet",
              "dms": "chef de l'appui à la mission"}
PRINCIPLES_FR = {"consent": "consentement des parties", "impartiality": "impartialité",
                 "non_use_of_force": "non-recours à la force", "legitimacy": "légitimité",
                 "credibility": "crédibilité", "ownership": "appropriation nationale et locale"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the tables and their translations (nothing else is read)."""
    target = tmp_path / "data"
    target.mkdir()
    for table in DATA.glob("*.csv"):
        shutil.copy(table, target)
    shutil.copytree(DATA / "i18n", target / "i18n")
    return target


def rewrite(path: Path, change) -> None:
    """Apply `change(rows)` to a CSV file's rows (a list of dicts) and write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(rows: list[dict], key: str, ident: str, field: str, old: str, new: str) -> list[dict]:
    row = next(r for r in rows if r[key] == ident)
    assert old in row[field], (old, row[field])
    row[field] = row[field].replace(old, new)
    return rows


def messages(issues) -> list[str]:
    return [str(issue) for issue in issues]


def test_committed_french_passes_every_check():
    assert messages(check_translations(DATA, "fr")) == []
    for table in FIELDS:  # every table translated, and no row of it missing
        french = translated_rows(table, "fr", DATA)
        assert len(french) == len(translated_rows(table, "en", DATA)) > 0


def test_overlay_names_every_core_role_and_principle_in_french():
    roles = {r["id"]: r for r in translated_rows("roles", "fr", DATA)}
    english = {r["id"]: r for r in translated_rows("roles", "en", DATA)}
    core = {i for i, r in english.items() if r["team"] == "core"}
    assert core == set(CORE_TERMS)
    for ident in core:
        assert CORE_TERMS[ident] in roles[ident]["name"].lower()
        assert roles[ident]["component"] == english[ident]["component"]  # data untouched
    principles = {r["id"]: r["name"] for r in translated_rows("principles", "fr", DATA)}
    assert {i: n.lower() for i, n in principles.items()}.keys() == PRINCIPLES_FR.keys()
    for ident, name in principles.items():
        assert name.lower().startswith(PRINCIPLES_FR[ident])


def test_a_removed_row_is_missing(data):
    rewrite(data / "i18n/fr/roles.csv", lambda rows: [r for r in rows if r["id"] != "pc"])
    problems = messages(check_table(data, "roles"))
    assert len(problems) == 1
    assert "data/i18n/fr/roles.csv" in problems[0] and "'pc'" in problems[0]
    assert "missing" in problems[0] and "peaceops translations stamp roles pc" in problems[0]
    with pytest.raises(ContentError, match=r"roles\.csv.*'pc'"):
        translated_rows("roles", "fr", data)


def test_an_edited_english_row_makes_its_translation_stale_until_stamped(data):
    rewrite(data / "responsibilities.csv",
            lambda rows: edit(rows, "id", "resp-06", "statement", "police", "UN police"))
    problems = messages(check_translations(data, "fr"))
    assert len(problems) == 1
    assert "data/i18n/fr/responsibilities.csv" in problems[0] and "'resp-06'" in problems[0]
    assert "stale" in problems[0]
    assert "peaceops translations stamp responsibilities resp-06" in problems[0]
    # a field the translation does not carry (the key's role) changes nothing
    rewrite(data / "responsibilities.csv",
            lambda rows: edit(rows, "id", "resp-06", "source", "MLT roles", "MLT roles; 1.1.1"))
    assert len(check_translations(data, "fr")) == 1
    # re-translated (here: kept), then stamped: clean again, and only that row changed
    assert stamp("responsibilities", ["resp-06"], "fr", data) == ["resp-06"]
    assert check_translations(data, "fr") == []
    assert stamp("responsibilities", None, "fr", data) == []


def test_an_unknown_id_in_the_translation_is_an_error(data):
    rewrite(data / "i18n/fr/glossary.csv",
            lambda rows: [*rows, {**rows[0], "term": "UNMISS"}])
    problems = messages(check_translations(data, "fr"))
    assert len(problems) == 1
    assert "data/i18n/fr/glossary.csv" in problems[0] and "'UNMISS'" in problems[0]
    assert "unknown" in problems[0]


def test_a_translation_without_its_official_term_is_an_error(data):
    rewrite(data / "i18n/fr/responsibilities.csv",
            lambda rows: edit(rows, "id", "resp-13", "rationale", "commandant de la force",
                              "chef militaire"))
    problems = messages(check_translations(data, "fr"))
    assert len(problems) == 1
    assert "data/i18n/fr/responsibilities.csv" in problems[0] and "'resp-13'" in problems[0]
    assert "term 'force_commander'" in problems[0] and "rationale" in problems[0]


def test_the_term_check_ignores_case_and_accents(data):
    rewrite(data / "i18n/fr/responsibilities.csv",
            lambda rows: edit(rows, "id", "resp-13", "rationale", "commandant de la force",
                              "COMMANDANT DE LA FORCE"))
    rewrite(data / "i18n/fr/principles.csv",
            lambda rows: edit(rows, "id", "legitimacy", "name", "Légitimité", "Legitimite"))
    assert check_translations(data, "fr") == []


@pytest.mark.parametrize("english, french, missing", [
    ("The Deputy SRSG reports.", "Le RSASG rend compte.", []),  # not also an SRSG
    ("The DSRSG-RC/HC links them.", "Le RSASG/CR/CH les relie.", []),
    ("The DSRSG-RC/HC links them.", "Le RSASG les relie.", ["rc_hc"]),
    ("The sea route is closed.", "La route maritime est fermée.", []),  # "sea" is not SEA
    ("Zero tolerance of SEA.", "Tolérance zéro.", ["sea"]),
    ("Impartiality matters.", "L'impartialité compte.", []),
    ("Troop-contributing countries agree.", "Les pays fournisseurs de contingents.", []),
    ("The Force Commander decides.", "Le chef militaire décide.", ["force_commander"]),
])
def test_term_matching(english, french, missing):
    terms = load_terms("fr", DATA)
    assert [t.id for t in missing_terms(english, french, terms)] == missing


def test_every_term_is_used_by_the_english_content():
    """A term nothing uses is never checked: the list names what the course says."""
    terms = load_terms("fr", DATA)
    used = {t.id for table in FIELDS for row in translated_rows(table, "en", DATA)
            for field in FIELDS[table] for t in terms_in(row[field], terms)}
    assert used == {t.id for t in terms}


def test_a_malformed_term_list_is_an_error(data):
    rewrite(data / "i18n/fr/terms.csv",
            lambda rows: edit(rows, "id", "chief_of_staff", "fr", "chef de cabinet", ""))
    with pytest.raises(ContentError, match=r"terms\.csv, line \d+ \(id 'chief_of_staff'\)"):
        load_terms("fr", data)


def test_stamp_refuses_an_unknown_id(data):
    with pytest.raises(KeyError, match="resp-99"):
        stamp("responsibilities", ["resp-99"], "fr", data)


def test_the_cli_checks_and_stamps(data, capsys):
    assert main(["translations", "check", "--course", str(data.parent)]) == 0
    rewrite(data / "principles.csv",
            lambda rows: edit(rows, "id", "credibility", "definition", "will", "resolve"))
    assert main(["translations", "check", "--course", str(data.parent)]) == 1
    assert "principles.csv, line 6 (id 'credibility')" in capsys.readouterr().err
    assert main(["translations", "stamp", "principles", "credibility",
                 "--course", str(data.parent)]) == 0
    assert main(["translations", "check", "--course", str(data.parent)]) == 0
