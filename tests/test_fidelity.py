"""Lessons and data are in the course's own words: no run of more than 25 consecutive words
copied from the source texts outside a marked quotation (a MyST `> ` blockquote)."""

import re
from pathlib import Path

import pytest

from tests.conftest import HOW_TO_GET_SOURCE_TEXTS, ROOT, SOURCE_TEXTS, require

MAX_RUN = 25
WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'").replace("-\n", ""))


def unquoted(path: Path) -> str:
    """The file's text without blockquote lines (marked, attributed quotations)."""
    return "\n".join(
        line for line in path.read_text().splitlines() if not line.lstrip().startswith(">")
    )


def longest_copied_run(text: str, source_ngrams: set[tuple[str, ...]], n: int) -> str:
    tokens = words(text)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) in source_ngrams:
            return " ".join(tokens[i : i + n])
    return ""


def course_files() -> list[Path]:
    files = sorted(ROOT.glob("book/*.md")) + sorted(ROOT.glob("data/*.csv"))
    return files + sorted(ROOT.glob("data/*.yaml")) + [ROOT / "README.md"]


@pytest.fixture(scope="module")
def source_ngrams() -> set[tuple[str, ...]]:
    require(SOURCE_TEXTS.is_dir(), HOW_TO_GET_SOURCE_TEXTS)
    grams: set[tuple[str, ...]] = set()
    for path in SOURCE_TEXTS.glob("*.txt"):
        tokens = words(path.read_text())
        grams |= {tuple(tokens[i : i + MAX_RUN + 1]) for i in range(len(tokens) - MAX_RUN)}
    return grams


@pytest.mark.parametrize("path", course_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_long_copied_run(path, source_ngrams):
    run = longest_copied_run(unquoted(path), source_ngrams, MAX_RUN + 1)
    assert not run, f"{path.name} copies {MAX_RUN + 1}+ words from the source: '{run}'"


def test_detector_catches_a_copied_run(source_ngrams, tmp_path):
    copied = next(iter(sorted(source_ngrams)))
    page = tmp_path / "page.md"
    page.write_text("Intro. " + " ".join(copied) + " end.")
    assert longest_copied_run(unquoted(page), source_ngrams, MAX_RUN + 1)
    page.write_text("> " + " ".join(copied) + "\n> — attribution")
    assert not longest_copied_run(unquoted(page), source_ngrams, MAX_RUN + 1)


BOXES = {  # headings of the role boxes in the source's "MLT roles" part -> role ids
    "Head of Police": "pc",
    "Deputy SRSG/RC/HC": "dsrsg_rchc",
    "Chief of Staff (COS)": "cos",
    "Head of Military": "fc",
    "Director/Chief of Mission Support (DMS/CMS)": "dms",
    "Deputy SRSG": "dsrsg_pol",
    "Special Representative of the Secretary-General or Head of Mission (SRSG/HOM)": "hom",
}
STOP = set(
    "the a an of and or to in for all its it is as with by on that this their its s be its "
    "mission mission's un".split()
)


def role_boxes() -> dict[str, set[str]]:
    text = next(
        p for p in SOURCE_TEXTS.glob("*.txt") if "Head of Police" in p.read_text()
    ).read_text()
    lines = [line.strip() for line in text.splitlines()]
    boxes: dict[str, set[str]] = {}
    current = None
    for line in lines:
        if line in BOXES:
            current = BOXES[line]
            boxes[current] = set()
        elif current and line.startswith(("•", "Depending")):
            boxes[current] |= set(words(line)) - STOP
        elif current and line and not line.startswith("•"):
            current = None
    return boxes


def test_each_responsibility_is_closest_to_its_roles_box_in_the_source():
    """The role-matching key agrees with the source: each statement shares more words with
    the box of the role it is mapped to than with any other role's box."""
    from peaceops.content import load_course

    require(SOURCE_TEXTS.is_dir(), HOW_TO_GET_SOURCE_TEXTS)
    boxes = role_boxes()
    assert set(boxes) == set(BOXES.values()) and all(boxes.values())
    for row in load_course().responsibilities.itertuples():
        statement = set(words(row.statement)) - STOP
        overlap = {role: len(statement & box) for role, box in boxes.items()}
        best = max(overlap, key=overlap.get)
        assert best == row.role, f"{row.id}: mapped to {row.role}, closest to {best} ({overlap})"


def role_box_texts() -> dict[str, str]:
    """The text of each role's box in the source ("MLT roles"), and for the HoM also the
    three levels of 1.1.1, whitespace-normalised."""
    boxes: dict[str, list[str]] = {}
    current = None
    for path in sorted(SOURCE_TEXTS.glob("*.txt")):
        for line in (line.strip() for line in path.read_text().splitlines()):
            if line in BOXES:
                current = BOXES[line]
                boxes.setdefault(current, [])
            elif current and line.startswith(("•", "Depending")):
                boxes[current].append(line)
            elif current and line and not line.startswith("•"):
                current = None
            if "the role of the HoM can be seen on three levels" in line:
                boxes.setdefault("hom", []).append(line)
    return {role: normal(" ".join(lines)) for role, lines in boxes.items()}


def normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return " ".join(text.replace("\u201d", '"').replace("- ", "").split()).lower()


def test_each_graded_role_key_rests_on_its_roles_box():
    """The hidden role-matching keys agree with the source. Lesson-bank statements share more
    words with the keyed role's box than with any other box; exam statements are written
    without the box's words (a shared word is a cue of form, issue 24), so each exam key's
    evidence quote must come from the keyed role's own box (the HoM's: also 1.1.1)."""
    from peaceops.content import EXAM_BANK, load_course, load_keys

    require(SOURCE_TEXTS.is_dir(), HOW_TO_GET_SOURCE_TEXTS)
    boxes, texts = role_boxes(), role_box_texts()
    course = load_course()
    keys = load_keys(course)
    for item_id, entry in course.graded("roles").items():
        key = keys["roles"][item_id]
        if entry.bank == EXAM_BANK:
            assert normal(key["evidence"]).rstrip(".") in texts[key["role"]], (
                f"{item_id}: keyed {key['role']}, but its evidence is not in that role's box")
            continue
        statement, role = entry.public["statement"], key["role"]
        overlap = {r: len((set(words(statement)) - STOP) & box) for r, box in boxes.items()}
        best = max(overlap, key=overlap.get)
        assert overlap[role] == overlap[best], (
            f"{item_id}: keyed {role}, closest to {best} ({overlap})"
        )
