"""Shared fixtures, and the suite's prerequisites.

A prerequisite that is not a Python package (Debian's Chromium, ../shared/source-texts) is
checked by `require`: on a developer's machine a missing one SKIPS the tests that need it,
with a reason that says how to get it (and the summary at the end counts them); under CI
(`CI=true`) it FAILS them, so that CI never passes by skipping.

Every test runs in its own temporary working folder (`_scratch_cwd`): a test that writes to
a relative path writes there, never into the repository tree.
"""

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from peaceops.cli import defer_iri_grammar

# As `peaceops` itself does: jsonschema's IRI grammar (about 1-2 s of CPU when nbformat is
# first imported, at collection) is built only if an "iri" format is ever checked.
defer_iri_grammar()
# Every process the tests start defers it too (tests/startup/sitecustomize.py: about 1.3 s
# of CPU per nbgrader, jupyter-server or jupyter-book process).
STARTUP = Path(__file__).resolve().with_name("startup")
os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(
    [str(STARTUP), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]))
# The tests read the English words unless a test chooses a language itself (a tester whose
# locale is French still gets English; tests/content/test_messages.py covers the choice).
os.environ["PEACEOPS_LANGUAGE"] = "en"

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXTS = ROOT.parent / "shared" / "source-texts"
#: Under CI every prerequisite is required: a missing one fails, never skips.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
#: The prefix of every skip for a missing prerequisite (the terminal summary counts them).
MISSING = "prerequisite missing: "
HOW_TO_GET_SOURCE_TEXTS = (
    f"{SOURCE_TEXTS} is absent: the fidelity tests compare the course with the source "
    "texts. Put the course's shared/ folder (with source-texts/) beside the repository, "
    "as in the project's workspace"
)


def require(available: bool, reason: str) -> None:
    """Skip the calling test (fail it under CI=true) unless the prerequisite is available.
    `reason` names what is missing and says how to get it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{MISSING}{reason} (CI=true: every prerequisite is required)",
                    pytrace=False)
    pytest.skip(f"{MISSING}{reason}")


def pytest_configure(config) -> None:
    # Hypothesis keeps its examples in memory and its caches in a temporary folder, not in
    # .hypothesis/ of the work tree.
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.database import InMemoryExampleDatabase

    config._peaceops_hypothesis = tempfile.mkdtemp(prefix="peaceops-hypothesis-")
    set_hypothesis_home_dir(config._peaceops_hypothesis)
    settings.register_profile("peaceops", database=InMemoryExampleDatabase())
    settings.load_profile("peaceops")


def pytest_unconfigure(config) -> None:
    shutil.rmtree(getattr(config, "_peaceops_hypothesis", ""), ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many tests were skipped for a missing prerequisite, and why."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            message = report.longrepr[2]
            if MISSING in message:
                reasons[message.split(MISSING, 1)[1]] += 1
    if not reasons:
        return
    total = sum(reasons.values())
    terminalreporter.section("prerequisites missing", sep="=", yellow=True)
    terminalreporter.line(
        f"{total} test(s) skipped because a prerequisite is missing on this machine "
        "(under CI=true they fail instead). To run them:"
    )
    for reason, count in reasons.most_common():
        terminalreporter.line(f"  {count:4d} skipped: {reason}")


@pytest.fixture(autouse=True)
def _scratch_cwd(tmp_path_factory, monkeypatch) -> Path:
    """Each test's working folder is a fresh temporary one (relative writes stay out of
    the repository tree)."""
    folder = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def course_dir_factory():
    """Make a copy of the course directory at a given path."""
    from tests.factories import copy_course

    return copy_course


def session_folder(tmp_path_factory) -> Path:
    """A folder of this test session that every pytest-xdist worker shares (the session's
    base temporary folder; a worker's own is one level below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_session(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` fills `folder` once per test session, shared by the test command's
    pytest-xdist workers: the first makes it, under a lock, the others wait and reuse it (a
    failed attempt is started again by the next worker that needs it)."""
    from filelock import FileLock

    shared = session_folder(tmp_path_factory) / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    folder = shared / "peaceops"
    with FileLock(str(shared / "lock")):
        if not (shared / "done").is_file():
            if folder.exists():
                shutil.rmtree(folder)
            make(folder)
            (shared / "done").touch()
    return folder


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, course_dir_factory) -> Path:
    """`jupyter-book build . -W -n --keep-going` in a copy of the repository, once per
    session (the strict-build test and the browser tests share it, in every worker);
    returns the copy."""
    return once_per_session(tmp_path_factory, "book",
                            lambda folder: _build_book(course_dir_factory(folder)))


def _build_book(build: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", ".", "-W", "-n",
         "--keep-going"],
        cwd=build,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


@pytest.fixture(scope="session")
def built_editions(built_book, tmp_path_factory, course_dir_factory) -> Path:
    """Both editions in one site: the session's English book (its HTML copied, the shared
    build left as it is) and the French edition built strictly (warnings are errors, keep
    going) beside it, at _build/html/fr; once per session, in every worker."""
    import subprocess
    import sys

    def make(folder: Path) -> None:
        course = course_dir_factory(folder)
        shutil.copytree(built_book / "_build" / "html", course / "_build" / "html")
        run = subprocess.run([sys.executable, "-m", "peaceops.editions", "fr"], cwd=course,
                             capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    return once_per_session(tmp_path_factory, "editions", make) / "_build" / "html"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; never a downloaded browser. One per test process, for
    every folder that drives it (tests/browser, the certificate verifier page)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    require(
        CHROMIUM.is_file(),
        f"{CHROMIUM} is absent: the browser tests drive Debian's Chromium. Install it with "
        "`apt-get install -y --no-install-recommends chromium fonts-dejavu-core` (.ci/run "
        "does), or point $PEACEOPS_CHROMIUM at a Chromium binary",
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items) -> None:
    """A test that needs the embedding model is slow: its forward pass over the course's
    texts takes about 40 s here, whichever test comes first."""
    for item in items:
        if "embedding_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _shared_embeddings(tmp_path_factory):
    """The sentence vectors are computed once per test session, not once per pytest-xdist
    worker (about 40 s of CPU each): every worker, and every process a test starts, files
    them in one folder of the session ($PEACEOPS_EMBEDDING_CACHE, `bank.embed`; keyed by
    text and model, so a changed text or model is embedded afresh). A folder already set in
    the environment is kept (the tests then share it with whoever set it)."""
    from peaceops.bank.embed import CACHE_ENV

    if os.environ.get(CACHE_ENV):
        yield
        return
    os.environ[CACHE_ENV] = str(session_folder(tmp_path_factory) / "embeddings")
    yield
    os.environ.pop(CACHE_ENV, None)


@pytest.fixture(scope="session")
def embedding_model() -> None:
    """The sentence-embedding model of the near-duplicate check by meaning (a prerequisite:
    skipped with the install command when missing, failed under CI=true)."""
    from peaceops.bank import embed

    try:
        embed.encoder()
    except embed.ModelMissing as missing:
        require(False, str(missing))
