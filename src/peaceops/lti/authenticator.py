"""JupyterHub's authenticator for launches from the LMS (LTI 1.3), as deploy/ configures it.

jupyterhub-ltiauthenticator's `LTI13Authenticator` runs the OIDC launch (login initiation,
authentication request, the signed id_token checked against the platform's key set, its
issuer, audience, expiry, age and nonce cookie). This subclass adds what a course needs
and that one leaves out:

- the deployment id: a launch from a deployment the course did not register is refused
  (ltiauthenticator reads `lti_deployment_id` but checks nothing);
- a nonce is used once: a launch whose id_token was already accepted (a replayed form post,
  cookies included) is refused; the hub remembers nonces until their token expires;
- the hub user name is the learner id (`lti.yaml` learner_id_claim: Moodle's user name,
  Canvas's login id), checked as a learner id; a launch without it is refused rather than
  given another name.

The launch's claims (the AGS endpoint, the LMS's user id `sub`) are kept as the user's
auth_state, which `peaceops lms passback` reads through the hub's API.
"""

from __future__ import annotations

import time
from typing import Any

from ltiauthenticator.lti13.auth import LTI13Authenticator
from ltiauthenticator.lti13.error import LoginError
from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
from tornado.web import HTTPError
from traitlets import Set, Unicode

from ..exercises.identity import VALID
from .config import Platform, claim_value

DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"


class LearnerCallbackHandler(LTI13CallbackHandler):
    """The launch's last step, with the course's checks after ltiauthenticator's."""

    def decode_and_validate_launch_request(self) -> dict[str, Any]:
        id_token = super().decode_and_validate_launch_request()
        self.authenticator.check_launch(id_token)
        return id_token


class LearnerLTI13Authenticator(LTI13Authenticator):
    """LTI 1.3 launches, the hub user named by the learner id (see the module)."""

    callback_handler = LearnerCallbackHandler

    deployment_ids = Set(Unicode(), config=True,
                         help="The deployment ids of the tool in the LMS (lti.yaml); any "
                              "other deployment's launch is refused.")
    learner_id_claim = Unicode("sub", config=True,
                               help="The claim holding the learner id: sub, email, or "
                                    "custom.NAME / ext.NAME / lis.NAME.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._nonces: dict[str, float] = {}  # nonce -> when its id_token expires

    @classmethod
    def settings(cls, platform: Platform) -> dict[str, Any]:
        """This class's configuration for `platform` (lti.yaml)."""
        return {"issuer": platform.issuer, "client_id": set(platform.client_ids),
                "deployment_ids": set(platform.deployment_ids),
                "authorize_url": platform.authorize_url, "jwks_endpoint": platform.jwks_url,
                "learner_id_claim": platform.learner_id_claim}

    def check_launch(self, id_token: dict[str, Any]) -> None:
        deployment = str(id_token.get(DEPLOYMENT_CLAIM, ""))
        if deployment not in self.deployment_ids:
            raise HTTPError(403, f"launch refused: deployment id {deployment!r} is not one "
                                 "this course registered (lti.yaml deployment_ids)")
        now = time.time()
        for nonce, expires in list(self._nonces.items()):
            if expires < now:
                del self._nonces[nonce]
        nonce = str(id_token.get("nonce", ""))
        if nonce in self._nonces:
            raise HTTPError(403, "launch refused: this id_token's nonce was already used "
                                 "(a replayed launch); launch again from the LMS")
        self._nonces[nonce] = float(id_token.get("exp", now + 3600))

    def get_username(self, token: dict[str, Any]) -> str:
        name = claim_value(token, self.learner_id_claim)
        if not name:
            raise LoginError(f"the LMS sent no {self.learner_id_claim} in the launch, which is "
                             "the learner id here: set it in the tool's registration (README, "
                             "'Launching from Moodle or Canvas')")
        if not VALID.fullmatch(name):
            raise LoginError(f"the LMS's {self.learner_id_claim} {name[:80]!r} is not a usable "
                             "learner id (letters, digits, '.', '_', '@', '-'; at most 128)")
        return name


__all__ = ["LearnerLTI13Authenticator"]
