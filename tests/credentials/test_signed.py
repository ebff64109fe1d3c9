"""The canonical payload and the strict base64url signature encoding."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peaceops.credentials.signed import b64url, canonical, compact, sign, unb64url


def test_canonical_is_sorted_compact_utf8():
    assert canonical({"b": 1, "a": "Zoë"}) == '{"a":"Zoë","b":1}'.encode()


def test_compact_is_one_line_of_ascii_that_parses_back():
    document = sign({"name": "ليلى Ó Súilleabháin"}, Ed25519PrivateKey.generate())
    text = compact(document)
    assert text.isascii() and "\n" not in text and json.loads(text) == document


def test_signing_sets_the_key_id_and_verifies():
    key = Ed25519PrivateKey.generate()
    document = sign({"x": 1, "key_id": "forged"}, key)
    assert document["payload"]["key_id"] != "forged" and document["algorithm"] == "Ed25519"
    key.public_key().verify(unb64url(document["signature"]), canonical(document["payload"]))


def test_base64url_round_trips_and_rejects_other_spellings():
    data = bytes(range(64))
    text = b64url(data)
    assert "=" not in text and len(text) == 86 and unb64url(text) == data
    # 64 bytes leave 4 unused bits in the last character: setting one spells the same bytes
    # another way, which must not pass for the signature
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    sibling = text[:-1] + alphabet[alphabet.index(text[-1]) | 1]
    assert base64.urlsafe_b64decode(sibling + "==") == data
    with pytest.raises(ValueError, match="canonical"):
        unb64url(sibling)
    with pytest.raises(ValueError):
        unb64url("not*base64")
