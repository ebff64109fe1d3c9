"""The LMS the course is registered in (LTI 1.3), read once from `lti.yaml`, and the tool's
key pair.

One file describes the platform for both sides: the hub's authenticator (issuer, client id,
deployment ids, login and key-set addresses, which claim is the learner id) and
`peaceops lms passback` (the token endpoint for Assignment and Grade Services). It holds no
secret. Moodle and Canvas fill in their own addresses from the issuer::

    platform: moodle                      # or canvas, or other (give every address)
    issuer: https://moodle.example.org    # Canvas: https://canvas.instructure.com
    client_id: "Tz8bK2xqYH1c"             # the LMS shows it after registering the tool
    deployment_ids: ["3"]                 # the LMS shows it too

The tool's private key (RS256) signs the client-credentials assertions of passback; the LMS
holds its public half (`peaceops lms key` prints both forms LMSs ask for). It lives outside
any git work tree: $PEACEOPS_LTI_KEY, else ~/.config/peaceops/lti/tool-key.pem.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_FILE = "lti.yaml"  # in the course directory (or $PEACEOPS_LTI_CONFIG)
CONFIG_ENV = "PEACEOPS_LTI_CONFIG"
KEY_ENV = "PEACEOPS_LTI_KEY"

#: The learner id each LMS sends (see `claim_value`): Moodle's user name (the "ext" claim
#: Moodle adds to every launch); Canvas's login id, from the custom field
#: `login_id=$Canvas.user.loginId` set on the developer key.
LEARNER_ID_CLAIMS = {"moodle": "ext.user_username", "canvas": "custom.login_id", "other": "sub"}
CLAIM_PREFIXES = {
    "custom": "https://purl.imsglobal.org/spec/lti/claim/custom",
    "ext": "https://purl.imsglobal.org/spec/lti/claim/ext",
    "lis": "https://purl.imsglobal.org/spec/lti/claim/lis",
}
CANVAS = {
    "authorize_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks",
    "token_url": "https://sso.canvaslms.com/login/oauth2/token",
}
MOODLE = {  # relative to the site's address, which is Moodle's issuer
    "authorize_url": "/mod/lti/auth.php",
    "jwks_url": "/mod/lti/certs.php",
    "token_url": "/mod/lti/token.php",
}
URLS = ("authorize_url", "jwks_url", "token_url")


@dataclass(frozen=True)
class Platform:
    """An LTI 1.3 platform (the LMS) and this tool's registration in it."""

    kind: str  # moodle, canvas or other
    issuer: str
    client_ids: tuple[str, ...]
    deployment_ids: tuple[str, ...]
    authorize_url: str  # OIDC authorization endpoint (the launch's second step)
    jwks_url: str  # the platform's public keys, which sign its id_tokens
    token_url: str  # OAuth2 client-credentials endpoint (AGS access tokens)
    learner_id_claim: str = "sub"
    token_audience: str = ""  # the client assertion's aud; "" = token_url
    source: str = field(default="", compare=False)  # where it was read (for messages)

    @property
    def client_id(self) -> str:
        return self.client_ids[0]


def config_path(course_root: Path | str | None = None) -> Path:
    """$PEACEOPS_LTI_CONFIG, else lti.yaml in the course directory."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env).expanduser()
    return Path(course_root or ".") / CONFIG_FILE


def load_platform(path: Path | str) -> Platform:
    """Read `lti.yaml`; a ValueError names the file, the field and what to write."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no LTI configuration. Write it after registering the tool in the LMS "
            "(README, 'Launching from Moodle or Canvas'), or set $PEACEOPS_LTI_CONFIG.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping (platform, issuer, client_id, ...)")
    known = {"platform", "issuer", "client_id", "deployment_ids", "learner_id_claim",
             "token_audience", *URLS}
    if unknown := sorted(set(map(str, data)) - known):
        raise ValueError(f"{path}: unknown field(s) {', '.join(unknown)} (known: "
                         f"{', '.join(sorted(known))})")
    kind = str(data.get("platform") or "").strip().lower()
    if kind not in LEARNER_ID_CLAIMS:
        raise ValueError(f"{path}: platform: {data.get('platform')!r}; write moodle, canvas "
                         "or other")

    def text(name: str, default: str = "") -> str:
        value = data.get(name)
        value = default if value is None else str(value).strip()
        if not value:
            raise ValueError(f"{path}: {name}: missing; {_HELP.get(name, 'give it')}")
        return value

    def texts(name: str) -> tuple[str, ...]:
        value = data.get(name)
        values = value if isinstance(value, list) else [value] if value is not None else []
        found = tuple(str(v).strip() for v in values if v is not None and str(v).strip())
        if not found:
            raise ValueError(f"{path}: {name}: missing; {_HELP[name]}")
        return found

    issuer = text("issuer", "https://canvas.instructure.com" if kind == "canvas" else "")
    defaults = {"canvas": CANVAS,
                "moodle": {k: issuer.rstrip("/") + v for k, v in MOODLE.items()}}.get(kind, {})
    urls = {name: text(name, defaults.get(name, "")) for name in URLS}
    for name, value in [("issuer", issuer), *urls.items()]:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{path}: {name}: {value!r} is not an http(s) address")
    claim = text("learner_id_claim", LEARNER_ID_CLAIMS[kind])
    claim_path(claim, path)  # checked now, not at the first launch
    return Platform(kind, issuer, texts("client_id"), texts("deployment_ids"),
                    urls["authorize_url"], urls["jwks_url"], urls["token_url"], claim,
                    str(data.get("token_audience") or "").strip(), str(path))


_HELP = {
    "issuer": "the platform's issuer: Moodle's site address (https://moodle.example.org), "
              "Canvas's https://canvas.instructure.com",
    "client_id": "the client id the LMS gave the tool when you registered it",
    "deployment_ids": "a list of the deployment ids the LMS shows for the tool, e.g. ['3']",
    "authorize_url": "the LMS's OIDC authentication request URL",
    "jwks_url": "the LMS's public keyset URL",
    "token_url": "the LMS's access token URL",
}


def claim_path(claim: str, where: Path | str = "lti.yaml") -> tuple[str, ...]:
    """`custom.login_id` -> (custom claim's URI, "login_id"); `sub` -> ("sub",)."""
    parts = tuple(p for p in claim.split(".") if p)
    if not parts or (len(parts) == 2 and parts[0] not in CLAIM_PREFIXES) or len(parts) > 2:
        raise ValueError(f"{where}: learner_id_claim: {claim!r}; write a claim of the launch "
                         "(sub, email) or custom.NAME, ext.NAME, lis.NAME")
    return (CLAIM_PREFIXES[parts[0]], parts[1]) if len(parts) == 2 else parts


def claim_value(claims: dict, claim: str) -> str:
    """The launch's value of `claim` (see `claim_path`), or ""."""
    value: object = claims
    for part in claim_path(claim):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) \
        else ""


# -- the tool's key pair ---------------------------------------------------------------------


def default_key_path() -> Path:
    env = os.environ.get(KEY_ENV)
    return Path(env).expanduser() if env else (
        Path.home() / ".config" / "peaceops" / "lti" / "tool-key.pem")


def init_key(path: Path | str | None = None) -> Path:
    """Make the tool's RSA key (2048 bits) at `path` unless one is there; refuses a place
    inside a git work tree (a private key is never committed)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    path = Path(path).expanduser() if path else default_key_path()
    if path.exists():
        return path
    for folder in [path.resolve().parent, *path.resolve().parents]:
        if (folder / ".git").exists():
            raise ValueError(f"{path} is inside the git work tree {folder}: the tool's private "
                             f"key must never be committed; choose a place outside it "
                             f"(default ~/.config/peaceops/lti, or ${KEY_ENV})")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return path


@dataclass(frozen=True)
class ToolKey:
    private_pem: str
    public_pem: str
    kid: str
    jwk: dict

    @property
    def jwks(self) -> dict:
        return {"keys": [self.jwk]}


def load_key(path: Path | str | None = None) -> ToolKey:
    """The tool's key pair; its kid is the RFC 7638 thumbprint of the public key."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization

    path = Path(path).expanduser() if path else default_key_path()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no LTI tool key; make it with `peaceops lms key` "
                                f"(or point ${KEY_ENV} at it)")
    pem = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
        numbers = key.public_key().public_numbers()
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not an unencrypted RSA private key in PEM ({exc})") from exc

    def b64(number: int) -> str:
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    members = {"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}
    kid = base64.urlsafe_b64encode(hashlib.sha256(json.dumps(
        members, separators=(",", ":"), sort_keys=True).encode()).digest()).rstrip(b"=").decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return ToolKey(pem.decode("ascii"), public.decode("ascii"), kid,
                   {**members, "kid": kid, "alg": "RS256", "use": "sig"})


__all__ = ["CONFIG_FILE", "Platform", "ToolKey", "claim_value", "config_path", "init_key",
           "load_key", "load_platform"]
