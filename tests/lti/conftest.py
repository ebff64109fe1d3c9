"""The test's own LTI 1.3 platform (tests/lti/platform.py), on loopback, and the tool's key
made at test time (never committed)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import require
from tests.lti.platform import Platform


@pytest.fixture(scope="session")
def lti_prerequisites() -> None:
    missing = [m for m in ("pylti1p3", "ltiauthenticator", "jupyterhub")
               if importlib.util.find_spec(m) is None]
    require(not missing, f"the LTI tests (tests/lti) need {', '.join(missing)}: "
                         "pip install -e '.[hub]'")


@pytest.fixture
def platform(lti_prerequisites):
    running = Platform().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def tool_key(tmp_path_factory):
    from peaceops.lti.config import init_key, load_key

    return load_key(init_key(tmp_path_factory.mktemp("lti-key") / "tool-key.pem"))
