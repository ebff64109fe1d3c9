"""Issue 27: the hostile review's findings, each shown fixed in both directions: validity
dates, the revocation list named with its date, QR text with a byte-order mark, colliding
file names, a name too long for a certificate, the reference-bank mark, and one verification
code in every format."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.certify import decide, new_credential
from peaceops.certify.issue import _safe, issue_certificates
from peaceops.certify.pdf import qr_payload
from peaceops.credentials import Exit, VerifyError, openbadges, verify
from peaceops.credentials.credential import TRAINING_NOTE, verification_code
from peaceops.credentials.revocation import revoke
from peaceops.credentials.signed import compact
from tests.factories.certificates import cohort


@pytest.fixture
def page_tab(browser):
    """A tab of the session's Chromium with no network (tests/browser/conftest.py)."""
    context = browser.new_context()
    context.route("http*://**", lambda route: route.abort())
    yield context.new_page()
    context.close()


def _vc(token: str) -> dict:
    import base64
    import json

    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


@pytest.fixture(scope="module")
def training_course(tmp_path_factory, certification):
    """Certificates issued once from the reference bank (training) for amina and dara."""
    from peaceops.credentials import init_keys, load_private_key
    from peaceops.credentials.publish import publish

    root = tmp_path_factory.mktemp("findings")
    files = init_keys(root / "private", root / "public-keys")
    key = load_private_key(files.private)
    publish(root / "public-keys", key)
    training = replace(certification, exam_bank="reference bank sha256:0123456789abcdef")
    report = issue_certificates(cohort({"amina": [16], "dara": [18]}), training, key,
                                root / "certificates", None, root / "public-keys")
    assert len(report.issued) == 2, report.problems
    return root, root / "public-keys", key, training


@pytest.mark.slow
def test_one_verification_code_in_every_format(training_course):
    root, public, _, _ = training_course
    stem = root / "certificates" / "2026.1" / "amina"
    codes = {suffix: verify(stem.with_suffix(suffix), public).code
             for suffix in (".json", ".jwt", ".pdf")}
    (row,) = [r for r in csv.DictReader((root / "certificates" / "issued.csv").open())
              if r["student"] == "amina"]
    assert set(codes.values()) == {row["verification_code"]}, codes
    from pypdf import PdfReader

    text = PdfReader(stem.with_suffix(".pdf")).pages[0].extract_text()
    assert row["verification_code"] in text
    # and it is this certificate's: dara's differs
    assert verify(stem.with_name("dara.jwt"), public).code != row["verification_code"]


def test_reference_bank_certificates_say_so_everywhere(training_course, certification, tmp_path):
    root, public, key, _ = training_course
    stem = root / "certificates" / "2026.1" / "amina"
    for suffix in (".json", ".jwt", ".pdf"):
        verified = verify(stem.with_suffix(suffix), public)
        assert verified.training and TRAINING_NOTE in verified.report(), suffix
    assert _vc(stem.with_suffix(".jwt").read_text())["credentialSubject"]["achievement"][
        "tag"] == [TRAINING_NOTE]
    from pypdf import PdfReader

    text = PdfReader(stem.with_suffix(".pdf")).pages[0].extract_text()
    assert "Training certificate" in text and TRAINING_NOTE.capitalize() in text
    # a private bank's certificate carries no such mark
    private = replace(certification, exam_bank="private bank sha256:0123456789abcdef")
    report = issue_certificates(cohort({"bo": [17]}), private, key, tmp_path / "c", None, public)
    verified = verify(report.issued[0].pdf, public)
    assert not verified.training and TRAINING_NOTE not in verified.report()
    assert "Training" not in PdfReader(report.issued[0].pdf).pages[0].extract_text()


def test_validity_dates_are_checked_with_their_own_exit_code(training_course):
    root, public, key, training = training_course
    stem = root / "certificates" / "2026.1" / "amina"
    vc = {k: v for k, v in _vc(stem.with_suffix(".jwt").read_text()).items()
          if k not in openbadges.CLAIMS}
    assert verify(openbadges.sign(vc, key).encode(), public)  # as issued: valid
    future = openbadges.sign({**vc, "validFrom": "2099-01-01T00:00:00Z"}, key)
    expired = openbadges.sign({**vc, "validUntil": "2020-01-01T00:00:00Z"}, key)
    later = openbadges.sign({**vc, "validUntil": "2099-01-01T00:00:00Z"}, key)
    for token, word in [(future, "not valid yet"), (expired, "expired")]:
        with pytest.raises(VerifyError) as error:
            verify(token.encode(), public)
        assert error.value.code == Exit.NOT_IN_VALIDITY and word in str(error.value)
    assert _vc(expired)["exp"] < _vc(later)["exp"]  # exp follows validUntil
    assert verify(later.encode(), public)
    # the peaceops JSON credential: issued in the future is not valid yet
    decision = decide(cohort({"amina": [16]}), training.rule(), "amina")
    ahead = new_credential(decision, training, key, now=datetime(2099, 1, 1, tzinfo=UTC))
    with pytest.raises(VerifyError) as error:
        verify(compact(ahead).encode(), public)
    assert error.value.code == Exit.NOT_IN_VALIDITY
    assert verify(compact(ahead).encode(), public, now=datetime(2099, 1, 2, tzinfo=UTC))
    now = new_credential(decision, training, key)
    assert verify(compact(now).encode(), public)


def test_verify_names_the_revocation_list_and_its_date(training_course, tmp_path):
    root, public, key, _ = training_course
    keys = tmp_path / "keys"
    shutil.copytree(public, keys)
    cert = root / "certificates" / "2026.1" / "amina.json"
    today = datetime.now(UTC).date().isoformat()
    line = verify(cert, keys).line()
    assert line.startswith("valid: ") and f"revoked.json (signed {today}" in line
    pdf_line = verify(cert.with_suffix(".pdf"), keys).line()
    assert "revoked.json (signed" in pdf_line and "status-list.jwt (signed" in pdf_line
    # an older list (signed, in its window) checked: named with its date, whatever it says
    old = tmp_path / "old-revoked.json"
    shutil.copy(keys / "revoked.json", old)
    cert_id = verify(cert, keys).payload["certificate_id"]
    revoke(cert_id, "test", key, keys / "revoked.json")
    with pytest.raises(VerifyError):
        verify(cert, keys)
    line = verify(cert, keys, revoked=old).line()
    assert f"old-revoked.json (signed {today}" in line
    # no list at all: said on the verdict line itself
    (keys / "revoked.json").unlink()
    line = verify(cert, keys).line()
    assert line.startswith("valid: ")
    assert line.endswith("revocation NOT checked (against no revocation list)")


def test_qr_text_with_a_byte_order_mark_or_stray_whitespace_reads_the_same(training_course):
    root, public, _, _ = training_course
    stem = root / "certificates" / "2026.1" / "amina"
    credential = __import__("json").loads(stem.with_suffix(".json").read_text())
    token = stem.with_suffix(".jwt").read_text().strip()
    plain = verify(qr_payload(credential).encode(), public)
    bom = "\ufeff".encode()
    for text in (bom + qr_payload(credential).encode() + b"\r\n",
                 b" \n" + bom + b" " + qr_payload(credential).encode() + b" \t"):
        assert verify(text, public).payload == plain.payload
    wrapped = "\n".join(token[i:i + 76] for i in range(0, len(token), 76))
    for text in (bom + token.encode(), b"  " + wrapped.encode() + b"\n"):
        assert verify(text, public).code == plain.code
    # but a changed character still fails: one inside the signature (its last characters
    # may carry padding bits, so "AAA" there can decode to the same bytes)
    changed = token[:-10] + ("B" if token[-10] != "B" else "C") + token[-9:]
    with pytest.raises(VerifyError):
        verify(bom + changed.encode(), public)


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20), min_size=2, max_size=6, unique=True))
def test_no_two_learner_ids_share_a_file_name(ids):
    """On any file system (ignoring case, too), and with nothing outside the folder."""
    names = [_safe(i) for i in ids]
    assert len({n.casefold() for n in names}) == len(ids)
    for name in names:  # no dot: each file is the name and its own suffix
        assert re.fullmatch(r"[a-z0-9_~-]+", name) and len(name) < 120
        assert Path(name).with_suffix(".json").name == f"{name}.json"


@pytest.mark.slow
def test_a_crafted_id_no_longer_blocks_another_learner(tmp_path, certification, keypair):
    """`jos_-d994e1d0` was the file name of `josé`: both are issued now, as are `Amina` and
    `amina` (one file on a case-insensitive file system before)."""
    key, public = keypair
    names = {"josé": ("José", "Ruiz"), "jos_-d994e1d0": ("Mallory", "X"),
             "Amina": ("Amina", "Upper"), "amina": ("Amina", "Lower"),
             "john.doe": ("John", "Doe"), "john.smith": ("John", "Smith")}
    report = issue_certificates(cohort({s: [18] for s in names}, names=names), certification,
                                key, tmp_path / "c", public_dir=public)
    assert report.ok, report.problems
    assert len({i.pdf.name.casefold() for i in report.issued}) == 6
    assert len({i.credential.name.casefold() for i in report.issued}) == 6


def test_a_name_too_long_is_reported_for_that_learner_only(tmp_path, certification, keypair):
    key, public = keypair
    names = {"aaa": ("A" * 2600, "Long"), "bo": ("Bo", "Lindqvist"), "zed": ("Zed", "Last")}
    report = issue_certificates(cohort({s: [18] for s in names}, names=names), certification,
                                key, tmp_path / "c", public_dir=public)
    assert sorted(i.student for i in report.issued) == ["bo", "zed"]
    ((who, what),) = report.problems
    assert who == "aaa" and "2605 characters" in what and "nbgrader db student add aaa" in what
    assert not list((tmp_path / "c").rglob("aaa.*"))


@pytest.mark.slow
def test_one_learner_whose_page_cannot_be_drawn_stops_no_one(tmp_path, certification, keypair,
                                                            monkeypatch):
    from peaceops.certify import pdf_jobs

    real = pdf_jobs.render

    def render(credential, *args, **kwargs):
        if credential["payload"]["learner_id"] == "bo":
            raise ValueError("Error 567: Input too long")
        return real(credential, *args, **kwargs)

    monkeypatch.setattr(pdf_jobs, "render", render)
    key, public = keypair
    report = issue_certificates(cohort({"amina": [18], "bo": [18], "chen": [18]}),
                                certification, key, tmp_path / "c", public_dir=public, jobs=1)
    assert sorted(i.student for i in report.issued) == ["amina", "chen"]
    assert report.problems[0][0] == "bo" and "Input too long" in report.problems[0][1]


def test_the_code_is_the_certificate_ids():
    assert verification_code("0" * 32) == verification_code({"payload": {"certificate_id": "0" * 32}})
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{2}", verification_code("1" * 32))
    assert verification_code("0" * 32) != verification_code("1" * 32)


@pytest.mark.browser
def test_the_pdf_names_the_verifier_and_its_qr_code_opens_it(tmp_path, certification, page_tab):
    """Issue 27, item 7: with the issuer's address, the certificate prints the verifier's
    address, its QR code is a link a phone opens (the page then checks the credential it
    carries, offline), and the badge image is the achievement's `image`."""
    import base64
    import json

    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    from peaceops.certify import badge
    from peaceops.credentials import init_keys, load_private_key
    from peaceops.credentials.publish import publish

    public = tmp_path / "public-keys"
    files = init_keys(tmp_path / "private", public, url="https://academy.example/certs/")
    key = load_private_key(files.private)
    publish(public, key)
    report = issue_certificates(cohort({"amina": [16]}), certification, key, tmp_path / "c",
                                None, public)
    (issued,) = report.issued
    address = "https://academy.example/certs/verify.html"
    page = PdfReader(issued.pdf).pages[0]
    assert address in page.extract_text().replace("\n", "")
    pictures = {p.name: p for p in page.images}
    read = [r.text for p in pictures.values()
            for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(p.data)).convert("L"))]
    (link,) = [t for t in read if t.startswith(address + "#c=")]
    assert verify(link.encode(), public).code == issued.code  # verify - reads the link too
    tampered = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]
    with pytest.raises(VerifyError):
        verify(tampered.encode(), public)
    vc = _vc(issued.credential.with_suffix(".jwt").read_text())
    image = vc["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image" and base64.b64decode(image["id"].split(",", 1)[1]) == (
        badge.png(certification.course_title))
    assert json.loads(issued.credential.with_suffix(".jsonld").read_text())["issuer"]["url"] == (
        "https://academy.example/certs/")
    # the phone's browser: the page opened by the link checks the credential it carries
    verifier = (public / "verify.html").as_uri() + link[len(address):]
    page_tab.goto(verifier)
    page_tab.wait_for_selector("#result:not([hidden])")
    assert page_tab.get_attribute("#result", "data-verdict") == "valid"
    assert issued.code in page_tab.inner_text("#result")
    page_tab.goto("about:blank")
    page_tab.goto((public / "verify.html").as_uri() + tampered[len(address):])
    page_tab.wait_for_selector("#result:not([hidden])")
    assert page_tab.get_attribute("#result", "data-verdict") != "valid"
