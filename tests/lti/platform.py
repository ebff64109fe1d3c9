"""An LTI 1.3 platform (a small LMS) run by the tests, on loopback, following the standards
rather than any LMS's quirks:

- its RSA key is made at start (never committed) and published as a JWKS (`/jwks`);
- the OIDC launch (IMS Security Framework 5.1): the "browser" (`launch`) posts the login
  initiation to the tool, the platform answers the tool's authentication request with an
  RS256 id_token carrying the LTI claims and the AGS endpoint, posted back to the tool;
- OAuth2 client credentials with a signed JWT assertion (RFC 7523; IMS Security 4.1):
  `/token` checks the assertion against the tool's registered public key (iss = sub =
  client id, aud = the token URL, exp, jti never reused) and grants only registered scopes;
- AGS 2.0 line items and scores: `/contexts/<id>/lineitems` (GET with resource_id, tag
  filters; POST creates), `<lineitem>` (GET), `<lineitem>/scores` (POST; a score older than
  the last one is ignored), `<lineitem>/results` (GET), each checking the bearer token's
  scope and the media type.

`gradebook()` is what the LMS's gradebook then shows: {(resourceId, user): score}.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPES = tuple(AGS + s for s in ("lineitem", "lineitem.readonly", "result.readonly", "score"))
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LINEITEM = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE = "application/vnd.ims.lis.v1.score+json"
RESULTS = "application/vnd.ims.lis.v2.resultcontainer+json"
PROGRESS = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}


@dataclass
class Member:
    sub: str  # the LMS's opaque user id
    username: str  # Moodle's user name: the learner id
    roles: tuple[str, ...] = ("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",)


@dataclass
class Platform:
    client_id: str = "peaceops-tool"
    deployment_id: str = "1"
    context: str = "course-7"
    key: rsa.RSAPrivateKey = field(default_factory=lambda: _rsa())
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    tool_jwk: dict | None = None  # the tool's public key, as registered (Canvas's Public JWK)
    members: dict[str, Member] = field(default_factory=dict)
    lineitems: dict[str, dict] = field(default_factory=dict)  # id (URL) -> line item
    scores: dict[str, dict[str, dict]] = field(default_factory=dict)  # line item -> user -> score
    tokens: dict[str, tuple[str, ...]] = field(default_factory=dict)  # bearer -> scopes
    jtis: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status
    url: str = ""

    # -- server ------------------------------------------------------------------------

    def start(self) -> Platform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                platform._serve(self, "GET")

            def do_POST(self):
                platform._serve(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def issuer(self) -> str:
        return self.url  # as Moodle: the site's address

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def container(self) -> str:
        return f"{self.url}/contexts/{self.context}/lineitems"

    def lti_yaml(self) -> str:
        return (f"platform: moodle\nissuer: {self.issuer}\nclient_id: {self.client_id}\n"
                f"deployment_ids: ['{self.deployment_id}']\n"
                f"authorize_url: {self.url}/authorize\njwks_url: {self.url}/jwks\n"
                f"token_url: {self.token_url}\n")

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urlparse(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        try:
            status, headers, payload = self._route(method, parsed.path, parse_qs(parsed.query),
                                                   handler.headers, body)
        except _Refused as refused:
            status, headers, payload = refused.status, {}, {"error": refused.reason}
        self.requests.append((method, parsed.path, status))
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", headers.get("Content-Type", "application/json"))
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method, path, query, headers, body):
        if path == "/jwks" and method == "GET":
            return 200, {}, {"keys": [self.public_jwk()]}
        if path == "/token" and method == "POST":
            return self._token(parse_qs(body.decode()))
        if path == urlparse(self.container).path:
            if method == "GET":
                self._bearer(headers, AGS + "lineitem", AGS + "lineitem.readonly")
                _accept(headers, CONTAINER)
                items = [i for i in self.lineitems.values()
                         if all(i.get(k) == query[q][0] for q, k in
                                (("resource_id", "resourceId"), ("tag", "tag"),
                                 ("resource_link_id", "resourceLinkId")) if q in query)]
                return 200, {"Content-Type": CONTAINER}, items
            self._bearer(headers, AGS + "lineitem")
            _content_type(headers, LINEITEM)
            item = json.loads(body)
            if not item.get("label") or not (item.get("scoreMaximum") or 0) > 0:
                raise _Refused(400, "a line item needs a label and a scoreMaximum above 0")
            item = {k: v for k, v in item.items() if v is not None}
            item["id"] = f"{self.container}/{uuid.uuid4().hex[:8]}"
            self.lineitems[item["id"]] = item
            return 201, {"Content-Type": LINEITEM}, item
        for item_id, item in self.lineitems.items():
            item_path = urlparse(item_id).path
            if path == item_path and method == "GET":
                self._bearer(headers, AGS + "lineitem", AGS + "lineitem.readonly")
                return 200, {"Content-Type": LINEITEM}, item
            if path == item_path + "/scores" and method == "POST":
                self._bearer(headers, AGS + "score")
                _content_type(headers, SCORE)
                return self._score(item_id, item, json.loads(body))
            if path == item_path + "/results" and method == "GET":
                self._bearer(headers, AGS + "result.readonly")
                return 200, {"Content-Type": RESULTS}, [
                    {"userId": user, "resultScore": s.get("scoreGiven"),
                     "resultMaximum": s.get("scoreMaximum"), "scoreOf": item_id}
                    for user, s in self.scores.get(item_id, {}).items()]
        raise _Refused(404, f"no such endpoint: {method} {path}")

    def _token(self, form: dict[str, list[str]]):
        field_ = {k: v[0] for k, v in form.items()}
        if field_.get("grant_type") != "client_credentials":
            raise _Refused(400, "unsupported_grant_type")
        if field_.get("client_assertion_type") != ("urn:ietf:params:oauth:client-assertion-"
                                                   "type:jwt-bearer"):
            raise _Refused(400, "invalid_request: client_assertion_type")
        if self.tool_jwk is None:
            raise _Refused(401, "invalid_client: no tool key registered")
        assertion = field_.get("client_assertion", "")
        try:
            if jwt.get_unverified_header(assertion).get("kid") != self.tool_jwk.get("kid"):
                raise _Refused(401, "invalid_client: the assertion's kid is not the tool's")
            claims = jwt.decode(assertion,
                                RSAAlgorithm.from_jwk(json.dumps(self.tool_jwk)),
                                algorithms=["RS256"], audience=self.token_url,
                                issuer=self.client_id,
                                options={"require": ["exp", "iat", "jti", "sub"]})
        except jwt.PyJWTError as exc:
            raise _Refused(401, f"invalid_client: {exc}") from exc
        if claims["sub"] != self.client_id or claims["jti"] in self.jtis:
            raise _Refused(401, "invalid_client: sub or a reused jti")
        self.jtis.add(claims["jti"])
        asked = tuple(field_.get("scope", "").split())
        if not asked or set(asked) - set(SCOPES):
            raise _Refused(400, f"invalid_scope: {asked}")
        token = secrets.token_urlsafe(24)
        self.tokens[token] = asked
        return 200, {}, {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                         "scope": " ".join(asked)}

    def _bearer(self, headers, *any_of: str) -> None:
        value = headers.get("Authorization", "")
        scopes = self.tokens.get(value.removeprefix("Bearer "), ()) \
            if value.startswith("Bearer ") else None
        if scopes is None or value.removeprefix("Bearer ") not in self.tokens:
            raise _Refused(401, "no valid bearer token")
        if not set(any_of) & set(scopes):
            raise _Refused(403, f"the token lacks the scope {any_of}")

    def _score(self, item_id: str, item: dict, score: dict):
        known = {m.sub for m in self.members.values()}
        if score.get("userId") not in known:
            raise _Refused(422, f"no such user in the context: {score.get('userId')}")
        if score.get("activityProgress") not in PROGRESS or \
                score.get("gradingProgress") not in GRADING or not score.get("timestamp"):
            raise _Refused(400, "activityProgress, gradingProgress and timestamp are required")
        given = score.get("scoreGiven")
        if given is not None and (score.get("scoreMaximum") is None or given < 0):
            raise _Refused(400, "scoreGiven needs scoreMaximum and must not be negative")
        mine = self.scores.setdefault(item_id, {})
        last = mine.get(score["userId"])
        if last is None or score["timestamp"] >= last["timestamp"]:
            mine[score["userId"]] = {k: v for k, v in score.items() if v is not None}
        return 200, {}, {}

    # -- keys and launches -------------------------------------------------------------

    def public_jwk(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def add_member(self, username: str) -> Member:
        member = Member(uuid.uuid4().hex, username)
        self.members[username] = member
        return member

    def claims(self, member: Member, nonce: str) -> dict:
        now = int(time.time())
        return {
            "iss": self.issuer, "aud": self.client_id, "sub": member.sub, "iat": now,
            "exp": now + 300, "nonce": nonce, "azp": self.client_id,
            "name": f"Learner {member.username}", "email": f"{member.username}@example.org",
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": "", LTI + "roles": list(member.roles),
            LTI + "resource_link": {"id": "link-polarities", "title": "Polarities"},
            LTI + "context": {"id": self.context, "label": "PKO-101", "title": "Peace ops"},
            LTI + "ext": {"user_username": member.username, "lms": "moodle-2"},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": list(SCOPES), "lineitems": self.container},
        }

    def sign(self, claims: dict, key: rsa.RSAPrivateKey | None = None, kid: str | None = None
             ) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256",
                          headers={"kid": kid or self.kid})

    def launch(self, hub_url: str, member: Member, session: requests.Session | None = None,
               change=None, key: rsa.RSAPrivateKey | None = None) -> Launch:
        """A learner's launch through a browser (`session`): login initiation, the tool's
        authentication request answered by this platform, the id_token posted back.
        `change(claims)` alters the claims before signing; `key` signs instead of ours."""
        browser = session or requests.Session()
        start = browser.post(f"{hub_url}/hub/lti13/oauth_login", data={
            "iss": self.issuer, "login_hint": member.sub, "client_id": self.client_id,
            "target_link_uri": f"{hub_url}/hub/home", "lti_message_hint": "polarities",
            "lti_deployment_id": self.deployment_id}, allow_redirects=False, timeout=60)
        assert start.status_code == 302, (start.status_code, start.text[-500:])
        location = urlparse(start.headers["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{self.url}/authorize"
        asked = {k: v[0] for k, v in parse_qs(location.query).items()}
        # the platform checks the authentication request (IMS Security 5.1.1.2)
        assert asked["response_type"] == "id_token" and asked["scope"] == "openid"
        assert asked["response_mode"] == "form_post" and asked["prompt"] == "none"
        assert asked["client_id"] == self.client_id and asked["login_hint"] == member.sub
        assert asked["lti_message_hint"] == "polarities"
        claims = self.claims(member, asked["nonce"])
        claims[LTI + "target_link_uri"] = f"{hub_url}/hub/home"
        if change:
            change(claims)
        form = {"id_token": self.sign(claims, key), "state": asked["state"]}
        cookies = browser.cookies.copy()
        reply = browser.post(asked["redirect_uri"], data=form, allow_redirects=False,
                             timeout=60)
        return Launch(reply, form, asked["redirect_uri"], cookies, browser)


@dataclass
class Launch:
    reply: requests.Response  # the tool's answer to the posted id_token
    form: dict[str, str]
    redirect_uri: str
    cookies: object  # the browser's cookies when it posted (for a replay)
    browser: requests.Session

    def replay(self) -> requests.Response:
        """The same form post again, with the cookies it was first sent with."""
        again = requests.Session()
        again.cookies = self.cookies
        return again.post(self.redirect_uri, data=self.form, allow_redirects=False, timeout=60)


class _Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _accept(headers, media: str) -> None:
    if media not in headers.get("Accept", "") and "*/*" not in headers.get("Accept", ""):
        raise _Refused(406, f"Accept must include {media}")


def _content_type(headers, media: str) -> None:
    if headers.get("Content-Type", "").split(";")[0].strip() != media:
        raise _Refused(415, f"Content-Type must be {media}")


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
