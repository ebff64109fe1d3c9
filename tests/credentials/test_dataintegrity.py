"""Issue 27, item 2: every Open Badges credential also carries an embedded Data Integrity
proof (eddsa-rdfc-2022) from the issuer's Ed25519 key. Digital Bazaar's verifier under node
(@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, contexts from a local document
loader, no network) and `peaceops verify` accept every issued credential and reject every
copy with one field changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from peaceops.credentials import Exit, VerifyError, didkey, openbadges, verify
from peaceops.credentials.dataintegrity import ATTACHMENT, CRYPTOSUITE

from .test_openbadges import _changed, _leaves, _set

ROOT = Path(__file__).resolve().parents[2]
DB_VC = ROOT / "node_modules" / "@digitalbazaar" / "vc"


def digital_bazaar(credentials: list[dict], dids: dict | None = None) -> list[dict]:
    """Each credential's verdict from Digital Bazaar's verifier (offline; `dids`: did:web
    documents by DID, as the issuer publishes them)."""
    node = shutil.which("node")
    if not node or not DB_VC.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node and @digitalbazaar/vc are needed: run `npm ci` (.ci/run does)")
        pytest.skip("the independent Data Integrity verifier needs node and `npm ci`")
    contexts = {url: openbadges.context(url) for url in openbadges.CONTEXT_FILES}
    done = subprocess.run(
        [node, str(Path(__file__).with_name("di_verify.mjs"))],
        input=json.dumps({"contexts": contexts, "credentials": credentials, "dids": dids or {}}),
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_credential_verifies_independently_and_every_edit_fails(issued_course):
    course, public, key = issued_course
    files = sorted((course / "certificates").rglob("*.jsonld"))
    assert len(files) == 3
    documents = [json.loads(f.read_text()) for f in files]
    for document, file in zip(documents, files, strict=True):
        proof = document["proof"]
        assert proof["cryptosuite"] == CRYPTOSUITE and proof["type"] == "DataIntegrityProof"
        assert document["issuer"]["id"] == didkey.did(key.public_key())  # a wallet resolves it
        assert proof["verificationMethod"] == didkey.verification_method(key.public_key())
        ours = verify(file, public)
        assert ours.code == verify(file.with_suffix(".jwt"), public).code
        assert ours.payload["learner_name"] == verify(file.with_suffix(".json"), public).payload[
            "learner_name"]
    results = digital_bazaar(documents)
    assert all(r["verified"] for r in results), results
    forged = {"/".join(map(str, path)): _set(documents[0], path, _changed(value))
              for path, value in _leaves(documents[0])}
    assert len(forged) > 35  # every leaf, the proof's too
    results = digital_bazaar(list(forged.values()))
    accepted = [name for name, r in zip(forged, results, strict=True) if r["verified"]]
    assert accepted == [], f"Digital Bazaar's verifier accepted changed fields: {accepted}"
    for name, document in forged.items():
        with pytest.raises(VerifyError) as error:
            verify(json.dumps(document).encode(), public)
        assert error.value.code in (Exit.BAD_SIGNATURE, Exit.MALFORMED, Exit.UNKNOWN_KEY), name
    # and a third implementation, openbadgeslib's Data Integrity verifier, anchored to the
    # issuer's DID (its key resolved from the did:key, offline)
    if os.environ.get("CI") == "true":
        import openbadgeslib.ob3.ldp  # noqa: F401 - a missing prerequisite fails under CI
    ldp = pytest.importorskip("openbadgeslib.ob3.ldp", reason="pip install openbadgeslib")
    from openbadgeslib.ob3.verifier import OB3VerificationError

    verifier = ldp.OB3LdpVerifier.for_issuer_did(didkey.did(key.public_key()))
    for document in documents:
        assert verifier.verify(document).issuer.id == document["issuer"]["id"]
    accepted = []
    for name, document in forged.items():
        try:
            verifier.verify(document)
            accepted.append(name)
        except OB3VerificationError:
            pass
    assert accepted == [], f"openbadgeslib accepted changed fields: {accepted}"


def test_the_pdf_carries_the_proof_and_its_two_badges_must_agree(issued_course):
    course, public, key = issued_course
    stem = course / "certificates" / "2026.1" / "amina"
    from pypdf import PdfReader

    attached = PdfReader(stem.with_suffix(".pdf")).attachments[ATTACHMENT][0]
    assert json.loads(attached) == json.loads(stem.with_suffix(".jsonld").read_text())
    verified = verify(stem.with_suffix(".pdf"), public)
    assert verified.secured and verified.secured.credential == {
        k: v for k, v in json.loads(attached).items() if k != "proof"}
    assert f"Data Integrity proof ({CRYPTOSUITE})" in verified.report()
    # a Data Integrity credential re-signed by a key the issuer never declared: unknown key
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from peaceops.credentials.dataintegrity import add_proof

    unsecured = {k: v for k, v in json.loads(stem.with_suffix(".jsonld").read_text()).items()
                 if k != "proof"}
    foreign = add_proof(unsecured, Ed25519PrivateKey.generate())
    assert digital_bazaar([foreign])[0]["verified"] is False  # not the issuer's key either
    with pytest.raises(VerifyError) as error:
        verify(json.dumps(foreign).encode(), public)
    assert error.value.code == Exit.UNKNOWN_KEY


def test_a_did_web_issuer_publishes_the_key_in_its_did_document(tmp_path, certification):
    """Issue 27, item 3: with a did:web issuer id, the proofs name the key under the issuer's
    DID, and public-keys/did.json (to publish at the DID's address) lists it as a Multikey
    assertion method: Digital Bazaar's verifier accepts the credential with that document,
    and cannot without it."""
    from peaceops.certify.issue import issue_certificates
    from peaceops.credentials import init_keys, load_private_key
    from peaceops.credentials.publish import publish
    from tests.factories.certificates import cohort

    did = "did:web:academy.example:certs"
    public = tmp_path / "public-keys"
    files = init_keys(tmp_path / "private", public, issuer_id=did, name="Academy")
    key = load_private_key(files.private)
    publish(public, key)
    report = issue_certificates(cohort({"amina": [16]}), certification, key, tmp_path / "c",
                                None, public)
    secured = json.loads(report.issued[0].credential.with_suffix(".jsonld").read_text())
    method = secured["proof"]["verificationMethod"]
    assert method == f"{did}#{didkey.multibase(key.public_key())}"
    document = json.loads((public / "did.json").read_text())
    assert document["id"] == did and document["assertionMethod"] == [method]
    assert document["verificationMethod"][0]["publicKeyMultibase"] == didkey.multibase(
        key.public_key())
    assert verify(report.issued[0].pdf, public).secured
    (published,) = digital_bazaar([secured], {did: document})
    assert published["verified"], published
    (unpublished,) = digital_bazaar([secured])
    assert not unpublished["verified"]
