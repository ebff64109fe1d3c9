"""The PDF certificate (fpdf2): name, course and version, date, score, verification code, a
QR code holding the signed credential, and the credential itself as an attachment. Every
text is in the certificate's language (the code's gettext catalogue, peaceops.po; dates and
numbers as the language writes them, with Babel), drawn in DejaVu Sans, which has every
letter of the course's languages."""

from __future__ import annotations

import functools
import io
import json
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import zxingcpp
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image

from ..content.language import DEFAULT, LANGUAGES
from ..content.messages import N_, _
from ..credentials.credential import is_training
from ..credentials.errors import CertifyError
from ..credentials.signed import (
    ATTACHMENT,  # noqa: E402  (the PDF's embedded credential)
    b64url,
    compact,
)
from .badge import png as badge_png

BADGE_ATTACHMENT = "credential.jwt"
SECURED_ATTACHMENT = "credential.jsonld"  # = dataintegrity.ATTACHMENT
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
#: How to check the certificate, in plain words (a PDF shows no Markdown).
FOOTER = N_(
    "The QR code holds this certificate's signed credential (as a link to the issuer's "
    "verifier page when it has an address), also attached to this PDF ({attachment}, and the "
    "Open Badges credentials credential.jwt and credential.jsonld). Anyone can check it "
    "offline with the issuer's published public key: open the issuer's verifier page and "
    "drop this PDF on it, or run: peaceops verify certificate.pdf (or scan the code and pass "
    "its text to: peaceops verify -)."
)
#: The page's other fixed texts, each translated where it is drawn (`_`).
TEXTS = {
    "title": N_("Certificate: {course}, {name}"),
    "certificate": N_("Certificate"),
    "training": N_("Training certificate"),
    # = credentials.credential.TRAINING_NOTE, capitalized (tests/certify/test_languages.py)
    "training_note": N_("Reference bank: for training, not certification"),
    "certifies": N_("This certifies that"),
    "passed": N_("has passed the certification exam of the course"),
    "versions": N_("course version {version} · pass rule {rule}"),
    "score": N_("Score {score} / {max_score} ({percent} %) · issued {date}"),
    "code": N_("Verification code"),
    "details": N_("Certificate {id} · issued {time} · key {key}"),
    "verifier": N_(" · check it at {address}"),
}
FONT, FONT_BOLD = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
#: Tables a page drawn without text shaping never reads (fpdf2 drops all but `kern` from
#: each font it embeds, and places every glyph itself): left out of the run's fonts, each PDF
#: subsets a smaller font. A name that needs shaping gets the full fonts.
UNSHAPED_UNUSED = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern", "hdmx"]

def _fixed_text() -> str:
    """What every certificate may draw besides its credential's fields: ASCII, typographic
    marks, and each language's texts, digits and months."""
    from babel.dates import get_month_names

    texts = [FOOTER, *TEXTS.values()]
    return "".join([
        "·–—‘’“”«»…×\u00a0\u202f", *(chr(c) for c in range(0x20, 0x7F)),
        *(_(text, lang) for lang in LANGUAGES for text in texts),
        *(month for lang in LANGUAGES for month in get_month_names("wide", locale=lang).values()),
    ])


#: What every certificate may draw besides its credential's fields.
FIXED_TEXT = _fixed_text()


class Fonts:
    """The body fonts for a run of certificates, parsed once: DejaVu Sans cut down (with
    fontTools' subsetter) to the characters the run draws, so each PDF parses a small font
    instead of the whole family (which cost about half of each certificate). A text with
    other characters, or one that needs shaping, gets the full fonts."""

    def __init__(self, texts: Iterable[str] = ()):
        self.chars = frozenset(FIXED_TEXT.join(texts) + FIXED_TEXT)
        self._dir = tempfile.TemporaryDirectory(prefix="peaceops-fonts-")
        self.regular, self.bold = (self._cut(path) for path in (FONT, FONT_BOLD))

    def _cut(self, path: Path) -> Path:
        from fontTools import subset

        options = subset.Options(notdef_outline=True, recommended_glyphs=True)
        options.drop_tables += UNSHAPED_UNUSED
        font = TTFont(path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in self.chars])
        subsetter.subset(font)
        out = Path(self._dir.name) / path.name
        font.save(out)
        return out

    def for_text(self, *texts: str) -> tuple[Path, Path]:
        """The (regular, bold) font files that draw `texts`."""
        if all(c in self.chars for text in texts for c in text):
            return self.regular, self.bold
        return FONT, FONT_BOLD


#: The fragment of a verifier link that carries the credential (never sent to a server).
LINK_FRAGMENT = "#c="


def qr_payload(credential: dict[str, Any], verifier: str | None = None) -> str:
    """What the QR code holds: with the issuer's verifier address, a link that opens the page
    with the credential (base64url JSON in the fragment: a phone opens it, and the page
    checks it offline); else the credential as one line of ASCII JSON. `peaceops verify -`
    reads either."""
    if verifier:
        return verifier + LINK_FRAGMENT + b64url(compact(credential).encode("ascii"))
    return compact(credential)


def qr_image(text: str) -> Image.Image:
    """The QR code of `text` (zxing-cpp: error correction L, for the largest modules that
    fit, which scan best in print), 4 pixels a module with its quiet zone, black on white."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="L")
    return Image.fromarray(np.asarray(code.to_image(scale=4, add_quiet_zones=True)))


def render(credential: dict[str, Any], code: str, badge: str | None = None,
           fonts: Fonts | None = None, secured: dict[str, Any] | None = None,
           verifier: str | None = None, language: str = DEFAULT, emblem: str = "") -> bytes:
    """The certificate as PDF bytes, in `language`; `badge`, the Open Badges 3.0 VC-JWT, is
    attached too. `fonts`: the run's fonts, parsed once (default: the full DejaVu Sans
    files); `emblem`: the title the badge is drawn from (default: the credential's)."""
    p = credential["payload"]

    def t(text: str, /, **fields: Any) -> str:
        return _(TEXTS[text], language).format(**fields)

    regular, bold = (fonts.for_text(*(str(v) for v in p.values()), code)
                     if fonts and not _needs_shaping(p["learner_name"]) else (FONT, FONT_BOLD))
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(t("title", course=p["course_title"], name=p["learner_name"]))
    pdf.set_lang(language)
    pdf.set_author(p["issuer"])
    pdf.set_creation_date(datetime.fromisoformat(p["issued_at"].replace("Z", "+00:00")))
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("Body", "", regular)
    pdf.add_font("Body", "B", bold)
    fallbacks = []
    for n, path in enumerate(_fallback_fonts(p["learner_name"])):
        pdf.add_font(f"Fallback{n}", "", path)
        fallbacks.append(f"Fallback{n}")
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    if _needs_shaping(p["learner_name"]):
        pdf.set_text_shaping(True)  # joins and orders right-to-left scripts
    width = pdf.w - 2 * 20
    pdf.set_draw_color(30, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, style: str = "", gap: float = 4):
        pdf.set_font("Body", style, size)
        one_line = "\n" not in text and pdf.get_string_width(text) < width - 2 * pdf.c_margin
        draw = pdf.cell if one_line else pdf.multi_cell  # cell: no line breaking to do
        draw(width, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.image(io.BytesIO(badge_png(emblem or p["course_title"])), x=22, y=20, w=28, h=28)
    pdf.set_y(24)
    line(p["issuer"], 12)
    if is_training(p.get("exam_bank")):
        pdf.set_text_color(180, 20, 30)
        line(t("training"), 30, "B", 1)
        line(t("training_note"), 13, "B", 4)
        pdf.set_text_color(0, 0, 0)
    else:
        line(t("certificate"), 30, "B", 8)
    line(t("certifies"), 13)
    pdf.set_font("Body", "B", 30)
    size = 30.0
    while size > 12 and pdf.get_string_width(p["learner_name"]) > width:
        size -= 1
        pdf.set_font("Body", "B", size)
    line(p["learner_name"], size, "B", 6)
    line(t("passed"), 13)
    line(p["course_title"], 20, "B", 3)
    line(t("versions", version=p["course_version"], rule=p["rule_version"]), 12, gap=8)
    line(score_line(p, language), 14)

    qr_size = 62
    pdf.image(
        qr_image(qr_payload(credential, verifier)),
        x=pdf.w - 20 - qr_size,
        y=pdf.h - 18 - qr_size,
        w=qr_size,
        h=qr_size,
    )
    pdf.set_xy(20, pdf.h - 70)
    pdf.set_font("Body", "", 11)
    pdf.cell(0, 6, t("code"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "B", 20)
    pdf.cell(0, 10, code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 8.5)
    footer_width = pdf.w - 40 - qr_size - 10
    details = t("details", id=p["certificate_id"], time=p["issued_at"], key=p["key_id"])
    if verifier:
        details += t("verifier", address=verifier)
    for row in _lines(pdf, details, footer_width) + _footer_lines(pdf, footer_width, regular,
                                                                  language):
        pdf.cell(footer_width, 4.2, row, new_x="LEFT", new_y="NEXT")
    pdf.embed_file(
        bytes=json.dumps(credential, indent=2, ensure_ascii=False).encode("utf-8"),
        basename=ATTACHMENT,
        desc="The signed credential of this certificate",
        compress=False,
    )
    if badge:
        pdf.embed_file(
            bytes=badge.encode("ascii"),
            basename=BADGE_ATTACHMENT,
            desc="The Open Badges 3.0 credential of this certificate (VC-JWT)",
            compress=False,
        )
    if secured:
        pdf.embed_file(
            bytes=(json.dumps(secured, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
            basename=SECURED_ATTACHMENT,
            desc="The Open Badges 3.0 credential of this certificate with its Data Integrity "
            "proof (eddsa-rdfc-2022), for wallets",
            compress=False,
        )
    return bytes(pdf.output())


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` broken into the lines `multi_cell` draws at the current font and `width`."""
    if pdf.get_string_width(text) < width - 2 * pdf.c_margin:
        return [text]  # one line: nothing to break
    return pdf.multi_cell(width, text=text, align="L", dry_run=True, output="LINES")


_FOOTER_LINES: dict[tuple[float, float, Path, str], list[str]] = {}


def _footer_lines(pdf: FPDF, width: float, font: Path, language: str = DEFAULT) -> list[str]:
    """The fixed footer's lines, broken once per font file, size, width and language: fpdf2
    breaks a paragraph in time that grows with the square of its line length (milliseconds
    a PDF)."""
    key = (width, pdf.font_size_pt, font, language)
    if key not in _FOOTER_LINES:
        _FOOTER_LINES[key] = _lines(pdf, _(FOOTER, language).format(attachment=ATTACHMENT),
                                    width)
    return _FOOTER_LINES[key]


def score_line(p: dict[str, Any], language: str = DEFAULT) -> str:
    """"Score 16 / 20 (80 %) · issued 22 November 2026", as `language` writes numbers and
    dates ("Note 17,5 / 20 (87,5 %) · délivré le 22 novembre 2026")."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    def number(value: float) -> str:
        return format_decimal(value, "#,##0.##########", locale=language)

    score, maximum = p["score"], p["max_score"]
    share = int(1000 * score / maximum) / 10 if maximum else 0
    issued = datetime.fromisoformat(p["issued_at"].replace("Z", "+00:00"))
    return _(TEXTS["score"], language).format(
        score=number(score), max_score=number(maximum), percent=number(share),
        date=format_date(issued.date(), "d MMMM y", locale=language))


def _fallback_fonts(text: str) -> list[str]:
    """System fonts that draw what DejaVu Sans cannot; raises when none can."""
    missing = {c for c in text if ord(c) not in _cmap(str(FONT)) and not c.isspace()}
    if not missing:
        return []
    from matplotlib import font_manager

    chosen: list[str] = []
    for entry in font_manager.fontManager.ttflist:
        if not missing or not entry.fname.lower().endswith((".ttf", ".otf")):
            continue
        covered = {c for c in missing if ord(c) in _cmap(entry.fname)}
        if covered:
            chosen.append(entry.fname)
            missing -= covered
    if missing:
        raise CertifyError(
            f"the name {text!r} has characters no installed font draws "
            f"({''.join(sorted(missing))}): install a font that covers them (e.g. Noto Sans "
            "for the script), then run certify again"
        )
    return sorted(chosen)


@functools.cache
def _cmap(path: str) -> frozenset[int]:
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable system font draws nothing
        return frozenset()


def _needs_shaping(text: str) -> bool:
    """Whether `text` needs a shaping engine (right-to-left or joining scripts); raises when
    one is needed and uharfbuzz is not installed."""
    needs = any(
        unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c) == "Mc" for c in text
    )
    if needs and not _can_shape():
        raise CertifyError(
            f"the name {text!r} is in a script that must be shaped (joined, right to left) to "
            "render correctly: install uharfbuzz (`pip install uharfbuzz`), then run certify "
            "again"
        )
    return needs


@functools.cache
def _can_shape() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True
