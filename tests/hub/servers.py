"""Real servers for the hub tests and the load benchmark, each started in a temporary folder
on this machine (loopback only) and stopped by its context manager: PostgreSQL (initdb into a
temporary folder, its own port) and JupyterHub with configurable-http-proxy (deploy/'s
configuration, dummy authenticator, local-process spawner)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # the hub extra; without it the hub tests skip (fail under CI=true), saying so
    import requests
except ImportError:
    requests = None

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
LEARNER_NBGRADER_CONFIG = ROOT / "deploy" / "nbgrader_config.py"


def pg_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), or None."""
    for folder in [*(Path(p).parent for p in [shutil.which("initdb") or ""] if p), *PG_BIN_DIRS]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def missing_prerequisites() -> list[str]:
    """What the hub tests need and this machine lacks, each with how to get it."""
    missing = []
    if pg_bin() is None:
        missing.append("PostgreSQL server (apt-get install postgresql)")
    for module, extra in (("jupyterhub", "hub"), ("psycopg", "hub"), ("websocket", "hub"),
                          ("requests", "hub"), ("ltiauthenticator", "hub"), ("pylti1p3", "hub")):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"{module} (pip install -e '.[{extra}]')")
    if not CHP.exists():
        missing.append("configurable-http-proxy (npm ci in the repository)")
    if shutil.which("node") is None:
        missing.append("node (apt-get install nodejs npm)")
    return missing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


# -- PostgreSQL ---------------------------------------------------------------------------


@dataclass
class Postgres:
    port: int
    folder: Path

    def url(self, database: str = "peaceops") -> str:
        return f"postgresql://peaceops@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_user(name: str):
    """preexec_fn running a child as `name` (PostgreSQL refuses to run as root)."""
    entry = pwd.getpwnam(name)

    def demote() -> None:
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return demote


@contextlib.contextmanager
def postgres_server(durable: bool = False) -> Iterator[Postgres]:
    """A PostgreSQL server of its own: initdb into a temporary folder, trust auth on
    127.0.0.1 only, a free port; stopped (fast) and the folder removed at the end.
    `durable`: fsync on, as in production (benchmarks); tests run with fsync off."""
    programs = pg_bin()
    if programs is None:
        raise RuntimeError("PostgreSQL server programs not found: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="peaceops-pg-"))
    demote, env = None, {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    if os.geteuid() == 0:  # PostgreSQL will not run as root: run it as its own user
        user = "postgres" if _exists("postgres") else "nobody"
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        demote = _as_user(user)
    data, port = folder / "data", free_port()

    def run(*args: str) -> None:
        subprocess.run([str(programs / args[0]), *args[1:]], check=True, env=env,
                       preexec_fn=demote, capture_output=True, timeout=120, cwd=folder)

    started = False
    try:
        run("initdb", "-D", str(data), "-U", "peaceops", "--auth=trust", "-E", "UTF8",
            "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
            "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
                  f"-c fsync={'on' if durable else 'off'} "
                  f"-c max_connections=200", "start")
        started = True
        server = Postgres(port, folder)
        server.create_database("peaceops")
        yield server
    finally:
        if started:
            with contextlib.suppress(Exception):
                run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


# -- JupyterHub -----------------------------------------------------------------------------


class Hub:
    """A running JupyterHub (deploy/jupyterhub_config.py) and a scripted administrator."""

    def __init__(self, url: str, token: str, folder: Path, exchange: Path, homes: Path):
        self.url, self.token, self.folder = url, token, folder
        self.exchange, self.homes = exchange, homes
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {token}"

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.api.request(method, f"{self.url}/hub/api{path}", timeout=300, **kwargs)
        response.raise_for_status()
        return response

    def add_users(self, names: list[str], group: str) -> None:
        self.call("POST", "/users", json={"usernames": names})
        self.call("POST", f"/groups/{group}/users", json={"users": names})

    def token_for(self, name: str) -> str:
        """A token of the user's own (what their browser session would carry)."""
        reply = self.call("POST", f"/users/{name}/tokens",
                          json={"note": "peaceops hub test", "expires_in": 3600})
        return reply.json()["token"]

    def start_server(self, name: str, timeout: float = 300) -> None:
        self.api.post(f"{self.url}/hub/api/users/{name}/server", timeout=60)
        _wait(lambda: self.call("GET", f"/users/{name}").json()["servers"][""]["ready"],
              f"{name}'s server", timeout)

    def stop_server(self, name: str) -> None:
        self.api.delete(f"{self.url}/hub/api/users/{name}/server", timeout=120)


@contextlib.contextmanager
def jupyterhub(instructors: list[str], exchange: Path | None = None,
               env: dict[str, str] | None = None) -> Iterator[Hub]:
    """JupyterHub with configurable-http-proxy, from deploy/jupyterhub_config.py, in a
    temporary folder (its state, the learners' homes and, unless given, the exchange);
    stopped at the end with every server it spawned, and the folder removed."""
    import secrets

    folder = Path(tempfile.mkdtemp(prefix="peaceops-hub-"))
    state, homes = folder / "state", folder / "homes"
    exchange = exchange or folder / "exchange"
    for path in (state, homes, exchange):
        path.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)
    port, token = free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    hub_env = {
        **os.environ, **(env or {}),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PEACEOPS_HUB_STATE": str(state), "PEACEOPS_HUB_URL": url,
        "PEACEOPS_HUB_API_PORT": str(free_port()), "PEACEOPS_PROXY_API_PORT": str(free_port()),
        "PEACEOPS_HUB_HOMES": str(homes), "PEACEOPS_EXCHANGE": str(exchange),
        "PEACEOPS_INSTRUCTORS": ",".join(instructors), "PEACEOPS_HUB_ADMIN_TOKEN": token,
        "PEACEOPS_HUB_PASSWORD": secrets.token_hex(8),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      os.environ.get("PYTHONPATH")])),
    }
    log = open(folder / "jupyterhub.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "jupyterhub"), "-f", str(HUB_CONFIG)], cwd=state, env=hub_env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(lambda: process.poll() is None and requests.get(
            f"{url}/hub/api/", timeout=5).ok, "JupyterHub", 120)
        yield Hub(url, token, folder, exchange, homes)
    except BaseException:
        log.flush()
        sys.stderr.write((folder / "jupyterhub.log").read_text(errors="replace")[-6000:])
        raise
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (the hub stops its servers and proxy), then kill the whole session."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(90)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything of the hub's session still alive
    process.wait(10)
