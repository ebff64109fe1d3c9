"""Issue 29 on a real hub: learners launched from an LMS (LTI 1.3) and graded back into it.

The LMS is the test's own platform (tests/lti/platform.py: JWKS, OIDC launch, id_token
signing, OAuth2 client credentials, AGS line items and scores), its key and the tool's made
now. deploy/jupyterhub_config.py runs with lti.yaml: a launch logs the learner in under
their learner id and keeps the launch for passback; the learner answers in their own
server; the instructor grades into PostgreSQL and `peaceops lms passback`
posts the scores, which the platform's gradebook then holds, twice without a duplicate
column. Each launch check is shown failing the launch it should refuse."""

from __future__ import annotations

import html
import json
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest

from peaceops.exercises.store import FILENAME, loads
from tests.factories import copy_course, submit
from tests.hub.cohort import answer, course_and_keys, expected_points, instructor_env, run
from tests.hub.learner import COURSE, Learner
from tests.hub.servers import jupyterhub
from tests.lti.platform import Platform, _rsa

pytestmark = [pytest.mark.hub, pytest.mark.slow]
INSTRUCTOR, ASSIGNMENT = "instructor", "polarities"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


@pytest.fixture(scope="module")
def lti_hub(hub_prerequisites, tmp_path_factory):
    """The test's LMS, and the hub from deploy/ configured for it (lti.yaml)."""
    platform = Platform().start()
    tmp = tmp_path_factory.mktemp("lti")
    config = tmp / "lti.yaml"
    config.write_text(platform.lti_yaml())
    env = {"PEACEOPS_LTI_CONFIG": str(config), "JUPYTERHUB_CRYPT_KEY": secrets.token_hex(32)}
    try:
        with jupyterhub([INSTRUCTOR], env=env) as hub:
            yield hub, platform, config, tmp
    finally:
        platform.stop()


def _user(hub, name: str) -> dict | None:
    reply = hub.api.get(f"{hub.url}/hub/api/users/{name}", timeout=60)
    return None if reply.status_code == 404 else reply.json()


def _logged_in(hub, launch) -> bool:
    home = launch.browser.get(f"{hub.url}/hub/home", allow_redirects=False, timeout=60)
    return home.status_code == 200


# -- each launch check refuses the launch it exists for ------------------------------------

def _bad_signature(platform):
    return {"key": _rsa()}  # signed by another key under the platform's kid


def _claims(**changes):
    def change(claims):
        for name, value in changes.items():
            claims[name.replace("__", "/")] = value(claims) if callable(value) else value
    return {"change": change}


REFUSALS = {
    "bad signature": (_bad_signature, 400, "Signature verification failed"),
    "wrong audience": (lambda p: _claims(aud="another-tool", azp="another-tool"), 401,
                       "Audience doesn't match"),
    "wrong issuer": (lambda p: _claims(iss="https://evil.example.org"), 400, "Invalid issuer"),
    "expired token": (lambda p: _claims(exp=lambda c: c["iat"] - 60, iat=lambda c: c["iat"] - 400),
                      400, "Signature has expired"),
    "wrong deployment id": (lambda p: {"change": lambda c: c.update({
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "99"})}, 403,
        "deployment id '99'"),
    "no learner id": (lambda p: {"change": lambda c: c.pop(
        "https://purl.imsglobal.org/spec/lti/claim/ext")}, 400, "ext.user_username"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_the_hub_refuses_a_launch(lti_hub, case):
    hub, platform, _, _ = lti_hub
    how, status, said = REFUSALS[case]
    name = "refused-" + case.replace(" ", "-")
    member = platform.add_member(name)
    launch = platform.launch(hub.url, member, **how(platform))
    assert launch.reply.status_code == status, (case, launch.reply.text[-800:])
    assert said in html.unescape(launch.reply.text), (case, launch.reply.text[-800:])
    assert _user(hub, name) is None and not _logged_in(hub, launch)


def test_a_replayed_launch_is_refused(lti_hub):
    hub, platform, _, _ = lti_hub
    member = platform.add_member("replayed")
    launch = platform.launch(hub.url, member)
    assert launch.reply.status_code == 302 and _logged_in(hub, launch)
    again = launch.replay()  # the captured form post, with the cookies it carried
    assert again.status_code == 403, again.text[-800:]
    assert "nonce was already used" in html.unescape(again.text)


def test_the_same_launch_checks_pass_a_good_launch(lti_hub):
    """The other direction: an untouched launch of the same kind logs the learner in."""
    hub, platform, _, _ = lti_hub
    member = platform.add_member("accepted")
    launch = platform.launch(hub.url, member)
    assert launch.reply.status_code == 302, launch.reply.text[-800:]
    assert launch.reply.headers["Location"].endswith("/hub/home")
    assert _logged_in(hub, launch)


def _learner_answers(hub, learner_id: str) -> str:
    """The learner answers in their own server's kernel, through the assessment widgets.
    (nbgrader's exchange is left out, as in the README's "Without the exchange": the cohort
    test runs it; this test is about the LMS.)"""
    hub.start_server(learner_id)
    learner = Learner(hub.url, learner_id, hub.token_for(learner_id))
    session, kernel = learner.open_notebook(f"{COURSE}/{ASSIGNMENT}.ipynb")
    try:
        kernel.run(f"import os; os.makedirs(os.path.expanduser('~/{COURSE}/{ASSIGNMENT}'), "
                   "exist_ok=True)")
        answer(kernel, learner_id, ASSIGNMENT, 0.5)
    finally:
        learner.close_notebook(session, kernel)
    return learner.read(f"{COURSE}/{ASSIGNMENT}/{FILENAME}")


# -- launch -> hub login -> answer -> grade -> passback -------------------------------------

def test_launched_answered_graded_and_passed_back_to_the_lms(lti_hub, postgres):
    hub, platform, config, tmp = lti_hub
    learner_id = "amina.diallo"
    member = platform.add_member(learner_id)
    launch = platform.launch(hub.url, member)
    assert launch.reply.status_code == 302 and _logged_in(hub, launch)
    # the hub user is the learner id, and the launch is kept for passback
    state = _user(hub, learner_id)["auth_state"]
    assert state["sub"] == member.sub and state[AGS]["lineitems"] == platform.container
    assert f"nbgrader-{COURSE}" not in _user(hub, learner_id)["groups"]  # not yet: no server

    course = copy_course(tmp / "course")
    env = {**instructor_env(hub.exchange, postgres.create_database("lti"), tmp / "keys"),
           "PEACEOPS_LTI_CONFIG": str(config), "PEACEOPS_LTI_KEY": str(tmp / "tool-key.pem"),
           "PEACEOPS_HUB_TOKEN": hub.token}

    def prepare() -> str:  # the instructor, while the learner works
        run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], course, env)
        return run(["peaceops", "lms", "key"], course, env).stdout

    with ThreadPoolExecutor(1) as instructor:
        prepared = instructor.submit(prepare)
        submitted = _learner_answers(hub, learner_id)
        said = prepared.result()
    platform.tool_jwk = json.loads(said.split("Public JWK:\n", 1)[1])  # pasted into the LMS
    assert loads(submitted.encode()).learner == learner_id  # the hub name is the learner id
    # a learner who arrived from the LMS is in the course's learners' group once their
    # server has started, so the instructor role reaches their server
    assert f"nbgrader-{COURSE}" in _user(hub, learner_id)["groups"]
    submit(course, learner_id, ASSIGNMENT, submitted)
    run(["peaceops", "grade", "--quiet"], course, env)

    first = run(["peaceops", "lms", "passback", "--hub-url", hub.url],
                course, env, ok=(0, 1))
    assert first.returncode == 0, first.stdout + first.stderr
    columns = dict(platform.lineitems)
    by_resource = {i["resourceId"]: i for i in columns.values()}
    assert set(by_resource) == {ASSIGNMENT, "peaceops-certification"}, columns
    model, keys = course_and_keys()
    expected = expected_points(model, keys, learner_id, ASSIGNMENT, submitted.encode())
    given = platform.scores[by_resource[ASSIGNMENT]["id"]][member.sub]
    assert given["scoreGiven"] == pytest.approx(expected) and expected > 0
    assert given["gradingProgress"] == "FullyGraded"
    certification = platform.scores[by_resource["peaceops-certification"]["id"]][member.sub]
    assert certification["gradingProgress"] == "Pending" and "scoreGiven" not in certification
    # other hub users who launched but have no results: nothing is sent for them
    assert set().union(*(s.keys() for s in platform.scores.values())) == {member.sub}

    again = run(["peaceops", "lms", "passback", "--hub-url",
                 hub.url], course, env)
    assert "0 column(s) created" in again.stdout
    assert platform.lineitems == columns  # one column per assignment, still
    log = (course / "exports" / "lms-passback.jsonl").read_text().splitlines()
    assert [json.loads(x)["column"] for x in log] == [ASSIGNMENT, "peaceops-certification"] * 2
