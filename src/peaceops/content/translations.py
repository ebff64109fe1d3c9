"""Translations as data: data/i18n/<language>/<table>.csv beside the English tables, same ids.

A translated table holds, per English row, its id, the translated learner-facing fields
(`FIELDS`) and `source_sha`, a short hash of those English fields when the row was
translated. `check_translations` reports every problem at once, as ContentIssue lines naming
the file, the id and what to do:
- missing: an English id with no translated row;
- stale: the English fields changed since the translation (`source_sha` no longer matches);
- unknown: a translated row whose id is not in the English table;
- term: where the English text uses a term of `terms.csv`, the translation must use one of
  its official forms (case- and accent-insensitive).
After re-translating a row, `stamp(table, [ids])` (or `peaceops translations stamp`, see
data/README.md) records the English row's current hash. `translated_rows` overlays a
checked translation on the English table for the layers above (widgets, book, certificates).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .csv_tables import Rows, _read_csv, read_table
from .errors import ContentError, ContentIssue
from .schema import TABLES

#: The learner-facing fields each table translates (the key column is copied as it is).
FIELDS: dict[str, tuple[str, ...]] = {
    "glossary": ("expansion", "definition"),
    "roles": ("name", "abbreviation"),
    "principles": ("name", "definition"),
    "responsibilities": ("statement", "rationale"),
    "lessons": ("title",),
    "considerations": ("consideration",),
    "leadership_characteristics": ("characteristic", "description"),
    "political_process": ("activity",),
    "polarities": ("challenge", "explanation"),
}
#: Extra translated columns that have no English counterpart (not hashed, not checked).
EXTRA: dict[str, tuple[str, ...]] = {"glossary": ("acronym",)}
LANGUAGES: tuple[str, ...] = ("fr",)
TERMS_FILE = "terms.csv"
SHA = "source_sha"
_KEYS = {table.name: table.key for table in TABLES}
STAMP_HINT = ("re-translate the row, then record its English source with "
              "`peaceops translations stamp {table} {id}` (see data/README.md, data/i18n/)")


def i18n_dir(directory: Path, language: str) -> Path:
    """Where a language's translations of the content folder `directory` live."""
    return Path(directory) / "i18n" / language


def source_sha(row: dict[str, str], table: str) -> str:
    """The short hash of an English row's translated fields (whitespace-normalised)."""
    values = [" ".join(row.get(field, "").split()) for field in FIELDS[table]]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:10]


# --- terms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One entry of terms.csv: its English forms and the official forms of the language."""

    id: str
    en: tuple[str, ...]
    translated: tuple[str, ...]
    source: str
    note: str = ""


def _fold(text: str) -> str:
    """Accents removed, apostrophes and punctuation as spaces, whitespace collapsed (case
    kept: callers fold it where matching ignores case)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w/]+", " ", text)
    return " ".join(text.split())


def _is_acronym(form: str) -> bool:
    """An abbreviation (no space, two capitals or more: SRSG, HoM, RC/HC) is matched with
    its case, so that "SEA" is not the word "sea"."""
    return " " not in form.strip() and sum(c.isupper() for c in form) >= 2


@functools.cache
def _pattern(form: str) -> re.Pattern[str]:
    """A form found at word starts; each word of a phrase may take a plural or feminine
    ending (impartialités, opérations, États Membres), an acronym may not."""
    folded = _fold(form)
    if _is_acronym(form):
        return re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")
    ending = r"(?:e?s|x|e)?"
    words = f"{ending} ".join(re.escape(word) for word in folded.lower().split())
    return re.compile(rf"(?<!\w){words}{ending}(?!\w)")


def _search(form: str, text: str) -> re.Match[str] | None:
    folded = _fold(text)
    return _pattern(form).search(folded if _is_acronym(form) else folded.lower())


def read_terms(directory: Path, language: str, issues: list[ContentIssue]) -> list[Term]:
    """The term list of a language, validated (every problem appended to `issues`)."""
    path = i18n_dir(directory, language) / TERMS_FILE
    where = f"data/i18n/{language}/{TERMS_FILE}"
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found; restore it from git"))
        return []
    try:
        rows = _read_csv(path)
    except (csv.Error, ValueError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid CSV ({exc}); check quoting"))
        return []
    required = ("id", "en", language, "source")  # the language's forms: its own column
    missing = [c for c in required if c not in rows.columns]
    if missing:
        issues.append(ContentIssue(where, "line 1", missing[0],
                                   f"missing column(s) {missing} in the header"))
        return []
    terms, seen = [], set()
    for n, row in enumerate(rows, start=2):
        line = f"line {n} (id '{row['id']}')"
        for field in required:
            if not row[field]:
                issues.append(ContentIssue(where, line, field, "empty; every term needs it"))
        if row["id"] in seen:
            issues.append(ContentIssue(where, line, "id", "duplicate id; make ids unique"))
        seen.add(row["id"])
        forms = [tuple(f.strip() for f in row[c].split("|") if f.strip())
                 for c in ("en", language)]
        if all(forms) and row["id"]:
            terms.append(Term(row["id"], forms[0], forms[1], row["source"],
                              row.get("note", "")))
    return terms


def terms_in(text: str, terms: Sequence[Term]) -> list[Term]:
    """The terms whose English forms occur in `text`, longest form first: a longer match
    hides the shorter ones inside it (Deputy SRSG is not also an SRSG)."""
    folded = _fold(text)
    texts = {True: folded, False: folded.lower()}
    found: list[Term] = []
    forms = sorted(((form, term) for term in terms for form in term.en),
                   key=lambda pair: -len(pair[0]))
    for form, term in forms:
        acronym = _is_acronym(form)
        match = _pattern(form).search(texts[acronym])
        if not match:
            continue
        if term not in found:
            found.append(term)
        for key in texts:  # mask the span (folding keeps lengths, so both texts align)
            texts[key] = texts[key][: match.start()] + " " * (match.end() - match.start()) \
                + texts[key][match.end():]
    return found


def missing_terms(english: str, translation: str, terms: Sequence[Term]) -> list[Term]:
    """The terms the English text uses whose official forms the translation lacks."""
    return [term for term in terms_in(english, terms)
            if not any(_search(form, translation) for form in term.translated)]


# --- translated tables --------------------------------------------------------------------


def _english(directory: Path, table: str) -> Rows:
    issues: list[ContentIssue] = []
    spec = next(t for t in TABLES if t.name == table)
    rows = read_table(directory, spec, issues)
    if issues:
        raise ContentError(issues)
    return rows


def check_table(directory: Path | str, table: str, language: str = "fr",
                terms: Sequence[Term] | None = None,
                english: Rows | None = None) -> list[ContentIssue]:
    """Every problem of one translated table (missing, stale, unknown, term, format);
    `terms` and the `english` table when the caller has read them already."""
    directory = Path(directory)
    where = f"data/i18n/{language}/{table}.csv"
    issues: list[ContentIssue] = []
    if terms is None:
        terms = read_terms(directory, language, issues)
    key, fields = _KEYS[table], FIELDS[table]
    english = {row[key]: row for row in (english if english is not None
                                         else _english(directory, table))}
    path = i18n_dir(directory, language) / f"{table}.csv"
    if not path.is_file():
        return issues + [ContentIssue(where, "", "", f"file not found; translate "
                                      f"data/{table}.csv into it (columns {key}, "
                                      f"{', '.join(fields)}, {SHA})")]
    try:
        rows = _read_csv(path)
    except (csv.Error, ValueError, UnicodeDecodeError) as exc:
        return issues + [ContentIssue(where, "", "", f"not valid CSV ({exc}); check quoting")]
    needed = (key, *fields, SHA)
    if absent := [c for c in needed if c not in rows.columns]:
        return issues + [ContentIssue(where, "line 1", absent[0],
                                      f"missing column(s) {absent} in the header")]
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        ident = row[key]
        line = f"line {n} ({key} '{ident}')"
        hint = STAMP_HINT.format(table=table, id=ident)
        if ident in seen:
            issues.append(ContentIssue(where, line, key, "duplicate id; keep one row per id"))
            continue
        seen.add(ident)
        source = english.get(ident)
        if source is None:
            issues.append(ContentIssue(where, line, key,
                                       f"unknown {key} '{ident}': data/{table}.csv has no such "
                                       "row; delete the row or correct its id"))
            continue
        for field in fields:
            if not row[field]:
                issues.append(ContentIssue(where, line, field,
                                           f"empty; translate it, then {hint}"))
        if row[SHA] != source_sha(source, table):
            issues.append(ContentIssue(
                where, line, SHA, f"stale: the English row of data/{table}.csv changed since "
                f"this translation (or it was never stamped); {hint}"))
            continue
        for field in fields:
            for term in missing_terms(source[field], row[field], terms):
                issues.append(ContentIssue(
                    where, line, field,
                    f"term '{term.id}': the English uses '{' / '.join(term.en)}', the "
                    f"translation must use '{' / '.join(term.translated)}' "
                    f"(data/i18n/{language}/{TERMS_FILE})"))
    for ident in english:
        if ident not in seen:
            issues.append(ContentIssue(
                where, f"{key} '{ident}'", "",
                f"missing: data/{table}.csv has this row and the translation has none; "
                f"translate it, add the row, then "
                f"`peaceops translations stamp {table} {ident}`"))
    return issues


def check_translations(directory: Path | str | None = None, language: str = "fr",
                       tables: Iterable[str] | None = None) -> list[ContentIssue]:
    """Every problem of a language's translations (default: every table of `FIELDS`)."""
    directory = _directory(directory)
    issues: list[ContentIssue] = []
    terms = read_terms(directory, language, issues)
    for table in tables or FIELDS:
        issues.extend(check_table(directory, table, language, terms))
    return issues


def translated_rows(table: str, language: str = "fr", directory: Path | str | None = None,
                    english: Rows | None = None, terms: Sequence[Term] | None = None) -> Rows:
    """The English table with the language's translated fields in place (English itself for
    `language="en"`); ContentError, naming file and id, if the translation is not clean.
    `english` and `terms`: the English table and the term list, when already read."""
    directory = _directory(directory)
    english = english if english is not None else _english(directory, table)
    if language == "en":
        return english
    if issues := check_table(directory, table, language, terms, english):
        raise ContentError(issues)
    key = _KEYS[table]
    french = {row[key]: row for row in _read_csv(i18n_dir(directory, language) / f"{table}.csv")}
    columns = list(english.columns) + [c for c in EXTRA.get(table, ()) if c not in english]
    merged = []
    for row in english:
        overlay = french[row[key]]
        merged.append({**row, **{c: overlay.get(c, "") for c in FIELDS[table]},
                       **{c: overlay.get(c, "") for c in EXTRA.get(table, ())}})
    return Rows(columns, merged)


def translated_tables(directory: Path | str, language: str,
                      english: Mapping[str, Rows] | None = None) -> dict[str, Rows]:
    """Every table that data/i18n/<language>/ translates, overlaid (`translated_rows`);
    `english`: the English tables the loader has read (each file is read once), and the
    term list is read once for all of them."""
    folder = i18n_dir(Path(directory), language)
    issues: list[ContentIssue] = []
    terms = read_terms(Path(directory), language, issues)
    if issues:
        raise ContentError(issues)
    english = english or {}
    return {table: translated_rows(table, language, directory, english.get(table), terms)
            for table in FIELDS if (folder / f"{table}.csv").is_file()}


def load_terms(language: str = "fr", directory: Path | str | None = None) -> list[Term]:
    """The language's term list; ContentError if it is malformed."""
    issues: list[ContentIssue] = []
    terms = read_terms(_directory(directory), language, issues)
    if issues:
        raise ContentError(issues)
    return terms


def stamp(table: str, ids: Iterable[str] | None = None, language: str = "fr",
          directory: Path | str | None = None) -> list[str]:
    """Record the English rows' current hash in `source_sha` of the translated rows `ids`
    (default: all): run it after re-translating them. Returns the ids whose hash changed;
    KeyError for an id that is in neither file."""
    directory = _directory(directory)
    key = _KEYS[table]
    english = {row[key]: row for row in _english(directory, table)}
    path = i18n_dir(directory, language) / f"{table}.csv"
    rows = _read_csv(path)
    wanted = set(ids) if ids is not None else None
    known = set(english) & set(rows[key])
    if wanted is not None and (unknown := wanted - known):
        raise KeyError(f"data/i18n/{language}/{table}.csv: no row with {key} "
                       f"{', '.join(sorted(unknown))} in both files")
    columns = list(rows.columns) if SHA in rows.columns else [*rows.columns, SHA]
    changed, out = [], []
    for row in rows:
        row = dict(row)
        if row[key] in english and (wanted is None or row[key] in wanted):
            new = source_sha(english[row[key]], table)
            if row.get(SHA) != new:
                changed.append(row[key])
            row[SHA] = new
        out.append(row)
    write_rows(path, columns, out)
    return changed


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write a translated table as the repository keeps it (UTF-8, minimal quoting, \\n)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _directory(directory: Path | str | None) -> Path:
    from .data_folder import data_dir

    return Path(directory) if directory is not None else data_dir()


__all__ = ["FIELDS", "LANGUAGES", "Term", "check_table", "check_translations", "load_terms",
           "missing_terms", "source_sha", "stamp", "terms_in", "translated_rows", "translated_tables"]
