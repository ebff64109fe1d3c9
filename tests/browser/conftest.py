"""Headless Chromium (Debian's, driven by Playwright), a JupyterLab server in a temporary copy of
the course, and the built book served on localhost: shared by the browser tests."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import ROOT, require
from tests.factories import copy_course

BIN = Path(sys.executable).parent
#: Debian's Chromium; $PEACEOPS_CHROMIUM names another (CI points it nowhere to prove that a
#: missing browser fails under CI=true).
CHROMIUM = Path(os.environ.get("PEACEOPS_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The README's screenshots; the tests rewrite them only when $PEACEOPS_UPDATE_SCREENSHOTS=1.
SCREENSHOTS = ROOT / "docs" / "screenshots"
LEARNER = "browser-learner"
KERNEL = "Python 3 (peaceops)"  # the display name of the kernelspec the lab server uses
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate: Callable[[], Any],
    timeout: float,
    what: str,
    explain: Callable[[], str] = lambda: "",
) -> Any:
    """Poll `predicate` until it returns something truthy; after `timeout` s, fail saying what
    was awaited (and `explain()`, what is still missing)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}. {explain()}")
        time.sleep(0.2)


def save_screenshot(png: bytes, name: str, folder: Path) -> Path:
    """Write <folder>/<name>.png, only when the picture changed (no churn in git)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if not path.exists() or path.read_bytes() != png:
        path.write_bytes(png)
    return path


@dataclass
class Traffic:
    """What a page did: requests to hosts other than localhost, console errors, page errors."""

    remote: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(page: Page) -> Traffic:
    """Record every request leaving localhost and every console or page error of `page`."""
    traffic = Traffic()

    def on_request(request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
            traffic.remote.append(request.url)

    def on_console(message) -> None:
        if message.type == "error":
            traffic.errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: traffic.errors.append(f"page error: {error}"))
    return traffic


def audit(
    page: Page, axe: Path, include: str | None = None, excluded: list[str] | None = None
) -> tuple[int, list[str]]:
    """Run axe-core (the copy that axe-playwright-python ships) in `page`, on the elements matching `include` (default: the
    whole page), without the rules `excluded`. Returns how many rules passed, and each
    violation as "<impact> <rule>: <help> at <element> | <element> ..."."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(
        """async ([include, excluded]) => {
            const rules = Object.fromEntries(excluded.map(id => [id, {enabled: false}]));
            const context = include ? {include: [[include]]} : document;
            // preload: false - axe would otherwise re-fetch every style sheet's @import
            // against the page's URL (a 404 the page itself never makes).
            const result = await axe.run(context, {rules, preload: false});
            return [result.passes.length, result.violations.map(v =>
                `${v.impact} ${v.id}: ${v.help} at `
                + v.nodes.map(n => n.target.join(' ')).join(' | '))];
        }""",
        [include, excluded or []],
    )


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's axe.min.js, as shipped by the PyPI package axe-playwright-python (a test
    dependency: no npm step)."""
    try:
        from importlib.resources import files

        axe = Path(str(files("axe_playwright_python") / "axe.min.js"))
    except ModuleNotFoundError:
        axe = None
    require(
        axe is not None and axe.is_file(),
        "axe-playwright-python (axe-core for the accessibility audits) is not installed: "
        '`.venv/bin/pip install -e ".[test]"`',
    )
    return axe


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the tests put their screenshots: a temporary folder, or the README's
    docs/screenshots/ when $PEACEOPS_UPDATE_SCREENSHOTS=1 (to refresh the pictures)."""
    if os.environ.get("PEACEOPS_UPDATE_SCREENSHOTS") == "1":
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


# -- JupyterLab ---------------------------------------------------------------------------


@dataclass
class Lab:
    """A running JupyterLab server rooted in a temporary copy of the course."""

    root: Path
    port: int
    token: str

    def url(self, path: str, **query: str) -> str:
        params = "&".join([*(f"{k}={v}" for k, v in query.items()), f"token={self.token}"])
        return f"http://127.0.0.1:{self.port}/{path}?{params}"

    def api(self, path: str) -> dict:
        """GET /api/<path> of the server (straight to localhost, never through a proxy)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.url(f"api/{path}"), timeout=10) as response:
            return json.load(response)


def _lab_environment(home: Path) -> dict[str, str]:
    """Jupyter's own folders in `home`, a kernelspec for this interpreter, quiet lab settings."""
    kernel = home / "path" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL,
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    settings = {
        # no "Would you like to get notified about official Jupyter news?" toast, no fetching
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        # every cell in the DOM, so that the tests can find any output without scrolling
        "notebook-extension/tracker": {"windowingMode": "none"},
    }
    for plugin, values in settings.items():
        path = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {k: v for k, v in os.environ.items() if k != "JUPYTERHUB_USER"}
    env.update(
        PATH=str(BIN) + os.pathsep + env.get("PATH", ""),  # nbgrader calls alembic
        PEACEOPS_LEARNER=LEARNER,
        PEACEOPS_STUDENT_ID=LEARNER,  # and nbgrader would submit under it (as on the hub)
        JUPYTER_PATH=str(home / "path"),  # searched first: this interpreter is "python3"
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PYTHONWARNINGS="ignore",
    )
    return env


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """JupyterLab from this interpreter's environment on a free localhost port, with a token,
    serving a temporary copy of the course; the kernel knows the learner ($PEACEOPS_LEARNER)."""
    base = tmp_path_factory.mktemp("lab")
    root = copy_course(base / "peaceops")
    server = Lab(root, free_port(), secrets.token_hex(16))
    log = base / "jupyter.log"
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={server.port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={server.token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=root, env=_lab_environment(base / "jupyter"), stdout=out, stderr=out
        )

    def ready() -> bool:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            return bool(server.api("status"))
        except OSError:
            return False

    try:
        wait_until(ready, 90, "JupyterLab to start")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="session")
def lab_context(browser: Browser, lab: Lab):
    """One browser profile for the JupyterLab tests (a laptop-sized window)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)  # a cold kernel start on a busy CI machine
    yield context
    context.close()


# -- the built book -----------------------------------------------------------------------


@dataclass
class Site:
    """The strictly built book, served over HTTP on localhost."""

    html: Path
    base: str

    def url(self, page: str) -> str:
        return self.base + page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site(built_book: Path) -> Iterator[Site]:
    """`jupyter-book build . -W -n --keep-going` in a copy of the repository (once per
    session), with _build/html served by Python's http.server in a thread."""
    build = built_book
    html = build / "_build" / "html"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(html)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(html, f"http://127.0.0.1:{httpd.server_address[1]}/")
    finally:
        httpd.shutdown()
        httpd.server_close()
