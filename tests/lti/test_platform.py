"""The test platform holds the tool to the standard's rules, so that passback passing
against it means something: its token endpoint refuses what an LMS refuses."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

from tests.lti.platform import SCOPES, _rsa


def _assertion(platform, key_pem: str, kid: str, **changes) -> str:
    now = int(time.time())
    claims = {"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_url,
              "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex, **changes}
    return jwt.encode(claims, key_pem, algorithm="RS256", headers={"kid": kid})


def _token(platform, assertion: str, scope: str = SCOPES[-1]) -> requests.Response:
    return requests.post(platform.token_url, timeout=30, data={
        "grant_type": "client_credentials", "scope": scope, "client_assertion": assertion,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})


def test_the_token_endpoint_grants_a_good_assertion_once(platform, tool_key):
    platform.tool_jwk = tool_key.jwk
    good = _assertion(platform, tool_key.private_pem, tool_key.kid)
    reply = _token(platform, good)
    assert reply.status_code == 200 and reply.json()["token_type"] == "Bearer"
    assert _token(platform, good).status_code == 401  # the same jti again


@pytest.mark.parametrize("change", [
    {"aud": "https://elsewhere.example.org/token"}, {"iss": "another-tool"},
    {"exp": int(time.time()) - 10}, {"sign_with_another_key": True},
])
def test_the_token_endpoint_refuses_a_bad_assertion(platform, tool_key, change):
    platform.tool_jwk = tool_key.jwk
    pem = tool_key.private_pem
    if change.pop("sign_with_another_key", False):
        from cryptography.hazmat.primitives import serialization

        pem = _rsa().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()).decode()
    assert _token(platform, _assertion(platform, pem, tool_key.kid, **change)).status_code == 401


def test_a_new_column_needs_a_bearer_token_with_the_lineitem_scope(platform, tool_key):
    platform.tool_jwk = tool_key.jwk
    readonly = _token(platform, _assertion(platform, tool_key.private_pem, tool_key.kid),
                      scope=SCOPES[1]).json()["access_token"]
    headers = {"Content-Type": "application/vnd.ims.lis.v2.lineitem+json"}
    assert requests.post(platform.container, data="{}", headers=headers,
                         timeout=30).status_code == 401
    assert requests.post(platform.container, data="{}", timeout=30, headers={
        **headers, "Authorization": f"Bearer {readonly}"}).status_code == 403
