"""Certificates in bulk: fonts parsed once per run (cut to the run's characters, the page
unchanged), every learner decided on their own rows, a rerun with nothing new loads no PDF
toolchain."""

from __future__ import annotations

import io
import sys

import pytest
from pypdf import PdfReader

from peaceops.certify import decide, evaluate, new_credential
from peaceops.certify import issue as issue_module
from peaceops.certify import pdf as pdf_module
from peaceops.credentials import verification_code
from tests.factories.certificates import LESSONS, cohort

from .test_pdf import NAMES


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_each_learner_is_decided_on_their_own_rows_as_evaluate_decides(certification):
    results = cohort({"amina": [16], "bo": [3, 4], "dara": [10, 18], "eve": [19]},
                     lessons={"chen": LESSONS[:1], "eve": LESSONS[1:]},
                     review={"amina": {"flagged": True, "flags": "odd"}}, names=NAMES)
    rule = certification.rule()
    decisions = evaluate(results, rule)
    assert decisions == [decide(results, rule, d.student) for d in decisions]
    assert {d.student for d in decisions} == {"amina", "bo", "chen", "dara", "eve"}
    assert [d.student for d in decisions if d.passed] == ["dara"]


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


def test_a_rerun_with_nothing_new_loads_no_pdf_toolchain(issued_course, certification,
                                                         monkeypatch):
    """The drawing module (fpdf2, the fonts, the QR encoder) is imported only when there is a
    PDF to draw: blocked, a rerun still succeeds, and a run with a new learner does not."""
    course, public, key = issued_course
    monkeypatch.delitem(sys.modules, "peaceops.certify.pdf_jobs", raising=False)
    monkeypatch.setitem(sys.modules, "peaceops.certify.pdf_jobs", None)  # import fails
    results = cohort({"amina": [16], "dara": [18], "chen": [20]})
    report = issue_module.issue_certificates(results, certification, key,
                                             course / "certificates", None, public)
    assert not report.issued and len(report.already) == 3
    results = cohort({"amina": [16], "dara": [18], "chen": [20], "bo": [19]})
    with pytest.raises(ImportError, match="pdf_jobs"):
        issue_module.issue_certificates(results, certification, key,
                                        course / "certificates", None, public)


def test_pdfs_drawn_in_worker_processes_are_each_learners_own(tmp_path, certification,
                                                              keypair, monkeypatch):
    """Two processes draw the PDFs; each certificate, written in order, carries its own
    credential (in its QR code and attachment), and one learner's drawing problem is theirs
    alone."""
    import json

    import zxingcpp

    names = {f"l{n:02d}": ("Learner", f"Number {n}") for n in range(10)}
    names["l05"] = ("Óáú", "Ó")
    full = pdf_module._cmap

    def no_acute(path):  # no installed font draws the acute vowels of l05's name
        return full(path) - {ord(c) for c in "Óáú"}

    monkeypatch.setattr(pdf_module, "_cmap", no_acute)
    key, public = keypair
    results = cohort({s: [18] for s in names}, names=names)
    out = tmp_path / "certificates"
    report = issue_module.issue_certificates(results, certification, key, out, None, public,
                                             jobs=2)
    assert [i.student for i in report.issued] == [s for s in sorted(names) if s != "l05"]
    assert [s for s, _ in report.problems] == ["l05"]
    assert "no installed font draws" in report.problems[0][1]
    assert not (out / certification.rule().version / "l05.json").exists()
    for issued in report.issued:
        credential = json.loads(issued.credential.read_text())
        assert credential["payload"]["learner_id"] == issued.student
        reader = PdfReader(issued.pdf)
        assert json.loads(reader.attachments["credential.json"][0]) == credential
        codes = [found.text for image in reader.pages[0].images  # the QR code, the badge
                 if (found := zxingcpp.read_barcode(image.image))]
        assert [json.loads(code) for code in codes] == [credential]
    rows = issue_module.read_ledger(out)
    assert [r["student"] for r in rows] == [i.student for i in report.issued]
