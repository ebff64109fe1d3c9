"""The Open Badges 3.0 credential secured with an embedded Data Integrity proof, cryptosuite
eddsa-rdfc-2022 (W3C VC Data Integrity EdDSA Cryptosuites v1.0): the form the Digital
Credentials Consortium's wallets and verifiers read, and one of the two 1EdTech accepts.

The proof is made with the issuer's Ed25519 key (the one that signs the VC-JWT), named as a
Multikey verification method, `did:key:z6Mk...#z6Mk...`. What is signed is the RDF dataset of
the credential, canonicalized with RDFC-1.0 (pyld's URDNA2015, the same algorithm): hashData =
SHA-256(canonical proof options) + SHA-256(canonical credential). The JSON-LD contexts come
from this package (contexts/) through a local document loader: nothing is ever fetched.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import didkey
from .errors import Exit, VerifyError
from .openbadges import CONTEXT_FILES, OB_CONTEXT, VC_CONTEXT, OpenedBadge, check, context
from .statuslist import parse_time

ATTACHMENT = "credential.jsonld"  # its name in the PDF certificate
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
PURPOSE = "assertionMethod"
PROOF_FIELDS = {"type", "cryptosuite", "created", "verificationMethod", "proofPurpose",
                "proofValue"}
#: The largest credential verified (bounds the canonicalization's work on hostile input).
MAX_BYTES = 64 * 1024


class _Offline(Exception):
    """A context this package does not store was asked for."""


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the stored contexts, and nothing else (no network)."""
    if url not in CONTEXT_FILES:
        raise _Offline(f"the JSON-LD context {url} is not stored in peaceops (never fetched)")
    return {"contextUrl": None, "documentUrl": url, "document": context(url)}


def canonical(document: dict[str, Any]) -> bytes:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (contexts stored, never fetched)."""
    from pyld import jsonld

    nquads = jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads",
         "documentLoader": document_loader, "safe": True},
    )
    return nquads.encode("utf-8")


def hash_data(unsecured: dict[str, Any], options: dict[str, Any]) -> bytes:
    """What the proof signs: SHA-256 of the canonical proof options (in the document's
    @context), then SHA-256 of the canonical document."""
    config = {"@context": unsecured["@context"], **options}
    return hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()


def add_proof(vc: dict[str, Any], key: Ed25519PrivateKey, created: str | None = None
              ) -> dict[str, Any]:
    """The credential with its eddsa-rdfc-2022 proof (`created`: default its validFrom)."""
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created or vc["validFrom"],
        "verificationMethod": didkey.method_of(vc["issuer"]["id"], key.public_key()),
        "proofPurpose": PURPOSE,
    }
    signature = key.sign(hash_data(vc, options))
    return {**copy.deepcopy(vc), "proof": {**options, "proofValue": "z" + didkey.b58encode(signature)}}


def is_secured(document: Any) -> bool:
    """Whether `document` looks like a credential with an embedded proof (not the peaceops
    signed JSON)."""
    return isinstance(document, dict) and "@context" in document and "proof" in document


def open_secured(
    document: dict[str, Any], public_keys: dict[str, Ed25519PublicKey], what: str = "credential"
) -> OpenedBadge:
    """The credential, once its eddsa-rdfc-2022 proof is checked with the trusted key it names;
    raises `VerifyError` with the exit code."""
    from .openbadges import trusted_key

    proof = document.get("proof")
    if not isinstance(proof, dict) or set(proof) != PROOF_FIELDS:
        raise VerifyError(Exit.MALFORMED, f"the {what}'s proof must have exactly the fields "
                          f"{', '.join(sorted(PROOF_FIELDS))}")
    if (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) != (
            PROOF_TYPE, CRYPTOSUITE, PURPOSE):
        raise VerifyError(Exit.MALFORMED, f"the {what}'s proof is not a {CRYPTOSUITE} "
                          f"{PROOF_TYPE} for {PURPOSE}")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        check(unsecured)  # exactly this course's shape, its two stored contexts first
        if unsecured["@context"] != [VC_CONTEXT, OB_CONTEXT]:
            raise ValueError(f"@context must be exactly {VC_CONTEXT} and {OB_CONTEXT}")
        parse_time(proof["created"])
        value = proof["proofValue"]
        if not isinstance(value, str) or not value.startswith("z"):
            raise ValueError("proofValue is not base58btc multibase")
        signature = didkey.b58decode(value[1:])
        if len(signature) != 64:
            raise ValueError("proofValue is not an Ed25519 signature")
    except (KeyError, TypeError, ValueError) as error:
        raise VerifyError(Exit.MALFORMED, f"the {what} is not an Open Badges 3.0 credential "
                          f"with a Data Integrity proof: {error}") from error
    kid, public_key = trusted_key(proof["verificationMethod"], public_keys, what)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        data = hash_data(unsecured, options)
    except Exception as error:  # noqa: BLE001 - pyld raises its own errors on odd JSON-LD
        raise VerifyError(Exit.MALFORMED, f"the {what} cannot be canonicalized as JSON-LD "
                          f"({type(error).__name__}: {str(error)[:200]})") from error
    try:
        public_key.verify(signature, data)
    except InvalidSignature as error:
        raise VerifyError(
            Exit.BAD_SIGNATURE,
            f"the {what}'s Data Integrity proof does not match its content: a field was "
            "changed after signing (or the proof was)",
        ) from error
    badge = OpenedBadge(unsecured, kid, signature)
    try:
        badge.facts()
        _ = badge.status_index
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise VerifyError(Exit.MALFORMED, f"the {what} is not an Open Badges 3.0 credential: "
                          f"{error}") from error
    return badge

