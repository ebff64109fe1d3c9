"""The issuer's declaration, public-keys/issuer.json: who issues (the Open Badges issuer
profile's id and name), where the status list is, and which keys are the issuer's.

Only a key declared here (or named with `--trust`, or given as one .pem file) is trusted: a
.pem that merely sits in the folder is not. The declaration is written by the issuer's own
commands (`keys init`, `certify`, `revoke`, `keys publish`), which hold the private key; keys
are only ever added, so certificates signed by an earlier key keep verifying after rotation.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import didkey
from .errors import CertifyError, Exit, VerifyError
from .jws import from_jwk, jwk
from .pubkeys import key_id, load_public_keys
from .strictjson import loads

NAME = "issuer.json"
FORMAT = "peaceops.issuer/1"
STATUS_NAME = "status-list.jwt"


@dataclass
class Issuer:
    """The issuer's declaration."""

    id: str  # the Open Badges issuer profile id (a URI)
    name: str
    status_list: str  # the id (URI) of the issuer's Bitstring Status List credential
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # key id -> entry
    url: str = ""  # the issuer's home page (optional)
    email: str = ""  # the issuer's contact address (optional)

    def profile(self) -> dict[str, Any]:
        """The issuer's Open Badges Profile (what each credential's `issuer` states): its id
        (by default the key's did:key, which resolves to the key), name, url and email."""
        return {
            "id": self.id,
            "type": ["Profile"],
            "name": self.name,
            **({"url": self.url} if self.url else {}),
            **({"email": self.email} if self.email else {}),
        }

    def did_document(self) -> dict[str, Any] | None:
        """The DID document of a did:web issuer (to publish at its did.json address): each
        declared key a Multikey verification method for assertions (what the Data Integrity
        proofs name); None for other issuer ids (a did:key resolves by itself)."""
        if not self.id.startswith("did:web:"):
            return None
        methods = [
            {"id": didkey.method_of(self.id, key), "type": "Multikey", "controller": self.id,
             "publicKeyMultibase": didkey.multibase(key)}
            for key in self.public_keys().values()
        ]
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": self.id,
            "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods],
        }

    def verifier_address(self) -> str | None:
        """Where the issuer's verifier page is published: verify.html beside the published
        public-keys/ (its `url`, or its id when that is an https URL); None when unknown."""
        base = self.url or (self.id if self.id.startswith("https://") else "")
        if not base:
            return None
        base = base.split("#")[0]
        if base.endswith((".json", ".html")):
            base = base.rsplit("/", 1)[0]
        return base.rstrip("/") + "/verify.html"

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        return {kid: from_jwk(entry["jwk"]) for kid, entry in self.keys.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "id": self.id,
            "name": self.name,
            "status_list": self.status_list,
            "keys": list(self.keys.values()),
            **({"url": self.url} if self.url else {}),
            **({"email": self.email} if self.email else {}),
        }


def load_issuer(public_dir: Path | str) -> Issuer | None:
    """The declaration in `public_dir`, or None when there is none."""
    path = Path(public_dir) / NAME
    if not path.exists():
        return None
    bad = Exit.KEYS
    try:
        data = loads(path.read_bytes(), f"issuer declaration {path}", bad)
    except OSError as error:
        raise VerifyError(bad, f"cannot read {path}: {error.strerror}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise VerifyError(bad, f"{path} is not an issuer declaration ({FORMAT})")
    for name in ("id", "name", "status_list"):
        if not isinstance(data.get(name), str):
            raise VerifyError(bad, f"{path}: the field {name} must be text")
    for name in ("url", "email"):
        if not isinstance(data.get(name, ""), str):
            raise VerifyError(bad, f"{path}: the field {name} must be text")
    keys = {}
    for entry in data.get("keys") or []:
        try:
            public = from_jwk(entry.get("jwk") if isinstance(entry, dict) else None)
        except ValueError as error:
            raise VerifyError(bad, f"{path}: a key entry is not an Ed25519 JWK: {error}") from error
        if entry.get("key_id") != key_id(public):
            raise VerifyError(bad, f"{path}: key_id {entry.get('key_id')!r} is not its key's id")
        keys[entry["key_id"]] = entry
    return Issuer(data["id"], data["name"], data["status_list"], keys,
                  data.get("url", ""), data.get("email", ""))


def declare(
    public_key: Ed25519PublicKey,
    public_dir: Path | str,
    name: str | None = None,
    issuer_id: str | None = None,
    now: datetime | None = None,
    url: str | None = None,
    email: str | None = None,
) -> Issuer:
    """Declare `public_key` as the issuer's in `public_dir`/issuer.json (made on first use,
    with `issuer_id`, or by default the key's did:key, which any verifier and wallet resolves
    offline); sets the issuer's name when given."""
    public_dir = Path(public_dir)
    try:
        issuer = load_issuer(public_dir)
    except VerifyError as error:
        raise CertifyError(f"{error}: restore it (e.g. from git) before signing more") from error
    if issuer is None:
        issuer = Issuer(
            issuer_id or didkey.did(public_key),
            name or "",
            f"urn:uuid:{uuid.uuid4()}",
        )
    elif issuer_id and issuer_id != issuer.id:
        raise CertifyError(
            f"{public_dir / NAME} already names the issuer {issuer.id}; an issuer id never "
            "changes (certificates name it)"
        )
    kid = key_id(public_key)
    changed = False
    if kid not in issuer.keys:
        when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        issuer.keys[kid] = {
            "key_id": kid,
            "jwk": jwk(public_key),
            "added": when.isoformat().replace("+00:00", "Z"),
        }
        changed = True
    if name and name != issuer.name:
        issuer.name, changed = name, True
    if url and url != issuer.url:
        issuer.url, changed = url, True
    if email and email != issuer.email:
        issuer.email, changed = email, True
    if changed:
        public_dir.mkdir(parents=True, exist_ok=True)
        path = public_dir / NAME
        tmp = path.with_name(f".{NAME}.tmp")
        tmp.write_text(json.dumps(issuer.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
        os.replace(tmp, path)
    return issuer


def trusted_keys(source: Path | str, trust: list[str] | None = None) -> dict[str, Ed25519PublicKey]:
    """The keys a verifier trusts. `source` is one .pem file (trusted: the verifier chose it)
    or the issuer's public-keys folder, whose issuer.json declares the trusted keys; `trust`
    (key ids) narrows them to those named, which must be in the folder."""
    source = Path(source)
    if source.is_file():
        keys = load_public_keys(source)
    else:
        on_disk = load_public_keys(source)  # also: the folder exists, its .pem files parse
        issuer = load_issuer(source)
        declared = issuer.public_keys() if issuer else {}
        if trust:
            available = {**on_disk, **declared}
            missing = [k for k in trust if k not in available]
            if missing:
                raise VerifyError(
                    Exit.KEYS,
                    f"no key {', '.join(missing)} in {source} (it has "
                    f"{', '.join(sorted(available)) or 'none'})",
                )
            return {k: available[k] for k in trust}
        if issuer is None:
            raise VerifyError(
                Exit.KEYS,
                f"{source} has no {NAME}, so no key in it is declared the issuer's: pass "
                "--trust KEY_ID (the key id the issuer publishes) or --public-keys FILE.pem",
            )
        keys = declared
    return keys
