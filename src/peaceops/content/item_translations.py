"""Translations of the ITEMS: data/i18n/<language>/<file>.yaml beside the English YAML files.

The English items (practice checks, practice scenarios, the lesson bank, the exam pool) and
the learner-facing feedback of the hidden lesson-bank keys are translated into one YAML
mapping per English file, id -> the item's translated learner-facing fields (`TEXT_FIELDS`
the English item has) and `source_sha`, a short hash of those English fields when the item
was translated:

    data/i18n/fr/checks.yaml      <- data/checks.yaml
    data/i18n/fr/scenarios.yaml   <- data/scenarios.yaml
    data/i18n/fr/bank.yaml        <- data/bank.yaml
    data/i18n/fr/exam-bank.yaml   <- data/exam-bank.yaml
    data/i18n/fr/assignments.yaml <- data/assignments.yaml (titles, reflection prompts)
    data/i18n/fr/exam-blueprint.yaml <- data/exam-blueprint.yaml (feedback groups' titles)
    solutions/keys/i18n/fr/bank-keys.yaml <- solutions/keys/bank-keys.yaml (HIDDEN, never released)

`check_items` reports every problem at once, as ContentIssue lines naming the file and the
id: missing, stale (`source_sha`), unknown id, a list (options) of another length, a
mapping (rationale) with other keys, a field the English item lacks, an empty or ill-typed
field, an official term (terms.csv) not used, a field left in English. `stamp_items` records
the current hashes after re-translating. `overlay_course` and `overlay_keys` put the clean
translations over a loaded English course and its keys (ids, keys, option order unchanged).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import ContentIssue, Say
from .yamlfile import SafeLoader

if TYPE_CHECKING:
    from .course import Course, Keys
    from .translations import Term

#: The learner-facing fields of an item that a translation gives (the others: ids, kinds,
#: keys, sources, weights, are not translated). `options` is a list (same length and order
#: as the English: keys are positions); `rationale` is a text or a mapping principle -> text.
TEXT_FIELDS: tuple[str, ...] = ("title", "prompt", "options", "statement", "challenge",
                                "situation", "hint", "explanation", "rationale", "feedback",
                                "reflection")
SHA = "source_sha"
#: The translated item files: name -> the English file, in the content folder ("data") or in
#: the hidden keys folder of the course's source folder ("keys").
ITEM_FILES: dict[str, tuple[str, str]] = {
    "checks": ("data", "checks.yaml"),
    "scenarios": ("data", "scenarios.yaml"),
    "bank": ("data", "bank.yaml"),
    "exam-bank": ("data", "exam-bank.yaml"),
    "bank-keys": ("keys", "bank-keys.yaml"),
    # not items, but learner-facing texts by id all the same: each assignment's title and
    # reflection prompt, and the exam feedback groups' titles
    "assignments": ("data", "assignments.yaml"),
    "exam-blueprint": ("data", "exam-blueprint.yaml"),
}
#: English words that a French sentence does not use: a field that holds several of them
#: was left (or half left) in English.
ENGLISH_WORDS = frozenset(
    "the and of is are was were with this that these those which what who whose should would "
    "their its from by has have been not or into when where".split())
LEFT_IN_ENGLISH = 3  # English words in a field from which it counts as English
_WORD = re.compile(r"[^\W\d_]+")
STAMP_HINT = ("re-translate it, then record its English source with "
              "`peaceops translations stamp {name} {id}` (see data/README.md, data/i18n/)")


# --- where the files are -----------------------------------------------------------------


def keys_dir(directory: Path) -> Path:
    """The hidden keys folder of the course whose content folder is `directory`
    (<source>/keys, solutions/keys/ here), as `load_keys` finds it."""
    from .course_config import course_config, folder_name

    root = Path(directory).parent
    return root / folder_name(course_config(root), "source") / "keys"


def english_path(directory: Path, name: str) -> Path:
    place, file = ITEM_FILES[name]
    return (Path(directory) if place == "data" else keys_dir(directory)) / file


def translation_path(directory: Path, name: str, language: str) -> Path:
    place, file = ITEM_FILES[name]
    base = Path(directory) if place == "data" else keys_dir(directory)
    return base / "i18n" / language / file


def shown(directory: Path, path: Path) -> str:
    """How a file is named in messages: from the course folder (data/..., solutions/...)."""
    try:
        return path.resolve().relative_to(Path(directory).resolve().parent).as_posix()
    except ValueError:
        return str(path)


# --- the English items -------------------------------------------------------------------


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)


def learner_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """The learner-facing fields of one English item (or key), as written."""
    return {f: item[f] for f in TEXT_FIELDS if f in item and item[f] not in (None, "")}


def english_items(data: Any) -> dict[str, dict[str, Any]]:
    """{id: learner-facing fields} of an English file: a list of items (checks, scenarios),
    a mapping pool -> list of items (a bank) or pool -> {id: key} (a keys file)."""
    found: dict[str, dict[str, Any]] = {}

    def add(items: Any) -> None:
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and item.get("id"):
                    found.setdefault(str(item["id"]), learner_fields(item))
        elif isinstance(items, dict):
            for ident, key in items.items():
                if isinstance(key, dict):
                    found.setdefault(str(ident), learner_fields(key))

    if isinstance(data, list):
        add(data)
    elif isinstance(data, dict):
        for items in data.values():
            add(items)
    return found


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    return " ".join(str(value).split())


def source_sha(fields: Mapping[str, Any]) -> str:
    """The short hash of an English item's learner-facing fields (whitespace-normalised)."""
    text = json.dumps(_normal(dict(fields)), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


# --- the check ---------------------------------------------------------------------------


def english_words(text: str) -> list[str]:
    """The words of `text` that only English uses (`ENGLISH_WORDS`)."""
    return [w for w in _WORD.findall(text.lower()) if w in ENGLISH_WORDS]


def _shape(field: str, english: Any, value: Any, say) -> bool:
    """The translated field has the English field's shape (text, list of the same length,
    mapping with the same keys); reports and returns False if not."""
    if isinstance(english, list):
        if not isinstance(value, list) or not all(isinstance(v, str | int | float)
                                                  and str(v).strip() for v in value):
            say(field, "must be a list of texts, like the English")
            return False
        if len(value) != len(english):
            say(field, f"has {len(value)} entries, the English {len(english)}: give the same "
                       "number, in the same order (the key is the position)")
            return False
        if len({str(v).strip() for v in value}) != len(value):
            say(field, "two entries are the same; each must be distinct, as in the English")
            return False
        return True
    if isinstance(english, dict):
        if not isinstance(value, dict):
            say(field, f"must be a mapping of {', '.join(map(str, english))} to texts")
            return False
        if set(map(str, value)) != set(map(str, english)):
            absent = sorted(set(map(str, english)) - set(map(str, value)))
            extra = sorted(set(map(str, value)) - set(map(str, english)))
            say(field, "must have the English keys" + (f"; missing {absent}" if absent else "")
                + (f"; not in the English {extra}" if extra else ""))
            return False
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            say(field, "every entry must be a non-empty text")
            return False
        return True
    if not isinstance(value, str | int | float) or isinstance(value, bool) or \
            not str(value).strip():
        say(field, "empty or not a text; translate it")
        return False
    return True


def _read_translation(path: Path, where: str, issues: list[ContentIssue],
                      source: str) -> dict[str, Any] | None:
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", f"file not found; translate {source} into "
                                   "it (a mapping id -> translated fields, see data/README.md)"))
        return None
    try:
        data = _load(path)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid YAML: {exc}"))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        issues.append(ContentIssue(where, "", "", "must be a mapping of item ids to their "
                                   "translated fields"))
        return None
    return data


def check_file(directory: Path | str, name: str, language: str = "fr",
               terms: Sequence[Term] | None = None,
               clean: dict[str, dict[str, Any]] | None = None) -> list[ContentIssue]:
    """Every problem of one translated item file; `clean` (if given) receives the
    translated fields of each item fit to show (present, fresh, well-formed: terms and
    English words are reported, they do not hold an item back)."""
    from .translations import TERMS_FILE, missing_terms, read_terms

    directory = Path(directory)
    issues: list[ContentIssue] = []
    if terms is None:
        terms = read_terms(directory, language, issues)
    source_path = english_path(directory, name)
    source = shown(directory, source_path)
    path = translation_path(directory, name, language)
    where = shown(directory, path)
    if not source_path.is_file():  # e.g. a course without an exam pool: nothing to translate
        return issues
    every = english_items(_load(source_path))
    english = {i: f for i, f in every.items() if f}  # items with text to translate
    data = _read_translation(path, where, issues, source)
    if data is None:
        return issues
    for ident, fields in data.items():
        ident = str(ident)
        say = Say(issues, where, f"id '{ident}'")
        hint = STAMP_HINT.format(name=name, id=ident)
        if ident not in every:
            say("", f"unknown id: {source} has no item '{ident}'; delete it or correct the id")
            continue
        if fields is None:
            fields = {}
        if not isinstance(fields, dict):
            say("", "must be a mapping of the translated fields")
            continue
        if ident not in english:  # no learner-facing text (a role key): nothing, or {}
            if set(fields) - {SHA}:
                say("", f"{source} has no learner-facing text for this item; leave it empty "
                        "({}) or delete it")
            continue
        source_fields = english[ident]
        for field in fields:
            if field != SHA and field not in source_fields:
                say(field, f"not a learner-facing field of the English item (it has "
                           f"{', '.join(source_fields) or 'none'}); delete it")
        for field, value in source_fields.items():
            if field not in fields:
                say(field, f"missing: the English item has it; translate it, then {hint}")
            else:
                _shape(field, value, fields[field], say)
        if not say.ok:
            continue
        if str(fields.get(SHA, "")) != source_sha(source_fields):
            say(SHA, f"stale: the English item of {source} changed since this translation "
                     f"(or it was never stamped); {hint}")
            continue
        if clean is not None:
            clean[ident] = {f: v for f, v in fields.items() if f != SHA}
        for field, value in source_fields.items():
            pairs = (list(zip(value, fields[field], strict=True)) if isinstance(value, list)
                     else [(value[k], fields[field][k]) for k in value]
                     if isinstance(value, dict) else [(value, fields[field])])
            lacking: list[Term] = []
            left = False
            # a question's stem and options are one text for its terms: "What is a TCC?"
            # names the term's official form in an option, not in the stem
            stem = " ".join(map(str, fields["options"])) \
                if field == "prompt" and "options" in source_fields else ""
            for en, fr in pairs:
                en, fr = str(en), str(fr)
                lacking += [t for t in missing_terms(en, f"{fr} {stem}", terms)
                            if t not in lacking]
                words = english_words(fr)
                same = " ".join(en.split()) == " ".join(fr.split())
                if len(words) >= LEFT_IN_ENGLISH or (same and (
                        english_words(en) or len(_WORD.findall(en)) >= LEFT_IN_ENGLISH)):
                    left = True
            for term in lacking:
                say(field, f"term '{term.id}': the English uses '{' / '.join(term.en)}', the "
                           f"translation must use '{' / '.join(term.translated)}' "
                           f"(data/i18n/{language}/{TERMS_FILE})")
            if left:
                say(field, "left in English (English words in it); translate it")
    for ident in english:
        if ident not in {str(k) for k in data}:
            issues.append(ContentIssue(where, f"id '{ident}'", "", f"missing: {source} has this "
                                       f"item and the translation has none; translate it, then "
                                       f"`peaceops translations stamp {name} {ident}`"))
    return issues


def check_items(directory: Path | str, language: str = "fr",
                names: Iterable[str] | None = None,
                terms: Sequence[Term] | None = None) -> list[ContentIssue]:
    """Every problem of a language's item translations (default: every file of
    `ITEM_FILES`)."""
    from .translations import read_terms

    issues: list[ContentIssue] = []
    if terms is None:
        terms = read_terms(Path(directory), language, issues)
    for name in names or ITEM_FILES:
        issues.extend(check_file(directory, name, language, terms))
    return issues


# --- stamping ----------------------------------------------------------------------------

_TOP = re.compile(r"^(?P<key>[^\s#'\"-][^:]*?|\"[^\"]*\"|'[^']*'):\s*(#.*)?$")
_STAMP = re.compile(rf"^\s+{SHA}\s*:")


def stamp_items(name: str, ids: Iterable[str] | None = None, language: str = "fr",
                directory: Path | str | None = None) -> list[str]:
    """Record the English items' current hash in `source_sha` of the translated items `ids`
    (default: all), keeping the file's text as written (one `source_sha:` line first under
    each id). Returns the ids whose hash changed; KeyError for an id in neither file,
    ValueError if the file is not laid out as data/README.md shows."""
    from .translations import _directory

    directory = _directory(directory)
    english = {i: f for i, f in english_items(_load(english_path(directory, name))).items() if f}
    path = translation_path(directory, name, language)
    where = shown(directory, path)
    data = _load(path) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{where}: must be a mapping of item ids to their translated fields")
    wanted = set(ids) if ids is not None else None
    known = set(english) & {str(k) for k in data}
    if wanted is not None and (unknown := wanted - known):
        raise KeyError(f"{where}: no item {', '.join(sorted(unknown))} in both files")
    todo = {i: source_sha(english[i]) for i in known if wanted is None or i in wanted}
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    current = None
    for n, line in enumerate(lines):
        if top := _TOP.match(line):
            current = top["key"].strip("'\"")
            out.append(line)
            if current in todo:
                body = next((x for x in lines[n + 1:] if x.strip()
                             and not x.lstrip().startswith("#")), "  ")
                indent = body[: len(body) - len(body.lstrip())] or "  "
                out.append(f"{indent}{SHA}: {todo[current]}")
            continue
        if current in todo and _STAMP.match(line):
            continue  # the old stamp, replaced by the line written under the id
        out.append(line)
    text = "\n".join(out) + "\n"
    stamped = yaml.load(text, Loader=SafeLoader) or {}
    for ident, sha in todo.items():
        fields = stamped.get(ident) if isinstance(stamped, dict) else None
        if not isinstance(fields, dict) or str(fields.get(SHA)) != sha:
            raise ValueError(f"{where}: could not stamp '{ident}': write each id at the start "
                             "of a line, its fields indented under it (data/README.md)")
    path.write_text(text, encoding="utf-8")
    old = {str(k): v for k, v in data.items()}
    return [i for i in english if i in todo
            and str((old[i] if isinstance(old[i], dict) else {}).get(SHA, "")) != todo[i]]


# --- the overlay -------------------------------------------------------------------------


def clean_translations(directory: Path, name: str, language: str,
                       english_file: Path | None = None) -> dict[str, dict[str, Any]]:
    """{id: translated fields} of the items of one file whose translation is clean (present,
    fresh, well-formed); {} when the file is absent. `english_file`: the English file the
    course was loaded from, when not the default (a private exam pool)."""
    path = translation_path(directory, name, language)
    if not path.is_file():
        return {}
    source = english_file or english_path(directory, name)
    if not source.is_file():
        return {}
    if english_file is not None and english_file.resolve() != english_path(directory, name).resolve():
        return _clean_against(path, english_items(_load(english_file)))
    clean: dict[str, dict[str, Any]] = {}
    check_file(directory, name, language, terms=(), clean=clean)
    return clean


def _clean_against(path: Path, english: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The translations of `path` that are fresh against another English file (the same
    ids of a private pool with other texts are stale, so they are left out)."""
    try:
        data = _load(path) or {}
    except yaml.YAMLError:
        return {}
    result = {}
    for ident, fields in data.items() if isinstance(data, dict) else ():
        source = english.get(str(ident))
        if source and isinstance(fields, dict) and str(fields.get(SHA)) == source_sha(source):
            issues: list[ContentIssue] = []
            say = Say(issues, "", "")
            if set(fields) - {SHA} == set(source) and all(
                    _shape(f, source[f], fields[f], say) for f in source):
                result[str(ident)] = {f: v for f, v in fields.items() if f != SHA}
    return result


def overlay_course(course: Course, language: str, exam_bank: Path | None = None) -> Course:
    """The English `course` with the clean item translations of `language` in place: each
    entry's public texts and practice key texts (through its kind's `translate`), each
    practice check's title, prompt and hint. Ids, keys and option order are unchanged; an
    item without a clean translation stays in English (`check_items` reports it)."""
    from .course import EXAM_BANK, LESSON_BANK
    from .kinds import pool_owner

    directory = course.directory
    checks_fr = clean_translations(directory, "checks", language)
    files = {LESSON_BANK: clean_translations(directory, "bank", language),
             EXAM_BANK: clean_translations(directory, "exam-bank", language, exam_bank)}
    pools = {}
    for pool, entries in course.pools.items():
        cls = pool_owner(pool)
        # practice entries: from the kind's YAML file (scenarios.yaml), else defined inline
        # by a practice check (a choice question: checks.yaml)
        own = cls.practice_source.removesuffix(".yaml")
        practice = (clean_translations(directory, own, language)
                    if own in ITEM_FILES and cls.practice_source.endswith(".yaml") else checks_fr)
        translated = {}
        for ident, entry in entries.items():
            fields = files.get(entry.bank, {}).get(ident) if entry.bank else practice.get(ident)
            if fields:
                public, key = cls.translate(dict(entry.public), entry.key, fields)
                entry = replace(entry, public=public, key=key)
            translated[ident] = entry
        pools[pool] = translated
    checks = {}
    for ident, spec in course.checks.items():
        if fields := checks_fr.get(ident):
            spec = replace(spec, title=_text(fields.get("title"), spec.title),
                           hint=_text(fields.get("hint"), spec.hint),
                           prompt=_text(fields.get("prompt"), spec.prompt))
        checks[ident] = spec
    return replace(course, pools=pools, checks=checks, language=language, english=course)


def _text(value: Any, default: str) -> str:
    return " ".join(str(value).split()) if value else default


def overlay_keys(course: Course, keys: Keys, language: str) -> Keys:
    """The hidden `keys` of the English course translated for the translated `course`:
    choices mapped by position onto its options, feedback texts (explanation, rationale)
    from the hidden translation (solutions/keys/i18n/<language>/bank-keys.yaml) where it is
    clean; the keyed values are unchanged."""
    from .course import LESSON_BANK
    from .kinds import pool_owner

    english = course.english
    feedback = clean_translations(course.directory, "bank-keys", language)
    path = translation_path(course.directory, "bank-keys", language)
    stamps = {str(k): str((v or {}).get(SHA, "")) for k, v in (_load(path) or {}).items()
              if isinstance(v, dict | None)} if feedback else {}
    result: Keys = {}
    for pool, items in keys.items():
        cls = pool_owner(pool)
        result[pool] = {}
        for ident, key in items.items():
            entry, source = course.pools[pool][ident], english.pools[pool][ident]
            fields = feedback.get(ident, {}) if entry.bank == LESSON_BANK else {}
            if fields and stamps.get(ident) != source_sha(learner_fields(key)):
                fields = {}  # translated from other keys (e.g. a private copy): English
            result[pool][ident] = cls.translate_key(dict(key), dict(source.public),
                                                    dict(entry.public), fields)
    return result


__all__ = ["ITEM_FILES", "SHA", "TEXT_FIELDS", "check_file", "check_items", "english_items",
           "overlay_course", "overlay_keys", "source_sha", "stamp_items"]
