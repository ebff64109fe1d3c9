"""The hub tests start real servers (PostgreSQL, JupyterHub, configurable-http-proxy): they
are skipped, saying how to get what is missing, unless CI=true, where that is a failure."""

from __future__ import annotations

import os

import pytest

from tests.hub.servers import missing_prerequisites


@pytest.fixture(scope="session")
def hub_prerequisites() -> None:
    missing = missing_prerequisites()
    if not missing:
        return
    message = ("the hub tests need " + "; ".join(missing)
               + " (then run: pytest -m hub tests/hub)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def postgres(hub_prerequisites):
    from tests.hub.servers import postgres_server

    with postgres_server() as server:
        yield server
