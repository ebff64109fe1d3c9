"""Issue 16: the verifier page (public-keys/verify.html) gives, offline in Debian's Chromium,
the same verdict as `peaceops verify` on valid, tampered, revoked and foreign-key
credentials: pasted JSON, pasted VC-JWT, the QR code's text and an uploaded PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peaceops.certify import Exit, VerifyError, openbadges, verify
from peaceops.certify.credential import FIELDS
from peaceops.certify.pdf import qr_payload
from peaceops.certify.publish import publish
from peaceops.certify.revocation import revoke
from peaceops.certify.signed import sign

pytestmark = pytest.mark.browser
VERDICTS = {
    Exit.VALID: "valid",
    Exit.MALFORMED: "malformed",
    Exit.BAD_SIGNATURE: "changed",
    Exit.UNKNOWN_KEY: "unknown-key",
    Exit.REVOKED: "revoked",
    Exit.BAD_REVOCATION_LIST: "bad-revocation-list",
    Exit.NOT_IN_VALIDITY: "not-valid-now",
}


@pytest.fixture(scope="module")
def page(browser):
    """A tab of the session's Chromium (one Playwright per test process), with no network."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route("http*://**", lambda route: route.abort())
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.requests, tab.errors = requests, errors
    yield tab
    context.close()


def check_in_page(tab, verifier: Path, text: str | None = None, pdf: Path | None = None) -> dict:
    tab.goto(verifier.as_uri())
    tab.wait_for_selector("body[data-ready=true]")
    if pdf:
        tab.set_input_files("#pdf", str(pdf))
    else:
        tab.fill("#credential", text)
        tab.click("#check")
    tab.wait_for_selector("#result:not([hidden])")
    return {
        "verdict": tab.get_attribute("#result", "data-verdict"),
        "revocation": tab.get_attribute("#result", "data-revocation"),
        "text": tab.inner_text("#result"),
    }


def python_verdict(cert, public) -> str:
    try:
        verify(cert, public)
    except VerifyError as error:
        return VERDICTS[error.code]
    return "valid"


def _stem(course, student):
    return course / "certificates" / "2026.1" / student


def test_the_page_agrees_with_peaceops_verify(issued_course, tmp_path, page, certification):
    course, public, key = issued_course
    amina, dara = _stem(course, "amina"), _stem(course, "dara")
    # dara's certificate is revoked (both lists), then the page is written again
    dara_id = json.loads(dara.with_suffix(".json").read_text())["payload"]["certificate_id"]
    from peaceops.certify.issue import status_indices

    revoke(dara_id, "exam irregularity", key, public / "revoked.json")
    publish(public, key, revoke_index=status_indices(course / "certificates")[dara_id])
    verifier = public / "verify.html"

    credential = json.loads(amina.with_suffix(".json").read_text())
    token = amina.with_suffix(".jwt").read_text().strip()
    changed_json = json.loads(json.dumps(credential))
    changed_json["payload"]["score"] = 20
    vc = json.loads(__import__("base64").urlsafe_b64decode(token.split(".")[1] + "=="))
    vc["credentialSubject"]["result"][0]["value"] = "20"
    header, _, signature = token.split(".")
    from peaceops.certify.signed import b64url

    changed_jwt = f"{header}.{b64url(json.dumps(vc).encode())}.{signature}"
    foreign = Ed25519PrivateKey.generate()
    foreign_json = sign({k: v for k, v in credential["payload"].items() if k != "key_id"}, foreign)
    foreign_jwt = openbadges.sign(vc, foreign)

    cases = {
        "valid json": json.dumps(credential, indent=2),
        "valid qr text": qr_payload(credential),
        "valid jwt": token,
        "changed json": json.dumps(changed_json),
        "changed jwt": changed_jwt,
        "revoked json": dara.with_suffix(".json").read_text(),
        "revoked jwt": dara.with_suffix(".jwt").read_text(),
        "foreign json": json.dumps(foreign_json),
        "foreign jwt": foreign_jwt,
        "garbage": "[" * 5000,
        "duplicate key": json.dumps(credential).replace('"score":', '"score": 1, "score":', 1),
    }
    seen = {}
    for name, text in cases.items():
        expected = python_verdict(text.encode(), public)
        got = check_in_page(page, verifier, text)
        seen[name] = (expected, got["verdict"])
        assert got["verdict"] == expected, (name, got["text"])
    assert [seen[n][1] for n in cases] == [
        "valid",
        "valid",
        "valid",
        "changed",
        "changed",
        "revoked",
        "revoked",
        "unknown-key",
        "unknown-key",
        "malformed",
        "malformed",
    ]
    for field in FIELDS:  # every changed field of the JSON credential, as verify says
        forged = json.loads(json.dumps(credential))
        value = forged["payload"][field]
        forged["payload"][field] = value + 1 if isinstance(value, int | float) else value + "x"
        text = json.dumps(forged)
        assert check_in_page(page, verifier, text)["verdict"] == python_verdict(
            text.encode(), public
        ), field

    got = check_in_page(page, verifier, token)
    assert "Amina Diallo" in got["text"] and "16 / 20 (80 %)" in got["text"]
    assert (
        got["revocation"] == "checked"
        and "not revoked: checked against the status list" in got["text"]
    )
    for pdf, expected in [
        (amina.with_suffix(".pdf"), "valid"),
        (dara.with_suffix(".pdf"), "revoked"),
    ]:
        assert python_verdict(pdf, public) == expected
        got = check_in_page(page, verifier, pdf=pdf)
        assert got["verdict"] == expected, got["text"]
    assert "Amina Diallo" in check_in_page(page, verifier, pdf=amina.with_suffix(".pdf"))["text"]
    assert [u for u in page.requests if not u.startswith("file:")] == []
    assert page.errors == []


def test_an_outdated_list_shows_revocation_not_checked(issued_course, page):
    from datetime import UTC, datetime, timedelta

    course, public, key = issued_course
    publish(public, key, valid_days=0, now=datetime.now(UTC) - timedelta(days=2))
    got = check_in_page(
        page, public / "verify.html", _stem(course, "amina").with_suffix(".jwt").read_text()
    )
    assert got["verdict"] == "valid" and got["revocation"] == "not-checked"
    assert "revocation NOT checked: the status list is out of date" in got["text"]
    assert not verify(_stem(course, "amina").with_suffix(".jwt"), public).revocation_checked
