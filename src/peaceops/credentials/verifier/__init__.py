"""The verifier page: one static HTML file, published as public-keys/verify.html, that checks
a certificate (pasted JSON or VC-JWT, a PDF's attachment, or a scanned QR code's text) in the
browser with WebCrypto Ed25519, with no network and nothing to install. It carries the
issuer's declaration and both signed revocation lists as they were when it was written
(every signing command writes it again)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..issuer import NAME as ISSUER_NAME
from ..issuer import STATUS_NAME
from ..revocation import NAME as REVOKED_NAME

PAGE = "verify.html"
MARK = "/*PUBLISHED*/null"
#: Digital Bazaar's jsonld.js 9.0.0 (BSD-3-Clause, jsonld.LICENSE), its browser bundle as npm
#: ships it (dist/jsonld.min.js): the page canonicalizes Data Integrity credentials with it.
JSONLD = "jsonld.min.js"
JSONLD_MARK = "/*JSONLD*/"


def template() -> str:
    return resources.files(__package__).joinpath(PAGE).read_text("utf-8")


def page(published: dict) -> str:
    """The page with `published` (issuer, revoked, status_list) and the JSON-LD contexts and
    processor built in."""
    from ..openbadges import CONTEXT_FILES, context

    published = {**published, "contexts": {url: context(url) for url in CONTEXT_FILES}}
    data = json.dumps(published, ensure_ascii=True, separators=(",", ":"))
    data = data.replace("<", "\\u003c")  # nothing in it can close the script element
    text = template()
    assert MARK in text and JSONLD_MARK in text
    library = resources.files(__package__).joinpath(JSONLD).read_text("utf-8")
    assert "</script" not in library.lower()
    head, tail = text.split(JSONLD_MARK, 1)
    return head + library + tail.replace(MARK, data)


def published_data(public_dir: Path | str) -> dict:
    """The issuer's files as the page needs them (text, each checked by the page itself)."""
    public_dir = Path(public_dir)

    def text(name: str) -> str | None:
        path = public_dir / name
        return path.read_text("utf-8") if path.exists() else None

    return {
        "issuer": text(ISSUER_NAME),
        "revoked": text(REVOKED_NAME),
        "status_list": text(STATUS_NAME),
    }


def write_page(public_dir: Path | str) -> Path:
    path = Path(public_dir) / PAGE
    tmp = path.with_name(f".{PAGE}.tmp")
    tmp.write_text(page(published_data(public_dir)), "utf-8")
    tmp.replace(path)
    return path
