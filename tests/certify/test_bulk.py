"""Certificates in bulk: fonts parsed once per run (cut to the run's characters, the page
unchanged), every learner decided on their own rows, a rerun with nothing new draws nothing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from peaceops.certify import decide, evaluate, new_credential, verification_code
from peaceops.certify import issue as issue_module
from peaceops.certify import pdf as pdf_module

from .conftest import LESSONS, cohort
from .test_pdf import NAMES


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_each_learner_is_decided_on_their_own_rows_as_evaluate_decides(certification):
    results = cohort({"amina": [16], "bo": [3, 4], "dara": [10, 18], "eve": [19]},
                     lessons={"chen": LESSONS[:1], "eve": LESSONS[1:]},
                     review={"amina": {"flagged": True, "flags": "odd"}}, names=NAMES)
    rule = certification.rule()
    assert issue_module._evaluate(results, rule) == evaluate(results, rule)


@pytest.mark.parametrize("student", sorted(NAMES))
def test_the_cut_fonts_draw_the_same_page(certification, keypair, student):
    decision = decide(cohort({student: [16]}, names=NAMES), certification.rule(), student)
    credential = new_credential(decision, certification, keypair[0])
    code = verification_code(credential)
    fonts = pdf_module.Fonts(" ".join(n) for n in NAMES.values())
    assert fonts.for_text(decision.name) == (fonts.regular, fonts.bold)
    assert fonts.regular.stat().st_size < pdf_module.FONT.stat().st_size / 4
    cut, full = pdf_module.render(credential, code, fonts=fonts), pdf_module.render(credential, code)
    assert _text(cut) == _text(full)
    assert len(cut) <= len(full) * 1.1


def test_a_text_the_run_did_not_announce_gets_the_full_fonts():
    fonts = pdf_module.Fonts(["Amina"])
    assert fonts.for_text("Amina") == (fonts.regular, fonts.bold)
    assert fonts.for_text("Łukasz") == (pdf_module.FONT, pdf_module.FONT_BOLD)


def test_a_rerun_with_nothing_new_parses_no_font(issued_course, certification, monkeypatch):
    course, public, key = issued_course

    def no_fonts(*_):
        raise AssertionError("fonts parsed with nothing to draw")

    monkeypatch.setattr(issue_module, "Fonts", no_fonts)
    results = cohort({"amina": [16], "dara": [18], "chen": [20]})
    report = issue_module.issue_certificates(results, certification, key,
                                             course / "certificates", None, public)
    assert not report.issued and len(report.already) == 3
