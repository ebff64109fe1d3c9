"""Issue certificates: for each learner who passes, a signed JSON credential and a PDF,
recorded once in the ledger certificates/issued.csv (a re-run issues nothing twice)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..content import Certification, CourseDir, PassRule
from ..content.language import DEFAULT, LANGUAGES
from ..credentials import dataintegrity, jws, openbadges, statuslist
from ..credentials.certificate_ledger import (
    CERTIFICATES_DIR,
    LEDGER,
    LEDGER_COLUMNS,
    badge_index_of,
    read_ledger,
    status_indices,
)
from ..credentials.credential import TRAINING_NOTE, is_training, verification_code
from ..credentials.errors import CertifyError, VerifyError
from ..credentials.issuer import Issuer
from ..credentials.keys import PUBLIC_DIR, key_id
from ..credentials.publish import issuer_of, publish
from ..credentials.signed import open_signed, parse
from ..credentials.strictjson import loads
from ..results import Results
from .award import new_credential, open_badge_credential
from .languages import Languages, read_roster
from .rule import Decision, evaluate


@dataclass(frozen=True)
class Issued:
    student: str
    name: str
    certificate_id: str
    code: str
    credential: Path
    pdf: Path
    recovered: bool = False  # written by an interrupted run, recorded now
    language: str = "en"  # the certificate's: the learner's


@dataclass
class CertifySummary:
    """What a run did: issued, already certified, not passing (with reasons), problems."""

    rule: PassRule
    issued: list[Issued] = field(default_factory=list)
    already: list[dict[str, str]] = field(default_factory=list)  # their ledger rows
    not_passing: list[Decision] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (student, what to do)
    published_key: Path | None = None  # the public key, when this run published it
    #: (learner, assignment) of scores still waiting for manual grading in formgrader (an
    #: exam among them holds its learner's certificate back; see rule._review)
    waiting: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def issue_certificates(
    results: Results,
    certification: Certification,
    key: Ed25519PrivateKey,
    out_dir: Path | str,
    rule_version: str | None = None,
    public_dir: Path | str = PUBLIC_DIR,
    now: datetime | None = None,
    jobs: int | None = None,
    languages: Languages | None = None,
) -> CertifySummary:
    """Issue a certificate to every learner who passes `rule_version` (default: current) and
    has none under it yet, in the learner's language (`languages`; default: English). One
    learner's problem is reported and never stops the rest.

    Credentials are signed here, in order; the PDFs are drawn in `jobs` worker processes
    (default: one per CPU), and each certificate is written and recorded here, in order."""
    rule = certification.rule(rule_version)
    languages = languages or Languages()
    out_dir = Path(out_dir)
    report = CertifySummary(rule)
    subs = results.submissions
    pending = subs[subs.needs_manual_grade.astype(bool)]
    report.waiting = sorted(set(zip(pending.student, pending.assignment, strict=True)))
    public_path = Path(public_dir) / f"{key_id(key.public_key())}.pem"
    existed = public_path.exists()
    # so that what we sign can be verified: the key, declared the issuer's
    issuer = issuer_of(public_dir, key, certification.issuer)
    report.published_key = None if existed else public_path
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        ledger = read_ledger(out_dir)
        done = {(r["student"], r["rule_version"]): r for r in ledger}
        taken: set[int] | None = None  # status list indices, read from the .jwt files to sign
        decisions = evaluate(results, rule)
        named = _named(results)
        new = []
        for decision in decisions:
            if (decision.student, rule.version) in done:
                report.already.append(done[(decision.student, rule.version)])
            elif not decision.passed:
                report.not_passing.append(decision)
            elif decision.student not in named:
                report.problems.append((decision.student, _NO_NAME.format(decision.student)))
            else:
                if taken is None:
                    taken = set(status_indices(out_dir, ledger).values())
                try:
                    new.append(_sign(decision, certification, key, out_dir, rule, now, issuer,
                                     taken, languages.of(decision.student)))
                except CertifyError as error:
                    report.problems.append((decision.student, str(error)))
        if new:  # only now the PDF toolchain (fpdf2, fonts, QR codes) is imported
            from .pdf_jobs import pdfs

            for job, pdf in pdfs(new, (d.name for d in decisions if d.passed), jobs):
                try:
                    report.issued.append(_record(job, pdf, out_dir, rule))
                except CertifyError as error:
                    report.problems.append((job.decision.student, str(error)))
        publish(public_dir, key, certification.issuer)  # lists signed again, verifier page
    return report


_NO_NAME = (
    "passes, but the gradebook has no name for them and a certificate needs one: "
    "nbgrader db student add {0} --first-name=... --last-name=..., then run certify "
    "again"
)


@dataclass
class _Job:
    """A passing learner's signed credential and badge, waiting for its PDF."""

    decision: Decision
    credential: dict[str, Any]
    badge: str
    code: str
    stem: Path
    recovered: bool
    secured: dict[str, Any]  # the badge's credential with its Data Integrity proof
    verifier: str | None = None  # the address of the issuer's verifier page, if known
    language: str = "en"  # the certificate's (the learner's)
    emblem: str = ""  # the title the badge is drawn from (the course's English title)


def _sign(
    decision: Decision,
    certification: Certification,
    key: Ed25519PrivateKey,
    out_dir: Path,
    rule: PassRule,
    now: datetime | None,
    issuer: Issuer,
    taken: set[int],
    language: str = "en",
) -> _Job:
    """The learner's credential (recovered, if an interrupted run wrote it) and Open Badges
    credential in `language` (a recovered credential keeps its own), with a status list
    index of its own (added to `taken`). Writes nothing."""
    _check_name(decision)
    stem = out_dir / rule.version / _safe(decision.student)
    json_path, jwt_path = stem.with_suffix(".json"), stem.with_suffix(".jwt")
    recovered = json_path.exists()
    if recovered:
        credential = _recover(json_path, decision, key, rule)
        title = credential["payload"]["course_title"]
        language = next((lang for lang in LANGUAGES if certification.title_translations.get(
            lang, certification.course_title) == title), language)
    else:
        credential = new_credential(decision, certification, key, now, language)
    if jwt_path.exists():
        badge = jwt_path.read_text("ascii").strip()
    else:
        index = statuslist.new_index(taken)
        vc = open_badge_credential(credential["payload"], certification, issuer, index,
                                   language)
        badge = openbadges.sign(vc, key)
    taken.add(badge_index_of(badge))
    secured_path = stem.with_suffix(SECURED)
    if secured_path.exists():
        secured = loads(secured_path.read_bytes(), str(secured_path))
    else:
        secured = dataintegrity.add_proof(_unsecured(badge), key)
    return _Job(decision, credential, badge, verification_code(credential), stem, recovered,
                secured, issuer.verifier_address(), language, certification.course_title)


#: The suffix of the Open Badges credential with its embedded Data Integrity proof.
SECURED = ".jsonld"


def _unsecured(token: str) -> dict[str, Any]:
    """The credential of a VC-JWT, without the JWT's registered claims."""
    _, payload, _, _ = jws.decode(token)
    return {k: v for k, v in loads(payload).items() if k not in openbadges.CLAIMS}


#: The longest learner name a certificate carries: it must fit the PDF's line and its QR code.
MAX_NAME = 200


def _check_name(decision: Decision) -> None:
    """CertifyError (for this learner only) when the name cannot go on a certificate."""
    if len(decision.name) > MAX_NAME:
        raise CertifyError(
            f"the name in the gradebook has {len(decision.name)} characters, more than a "
            f"certificate holds ({MAX_NAME}): correct it (nbgrader db student add "
            f"{decision.student} --first-name=... --last-name=...), then run certify again"
        )


def _record(job: _Job, pdf: bytes | CertifyError | None, out_dir: Path, rule: PassRule
            ) -> Issued:
    """Write the job's credential, badge and PDF (each whole, never over a file), then its
    ledger line: what an interrupted run leaves is recovered by the next."""
    if isinstance(pdf, CertifyError):
        raise pdf
    json_path, pdf_path = job.stem.with_suffix(".json"), job.stem.with_suffix(".pdf")
    jwt_path = job.stem.with_suffix(".jwt")
    credential, decision, code = job.credential, job.decision, job.code
    if not job.recovered:
        _write_new(
            json_path, (json.dumps(credential, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        )
    if not jwt_path.exists():
        _write_new(jwt_path, (job.badge + "\n").encode("ascii"))
    if not job.stem.with_suffix(SECURED).exists():
        _write_new(job.stem.with_suffix(SECURED), (json.dumps(
            job.secured, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    if pdf is not None:
        _write_new(pdf_path, pdf)
    p = credential["payload"]
    _append_ledger(
        out_dir,
        {
            "certificate_id": p["certificate_id"],
            "student": decision.student,
            "name": p["learner_name"],
            "rule_version": rule.version,
            "attempt": decision.attempt,
            "score": p["score"],
            "max_score": p["max_score"],
            "issued_at": p["issued_at"],
            "key_id": p["key_id"],
            "verification_code": code,
            "credential": json_path.relative_to(out_dir).as_posix(),
            "pdf": pdf_path.relative_to(out_dir).as_posix(),
        },
    )
    return Issued(
        decision.student,
        p["learner_name"],
        p["certificate_id"],
        code,
        json_path,
        pdf_path,
        job.recovered,
        job.language,
    )


def _recover(
    path: Path, decision: Decision, key: Ed25519PrivateKey, rule: PassRule
) -> dict[str, Any]:
    """The credential an interrupted run wrote but did not record, if it is this learner's."""
    try:
        credential = parse(path.read_bytes())
        payload = open_signed(credential, {key_id(key.public_key()): key.public_key()})
    except (OSError, VerifyError) as error:
        raise CertifyError(
            f"{path} exists but is not a credential this key signed ({error}): "
            "move it away, then run certify again"
        ) from error
    if payload.get("learner_id") != decision.student or payload.get("rule_version") != rule.version:
        raise CertifyError(
            f"{path} is another learner's or rule's credential: move it away, "
            "then run certify again"
        )
    return credential


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, whole or not at all."""
    if path.exists():
        raise CertifyError(f"{path} exists already and is never overwritten: move it away")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _append_ledger(out_dir: Path, row: dict[str, Any]) -> None:
    path = out_dir / LEDGER
    new = not path.exists() or path.stat().st_size == 0
    torn = not new and not _ends_with_newline(path)
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, LEDGER_COLUMNS)
        if new:
            writer.writeheader()
        elif torn:  # an interrupted run's partial line stays apart (and is skipped on read)
            f.write("\r\n")
        writer.writerow(row)
        f.flush()
        os.fsync(f.fileno())


def _ends_with_newline(path: Path) -> bool:
    """Whether the file's last byte is a newline (read alone: the ledger grows with the cohort)."""
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One certify run at a time per certificates folder."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with (out_dir / ".issued.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise CertifyError(
                f"another certify run is writing to {out_dir}: wait for it to finish"
            ) from error
        yield


def _named(results: Results) -> set[str]:
    """The learners the gradebook has a first or last name for (a certificate needs one)."""
    return {
        str(row.student)
        for row in results.students.itertuples()
        if any(isinstance(v, str) and v.strip() for v in (row.first_name, row.last_name))
    }


def _safe(student: str) -> str:
    """A file name for the learner that no other learner's id can have, on any file system:
    the id itself when it is lower-case letters, digits, `_` and `-`; otherwise the id
    cleaned, `~` (which no id kept as it is contains) and a hash of the id. (So `josé` never
    meets a learner named `jos_-d994e1d0`, nor `Amina` `amina` on a file system that ignores
    case, nor `john.doe` `john.smith` once a suffix replaces what follows the dot.)"""
    if re.fullmatch(r"[a-z0-9_-]{1,100}", student):
        return student
    digest = hashlib.sha256(student.encode("utf-8")).hexdigest()[:16]
    return f"{re.sub(r'[^a-z0-9_-]', '_', student.lower())[:60]}~{digest}"


def _course_languages(course_dir: CourseDir, language: str) -> Languages:
    """The course roster's languages (`CourseDir.roster`), `language` for the rest."""
    from ..content.roster import RosterError

    try:
        return Languages(language, course_dir.roster())
    except RosterError as error:
        raise CertifyError(str(error)) from error


def certify(
    course_dir: CourseDir,
    key_path: Path | str | None = None,
    out_dir: Path | str | None = None,
    rule_version: str | None = None,
    config: Path | str | None = None,
    now: datetime | None = None,
    jobs: int | None = None,
    training: bool = False,
    roster: Path | str | None = None,
    language: str | None = None,
) -> CertifySummary:
    """Issue certificates for a course directory's graded results: into
    `<course>/certificates` by default, publishing the public key to `<course>/public-keys`;
    the PDFs are drawn in `jobs` processes (default: one per CPU). An exam graded from the
    public reference bank is refused unless `training` (its certificates say so). Each
    certificate is in its learner's language: the `language` column of the `roster` CSV
    (default: the course's roster, `CourseDir.roster_file`, when there is one),
    else `language` (default: English)."""
    from ..content import load_certification
    from ..credentials.keys import load_private_key
    from ..results import load_results

    certification = replace(load_certification(config, course=course_dir.content()),
                            exam_bank=course_dir.exam_bank())
    certification.rule(rule_version)  # an unknown version fails before anything is read
    language = (language or DEFAULT).strip().lower()
    languages = read_roster(roster, language) if roster else _course_languages(course_dir,
                                                                                  language)
    key = load_private_key(key_path)
    if is_training(certification.exam_bank) and not training:
        raise CertifyError(
            "the exam was graded from the public reference bank, whose answer keys anyone can "
            "read: its certificates would certify nothing. Grade and certify with the "
            "certifying body's private bank (--bank FILE --answer-keys FILE), or pass --training to "
            f"issue training certificates, each marked '{TRAINING_NOTE}'"
        )
    results = load_results(course_dir, items=False)  # the pass rule reads no per-item result
    return issue_certificates(
        results,
        certification,
        key,
        Path(out_dir) if out_dir else course_dir.root / CERTIFICATES_DIR,
        rule_version,
        course_dir.root / PUBLIC_DIR,
        now,
        jobs,
        languages,
    )
