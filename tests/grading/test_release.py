"""solutions/ is generated from data/assignments.yaml, exercises/ from solutions/ by nbgrader,
and no answer key of a graded item reaches a learner: not the release, not the book, not the
installed package."""

import functools
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from peaceops.content import CourseDir, load_course
from peaceops.grading.notebooks import source_notebook
from tests.conftest import ROOT
from tests.factories import nbgrader

ASSIGNMENTS = list(load_course().assignments)
KEYS_FILE = ROOT / "solutions" / "keys" / "bank-keys.yaml"
KEY_FILES = (KEYS_FILE, ROOT / "solutions" / "keys" / "exam-keys.yaml")
#: The hidden keys' feedback in French (issue 31): a flat mapping id -> explanation/rationale.
FRENCH_KEYS_FILE = ROOT / "solutions" / "keys" / "i18n" / "fr" / "bank-keys.yaml"


@functools.cache
def key_texts() -> tuple[str, ...]:
    """Distinctive strings of the hidden keys (both banks, and their French): every rationale
    and explanation (read once per test process: the key files are large YAML)."""
    texts = []
    for path in KEY_FILES:
        keys = yaml.safe_load(path.read_text())
        texts += [e["explanation"] for part in ("polarities", "questions")
                  for e in keys[part].values()]
        texts += [r for s in keys["scenarios"].values() for r in s["rationale"].values()]
    for fields in (yaml.safe_load(FRENCH_KEYS_FILE.read_text(encoding="utf-8")) or {}).values():
        rationale = (fields or {}).get("rationale", {})
        texts += [(fields or {}).get("explanation", "")] + list(
            rationale.values() if isinstance(rationale, dict) else [rationale])
    public = " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in (
        ROOT / "data" / "bank.yaml", ROOT / "data" / "exam-bank.yaml",
        *(ROOT / "data" / "i18n").rglob("*.yaml")))
    return tuple(window for t in texts if t and len(t) > 30
                 if (window := _distinctive(" ".join(t.split()), public)))


def _distinctive(text: str, public: str, size: int = 60) -> str:
    """The first `size`-character window of a key text (stepping by words) that the public
    items do not hold: an explanation may restate its question's premise word for word."""
    starts = [0] + [n + 1 for n, c in enumerate(text) if c == " "]
    for start in starts:
        window = text[start:start + size]
        if len(window) < min(size, len(text)) or window not in public:
            return window if window not in public else ""
    return ""


def leaks(text: str) -> list[str]:
    flat = " ".join(text.split())
    found = [t for t in key_texts() if t in flat]
    if re.search(r"[bx]-(?:role|pol|scn|q)-[a-z0-9-]+:\s*\{?\s*(?:role|kind|correct|decisive)",
                 flat):
        found.append("a bank-keys.yaml entry")
    return found


def test_detector_finds_a_key_in_a_text():
    assert leaks("intro " + key_texts()[0] + " outro")
    assert leaks(KEYS_FILE.read_text())
    assert not leaks((ROOT / "data" / "bank.yaml").read_text())
    # the French keys too, and not the public French items
    assert leaks(FRENCH_KEYS_FILE.read_text(encoding="utf-8"))
    assert not leaks((ROOT / "data" / "i18n" / "fr" / "bank.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_are_generated_from_the_data(assignment):
    path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    committed = nbformat.read(path, as_version=4)
    assert committed == source_notebook(load_course().assignments[assignment],
                                        CourseDir.resolve(ROOT)), (
        f"{path} is out of date: run `peaceops generate-sources`"
    )


def _sources_course(tmp_path: Path) -> Path:
    """A course of data/, solutions/ and nbgrader_config.py only, with one source doctored."""
    course = tmp_path / "course"
    for part in ("data", "solutions"):
        shutil.copytree(ROOT / part, course / part)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "solutions" / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb").write_text("{}")
    return course


def _sources_are_current(course: Path) -> bool:
    return all((course / "solutions" / a / f"{a}.ipynb").read_bytes()
               == (ROOT / "solutions" / a / f"{a}.ipynb").read_bytes() for a in ASSIGNMENTS)


def test_generate_sources_rewrites_every_source_notebook(tmp_path, capsys):
    """`peaceops generate-sources --course DIR` writes the committed sources again (a doctored
    one is rewritten), one line per notebook written."""
    from peaceops.cli import main

    course = _sources_course(tmp_path)
    assert not _sources_are_current(course)
    assert main(["generate-sources", "--course", str(course)]) == 0
    assert _sources_are_current(course)
    printed = capsys.readouterr().out.splitlines()
    assert sorted(Path(p).parent.name for p in printed) == sorted(ASSIGNMENTS)


@pytest.mark.filterwarnings(  # run again in this process, where a test imported it
    "ignore:'peaceops.grading.notebooks' found in sys.modules:RuntimeWarning")
def test_the_old_module_command_is_an_alias(tmp_path, monkeypatch, capsys):
    """`python -m peaceops.grading.notebooks` (in the course directory) still does the same,
    for scripts outside the repository that call it."""
    import runpy

    course = _sources_course(tmp_path)
    monkeypatch.chdir(course)
    runpy.run_module("peaceops.grading.notebooks", run_name="__main__", alter_sys=True)
    assert _sources_are_current(course)
    assert len(capsys.readouterr().out.splitlines()) == len(ASSIGNMENTS)


@pytest.mark.slow
def test_release_is_up_to_date_and_free_of_keys(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(
        ROOT,
        course,
        ignore=shutil.ignore_patterns(
            "_build", ".git", ".venv", ".*cache", "gradebook.db", "exercises"
        ),
    )
    for assignment in ASSIGNMENTS:
        result = nbgrader(course, "generate_assignment", assignment, "--force")
        assert result.returncode == 0, result.stderr[-2000:]
    fresh = sorted(p.relative_to(course) for p in (course / "exercises").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(ROOT) for p in (ROOT / "exercises").rglob("*") if p.is_file())
    assert fresh == committed, (
        "exercises/ is out of date: regenerate it with nbgrader generate_assignment"
    )
    for path in fresh:
        assert (course / path).read_text() == (ROOT / path).read_text(), (
            f"{path} is out of date: regenerate it with nbgrader generate_assignment"
        )
        assert not leaks((ROOT / path).read_text()), path


def test_committed_release_has_no_keys():
    for path in (ROOT / "exercises").rglob("*"):
        if path.is_file():
            assert not leaks(path.read_text()), path
            assert "BEGIN SOLUTION" not in path.read_text()


@pytest.mark.slow
def test_installed_package_and_sdist_have_no_keys(tmp_path):
    """The keys ship in neither the source distribution nor the wheel built from it."""
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = Path(tmp_path).glob("peaceops-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "peaceops/data/bank.yaml" in names  # the public half ships
        assert "peaceops/locale/fr/LC_MESSAGES/peaceops.po" in names  # French (issue 31)
        assert not [n for n in names if "bank-keys" in n or n.startswith("solutions")], names
        for name in names:
            assert not leaks(archive.read(name).decode("utf-8", errors="ignore")), name
    (sdist,) = Path(tmp_path).glob("peaceops-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        assert any(n.endswith("data/exam-bank.yaml") for n in names)
        assert not [n for n in names if "/solutions/keys" in n or n.endswith("-keys.yaml")]


# --- every language in one release (issue 31) ----------------------------------------------

LEARNER_TEXT = ("instructions", "heading", "reflection-prompt")


def _blocks(source: str) -> dict[str, str]:
    """The language blocks of a Markdown cell: {lang: text}."""
    return dict(re.findall(r'<div lang="(\w+)">\n\n(.*?)\n\n</div>', source, re.S))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_release_holds_each_learner_text_in_every_language_marked(assignment):
    """Each learner-facing Markdown cell of the release: an English and a French block,
    marked with their languages, the French with the assignment's French title and
    reflection (data/i18n/fr/assignments.yaml) and no English sentence; the Markdown inside
    a block is rendered (nbconvert, as feedback and formgrader show it)."""
    from nbconvert.filters.markdown import markdown2html

    from peaceops.content.item_translations import ENGLISH_WORDS, english_words

    french = yaml.safe_load((ROOT / "data/i18n/fr/assignments.yaml").read_text())[assignment]
    release = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", 4)
    shown = [c for c in release.cells if c.cell_type == "markdown"
             and c.metadata["nbgrader"]["grade_id"].endswith(LEARNER_TEXT)]
    assert shown
    for cell in shown:
        blocks = _blocks(cell.source)
        assert list(blocks) == ["en", "fr"], cell.source
        assert blocks["en"] != blocks["fr"]
        words = [w for w in english_words(blocks["fr"].replace("peaceops-answers.json", ""))
                 if w in ENGLISH_WORDS]
        assert not words, (cell.metadata["nbgrader"]["grade_id"], words)
        html = markdown2html(cell.source)
        assert '<div lang="fr">' in html and ("<h1" in html or "<h2" in html), html
    first = _blocks(shown[0].source)
    assert first["fr"].startswith(f"# {' '.join(french['title'].split())}\n\n**Comment")
    if "reflection" in french:
        prompt = _blocks(shown[-1].source)["fr"]
        assert prompt.startswith("## Réflexion") and " ".join(french["reflection"].split()) in prompt


def test_generate_sources_refuses_a_stale_or_missing_assignment_translation(tmp_path, capsys):
    """A French title whose English changed (stale) or an assignment without its French:
    generate-sources writes nothing and names the file and the id."""
    from peaceops.cli import main

    course = _sources_course(tmp_path)
    path = course / "data" / "assignments.yaml"
    path.write_text(path.read_text().replace("title: Leading through polarities",
                                             "title: Leading through the polarities"))
    assert main(["generate-sources", "--course", str(course)]) != 0
    err = capsys.readouterr().err
    assert "data/i18n/fr/assignments.yaml" in err and "id 'polarities'" in err and "stale" in err
    assert (course / "solutions" / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb").read_text() == "{}"
    path.write_text((ROOT / "data" / "assignments.yaml").read_text())
    french = course / "data" / "i18n" / "fr" / "assignments.yaml"
    french.write_text(french.read_text().replace("certification-exam:", "unknown-exam:"))
    assert main(["generate-sources", "--course", str(course)]) != 0
    assert "id 'certification-exam'" in capsys.readouterr().err
