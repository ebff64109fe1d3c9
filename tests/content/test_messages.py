"""The learner's language (content.language) and the gettext catalogues of the strings in
code (content.messages): the committed French catalogue is complete and French; a missing,
fuzzy, English or mis-placeholdered message, or one the code no longer has, is an error
naming the message id (each proved on a doctored copy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peaceops.content.language import ENV, language
from peaceops.content.messages import (
    LOCALE,
    _,
    catalogue_path,
    check_catalogue,
    code_messages,
    read_catalogue,
    translations,
)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({ENV: "fr"}, "fr"),
    ({ENV: "FR"}, "fr"),
    ({ENV: "fr-CA"}, "fr"),
    ({ENV: "en", "LANG": "fr_FR.UTF-8"}, "en"),  # the setting beats the locale
    ({ENV: "fr", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LANG": "fr_FR.UTF-8"}, "fr"),  # the Jupyter server's (the kernel's) locale
    ({"LANG": "fr_BE"}, "fr"),
    ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),  # LC_ALL first, as POSIX
    ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # a language the course lacks: English
    ({"LANG": "frisian"}, "en"),  # "fr" must be the language code, not a prefix of it
    ({ENV: " ", "LANG": "fr_FR"}, "fr"),  # blank is unset
])
def test_the_language_is_chosen_in_order(environ, expected):
    assert language(environ) == expected


def test_an_unknown_language_setting_is_an_error_saying_what_to_set():
    with pytest.raises(ValueError, match=r"PEACEOPS_LANGUAGE='de' .*one of en, fr"):
        language({ENV: "de", "LANG": "fr_FR"})


def test_the_language_follows_the_environment(monkeypatch):
    monkeypatch.setenv(ENV, "fr")
    assert language() == "fr" and _("Check") == "Vérifier"
    monkeypatch.setenv(ENV, "en")
    assert language() == "en" and _("Check") == "Check"
    assert _("Check", "fr") == "Vérifier"  # an explicit language wins


@pytest.fixture(scope="module")
def messages() -> dict[str, str]:
    return code_messages()


def test_the_committed_french_catalogue_is_complete_and_french(messages):
    assert len(messages) > 60
    assert check_catalogue("fr", messages) == []
    french = translations("fr")
    assert all(french.gettext(m) != m for m in messages)


def test_the_template_lists_exactly_the_messages_of_the_code(messages):
    """src/peaceops/locale/peaceops.pot (English, the template of every language) is
    current: regenerate it with `pybabel extract` (data/README.md) when this fails."""
    template = {m.id for m in read_catalogue(LOCALE / "peaceops.pot") if m.id}
    assert template == set(messages), (sorted(set(messages) - template),
                                       sorted(template - set(messages)))


@pytest.fixture
def po(tmp_path) -> Path:
    copy = tmp_path / "peaceops.po"
    shutil.copy(catalogue_path("fr"), copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_missing_french_message_is_an_error_naming_it(po, messages):
    assert check_catalogue("fr", messages, po) == []
    edit(po, 'msgid "Try again"\nmsgstr "Réessayer"\n', "")
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 1
    assert "'Try again'" in problems[0] and "missing" in problems[0]
    assert "exercises/phrases.py" in problems[0]  # where the code uses it


def test_a_message_added_to_the_code_is_missing_until_translated(tmp_path, po, messages):
    code = tmp_path / "pkg"
    code.mkdir()
    (code / "new.py").write_text('from x import _\nprint(_("Saved for later"))\n')
    added = {**messages, **code_messages(code)}
    problems = check_catalogue("fr", added, po)
    assert len(problems) == 1 and "'Saved for later'" in problems[0]
    with po.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Saved for later"\nmsgstr "Enregistré pour plus tard"\n')
    assert check_catalogue("fr", added, po) == []


def test_an_empty_or_fuzzy_message_is_not_translated(po, messages):
    edit(po, 'msgstr "Réessayer"', 'msgstr ""')
    edit(po, 'msgid "Show a hint"', '#, fuzzy\nmsgid "Show a hint"')
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 2
    assert any("'Try again'" in p and "empty" in p for p in problems)
    assert any("'Show a hint'" in p and "fuzzy" in p for p in problems)


def test_a_french_message_left_in_english_is_an_error(po, messages):
    edit(po, 'msgstr "Réessayer"', 'msgstr "Try again"')
    edit(po, 'msgstr "Vérifier vos réponses"', 'msgstr "Vérifier your réponses"')
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 2
    assert any("'Try again'" in p and "left in English" in p for p in problems)
    assert any("'Check your answers'" in p and "(your)" in p for p in problems)


def test_a_kept_english_word_needs_its_translator_comment(po, messages):
    edit(po, "# keep: checks (the field of the JSON file)\n", "")
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 1 and "(checks)" in problems[0]


def test_placeholders_must_be_those_of_the_code(po, messages):
    edit(po, 'msgstr "✔ Enregistré à {time}"', 'msgstr "✔ Enregistré à {heure}"')
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 1 and "'✔ Saved at {time}'" in problems[0]
    assert "['heure']" in problems[0]


def test_a_message_the_code_no_longer_has_is_reported(po, messages):
    with po.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Gone from the code"\nmsgstr "Disparu du code"\n')
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 1 and "'Gone from the code'" in problems[0]


def test_a_missing_or_malformed_catalogue_is_an_error(tmp_path, po, messages):
    assert "no catalogue for fr" in check_catalogue("fr", messages, tmp_path / "none.po")[0]
    po.write_text('msgid "Check"\nmsgid "Hint"\n', encoding="utf-8")
    problems = check_catalogue("fr", messages, po)
    assert len(problems) == 1 and "unreadable" in problems[0] and str(po) in problems[0]


def test_peaceops_translations_check_reports_the_catalogue(po, monkeypatch, capsys):
    from peaceops.cli import main
    from peaceops.content import messages as module

    assert main(["translations", "check"]) == 0
    edit(po, 'msgstr "Réessayer"', 'msgstr "Try again"')
    monkeypatch.setattr(module, "catalogue_path", lambda lang, locale=None: po)
    assert main(["translations", "check"]) == 1
    assert "'Try again' is left in English" in capsys.readouterr().err
