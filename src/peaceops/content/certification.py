"""data/certification.yaml: the course a certificate names, its issuer and the pass rules."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .errors import ContentError, ContentIssue
from .language import DEFAULT, LANGUAGES
from .messages import _
from .yamlfile import read_yaml

if TYPE_CHECKING:
    from .course import Assignment

FILE = "certification.yaml"
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TOP_FIELDS = ("course", "issuer", "current", "rules", "book_url")
COURSE_FIELDS = ("id", "title", "version", "translations")
#: What `course.translations.<language>` gives in each language of the course but English:
#: the title, and `source_sha`, the short hash of the English title it was translated from
#: (as data/i18n/ stamps a row: a stale translation is an error).
TRANSLATED_FIELDS = ("title", "source_sha")
RULE_FIELDS = ("version", "exam", "min_percent", "max_attempts", "require_submitted",
               "opens", "closes", "time_limit_minutes", "grace_minutes", "cut_ratings",
               "exam_points")


@dataclass(frozen=True)
class PassRule:
    """One version of the pass rule."""

    version: str
    exam: str  # the certification exam's assignment id
    min_percent: float  # of the exam's maximum, reached within max_attempts
    max_attempts: int  # only the first N attempts count
    require_submitted: tuple[str, ...]  # assignments that must each have a submission
    #: The exam session, on the server's clock (None: not limited): the window in which an
    #: attempt is submitted, the time from fetching an attempt to submitting it, and the
    #: grace the instructor allows beyond both before the attempt is flagged.
    opens: datetime | None = None
    closes: datetime | None = None
    time_limit_minutes: float | None = None
    grace_minutes: float = 0
    #: Each attempt's pass mark is its own draw's modified-Angoff cut from these ratings:
    #: "keys" (the item writers' provisional drafts) or a panel's ratings file (a path in
    #: the course directory); "": `min_percent` of every draw.
    cut_ratings: str = ""
    #: The exam's maximum this rule was set for (None: any): an attempt graded on another
    #: form of the exam (e.g. the 29-point form before issue 25's scenario scoring) does not
    #: reach this rule's pass mark.
    exam_points: float | None = None

    def describe(self, language: str = DEFAULT) -> str:
        """The rule in one line, in `language` (a French certificate's criteria say it in
        French; the officer's tools, in English)."""
        required = ", ".join(self.require_submitted) or _("nothing else", language)
        session = "".join([
            _("; opens {time}", language).format(time=self.opens.isoformat())
            if self.opens else "",
            _("; closes {time}", language).format(time=self.closes.isoformat())
            if self.closes else "",
            _("; {minutes} minutes per attempt", language).format(
                minutes=f"{self.time_limit_minutes:g}") if self.time_limit_minutes else ""])
        if self.cut_ratings:
            mark = _("at least the cut of its own draw (modified Angoff, ratings: "
                     "{ratings}{provisional})", language).format(
                ratings=self.cut_ratings, provisional=_("; PROVISIONAL", language)
                if self.cut_ratings == "keys" else "")
        else:
            mark = _("at least {percent} %", language).format(percent=f"{self.min_percent:g}")
        form = (_(" of {points} points", language).format(points=f"{self.exam_points:g}")
                if self.exam_points else "")
        return _("pass rule {version}: {exam}{form} {mark} within the first {attempts} "
                 "attempt(s); submitted: {required}{session}", language).format(
            version=self.version, exam=self.exam, form=form, mark=mark,
            attempts=self.max_attempts, required=required, session=session)


@dataclass(frozen=True)
class Certification:
    """The certification configuration."""

    course_id: str
    course_title: str
    course_version: str
    issuer: str
    current: str
    rules: dict[str, PassRule]
    #: Which exam bank graded the exam: "reference bank sha256:…" (the repository's public
    #: reference bank) or "private bank sha256:…" (a certifying body's own); set by certify.
    exam_bank: str = ""
    #: Where learners read the built book (ending in "/"): exam feedback links its pages
    #: there ("": it names them only).
    book_url: str = ""
    #: The course title in each language of the course but English ({"fr": "..."}).
    title_translations: dict[str, str] = field(default_factory=dict)

    def title(self, language: str = DEFAULT) -> str:
        """The course title in `language` (one of peaceops.content.language.LANGUAGES)."""
        if language == DEFAULT:
            return self.course_title
        if language not in self.title_translations:
            raise ContentError([ContentIssue(
                f"data/{FILE}", "", f"course.translations.{language}.title",
                f"is missing: add the course title in '{language}'",
            )])
        return self.title_translations[language]

    def rule(self, version: str | None = None) -> PassRule:
        """The pass rule of `version`, or the current one."""
        version = version or self.current
        if version not in self.rules:
            raise ContentError([ContentIssue(
                f"data/{FILE}", "", "rules",
                f"no pass rule '{version}': use one of {', '.join(self.rules)} (or add it there)",
            )])
        return self.rules[version]


def read_certification(path: Path, where: str,
                       assignments: dict[str, Assignment]) -> Certification:
    """Read and validate data/certification.yaml (or `path`); raises `ContentError`."""
    issues: list[ContentIssue] = []
    raw = read_yaml(path, where, issues, dict)
    if issues:
        raise ContentError(issues)
    if not raw:
        raise ContentError(
            [ContentIssue(where, "", "", f"must be a mapping with fields {', '.join(TOP_FIELDS)}")]
        )
    check = _Checker(where)
    check.unknown(raw, TOP_FIELDS, "")
    course = raw.get("course")
    if not isinstance(course, dict):
        check.add("", "course", f"must be a mapping with fields {', '.join(COURSE_FIELDS)}")
        course = {}
    check.unknown(course, COURSE_FIELDS, "course.")
    course_id = check.text(course, "id", "", "course.id")
    title = check.text(course, "title", "", "course.title")
    version = check.text(course, "version", "", "course.version")
    translations = _translations(check, course.get("translations"), title)
    if version and version != __version__:
        check.add(
            "",
            "course.version",
            f"is '{version}' but the package is '{__version__}': "
            f"set it to '{__version__}' (certificates name the version they were earned in)",
        )
    issuer = check.text(raw, "issuer", "", "issuer")
    rules: dict[str, PassRule] = {}
    entries = raw.get("rules")
    if not isinstance(entries, list) or not entries:
        check.add("", "rules", "must be a non-empty list of pass rules")
        entries = []
    for n, entry in enumerate(entries, start=1):
        rule = _rule(check, n, entry, assignments)
        if rule and rule.version in rules:
            check.add(
                f"entry {n} (version '{rule.version}')",
                "version",
                "duplicate version: give each rule its own",
            )
        elif rule:
            rules[rule.version] = rule
    current = check.text(raw, "current", "", "current")
    named = {str(e.get("version")) for e in entries if isinstance(e, dict)}
    if current and rules and current not in rules and current not in named:  # a bad rule's
        # own problems are reported already
        check.add("", "current", f"names no rule: use one of {', '.join(rules)}")
    book_url = raw.get("book_url") or ""
    if not isinstance(book_url, str) or (book_url and not (
            book_url.startswith(("https://", "http://", "/")) and book_url.endswith("/"))):
        check.add("", "book_url", "must be the built book's address ending in '/', e.g. "
                  '"https://learn.example.org/peaceops/", or left out')
        book_url = ""
    if check.issues:
        raise ContentError(check.issues)
    return Certification(course_id, title, version, issuer, current, rules,
                         book_url=book_url, title_translations=translations)


def source_sha(title: str) -> str:
    """The short hash of the English title (whitespace-normalised), as
    `translations.source_sha` hashes a row's translated fields: a JSON list of them."""
    values = [" ".join(title.split())]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:10]


def _translations(check: _Checker, raw: Any, english: str) -> dict[str, str]:
    """`course.translations`: {language: {"title": ..., "source_sha": ...}} for every language
    of the course but English (each one a certificate may be issued in); a title translated
    from another English title than today's is stale."""
    others = [lang for lang in LANGUAGES if lang != DEFAULT]
    example = "translations: {fr: {title: Diriger les opérations de paix des Nations Unies}}"
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        check.add("", "course.translations", f"must be a mapping of languages, e.g. {example}")
        return {}
    titles: dict[str, str] = {}
    for lang, entry in raw.items():
        where = f"course.translations.{lang}"
        if lang not in others:
            check.add("", where, f"'{lang}' is not a language the course is translated into: "
                      f"use {', '.join(others)}")
        elif not isinstance(entry, dict):
            check.add("", where, f"must be a mapping with fields {', '.join(TRANSLATED_FIELDS)}")
        else:
            check.unknown(entry, TRANSLATED_FIELDS, f"{where}.")
            if text := check.text(entry, "title", "", f"{where}.title"):
                titles[lang] = text
            stamp = entry.get("source_sha")
            if english and str(stamp) != source_sha(english):
                check.add("", f"{where}.source_sha", (
                    "is missing" if stamp is None else f"is '{stamp}', but course.title is "
                    "another English title than the one translated") + f": re-translate "
                    f"{where}.title from '{english}', then set source_sha to "
                    f"'{source_sha(english)}'")
    for lang in others:
        if lang not in raw:
            check.add("", f"course.translations.{lang}",
                      f"is missing: add the course title in '{lang}' (certificates are issued "
                      f"in the learner's language), e.g. {example}")
    return titles


def _rule(check: _Checker, n: int, entry: Any, assignments: dict[str, Assignment]):
    if not isinstance(entry, dict):
        check.add(f"entry {n}", "", f"must be a mapping with fields {', '.join(RULE_FIELDS)}")
        return None
    row = f"entry {n} (version '{entry.get('version')}')"
    issues_before = len(check.issues)
    check.unknown(entry, RULE_FIELDS, "", row)
    version = check.text(entry, "version", row, "version")
    if version and not VERSION.match(version):
        check.add(row, "version", "use letters, digits, '.', '_' and '-' only, e.g. \"2026.1\"")
    exam = check.text(entry, "exam", row, "exam")
    if exam and exam not in assignments:
        check.add(
            row,
            "exam",
            f"'{exam}' is not in data/assignments.yaml: use one of {', '.join(assignments)}",
        )
    elif exam and not assignments[exam].certification:
        check.add(
            row,
            "exam",
            f"'{exam}' is not the certification exam: mark it "
            "`certification: true` in data/assignments.yaml or name the exam",
        )
    minimum = entry.get("min_percent")
    if minimum is None and entry.get("cut_ratings"):
        minimum = 0  # each draw's own cut is the pass mark
    elif isinstance(minimum, bool) or not isinstance(minimum, int | float) or \
            not 0 < minimum <= 100:
        check.add(row, "min_percent", "must be a number above 0 and at most 100, e.g. 75")
    attempts = entry.get("max_attempts")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        check.add(row, "max_attempts", "must be a whole number of at least 1, e.g. 2")
    required = entry.get("require_submitted", [])
    if not isinstance(required, list) or not all(isinstance(a, str) for a in required):
        check.add(row, "require_submitted", "must be a list of assignment ids")
        required = []
    for a in required:
        if a not in assignments:
            check.add(
                row,
                "require_submitted",
                f"'{a}' is not in data/assignments.yaml: use one of {', '.join(assignments)}",
            )
        elif a == exam:
            check.add(row, "require_submitted", f"'{a}' is the exam itself: remove it")
    if len(set(required)) != len(required):
        check.add(row, "require_submitted", "lists an assignment twice: remove the duplicate")
    opens, closes = (_moment(check, row, entry, name) for name in ("opens", "closes"))
    if opens and closes and closes <= opens:
        check.add(row, "closes", "must be after `opens`")
    limit = entry.get("time_limit_minutes")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int | float)
                              or limit <= 0):
        check.add(row, "time_limit_minutes", "must be a number of minutes above 0, e.g. 90")
    grace = entry.get("grace_minutes", 0)
    if isinstance(grace, bool) or not isinstance(grace, int | float) or grace < 0:
        check.add(row, "grace_minutes", "must be a number of minutes, 0 or more, e.g. 5")
    ratings = entry.get("cut_ratings", "")
    if not isinstance(ratings, str):
        check.add(row, "cut_ratings", 'must be "keys" or the path of a panel\'s ratings file')
    points = entry.get("exam_points")
    if points is not None and (isinstance(points, bool) or not isinstance(points, int | float)
                               or points <= 0):
        check.add(row, "exam_points", "must be the exam's maximum in points, e.g. 28")
    if len(check.issues) > issues_before:
        return None
    return PassRule(version, exam, float(minimum), attempts, tuple(required), opens, closes,
                    float(limit) if limit is not None else None, float(grace), ratings,
                    float(points) if points is not None else None)


def _moment(check: _Checker, row: str, entry: dict, name: str) -> datetime | None:
    """An optional time of the rule (ISO 8601 with its time zone), as an aware datetime."""
    value = entry.get(name)
    if value is None:
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        check.add(row, name, 'must be a time with its time zone, e.g. "2027-03-01T09:00:00+00:00"')
        return None
    return moment


class _Checker:
    def __init__(self, where: str):
        self.where = where
        self.issues: list[ContentIssue] = []

    def add(self, row: str, field: str, message: str) -> None:
        self.issues.append(ContentIssue(self.where, row, field, message))

    def text(self, mapping: dict, key: str, row: str, field: str) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(row, field, "is missing: add it")
        elif not isinstance(value, str):
            self.add(row, field, f'must be text: write it in quotes, e.g. "{value}"')
        else:
            return value.strip()
        return ""

    def unknown(self, mapping: dict, allowed: tuple[str, ...], prefix: str, row: str = ""):
        for key in mapping:
            if key not in allowed:
                self.add(
                    row,
                    f"{prefix}{key}",
                    f"unknown field: remove it or fix its spelling (allowed: {', '.join(allowed)})",
                )
