"""The credential verbs of the `peaceops` command: keys (init, publish), verify, revoke.

`add_parsers(subparsers)` adds them to the main parser; each verb's `func(args)` returns the
exit code. The logic lives in the programmatic API (`peaceops.credentials`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..options import add_renamed, course_options
from .certificate_ledger import CERTIFICATES_DIR, LEDGER
from .errors import CertifyError, Exit, VerifyError
from .issuer import NAME as ISSUER_NAME
from .issuer import STATUS_NAME
from .keys import KEY_DIR_ENV, PASSPHRASE_ENV, PRIVATE_NAME, PUBLIC_DIR
from .revocation import NAME as REVOKED_NAME
from .statuslist import VALID_DAYS

# Each verb imports its own work when it runs: `--help` stays light.

RAW = argparse.RawDescriptionHelpFormatter
KEY_HELP = (
    f"the issuer's private key (default: ${KEY_DIR_ENV}/{PRIVATE_NAME}, or "
    f"~/.config/peaceops/keys/{PRIVATE_NAME})"
)
VERIFY_CODES = "\n".join(
    f"  {code.value}  {text}"
    for code, text in [
        (Exit.VALID, "valid"),
        (
            Exit.MALFORMED,
            "unreadable or malformed certificate (not a credential, another format or algorithm)",
        ),
        (
            Exit.KEYS,
            "the public keys or options cannot be used (no such folder, not an Ed25519 key)",
        ),
        (Exit.BAD_SIGNATURE, "the signature does not match: a field was changed after signing"),
        (Exit.UNKNOWN_KEY, "signed with a key that is not among the published public keys"),
        (Exit.REVOKED, "the issuer revoked the certificate"),
        (
            Exit.BAD_REVOCATION_LIST,
            "the revocation list is unreadable, tampered or not signed by a published key",
        ),
        (
            Exit.STATUS_UNKNOWN,
            "valid, but revocation was not checked (no list, or out of date); "
            "only with --require-status",
        ),
        (
            Exit.NOT_IN_VALIDITY,
            "intact, but not valid now: its validFrom is in the future or its validUntil past",
        ),
    ]
)


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the verbs keys (init, publish), verify and revoke."""
    keys = subparsers.add_parser(
        "keys",
        help="manage the issuer's signing keys (keys init)",
        description=(
            "Manage the issuer's Ed25519 signing keys. `peaceops keys init` makes the "
            "pair: the private key outside any repository, the public key in "
            f"{PUBLIC_DIR}/ to commit and publish."
        ),
    )
    keys.set_defaults(func=lambda args: _usage(keys))
    verbs = keys.add_subparsers(title="verbs", metavar="VERB")
    p = verbs.add_parser(
        "init",
        formatter_class=RAW,
        parents=[course_options()],
        help="make the issuer's key pair",
        description=(
            "Make an Ed25519 key pair for signing certificates.\n"
            f"The private key ({PRIVATE_NAME}, mode 0600) goes to --dir, which must be outside\n"
            "any git work tree; an existing key is never overwritten. Keep it secret and back\n"
            "it up; with --passphrase it is encrypted (the passphrase is asked for, or read\n"
            f"from ${PASSPHRASE_ENV}; every command that signs asks for it the same way).\n"
            f"The public key goes to {PUBLIC_DIR}/<key id>.pem and is declared the issuer's in\n"
            f"{PUBLIC_DIR}/{ISSUER_NAME}, with the signed revocation lists ({REVOKED_NAME},\n"
            f"{STATUS_NAME}) and the verifier page (verify.html): commit and publish them.\n\n"
            "Rotation: make the new key with another --dir, then certify with --key NEWKEY.\n"
            f"The new key is added to {ISSUER_NAME}; the old one stays declared, so every\n"
            "certificate it signed keeps verifying under its key id. Never delete an old\n"
            f"key's .pem or its entry in {ISSUER_NAME} while its certificates are in use\n"
            "(to stop trusting a compromised key, revoke its certificates and reissue)."
        ),
    )
    p.add_argument(
        "--dir",
        type=Path,
        help=f"folder of the private key (default: ${KEY_DIR_ENV}, or ~/.config/peaceops/keys)",
    )
    p.add_argument(
        "--public-dir",
        type=Path,
        metavar="DIR",
        help=f"folder of the published public keys (default: <course>/{PUBLIC_DIR})",
    )
    p.add_argument(
        "--passphrase",
        action="store_true",
        help=f"encrypt the private key with a passphrase (asked for, or ${PASSPHRASE_ENV})",
    )
    p.add_argument(
        "--issuer-id",
        metavar="URI",
        help="the issuer's Open Badges profile id, e.g. the https URL where "
        f"{PUBLIC_DIR}/ is published, or a did:web (default: the key's did:key, which "
        "wallets resolve offline; set once, never changes)",
    )
    p.add_argument("--name", help="the issuer's name, as certificates show it (asked for on a "
                   "terminal; default: the issuer of data/certification.yaml)")
    p.add_argument("--url", help="the issuer's web address, where public-keys/ and its "
                   "verify.html are published (printed on each certificate)")
    p.add_argument("--email", help="the issuer's contact address (optional)")
    p.set_defaults(func=run_keys_init)

    p = verbs.add_parser(
        "publish",
        formatter_class=RAW,
        parents=[course_options()],
        help="sign the revocation lists again and write the verifier page",
        description=(
            f"Sign {REVOKED_NAME} and {STATUS_NAME} in {PUBLIC_DIR}/ again with a fresh\n"
            "validity window, and write the verifier page verify.html beside them. Verifiers\n"
            "say 'revocation not checked' once a list's window has passed, so run this (and\n"
            "publish the folder) more often than --valid-days. certify and revoke do it too."
        ),
    )
    p.add_argument("--key", type=Path, help=KEY_HELP)
    p.add_argument(
        "--valid-days",
        type=int,
        default=VALID_DAYS,
        metavar="N",
        help=f"how long the signed lists are current (default: {VALID_DAYS} days)",
    )
    p.set_defaults(func=run_keys_publish)

    p = subparsers.add_parser(
        "verify",
        formatter_class=RAW,
        parents=[course_options()],
        help="verify a certificate offline",
        description=(
            "Verify a certificate offline: its .json credential, its Open Badges .jwt, its PDF\n"
            "(which carries both as attachments), or '-' to read the text of its QR code from\n"
            "stdin. Checks the Ed25519 signature with the keys the issuer declares in\n"
            f"{PUBLIC_DIR}/{ISSUER_NAME} (a .pem that merely sits in the folder is not trusted),\n"
            f"and the issuer's signed revocation lists ({REVOKED_NAME}, {STATUS_NAME}). Prints\n"
            "the key that signed it and what revocation was checked against; a missing or\n"
            "out-of-date list prints 'revocation NOT checked'.\n\n"
            f"exit codes:\n{VERIFY_CODES}"
        ),
    )
    p.add_argument("cert", metavar="CERT", help="a credential .json, a certificate .pdf, or -")
    add_renamed(  # --keys: its former name (which means answer keys elsewhere)
        p,
        "--public-keys",
        "--keys",
        type=Path,
        metavar="DIR_OR_FILE",
        help=f"published public key(s) (default: <course>/{PUBLIC_DIR})",
    )
    p.add_argument(
        "--revoked",
        type=Path,
        metavar="FILE",
        help=f"the revocation list (default: {REVOKED_NAME} beside the keys, "
        "checked when it exists)",
    )
    p.add_argument(
        "--status-list",
        type=Path,
        metavar="FILE",
        help=f"the Bitstring Status List (default: {STATUS_NAME} beside the keys)",
    )
    p.add_argument(
        "--trust",
        action="append",
        metavar="KEY_ID",
        help="trust only this key id (as the issuer publishes it); repeat for more",
    )
    p.add_argument(
        "--require-status",
        action="store_true",
        help=f"exit {Exit.STATUS_UNKNOWN.value} when revocation could not be checked",
    )
    p.set_defaults(func=run_verify)

    p = subparsers.add_parser(
        "revoke",
        formatter_class=RAW,
        parents=[course_options()],
        help="revoke a certificate",
        description=(
            f"Add a certificate to the signed revocation list ({PUBLIC_DIR}/{REVOKED_NAME}) and\n"
            "sign the list again; commit and publish it. `peaceops verify` then rejects the\n"
            "certificate. Revoking twice changes nothing. Exit 0 on success, 1 on an error."
        ),
    )
    p.add_argument(
        "cert_id",
        metavar="CERT_ID",
        help="the certificate id (or the path of its .json credential)",
    )
    p.add_argument("--reason", required=True, help="why, in a few words (published)")
    p.add_argument("--key", type=Path, help=KEY_HELP)
    p.add_argument(
        "--list",
        type=Path,
        metavar="FILE",
        help=f"the revocation list (default: <course>/{PUBLIC_DIR}/{REVOKED_NAME})",
    )
    p.add_argument(
        "--valid-days",
        type=int,
        default=VALID_DAYS,
        metavar="N",
        help=f"how long the signed lists are current (default: {VALID_DAYS} days)",
    )
    p.set_defaults(func=run_revoke)


def run_keys_init(args: argparse.Namespace) -> int:
    from .keys import default_key_dir, init_keys, load_private_key
    from .publish import publish

    public_dir = args.public_dir or Path(args.course) / PUBLIC_DIR
    try:
        passphrase = _new_passphrase() if args.passphrase else None
        files = init_keys(args.dir or default_key_dir(), public_dir, passphrase, args.issuer_id,
                          _issuer_name(args), getattr(args, "url", None),
                          getattr(args, "email", None))
        publish(public_dir, load_private_key(files.private, passphrase))
    except (CertifyError, VerifyError, OSError) as error:
        return _error("keys init", error)
    print(f"made key {files.key_id}" + (" (encrypted with your passphrase)" if passphrase else ""))
    print(f"  private key: {files.private} (keep it secret, back it up, never commit it)")
    print(f"  public key:  {files.public} (commit and publish it: verifiers need it)")
    print(f"  declared in {public_dir / ISSUER_NAME}; verifier page {public_dir / 'verify.html'}")
    return 0


def _issuer_name(args: argparse.Namespace) -> str:
    """The issuer's name: --name, else asked on a terminal, else data/certification.yaml's."""
    if getattr(args, "name", None):
        return args.name.strip()
    default = ""
    try:
        from ..content import ContentError, load_certification

        default = load_certification().issuer
    except (ContentError, OSError):
        pass
    if sys.stdin.isatty():
        typed = input(f"the issuer's name, as certificates show it [{default}]: ").strip()
        return typed or default
    return default


def _new_passphrase() -> str:
    import getpass
    import os

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise CertifyError(f"set ${PASSPHRASE_ENV}, or run on a terminal to type a passphrase")
    first = getpass.getpass("passphrase for the new key: ")
    if first != getpass.getpass("the same passphrase again: "):
        raise CertifyError("the two passphrases differ: nothing was made")
    return first


def run_keys_publish(args: argparse.Namespace) -> int:
    from .keys import load_private_key
    from .publish import publish

    try:
        key = load_private_key(args.key)
        files = publish(Path(args.course) / PUBLIC_DIR, key, valid_days=args.valid_days)
    except (CertifyError, VerifyError, OSError) as error:
        return _error("keys publish", error)
    for path in files:
        print(f"wrote {path}")
    print(
        f"commit and publish {Path(args.course) / PUBLIC_DIR}; run again within "
        f"{args.valid_days} days"
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from .verify import verify

    keys = args.public_keys or Path(args.course) / PUBLIC_DIR
    cert = sys.stdin.buffer.read() if args.cert == "-" else args.cert
    try:
        verified = verify(
            cert,
            keys,
            args.revoked,
            getattr(args, "trust", None),
            getattr(args, "status_list", None),
        )
    except VerifyError as error:
        print(f"invalid: {error}", file=sys.stderr)
        return int(error.code)
    print(verified.report())
    if getattr(args, "require_status", False) and not verified.revocation_checked:
        print("revocation could not be checked (--require-status)", file=sys.stderr)
        return int(Exit.STATUS_UNKNOWN)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from .certificate_ledger import badge_index, read_ledger, status_indices
    from .keys import load_private_key
    from .publish import publish
    from .revocation import revoke
    from .verify import read_credential

    cert_id = args.cert_id
    index = None
    try:
        if Path(cert_id).is_file():
            given = Path(cert_id)
            cert_id = read_credential(given.read_bytes())["payload"].get("certificate_id", "")
            index = badge_index(given.with_suffix(".jwt"))
        key = load_private_key(args.key)
        path = args.list or Path(args.course) / PUBLIC_DIR / REVOKED_NAME
        if index is None:
            index = status_indices(Path(args.course) / CERTIFICATES_DIR).get(cert_id)
        new, entry = revoke(cert_id, args.reason, key, path, valid_days=args.valid_days)
        publish(path.parent, key, valid_days=args.valid_days, revoke_index=index)
    except (CertifyError, VerifyError, OSError) as error:
        return _error("revoke", error)
    rows = [
        r
        for r in read_ledger(Path(args.course) / CERTIFICATES_DIR)
        if r["certificate_id"] == cert_id
    ]
    who = f" ({rows[0]['name']}, rule {rows[0]['rule_version']})" if rows else ""
    if new:
        print(f"revoked {cert_id}{who}: {entry['reason']}; commit and publish {path}")
    else:
        print(f"{cert_id}{who} was revoked already on {entry['revoked_at'][:10]}")
    if not rows:
        print(
            f"warning: {cert_id} is not in {Path(args.course) / CERTIFICATES_DIR / LEDGER}: "
            "check the id (the certificate you meant may still be valid)",
            file=sys.stderr,
        )
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _error(verb: str, error: Exception) -> int:
    print(f"peaceops {verb}: error: {error}", file=sys.stderr)
    return 1
