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
    top = text.split(f"\n# {title}\n", 1)[1]  # the duration, then the objectives, at the top
    assert re.match(r'\s*```\{code-cell\} ipython3\n:tags: \[remove-input\]\n'
                    r'from peaceops\.lessons import duration\nduration\("' + re.escape(lesson)
                    + r'"\)\n```\s*\n## Learning objectives\n', top), f"{lesson}: no duration on top"
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


#: What makes a page fetch from elsewhere: a src, or a <link> (style sheet, preload). A plain
#: <a href> to a public document (a cited UN policy) loads nothing until it is followed.
REMOTE = re.compile(r'(?:\bsrc\s*=\s*["\']|<link\b[^>]*?\bhref\s*=\s*["\'])(?:https?:)?//', re.I)


def loads_remote(html: str) -> list[str]:
    return [m.group(0) for m in REMOTE.finditer(html)]


def test_remote_loads_are_told_from_plain_links():
    assert loads_remote('<script src="https://cdn.example/x.js"></script>')
    assert loads_remote('<img src="//example.org/a.png">')
    assert loads_remote('<link rel="stylesheet" href="https://fonts.example/css">')
    assert not loads_remote('<a class="reference external" href="https://peacekeeping.un.org/x.pdf">')
    assert not loads_remote('<script src="../_static/peaceops-exercise.js"></script>')


@pytest.mark.slow
def test_strict_build_offline(built_book):
    """`jupyter-book build . -W -n --keep-going` passes, and no page loads anything remote."""
    build = built_book
    html = build / "_build" / "html"
    pages = sorted(html.glob("book/*.html"))
    assert {p.stem for p in pages} == {*LESSONS, *(p.removeprefix("book/") for p in EXTRA_PAGES)}
    assert (html / "favicon.ico").is_file()  # asked for by browsers on the redirect page
    for page in html.rglob("*.html"):
        text = page.read_text()
        hits = loads_remote(text)
        assert not hits, f"{page.relative_to(html)} loads remote resources: {hits[:3]}"
        assert "Traceback" not in text, page
    for path in html.rglob("*"):  # pages, scripts, JSON (payloads, search index, widget state)
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".css"):
            text = path.read_text(errors="ignore")
            assert not leaks(text), f"{path.relative_to(html)} shows a graded item's key"
            assert not leaks(html_unescape(text)), path
    mlt = (html / "book" / "mlt.html").read_text()
    assert 'class="peaceops-book-exercise" id="exercise-mlt-roles"' in mlt
    for page in ("mlt", "weighing", "polarities"):  # figures, inline SVG with a text version
        built = (html / "book" / f"{page}.html").read_text()
        assert '<figure class="peaceops-figure"><svg' in built and "peaceops-figure-" in built, page
    assert 'class="peaceops-duration"' in mlt
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


def test_a_lessons_duration_counts_its_reading_and_its_checks():
    """What a lesson's top says: reading at READING_WPM and CHECK_MINUTES per practice check;
    more words or more checks make a longer lesson (and code cells are not read)."""
    from peaceops.lessons import CHECK_MINUTES, READING_WPM, Duration, duration, lesson_words

    page = "---\nkernelspec: x\n---\n# Title\n\n```{code-cell} ipython3\nprint(1, 2, 3)\n```\nOne two three.\n"
    assert lesson_words(page) == 4  # "Title", "One", "two", "three"
    assert lesson_words(page + "four five\n") == 6
    mlt = duration("mlt")
    words = lesson_words((ROOT / "book" / "mlt.md").read_text())
    checks = sum(s.lesson == "mlt" for s in load_course().checks.values())
    assert (mlt.words, mlt.checks) == (words, checks)
    assert mlt.minutes == -(-words // READING_WPM) + CHECK_MINUTES * checks
    assert Duration(words + READING_WPM, checks).minutes == mlt.minutes + 1
    assert Duration(words, checks + 1).minutes == mlt.minutes + CHECK_MINUTES
    assert f"({words:,} words)" in mlt._repr_html_()
    total = sum(duration(lesson).reading for lesson in LESSONS)
    assert 60 <= total <= 150, total  # the measure: about 1.5 hours of reading


#: The UN documents the lessons cite, and their public addresses: a lesson whose Sources cite
#: one links to it (a plain link, followed only by the reader; nothing loads it).
UN_LINKS = {
    "Capstone Doctrine": "https://peacekeeping.un.org/sites/default/files/capstone_eng_0.pdf",
    "ST/SGB/2003/13": "https://undocs.org/ST/SGB/2003/13",
    "Human Rights Due Diligence Policy on United Nations Support": "https://undocs.org/A/67/775",
    "resolution 1325 (2000)": "https://undocs.org/S/RES/1325(2000)",
    "resolution 48/218 B": "https://undocs.org/A/RES/48/218B",
}


def unlinked(sources: str) -> list[str]:
    """The UN documents that a Sources section cites without their address."""
    flat = " ".join(sources.split())
    return [doc for doc, url in UN_LINKS.items() if doc in flat and f"<{url}>" not in flat]


@pytest.mark.parametrize("lesson", LESSONS)
def test_cited_un_documents_link_to_their_public_address(lesson):
    text = (ROOT / "book" / f"{lesson}.md").read_text()
    assert unlinked(text.split("\n## Sources\n", 1)[1]) == [], lesson


def test_an_unlinked_citation_is_caught():
    assert unlinked("- United Nations Security Council, resolution 1325 (2000).") == [
        "resolution 1325 (2000)"]
    assert unlinked("- resolution 1325\n  (2000), <https://undocs.org/S/RES/1325(2000)>.") == []
