"""The hub tests start real servers (PostgreSQL, JupyterHub, configurable-http-proxy): they
are skipped, saying how to get what is missing, unless CI=true, where that is a failure."""

from __future__ import annotations

import pytest

from tests.conftest import require
from tests.hub.servers import missing_prerequisites


@pytest.fixture(scope="session")
def hub_prerequisites() -> None:
    missing = missing_prerequisites()
    require(not missing, "the hub tests (tests/hub) need " + "; ".join(missing))


@pytest.fixture(scope="module")
def postgres(hub_prerequisites):
    from tests.hub.servers import postgres_server

    with postgres_server() as server:
        yield server
