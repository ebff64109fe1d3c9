"""Issue 31: each learner's certificate in their language. The roster's `language` column
(else --language, default English) decides; the PDF's every text comes from the catalogue
(French dates and numbers, DejaVu Sans for the accents); the Open Badges achievement is in
the learner's language with the other language as a `related` edition; both verify, with
both verifiers, and a tampered French credential fails."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from peaceops.certify import issue_certificates
from peaceops.certify import pdf as pdf_module
from peaceops.certify.languages import Languages, read_roster
from peaceops.content.language import LANGUAGES
from peaceops.content.messages import ENGLISH_WORDS, _
from peaceops.credentials import CertifyError, Exit, VerifyError, jws, verify
from peaceops.credentials.credential import TRAINING_NOTE
from tests.credentials.test_openbadges import SCHEMA, forgeries, node_jose
from tests.factories.certificates import cohort

FRENCH = [  # what a French certificate says, accents included
    "Certificat",
    "Le présent certificat atteste que",
    "a réussi l'examen de certification du cours",
    "Diriger les opérations de paix des Nations Unies",
    "version du cours 0.1.0 · règle de réussite 2026.1",
    "Note 16 / 20 (80\u00a0%) · délivré le 22 novembre 2026",
    "Code de vérification",
    "Chacun peut le vérifier hors ligne avec la clé publique publiée par l'émetteur",
]
ENGLISH = [
    "This certifies that",
    "has passed the certification exam of the course",
    "Leading United Nations Peace Operations",
    "course version 0.1.0 · pass rule 2026.1",
    "Score 16 / 20 (80 %) · issued 22 November 2026",
    "Verification code",
    "Anyone can check it offline with the issuer's published public key",
]


def _text(pdf: Path) -> str:
    """The page's text, its lines joined (a no-break space stays one)."""
    return re.sub(r"[ \n]+", " ", PdfReader(pdf).pages[0].extract_text())


def _badge(stem: Path) -> dict:
    token = stem.with_suffix(".jwt").read_text().strip()
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory, certification):
    """amina (English: the roster's `en`) and chen (French) with the same results, issued
    by one run: (report, certificates folder, public keys folder)."""
    from datetime import UTC, datetime

    from peaceops.credentials import init_keys, load_private_key
    from peaceops.credentials.publish import publish

    folder = tmp_path_factory.mktemp("bilingual")
    files = init_keys(folder / "private", folder / "public-keys")
    key = load_private_key(files.private)
    publish(folder / "public-keys", key)
    roster = folder / "roster.csv"
    roster.write_text("id,first_name,last_name,language\namina,Amina,Diallo,en\n"
                      "chen,Chen,Wei,FR\n", encoding="utf-8")
    report = issue_certificates(
        cohort({"amina": [16], "chen": [16]}), certification, key, folder / "c", None,
        folder / "public-keys", datetime(2026, 11, 22, 9, 30, tzinfo=UTC), jobs=1,
        languages=read_roster(roster))
    assert sorted(i.student for i in report.issued) == ["amina", "chen"], report.problems
    return report, folder / "c", folder / "public-keys"


def test_a_french_and_an_english_learner_get_certificates_in_their_languages(
        bilingual, certification):
    report, out, public = bilingual
    by = {i.student: i for i in report.issued}
    assert (by["amina"].language, by["chen"].language) == ("en", "fr")
    english, french = (json.loads(by[s].credential.read_text())["payload"]
                       for s in ("amina", "chen"))
    # the same scores and the same rule: only the language differs
    same = ("score", "max_score", "rule_version", "course_id", "course_version", "exam_bank")
    assert {k: english[k] for k in same} == {k: french[k] for k in same}
    assert (english["score"], english["max_score"], english["rule_version"]) == (16, 20, "2026.1")
    assert (english["course_title"], french["course_title"]) == (
        certification.course_title, "Diriger les opérations de paix des Nations Unies")
    en_text, fr_text = _text(by["amina"].pdf), _text(by["chen"].pdf)
    for line in FRENCH:
        assert line in fr_text, line
    for line in ENGLISH:
        assert line in en_text and line not in fr_text, line
    assert "Le présent certificat" not in en_text
    # no English function word on the French page but in the issuer's name (a proper name,
    # the same in every language: the issuer's Open Badges profile)
    words = set(re.findall(r"[^\W\d_]+", fr_text.replace(certification.issuer, "").lower()))
    assert words & ENGLISH_WORDS == set()
    assert {"the", "this", "of"} <= set(re.findall(r"[^\W\d_]+", en_text.lower()))
    assert PdfReader(by["chen"].pdf).metadata.title == (
        "Certificat\u00a0: Diriger les opérations de paix des Nations Unies, Chen Wei")
    for issued in by.values():  # each PDF: its three credentials agree, and verify
        verified = verify(issued.pdf, public)
        assert verified.payload["course_title"] in (english["course_title"],
                                                    french["course_title"])
        assert verified.badge is not None and verified.secured is not None


def test_the_achievement_is_in_both_languages_and_valid_open_badges(bilingual, certification):
    """The learner's language in `name`, `description` (plain strings: the 1EdTech schema
    requires them) and `inLanguage`; the other language as a `related` edition (OB 3.0:
    "alternate language editions") with its own id, `inLanguage`, `name` and
    `description`. The two certificates' achievements name each other."""
    jsonschema = pytest.importorskip("jsonschema")
    _, out, _ = bilingual
    en = _badge(out / "2026.1" / "amina")["credentialSubject"]["achievement"]
    fr = _badge(out / "2026.1" / "chen")["credentialSubject"]["achievement"]
    assert (en["inLanguage"], fr["inLanguage"]) == ("en", "fr")
    assert (en["name"], fr["name"]) == (certification.title("en"), certification.title("fr"))
    assert fr["description"] == (
        "A réussi l'examen de certification du cours Diriger les opérations de paix des "
        "Nations Unies (version du cours 0.1.0), selon la règle de réussite 2026.1.")
    assert en["description"].startswith("Passed the certification exam of the course Leading")
    assert fr["criteria"]["narrative"].startswith("règle de réussite 2026.1\u00a0: ")
    assert fr["resultDescription"][0]["name"] == "Note à l'examen de certification"
    assert fr["image"]["caption"] == "Le badge du cours Diriger les opérations de paix des " \
        "Nations Unies"
    assert fr["image"]["id"] == en["image"]["id"]  # one badge for the course
    assert en["id"] != fr["id"]
    ((en_fr,), (fr_en,)) = en["related"], fr["related"]
    assert en_fr == {"id": fr["id"], "type": ["Related"], "inLanguage": "fr",
                     "version": fr["version"], "name": fr["name"],
                     "description": fr["description"]}
    assert fr_en == {"id": en["id"], "type": ["Related"], "inLanguage": "en",
                     "version": en["version"], "name": en["name"],
                     "description": en["description"]}
    # why plain strings: the schema refuses VC 2.0 language value objects in `name`
    validator = jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text()))
    vc = _badge(out / "2026.1" / "chen")
    assert list(validator.iter_errors(vc)) == []
    tagged = json.loads(json.dumps(vc))
    tagged["credentialSubject"]["achievement"]["name"] = [
        {"@value": fr["name"], "@language": "fr"}, {"@value": en["name"], "@language": "en"}]
    assert [e.message for e in validator.iter_errors(tagged)]


def test_a_tampered_french_credential_fails_both_verifiers(issued_course):
    """chen's certificate in the shared issued course is French (its roster): jose and
    peaceops verify accept it, and reject every one-field change of it."""
    course, public, key = issued_course
    stem = course / "certificates" / "2026.1" / "chen"
    token = stem.with_suffix(".jwt").read_text().strip()
    assert _badge(stem)["credentialSubject"]["achievement"]["inLanguage"] == "fr"
    forged = forgeries(token)
    assert any("related" in name for name in forged) and len(forged) > 30
    results = node_jose(jws.jwk(key.public_key()), [token, *forged.values()])
    assert results[0]["ok"], results[0]
    assert [n for n, r in zip(forged, results[1:], strict=True) if r["ok"]] == []
    assert verify(token.encode(), public).badge.credential["name"].startswith("Diriger")
    for name, bad in forged.items():
        with pytest.raises(VerifyError) as error:
            verify(bad.encode(), public)
        assert error.value.code in (Exit.BAD_SIGNATURE, Exit.UNKNOWN_KEY), name
    # the PDF: an English title put into its French JSON credential breaks its signature
    pdf = stem.with_suffix(".pdf").read_bytes()
    title = "Diriger les opérations de paix des Nations Unies".encode()
    swapped = pdf.replace(title, b"Leading United Nations Peace Operations"
                          .ljust(len(title)), 1)
    assert swapped != pdf
    with pytest.raises(VerifyError) as error:
        verify(swapped, public)
    assert error.value.code in (Exit.BAD_SIGNATURE, Exit.MALFORMED)
    assert verify(pdf, public).payload["learner_id"] == "chen"


# --- where the language comes from -------------------------------------------------------


def _roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_roster_gives_each_learner_a_language_and_the_default_the_rest(tmp_path):
    languages = read_roster(_roster(tmp_path, "id,language,email\namina,fr,\nbo, EN ,\ncy,,\n"),
                            "fr")
    assert [languages.of(s) for s in ("amina", "bo", "cy", "nobody")] == ["fr", "en", "fr", "fr"]
    assert Languages().of("anyone") == "en"
    with pytest.raises(CertifyError, match=r"--language 'de' .*one of en, fr"):
        Languages("de")


@pytest.mark.parametrize(("text", "message"), [
    ("id,first_name\namina,Amina\n", r"has no column language: it needs 'id'"),
    ("student,language\namina,fr\n", r"has no column id"),
    ("id,language\namina,fr\namina,en\n", r"gives amina two languages \(roster.csv, row 2: "
     r"'fr'; roster.csv, row 3: 'en'\): keep one row"),
    (b"id,language\n\xff\xfe,fr\n", r"cannot read the roster"),
])
def test_a_roster_that_cannot_say_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(CertifyError, match=message) as error:
        read_roster(path)
    assert str(path) in str(error.value)


def test_an_unknown_language_holds_back_that_learner_only(tmp_path, certification, keypair):
    key, public = keypair
    roster = _roster(tmp_path, "id,language\namina,fr\nbo,de\n")
    report = issue_certificates(cohort({"amina": [18], "bo": [18]}), certification, key,
                                tmp_path / "c", public_dir=public, jobs=1,
                                languages=read_roster(roster))
    assert [i.student for i in report.issued] == ["amina"]
    ((who, what),) = report.problems
    assert who == "bo"
    assert "bo's language is 'de' (roster.csv, row 3)" in what and "one of en, fr" in what
    assert not list((tmp_path / "c").rglob("bo.*"))
    assert "Le présent certificat atteste que" in _text(report.issued[0].pdf)


# --- the page's texts ---------------------------------------------------------------------


def test_every_text_of_the_page_is_translated_and_drawn_by_the_run_fonts():
    """Each fixed text in each language is in the catalogue (not left in English), and every
    character of them is in the run's cut fonts and in DejaVu Sans (no missing glyph)."""
    assert pdf_module.TEXTS["training_note"] == TRAINING_NOTE.capitalize()
    drawn = pdf_module._cmap(str(pdf_module.FONT)) & pdf_module._cmap(str(pdf_module.FONT_BOLD))
    for text in [pdf_module.FOOTER, *pdf_module.TEXTS.values()]:
        assert _(text, "fr") != text, text
        for lang in LANGUAGES:
            chars = set(_(text, lang))
            assert chars <= set(pdf_module.FIXED_TEXT), (lang, text)
            assert {ord(c) for c in chars} <= drawn, (lang, text)
    fonts = pdf_module.Fonts(["Chen Wei"])
    french = [_(t, "fr") for t in pdf_module.TEXTS.values()]
    assert fonts.for_text(*french, "Diriger les opérations de paix des Nations Unies") == (
        fonts.regular, fonts.bold)


def test_dates_and_numbers_as_the_language_writes_them():
    p = {"score": 17.5, "max_score": 28, "issued_at": "2027-02-01T08:00:00Z"}
    assert pdf_module.score_line(p) == "Score 17.5 / 28 (62.5 %) · issued 1 February 2027"
    assert pdf_module.score_line(p, "fr") == (
        "Note 17,5 / 28 (62,5\u00a0%) · délivré le 1 février 2027")
    whole = {"score": 16, "max_score": 20, "issued_at": "2026-08-15T23:59:59Z"}
    assert pdf_module.score_line(whole, "fr").startswith("Note 16 / 20 (80\u00a0%)")
    assert "15 août 2026" in pdf_module.score_line(whole, "fr")
