"""The PDF certificate shows name, course, version, date, score and code; its QR code and its
attachment hold the credential."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from pypdf import PdfReader

from peaceops.certify import decide, new_credential
from peaceops.certify import pdf as pdf_module
from peaceops.credentials import CertifyError, verification_code
from peaceops.credentials.signed import compact
from tests.factories.certificates import cohort

NAMES = {
    "dara": ("Dara", "Ó Súilleabháin"),
    "anna": ("Анна", "Иванова"),
    "alexis": ("Αλέξης", "Παπαδόπουλος"),
    "zofia": ("Zofia", "Łukasiewicz-Ñúñez"),
    "long": ("Maria Fernanda Alejandra Guadalupe", "de los Santos Villanueva y Montenegro"),
}


def _certificate(certification, key, student="dara", names=None):
    decision = decide(cohort({student: [16]}, names=names or NAMES), certification.rule(), student)
    credential = new_credential(decision, certification, key)
    return credential, verification_code(credential)


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


@pytest.mark.parametrize("student", NAMES)
def test_the_page_shows_what_a_certificate_must(certification, keypair, student):
    credential, code = _certificate(certification, keypair[0], student)
    data = pdf_module.render(credential, code)
    assert data.startswith(b"%PDF")
    text = _text(data)
    name = " ".join(NAMES[student])
    assert name in text
    assert certification.course_title in text
    assert f"course version {certification.course_version}" in text
    assert "Score 16 / 20 (80 %)" in text
    issued = credential["payload"]["issued_at"]
    assert f"{int(issued[8:10])} " in text and issued[:4] in text
    assert code in text and credential["payload"]["certificate_id"] in text


def test_the_attachment_is_the_credential(certification, keypair):
    credential, code = _certificate(certification, keypair[0])
    reader = PdfReader(io.BytesIO(pdf_module.render(credential, code)))
    assert json.loads(reader.attachments["credential.json"][0]) == credential


def test_the_qr_code_holds_the_compact_credential(certification, keypair):
    credential, code = _certificate(certification, keypair[0])
    page = PdfReader(io.BytesIO(pdf_module.render(credential, code))).pages[0]
    qr, emblem = sorted(page.images, key=lambda i: -i.image.width * i.image.height)
    assert not zxingcpp.read_barcodes(emblem.image)  # the badge image is no code
    found = zxingcpp.read_barcodes(qr.image)  # the QR code as printed, decoded
    assert [(b.format, b.text) for b in found] == [(zxingcpp.BarcodeFormat.QRCode,
                                                     compact(credential))]
    assert json.loads(found[0].text) == credential and found[0].text.isascii()


def test_a_qr_code_reader_tells_another_credential_apart(certification, keypair):
    credential, code = _certificate(certification, keypair[0])
    other, _ = _certificate(certification, keypair[0], "anna")
    image = pdf_module.qr_image(compact(other))
    assert zxingcpp.read_barcode(image).text != compact(credential)


def test_a_name_no_font_draws_is_a_clear_error(certification, keypair, monkeypatch):
    monkeypatch.setattr(pdf_module, "_cmap", lambda path: frozenset(range(128)))
    credential, code = _certificate(certification, keypair[0])
    with pytest.raises(CertifyError, match="no installed font draws \\(Óáú\\).*install a font"):
        pdf_module.render(credential, code)


def test_a_name_in_a_missing_glyph_range_uses_a_fallback_font(certification, keypair, monkeypatch):
    """DejaVu Sans is made to lack Greek; the system's DejaVu copy (or any font) draws it."""
    real = pdf_module._cmap.__wrapped__
    greek = range(0x370, 0x400)
    dejavu = str(pdf_module.FONT)
    monkeypatch.setattr(
        pdf_module,
        "_cmap",
        lambda path: frozenset(c for c in real(path) if path != dejavu or c not in greek),
    )
    assert pdf_module._fallback_fonts("Αλέξης")
    credential, code = _certificate(certification, keypair[0], "alexis")
    assert "Αλέξης" in _text(pdf_module.render(credential, code))


def test_a_right_to_left_name_needs_a_shaping_engine(certification, keypair, monkeypatch):
    monkeypatch.setattr(pdf_module, "_can_shape", lambda: False)
    names = {"layla": ("ليلى", "حداد")}
    credential, code = _certificate(certification, keypair[0], "layla", names)
    with pytest.raises(CertifyError, match="install uharfbuzz"):
        pdf_module.render(credential, code)
    assert not pdf_module._needs_shaping("Ó Súilleabháin")


def test_the_footer_shows_no_markdown(certification, keypair):
    """Issue 16: the footer printed raw Markdown backticks around the commands."""
    credential = new_credential(
        decide(cohort({"amina": [18]}), certification.rule(), "amina"), certification, keypair[0]
    )
    text = PdfReader(io.BytesIO(pdf_module.render(credential, "CODE-CODE-CO"))).pages[0].extract_text()
    assert "`" not in text
    assert "peaceops verify" in text and "verifier page" in text


def test_the_footer_is_broken_into_lines_once_and_drawn_as_multi_cell_would(
        certification, keypair, monkeypatch):
    """fpdf2 breaks a paragraph slowly: the fixed footer is broken once per font and size,
    and each certificate draws the same lines (the page text is multi_cell's)."""
    from fpdf import FPDF

    monkeypatch.setattr(pdf_module, "_FOOTER_LINES", {})
    broken = []
    multi_cell = FPDF.multi_cell

    def counted(self, *args, **kwargs):
        if kwargs.get("dry_run"):  # fpdf2 then draws it off the page: one breaking
            broken.append(kwargs.get("text"))
        return multi_cell(self, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", counted)
    credential, code = _certificate(certification, keypair[0], "long")
    first, again = (pdf_module.render(credential, code) for _ in range(2))
    footer = pdf_module.FOOTER.format(attachment="credential.json")
    assert broken.count(footer) == 1  # the second certificate reused the lines
    assert _text(first) == _text(again)
    (lines,) = pdf_module._FOOTER_LINES.values()
    assert len(lines) > 1 and " ".join(lines) == footer
    assert " ".join(footer.split()) in _text(first)
