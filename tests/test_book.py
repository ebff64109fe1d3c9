"""The book: every lesson in the TOC, and a strict, offline build."""

import json
import re
from html import unescape as html_unescape

import pytest
import yaml

from peaceops.content import load_course
from peaceops.exercises import build
from peaceops.exercises.payload import PRACTICE, payload
from tests.conftest import ROOT
from tests.grading.test_release import leaks

LESSONS = list(load_course().lessons["id"])
#: Pages of the book that are not lessons.
EXTRA_PAGES = ["book/progress"]


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_every_lesson_is_in_the_toc_and_exists():
    assert sorted(toc_files()) == sorted([*(f"book/{lesson}" for lesson in LESSONS), *EXTRA_PAGES])
    for lesson in LESSONS:
        assert (ROOT / "book" / f"{lesson}.md").is_file(), lesson


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_structure(lesson):
    text = (ROOT / "book" / f"{lesson}.md").read_text()
    title = load_course().lessons.set_index("id").at[lesson, "title"]
    assert f"\n# {title}\n" in text
    for heading in (
        "## Learning objectives",
        "## Key terms",
        "## Check your understanding",
        "## Summary",
        "## Sources",
    ):
        assert heading in text, f"{lesson}: missing '{heading}'"
    assert "format_name: myst" in text
    for check in re.findall(r'check\("([^"]+)"\)', text):
        assert load_course().checks[check].lesson == lesson
    assert re.search(r'check\("', text), f"{lesson} has no practice check"


@pytest.mark.slow
def test_strict_build_offline(built_book):
    """`jupyter-book build . -W -n --keep-going` passes, and no page loads anything remote."""
    build = built_book
    html = build / "_build" / "html"
    pages = sorted(html.glob("book/*.html"))
    assert {p.stem for p in pages} == {*LESSONS, *(p.removeprefix("book/") for p in EXTRA_PAGES)}
    assert (html / "favicon.ico").is_file()  # asked for by browsers on the redirect page
    remote = re.compile(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', re.I)
    for page in html.rglob("*.html"):
        text = page.read_text()
        hits = [m.group(0) for m in remote.finditer(text)]
        assert not hits, f"{page.relative_to(html)} loads remote resources: {hits[:3]}"
        assert "Traceback" not in text, page
    for path in html.rglob("*"):  # pages, scripts, JSON (payloads, search index, widget state)
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".css"):
            text = path.read_text(errors="ignore")
            assert not leaks(text), f"{path.relative_to(html)} shows a graded item's key"
            assert not leaks(html_unescape(text)), path
    mlt = (html / "book" / "mlt.html").read_text()
    assert 'class="peaceops-book-exercise" id="exercise-mlt-roles"' in mlt
    assert '<script src="../_static/peaceops-exercise.js">' in mlt
    assert "export default" not in (html / "_static" / "peaceops-exercise.js").read_text()
    for asset in html.rglob("*.js"):
        assert "cdn.jsdelivr" not in asset.read_text(errors="ignore") or "thebe" in asset.name, (
            asset
        )


@pytest.mark.slow
def test_the_book_holds_practice_checks_only(built_book):
    """Every exercise payload in the book is a practice check of that lesson, with its own
    key; no graded exercise or bank item is in a page."""
    course = load_course()
    html = built_book / "_build" / "html"
    found = {}
    inline = re.compile(r'<script type="application/json" class="peaceops-payload">(.*?)</script>')
    for page in html.glob("book/*.html"):
        for raw in inline.findall(page.read_text()):
            data = json.loads(raw)
            spec = course.checks[data["id"]]  # (graded exercises may share a check's id)
            assert data == payload(*build(course, spec), PRACTICE, spec.lesson)
            assert spec.lesson == page.stem
            found[data["id"]] = page.stem
    assert set(found) == set(course.checks)


@pytest.mark.slow
def test_no_answers_table_under_its_check(built_book):
    """The polarities table (the answers of the check above it) is folded, not shown."""
    text = (built_book / "_build" / "html" / "book" / "polarities.html").read_text()
    table = text.index("Either/or problems and both/and polarities</caption>")
    assert text.rfind("<details", 0, table) > text.index("exercise-polarity-sort")
    assert text.rfind("</details>", 0, table) < text.rfind("<details", 0, table)
