"""What the issuer publishes beside its public keys, kept current by every command that signs:
issuer.json (the declared keys), revoked.json and status-list.jwt (each signed again with a
fresh validity window) and verify.html (the offline verifier page, carrying all of them)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import revocation, statuslist
from .issuer import Issuer, declare
from .keys import publish_public_key
from .revocation import NAME as REVOKED_NAME


def publish(
    public_dir: Path | str,
    key: Ed25519PrivateKey,
    name: str | None = None,
    now: datetime | None = None,
    valid_days: int = statuslist.VALID_DAYS,
    revoke_index: int | None = None,
) -> list[Path]:
    """Declare the key, sign both revocation lists again (setting `revoke_index` in the status
    list when given) and write the verifier page; returns the files written."""
    public_dir = Path(public_dir)
    publish_public_key(key.public_key(), public_dir, name)
    issuer = declare(key.public_key(), public_dir, name)
    status = statuslist.update(public_dir, issuer, key, revoke_index, now, valid_days)
    revoked = revocation.refresh(key, public_dir / REVOKED_NAME, now, valid_days)
    from .verifier import write_page

    page = write_page(public_dir)
    written = [public_dir / "issuer.json", write_profile(public_dir, issuer), status, revoked,
               page]
    if issuer.did_document():
        written.append(_write_json(public_dir / DID_DOCUMENT, issuer.did_document()))
    return written


PROFILE = "profile.json"
DID_DOCUMENT = "did.json"  # a did:web issuer's DID document, to publish where the DID says


def _write_json(path: Path, document: dict) -> Path:
    import json

    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(path)
    return path


def write_profile(public_dir: Path, issuer: Issuer) -> Path:
    """public-keys/profile.json: the issuer's Open Badges Profile, as JSON-LD (the stored
    contexts), which every credential's `issuer` repeats."""

    from .openbadges import OB_CONTEXT, VC_CONTEXT

    return _write_json(public_dir / PROFILE,
                       {"@context": [VC_CONTEXT, OB_CONTEXT], **issuer.profile()})


def issuer_of(public_dir: Path | str, key: Ed25519PrivateKey, name: str | None = None) -> Issuer:
    """The issuer's declaration, with `key` declared in it."""
    publish_public_key(key.public_key(), public_dir, name)
    return declare(key.public_key(), public_dir, name)
