"""The book: every lesson in the TOC, and a strict, offline build."""

import re

import pytest
import yaml

from peaceops.content import load_course
from tests.conftest import ROOT
from tests.grading.test_release import leaks

LESSONS = list(load_course().lessons["id"])


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_every_lesson_is_in_the_toc_and_exists():
    assert sorted(toc_files()) == sorted(f"book/{lesson}" for lesson in LESSONS)
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
    assert {p.stem for p in pages} == set(LESSONS)
    assert (html / "favicon.ico").is_file()  # asked for by browsers on the redirect page
    remote = re.compile(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', re.I)
    for page in html.rglob("*.html"):
        text = page.read_text()
        hits = [m.group(0) for m in remote.finditer(text)]
        assert not hits, f"{page.relative_to(html)} loads remote resources: {hits[:3]}"
        assert "Traceback" not in text, page
        assert not leaks(text), f"{page.relative_to(html)} shows a graded item's key"
    mlt = (html / "book" / "mlt.html").read_text()
    assert "peaceops-exercise" in mlt and "jupyter lab" in mlt and "Show the answer" in mlt
    for asset in html.rglob("*.js"):
        assert "cdn.jsdelivr" not in asset.read_text(errors="ignore") or "thebe" in asset.name, (
            asset
        )
