"""The test's own LTI 1.3 platform (tests/lti/platform.py), on loopback, and the tool's key
made at test time (never committed)."""

from __future__ import annotations

import pytest

from tests.lti.platform import Platform


@pytest.fixture
def platform():
    running = Platform().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def tool_key(tmp_path_factory):
    from peaceops.lti.config import init_key, load_key

    return load_key(init_key(tmp_path_factory.mktemp("lti-key") / "tool-key.pem"))
