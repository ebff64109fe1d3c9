"""lti.yaml (Moodle's and Canvas's addresses filled in, bad fields named), the tool's key
(outside git, its kid the key's thumbprint) and the hub authenticator's own checks."""

from __future__ import annotations

import pytest

from peaceops.cli import main
from peaceops.lti.config import claim_value, init_key, load_key, load_platform


def _write(tmp_path, text: str):
    path = tmp_path / "lti.yaml"
    path.write_text(text)
    return path


def test_moodle_addresses_come_from_the_site(tmp_path):
    platform = load_platform(_write(tmp_path, "platform: moodle\nissuer: https://m.example.org\n"
                                              "client_id: abc\ndeployment_ids: [3]\n"))
    assert platform.authorize_url == "https://m.example.org/mod/lti/auth.php"
    assert platform.jwks_url == "https://m.example.org/mod/lti/certs.php"
    assert platform.token_url == "https://m.example.org/mod/lti/token.php"
    assert platform.deployment_ids == ("3",) and platform.client_ids == ("abc",)
    assert platform.learner_id_claim == "ext.user_username"


def test_canvas_needs_only_its_client_and_deployment(tmp_path):
    platform = load_platform(_write(tmp_path, "platform: canvas\nclient_id: '10000000000042'\n"
                                              "deployment_ids: ['42:8865aa05b4b79b64']\n"))
    assert platform.issuer == "https://canvas.instructure.com"
    assert platform.token_url == "https://sso.canvaslms.com/login/oauth2/token"
    assert platform.learner_id_claim == "custom.login_id"


@pytest.mark.parametrize("text, said", [
    ("platform: blackboard\n", "write moodle, canvas or other"),
    ("platform: moodle\nissuer: https://m.example.org\ndeployment_ids: [1]\n", "client_id: missing"),
    ("platform: moodle\nissuer: https://m.example.org\nclient_id: a\n", "deployment_ids: missing"),
    ("platform: other\nissuer: https://x.org\nclient_id: a\ndeployment_ids: [1]\n",
     "authorize_url: missing"),
    ("platform: moodle\nissuer: m.example.org\nclient_id: a\ndeployment_ids: [1]\n",
     "not an http(s) address"),
    ("platform: moodle\nissuer: https://m.org\nclient_id: a\ndeployment_ids: [1]\nclientid: b\n",
     "unknown field(s) clientid"),
    ("platform: canvas\nclient_id: a\ndeployment_ids: [1]\nlearner_id_claim: foo.bar\n",
     "learner_id_claim"),
    ("platform: [moodle\n", "not valid YAML"),
])
def test_a_bad_lti_yaml_names_the_field(tmp_path, text, said):
    with pytest.raises(ValueError, match=r"lti\.yaml") as error:
        load_platform(_write(tmp_path, text))
    assert said in str(error.value)


def test_claims_are_read_where_each_lms_puts_them():
    claims = {"sub": "u-1", "https://purl.imsglobal.org/spec/lti/claim/custom": {"login_id": "amina"},
              "https://purl.imsglobal.org/spec/lti/claim/ext": {"user_username": "bo"}}
    assert claim_value(claims, "custom.login_id") == "amina"
    assert claim_value(claims, "ext.user_username") == "bo"
    assert claim_value(claims, "sub") == "u-1"
    assert claim_value(claims, "custom.missing") == "" and claim_value({}, "ext.user_username") == ""


def test_the_tool_key_stays_out_of_git_and_its_kid_is_the_thumbprint(tmp_path, lti_prerequisites):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    with pytest.raises(ValueError, match="git work tree"):
        init_key(tmp_path / "repo" / "keys" / "tool-key.pem")
    path = init_key(tmp_path / "keys" / "tool-key.pem")
    assert path.stat().st_mode & 0o777 == 0o600
    key = load_key(path)
    from pylti1p3.registration import Registration  # what signs the assertions

    assert Registration.get_jwk(key.public_pem)["kid"] == key.kid == key.jwk["kid"]
    assert init_key(path) == path and load_key(path) == key  # made once, never replaced


def test_lms_key_prints_the_public_key_for_moodle_and_canvas(tmp_path, capsys):
    assert main(["lms", "key", "--key", str(tmp_path / "k.pem")]) == 0
    out = capsys.readouterr().out
    assert "BEGIN PUBLIC KEY" in out and '"kty": "RSA"' in out and "PRIVATE" not in out.replace(
        "private key", "")


def test_passback_without_lti_yaml_says_what_to_write(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PEACEOPS_LTI_CONFIG", raising=False)
    assert main(["lms", "passback", "--course", str(tmp_path)]) == 1
    assert "no LTI configuration" in capsys.readouterr().err


# -- the hub authenticator's checks (each also refused on a real hub: tests/hub/test_lti.py)

@pytest.fixture
def authenticator(lti_prerequisites, tmp_path):
    from peaceops.lti.authenticator import LearnerLTI13Authenticator

    config = load_platform(_write(tmp_path, "platform: moodle\nissuer: https://m.example.org\n"
                                            "client_id: abc\ndeployment_ids: [3]\n"))
    return LearnerLTI13Authenticator(**LearnerLTI13Authenticator.settings(config))


def _launch(username="amina", deployment="3", nonce="n1") -> dict:
    return {"sub": "u-1", "nonce": nonce, "exp": 4102444800,
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": deployment,
            "https://purl.imsglobal.org/spec/lti/claim/ext": {"user_username": username}}


def test_the_learner_id_is_the_configured_claim_and_must_be_one(authenticator):
    from ltiauthenticator.lti13.error import LoginError

    assert authenticator.get_username(_launch("amina.diallo")) == "amina.diallo"
    for bad in ("", "-dash-first", "has space", "x" * 129):
        with pytest.raises(LoginError, match="ext.user_username"):
            authenticator.get_username(_launch(bad))


def test_a_deployment_and_a_nonce_are_checked(authenticator):
    from tornado.web import HTTPError

    authenticator.check_launch(_launch(nonce="first"))
    with pytest.raises(HTTPError, match="already used"):
        authenticator.check_launch(_launch(nonce="first"))
    with pytest.raises(HTTPError, match="deployment id '4'"):
        authenticator.check_launch(_launch(deployment="4", nonce="second"))
    authenticator.check_launch(_launch(nonce="second"))


def test_an_unreachable_hub_or_no_token_is_said_plainly(monkeypatch, lti_prerequisites):
    import socket

    from peaceops.lti.hub import api_url, hub_token, launches

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ValueError, match="cannot reach the hub"):
        launches(f"http://127.0.0.1:{port}", "token")
    for name in ("PEACEOPS_HUB_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="admin:auth_state"):
        hub_token()
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    assert hub_token() == "t"
    assert api_url("https://hub.example.org/") == api_url("https://hub.example.org/hub/api") \
        == "https://hub.example.org/hub/api"
