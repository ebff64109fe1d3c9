"""The issuer's Ed25519 key pair: the private key outside any git work tree, the public key
published in the course's public-keys/ folder, named by its key id."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import CertifyError
from .pubkeys import key_id, load_public_keys  # noqa: F401 (part of this module's API)

KEY_DIR_ENV = "PEACEOPS_KEY_DIR"
PASSPHRASE_ENV = "PEACEOPS_KEY_PASSPHRASE"
PRIVATE_NAME = "peaceops-issuer.pem"
PUBLIC_DIR = "public-keys"


@dataclass(frozen=True)
class KeyFiles:
    key_id: str
    private: Path
    public: Path


def default_key_dir() -> Path:
    """$PEACEOPS_KEY_DIR, or ~/.config/peaceops/keys."""
    env = os.environ.get(KEY_DIR_ENV)
    return Path(env).expanduser() if env else Path.home() / ".config" / "peaceops" / "keys"


def default_key_path() -> Path:
    return default_key_dir() / PRIVATE_NAME


def git_work_tree(path: Path) -> Path | None:
    """The git work tree that `path` (existing or not) lies in, if any."""
    for folder in [path.resolve(), *path.resolve().parents]:
        if (folder / ".git").exists():
            return folder
    return None


def init_keys(
    private_dir: Path | str | None = None,
    public_dir: Path | str = PUBLIC_DIR,
    passphrase: str | None = None,
    issuer_id: str | None = None,
    name: str | None = None,
    url: str | None = None,
    email: str | None = None,
) -> KeyFiles:
    """Make a key pair: the private key (PEM, mode 0600; encrypted when `passphrase` is
    given) in `private_dir`, which must not be inside a git work tree and must not hold a key
    already; the public key in `public_dir`, declared the issuer's in its issuer.json (made
    with `issuer_id` if new). A second key (rotation) is added beside the first."""
    private_dir = Path(private_dir).expanduser() if private_dir else default_key_dir()
    tree = git_work_tree(private_dir)
    if tree:
        raise CertifyError(
            f"{private_dir} is inside the git work tree {tree}: the private key must never be "
            f"in a repository. Use --dir (or ${KEY_DIR_ENV}) to name a folder outside it, "
            "e.g. ~/.config/peaceops/keys"
        )
    private_path = private_dir / PRIVATE_NAME
    if private_path.exists():
        raise CertifyError(
            f"a key already exists at {private_path}; it is never overwritten. Keep it "
            "(certificates it signed verify with its public key); to make another key, use "
            "another --dir"
        )
    if passphrase is not None and len(passphrase) < 8:
        raise CertifyError("the passphrase must have at least 8 characters")
    key = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    private_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise CertifyError(
            f"a key already exists at {private_path}; it is never overwritten"
        ) from error
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.chmod(private_path, 0o600)  # whatever the umask
    public_path = _publish_pem(key.public_key(), public_dir)
    from .issuer import declare

    declare(key.public_key(), public_dir, name, issuer_id, url=url, email=email)
    return KeyFiles(key_id(key.public_key()), private_path, public_path)


def publish_public_key(
    public_key: Ed25519PublicKey,
    public_dir: Path | str,
    name: str | None = None,
    issuer_id: str | None = None,
) -> Path:
    """Write `<key_id>.pem` to `public_dir` unless it is there already, and declare it the
    issuer's in `public_dir`/issuer.json (only the issuer, who holds the private key, calls
    this)."""
    from .issuer import declare  # issuer.py reads keys with this module

    path = _publish_pem(public_key, public_dir)
    declare(public_key, public_dir, name, issuer_id)
    return path


def _publish_pem(public_key: Ed25519PublicKey, public_dir: Path | str) -> Path:
    path = Path(public_dir) / f"{key_id(public_key)}.pem"
    pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if path.exists():
        if path.read_bytes() != pem:
            raise CertifyError(f"{path} holds another key than its name says: move it away")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pem)
    return path


def load_private_key(
    path: Path | str | None = None, passphrase: str | None = None
) -> Ed25519PrivateKey:
    """The issuer's private key (default: the one `keys init` makes). An encrypted key is
    opened with `passphrase`, else $PEACEOPS_KEY_PASSPHRASE, else a prompt on a terminal."""
    path = Path(path).expanduser() if path else default_key_path()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CertifyError(
            f"cannot read the private key {path} ({error.strerror}): make one with "
            "`peaceops keys init`, or pass --key"
        ) from error
    encrypted = b"ENCRYPTED" in data.split(b"\n", 1)[0]
    password = _passphrase(path, passphrase) if encrypted else None
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except ValueError as error:
        if encrypted:
            raise CertifyError(
                f"wrong passphrase for {path} (from --passphrase, ${PASSPHRASE_ENV} or the prompt)"
            ) from error
        raise CertifyError(f"{path} is not an unencrypted PEM private key: {error}") from error
    except (TypeError, UnsupportedAlgorithm) as error:
        raise CertifyError(f"{path} is not an unencrypted PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CertifyError(f"{path} is not an Ed25519 key: make one with `peaceops keys init`")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        print(f"warning: {path} is readable by others: chmod 600 {path}", file=sys.stderr)
    return key


def _passphrase(path: Path, given: str | None) -> bytes:
    """The passphrase of an encrypted key: given, from the environment, or typed."""
    if given is None:
        given = os.environ.get(PASSPHRASE_ENV)
    if given is None and sys.stdin.isatty():
        import getpass

        given = getpass.getpass(f"passphrase of {path}: ")
    if not given:
        raise CertifyError(
            f"{path} is encrypted: set ${PASSPHRASE_ENV} or run on a terminal to be asked "
            "for its passphrase"
        )
    return given.encode("utf-8")
