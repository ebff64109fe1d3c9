"""The certificate as an Open Badges 3.0 credential (OpenBadgeCredential, W3C Verifiable
Credentials Data Model 2.0), secured with VC-JOSE: a compact JWS, alg EdDSA, typ vc+jwt,
whose payload is the credential, signed with the issuer's Ed25519 key (the key that signs
the peaceops JSON credential too). Any JOSE library can check it with the published key.

The JSON-LD contexts it names are stored in this package (contexts/), never fetched.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import didkey, jws
from .credential import TRAINING_NOTE
from .errors import Exit, VerifyError
from .issuer import Issuer
from .keys import key_id
from .statuslist import parse_time
from .strictjson import loads

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-v3p0-context-3.0.3.json",
}
TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
JOSE_TYPE = "vc+jwt"
ATTACHMENT = "credential.jwt"


def context(url: str) -> dict[str, Any]:
    """A JSON-LD context this package stores, by its URL (for offline JSON-LD processing)."""
    text = resources.files(__package__).joinpath("contexts", CONTEXT_FILES[url]).read_text("utf-8")
    return json.loads(text)


def identity_hash(value: str, salt: str) -> str:
    """Open Badges IdentityObject hash: sha256$ + hex SHA-256 of the value and the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def achievement_id(issuer: Issuer, course_id: str, rule_version: str,
                   language: str = "en") -> str:
    """A stable id for the achievement: one per course, pass rule version and language (an
    edition in another language than English is a `related` achievement of its own)."""
    name = f"{issuer.id}/{course_id}/{rule_version}" + (f"/{language}" if language != "en" else "")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


#: The JWT registered claims OB 3.0 (8.2.4.1) requires beside the credential's own fields.
CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


def claims(vc: dict[str, Any]) -> dict[str, Any]:
    """The registered claims of the credential's JWT: iss = issuer.id, jti = id, nbf =
    validFrom, exp = validUntil (when set), sub = credentialSubject.id (when set)."""
    out: dict[str, Any] = {
        "iss": vc["issuer"]["id"],
        "jti": vc["id"],
        "nbf": int(parse_time(vc["validFrom"]).timestamp()),
    }
    if "validUntil" in vc:
        out["exp"] = int(parse_time(vc["validUntil"]).timestamp())
    if "id" in vc["credentialSubject"]:
        out["sub"] = vc["credentialSubject"]["id"]
    return out


def sign(vc: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """The credential secured as VC-JOSE (compact JWS, EdDSA), with the registered claims and
    a `kid` any verifier resolves offline: the key's did:key verification method."""
    header = {"kid": didkey.verification_method(key.public_key()), "typ": JOSE_TYPE, "cty": "vc"}
    return jws.sign({**vc, **claims(vc)}, key, header)


def trusted_key(
    kid: Any, public_keys: dict[str, Ed25519PublicKey], what: str
) -> tuple[str, Ed25519PublicKey]:
    """(key id, key) of the key a JWT's `kid` (or a proof's verificationMethod) names: a
    did:key, or the bare key id of earlier credentials; `VerifyError(UNKNOWN_KEY)` unless it
    is among the trusted `public_keys`."""
    if isinstance(kid, str) and kid.startswith("did:"):
        try:
            kid = key_id(didkey.resolve(kid))
        except ValueError as error:
            raise VerifyError(Exit.MALFORMED, f"the {what}'s key {kid!r}: {error}") from error
    if kid not in public_keys:
        known = ", ".join(sorted(public_keys)) or "none"
        raise VerifyError(
            Exit.UNKNOWN_KEY,
            f"the {what} is signed with key {kid}, which is not among the issuer's trusted "
            f"keys ({known})",
        )
    return kid, public_keys[kid]


@dataclass(frozen=True)
class OpenedBadge:
    credential: dict[str, Any]
    key_id: str
    signature: bytes

    @property
    def certificate_id(self) -> str:
        return uuid.UUID(self.credential["id"].removeprefix("urn:uuid:")).hex

    @property
    def training(self) -> bool:
        return TRAINING_NOTE in self.credential["credentialSubject"]["achievement"].get("tag", [])

    @property
    def status_index(self) -> int | None:
        status = self.credential.get("credentialStatus")
        return int(status["statusListIndex"]) if status else None

    @property
    def status_list(self) -> str | None:
        status = self.credential.get("credentialStatus")
        return status["statusListCredential"] if status else None

    def facts(self) -> dict[str, Any]:
        """What the certificate states, under the peaceops payload's field names."""
        subject = self.credential["credentialSubject"]
        achievement = subject["achievement"]
        names = [i for i in subject["identifier"] if i.get("identityType") == "name"]
        return {
            "certificate_id": self.certificate_id,
            "learner_name": names[0]["identityHash"],
            "course_title": achievement["name"],
            "course_version": achievement["version"],
            "score": float(subject["result"][0]["value"]),
            "max_score": float(achievement["resultDescription"][0]["valueMax"]),
            "issued_at": self.credential["validFrom"],
            "issuer": self.credential["issuer"]["name"],
            "key_id": self.key_id,
            "exam_bank": "reference bank" if self.training else None,
            "valid_until": self.credential.get("validUntil"),
        }


def open_badge(
    token: str, public_keys: dict[str, Ed25519PublicKey], what: str = "credential"
) -> OpenedBadge:
    """The credential in a VC-JOSE token, once its signature is checked against the trusted
    key its header names; raises `VerifyError` with the exit code."""
    header, payload, signing_input, signature = jws.decode(token, what)
    if header.get("typ") != JOSE_TYPE:
        raise VerifyError(Exit.MALFORMED, f"the {what}'s typ is not {JOSE_TYPE}")
    kid, public_key = trusted_key(header.get("kid"), public_keys, what)
    jws.check(public_key, signing_input, signature, what)
    vc = loads(payload, what)
    badge = OpenedBadge(vc, kid, signature)
    try:
        check(vc)
        given = {k: vc[k] for k in CLAIMS if k in vc}
        if given and given != claims(vc):
            raise ValueError("its JWT claims (iss, jti, nbf, exp, sub) disagree with its fields")
        badge.facts()
        badge.certificate_id  # noqa: B018 - checks the id's form
        _ = badge.status_index
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise VerifyError(
            Exit.MALFORMED, f"the {what} is not an Open Badges 3.0 credential: {error}"
        ) from error
    return badge


def check(vc: Any) -> None:
    """ValueError unless `vc` has the shape of the OpenBadgeCredential this course issues."""
    if not isinstance(vc, dict):
        raise ValueError("not a JSON object")
    if vc.get("@context", [None, None])[:2] != [VC_CONTEXT, OB_CONTEXT]:
        raise ValueError(f"@context must start with {VC_CONTEXT} and {OB_CONTEXT}")
    if not set(TYPE) <= set(vc.get("type", [])):
        raise ValueError("its type is not OpenBadgeCredential")
    parse_time(vc["validFrom"])
    if "validUntil" in vc:
        parse_time(vc["validUntil"])
    if not isinstance(vc["issuer"], dict) or not isinstance(vc["issuer"].get("name"), str):
        raise ValueError("the issuer is not a profile with a name")
