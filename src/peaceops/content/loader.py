"""Load and validate a course's content folder: tables, pools, checks and assignments."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .assignment_specs import read_assignments
from .certification import FILE as CERTIFICATION_FILE
from .certification import Certification, read_certification
from .checks import read_checks
from .course import EXAM_BANK, LESSON_BANK, Course, Entry, Keys
from .csv_tables import read_tables
from .data_folder import data_dir
from .errors import ContentError, ContentIssue
from .kinds import require_kinds
from .pools import BANK_FILES, context, merge, read_bank, read_keys, read_practice


def _where(directory: Path, path: Path) -> str:
    """How a file is named in messages: data/<name> inside the folder, else its path."""
    try:
        return f"data/{path.relative_to(directory).as_posix()}"
    except ValueError:
        return str(path)


@functools.cache
def _cached(directory: str, exam_bank: str | None, language: str) -> Course:
    return load_course(Path(directory), exam_bank=exam_bank, cache=False, language=language)


def load_course(directory: Path | str | None = None, *, exam_bank: Path | str | None = None,
                cache: bool = True, language: str = "en") -> Course:
    """Load and validate all content of `directory` (default: `data_dir()`); raise
    ContentError naming every bad file/row/field. `exam_bank`: the public file of a private
    exam bank that replaces data/exam-bank.yaml (default: $PEACEOPS_EXAM_BANK, which a
    certifying body sets on the learners' servers). `language`: the tables' learner-facing
    fields in that language where data/i18n/<language>/ translates them (role names,
    principles...) and the items' where data/i18n/<language>/*.yaml translates them
    cleanly (checks, scenarios, bank and exam items: `content.item_translations`); ids,
    keys, option order and variants unchanged, the rest in English."""
    require_kinds()
    directory = Path(directory) if directory is not None else data_dir()
    exam_bank = exam_bank or os.environ.get("PEACEOPS_EXAM_BANK") or None
    if cache:
        return _cached(str(directory.resolve()), str(exam_bank) if exam_bank else None,
                       language)
    issues: list[ContentIssue] = []
    tables = read_tables(directory, issues)
    if language != "en" and not issues:
        from .translations import translated_tables

        tables = {**tables, **translated_tables(directory, language, tables)}
    ctx = context(tables)
    pools = read_practice(directory, ctx, issues)
    checks = read_checks(directory, ctx, pools, issues)
    banks = {LESSON_BANK: directory / BANK_FILES[LESSON_BANK],
             EXAM_BANK: Path(exam_bank) if exam_bank else directory / BANK_FILES[EXAM_BANK]}
    for bank, path in banks.items():
        where = _where(directory, path)
        required = bank == LESSON_BANK or exam_bank is not None
        merge(pools, read_bank(path, where, bank, ctx, issues, required), where, issues)
    assignments = read_assignments(directory / "assignments.yaml", "data/assignments.yaml",
                                   ctx, pools, issues)
    if issues:
        raise ContentError(issues)
    course = Course(directory, tables, pools, checks, assignments)
    if language != "en":
        from .item_translations import overlay_course

        course = overlay_course(course, language, Path(exam_bank) if exam_bank else None)
    return course


def load_keys(course: Course, paths: dict[str, Path | str] | Path | str | None = None) -> Keys:
    """Read and validate the hidden keys of the course's banks; ContentError if bad.

    `paths`: {bank: keys file}; a single path is the lesson bank's keys (default: keys/ in
    the source folder of the course holding the content, solutions/keys/ in the repository).
    A bank without graded items needs no keys file. For a translated course, the keys'
    feedback texts come from the hidden translation beside them (keys/i18n/<language>/)."""
    require_kinds()
    if course.english is not None:  # a translation: the keys read against the English items
        from .item_translations import overlay_keys

        return overlay_keys(course, load_keys(course.english, paths), course.language)
    root = course.directory.parent
    from .course_config import course_config, folder_name
    from .pools import KEY_FILES

    if paths is None or isinstance(paths, str | Path):
        given = {LESSON_BANK: Path(paths)} if paths else {}
        source = root / folder_name(course_config(root), "source")
        paths = {bank: given.get(bank, source / KEY_FILES[bank]) for bank in KEY_FILES}
    issues: list[ContentIssue] = []
    keys: Keys = {}
    for bank, path in paths.items():
        bank_pools = {pool: course.graded(pool, bank) for pool in course.pools}
        if not any(bank_pools.values()) and not Path(path).exists():
            continue
        path = Path(path)
        try:  # named from the course directory when it is in it (solutions/keys/...)
            where = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            where = str(path)
        for pool, items in read_keys(path, where, bank_pools, _ctx(course), issues).items():
            keys.setdefault(pool, {}).update(items)
    if issues:
        raise ContentError(issues)
    return keys


def _ctx(course: Course) -> dict:
    return context(course.rows)


def load_certification(path: Path | str | None = None, *,
                       course: Course | None = None) -> Certification:
    """The certification configuration of `course` (its data/certification.yaml, or `path`)."""
    course = course or load_course()
    path = Path(path) if path else course.directory / CERTIFICATION_FILE
    return read_certification(path, _where(course.directory, path), course.assignments)


__all__ = ["Entry", "data_dir", "load_certification", "load_course", "load_keys"]
