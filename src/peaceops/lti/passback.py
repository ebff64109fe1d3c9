"""Grade passback: each learner's score per assignment, and their certification result,
posted to the LMS's gradebook through LTI Assignment and Grade Services (AGS 2.0, with
pylti1p3's service client).

- **Who.** Every learner who has launched the course from the LMS at least once: the launch
  (kept by the hub as the user's auth_state) gives the LMS's user id (`sub`) and the
  address of the course's line items. A learner with results but no launch is listed.
- **Where.** One line item (gradebook column) per assignment, found by its `resourceId`
  (the assignment id) and `tag` ("peaceops"), created only when none exists; the
  certification result likewise (`resourceId` "peaceops-certification", maximum 1). Sent
  again, a score replaces the learner's earlier one in the same column: never a duplicate.
- **What.** A graded submission: its score (manual grades included) as FullyGraded. One
  still waiting for manual grading: no score, gradingProgress PendingManual (the LMS shows
  it as needing grading and keeps no partial number). Certification: 1 (passed) or 0 (not
  passed within the attempts the rule allows) as FullyGraded, else Pending with no score.
- **Log.** Every score sent, or refused, is appended to `exports/lms-passback.jsonl` in the
  course directory (learner data: git ignores exports/).

A failure with one learner or one LMS course is reported and the others are still sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..results import Results
from .config import Platform, ToolKey

LOG_FILE = "lms-passback.jsonl"  # in the course's exports/
TAG = "peaceops"
CERTIFICATION = "peaceops-certification"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass(frozen=True)
class Launch:
    """What passback needs of a learner's last launch from the LMS."""

    learner: str  # the hub user name: the learner id
    user_id: str  # the LMS's id of the user (the launch's sub)
    issuer: str
    client_id: str
    deployment_id: str
    lineitems: str  # the LMS course's line items (AGS container URL)
    scopes: tuple[str, ...]


def launch_of(learner: str, claims: dict[str, Any] | None) -> Launch | str:
    """The Launch in a hub user's auth_state, or why there is none (a plain sentence)."""
    if not isinstance(claims, dict) or not claims.get("sub"):
        return "has not launched the course from the LMS yet (no launch kept by the hub)"
    ags = claims.get(AGS_CLAIM)
    if not isinstance(ags, dict) or not ags.get("lineitems"):
        return ("was launched without Assignment and Grade Services: enable 'IMS LTI "
                "Assignment and Grade Services' for the tool in the LMS, then launch again")
    aud = claims.get("aud")
    client = claims.get("azp") or (aud[0] if isinstance(aud, list) and aud else aud)
    scopes = ags.get("scope")
    return Launch(learner, str(claims["sub"]), str(claims.get("iss", "")), str(client or ""),
                  str(claims.get(DEPLOYMENT_CLAIM, "")), str(ags["lineitems"]),
                  tuple(str(s) for s in scopes) if isinstance(scopes, list) else ())


@dataclass
class Score:
    """One score for one learner in one column, as AGS receives it."""

    learner: str
    column: str  # the assignment id, or CERTIFICATION
    activity: str  # activityProgress
    grading: str  # gradingProgress
    given: float | None = None
    maximum: float | None = None
    comment: str = ""


@dataclass
class Sent:
    """What happened to one score (a line of the log)."""

    time: str
    learner: str
    lms_user_id: str
    column: str
    line_item: str
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    status: str  # sent, or error
    message: str = ""


@dataclass
class PassbackReport:
    sent: list[Sent] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # line items created (labels)
    not_launched: list[tuple[str, str]] = field(default_factory=list)  # (learner, why)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(s.status == "sent" for s in self.sent)


def scores(results: Results, rule=None, training: bool = False) -> list[Score]:
    """Every score to send: one per graded submission (its latest grade in the gradebook),
    and one certification result per learner if `rule` (a PassRule) is given."""
    out: list[Score] = []
    seen: set[tuple[str, str]] = set()
    for row in results.submissions.itertuples(index=False):
        if (row.student, row.assignment) in seen:
            continue
        seen.add((row.student, row.assignment))
        if bool(row.needs_manual_grade):
            out.append(Score(row.student, row.assignment, "Submitted", "PendingManual",
                             comment="waiting for manual grading"))
        else:
            out.append(Score(row.student, row.assignment, "Completed", "FullyGraded",
                             round(float(row.score), 4), float(row.max_score)))
    if rule is not None:
        out += _certification(results, rule, training)
    return out


def _certification(results: Results, rule, training: bool) -> list[Score]:
    from ..certify.rule import evaluate, exam_attempts

    note = " (training: reference bank)" if training else ""
    found = []
    for decision in evaluate(results, rule):
        if decision.passed:
            found.append(Score(decision.student, CERTIFICATION, "Completed", "FullyGraded", 1.0,
                               1.0, f"certified under rule {rule.version}{note}"))
            continue
        attempts = exam_attempts(results, decision.student, rule.exam)
        exam = results.submissions[(results.submissions.student == decision.student)
                                   & (results.submissions.assignment == rule.exam)]
        waiting = bool(exam.needs_manual_grade.astype(bool).any() or exam.flagged.any())
        if len(attempts) >= rule.max_attempts and not waiting:
            found.append(Score(decision.student, CERTIFICATION, "Completed", "FullyGraded", 0.0,
                               1.0, f"not certified under rule {rule.version}{note}"))
        else:
            found.append(Score(decision.student, CERTIFICATION,
                               "Submitted" if attempts else "InProgress",
                               "PendingManual" if waiting else "Pending",
                               comment=f"not decided yet under rule {rule.version}{note}"))
    return found


class _Service:
    """One LMS course's line items and scores through pylti1p3 (one access token)."""

    def __init__(self, platform: Platform, key: ToolKey, launch: Launch):
        from pylti1p3.assignments_grades import AssignmentsGradesService
        from pylti1p3.registration import Registration
        from pylti1p3.service_connector import ServiceConnector

        registration = (Registration().set_issuer(platform.issuer)
                        .set_client_id(launch.client_id)
                        .set_auth_token_url(platform.token_url)
                        .set_tool_private_key(key.private_pem)
                        .set_tool_public_key(key.public_pem))  # its kid: the thumbprint
        if platform.token_audience:
            registration.set_auth_audience(platform.token_audience)
        scopes = [s for s in launch.scopes if s.startswith("https://purl.imsglobal.org/spec/"
                                                           "lti-ags/scope/")]
        self.ags = AssignmentsGradesService(ServiceConnector(registration),
                                            {"scope": scopes, "lineitems": launch.lineitems})
        missing = [s.rsplit("/", 1)[-1] for s in (SCOPE_LINEITEM, SCOPE_SCORE)
                   if s not in scopes]
        if missing:
            raise PassbackError(f"the LMS granted the tool no {' and no '.join(missing)} scope "
                                f"for {launch.lineitems}: allow the tool to create columns "
                                "and post grades (README, 'Launching from Moodle or Canvas')")
        self.items: dict[str, Any] = {}
        for item in self.ags.get_lineitems():
            if isinstance(item, dict) and item.get("tag") == TAG and item.get("resourceId"):
                self.items.setdefault(str(item["resourceId"]), item)

    def line_item(self, column: str, label: str, maximum: float, created: list[str]) -> str:
        """The id (URL) of the column for `column`, created if the LMS has none."""
        from pylti1p3.lineitem import LineItem

        if column not in self.items:
            new = (LineItem().set_label(label).set_score_maximum(maximum)
                   .set_resource_id(column).set_tag(TAG))
            made = self.ags.find_or_create_lineitem(new, find_by="resource_id")
            self.items[column] = {"id": made.get_id(), "label": made.get_label()}
            created.append(label)
        return str(self.items[column]["id"])

    def post(self, score: Score, user_id: str, line_item: str, timestamp: str) -> None:
        from pylti1p3.grade import Grade
        from pylti1p3.lineitem import LineItem

        grade = (Grade().set_user_id(user_id).set_timestamp(timestamp)
                 .set_activity_progress(score.activity).set_grading_progress(score.grading))
        if score.given is not None:
            grade.set_score_given(score.given).set_score_maximum(score.maximum)
        if score.comment:
            grade.set_comment(score.comment)
        self.ags.put_grade(grade, LineItem({"id": line_item}))


class PassbackError(RuntimeError):
    """The LMS refused a request, with what to do about it."""


def _explain(exc: Exception, platform: Platform) -> str:
    from pylti1p3.exception import LtiServiceException

    if isinstance(exc, LtiServiceException):
        response = exc.response
        body = response.text[:300].replace("\n", " ")
        if response.url.split("?")[0] == platform.token_url.split("?")[0]:
            return (f"the LMS refused the tool's access token (HTTP {response.status_code} from "
                    f"{platform.token_url}: {body}): check that the LMS holds the tool's public "
                    "key (`peaceops lms key`), and token_url and client_id in "
                    f"{platform.source or 'lti.yaml'}")
        return f"the LMS answered HTTP {response.status_code} at {response.url}: {body}"
    if isinstance(exc, PassbackError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def passback(results: Results, launches: dict[str, Launch | str], platform: Platform,
             key: ToolKey, log: Path, rule=None, training: bool = False,
             now: datetime | None = None) -> PassbackReport:
    """Send `scores(results, rule)` for every learner with a launch; append to `log`."""
    report = PassbackReport()
    stamp = (now or datetime.now(UTC)).isoformat(timespec="milliseconds")
    titles = {a: spec.title for a, spec in results.assignments.items()}
    maxima = {a: float(m) for a, m in
              results.submissions.groupby("assignment").max_score.max().items()}
    labels = {**titles, CERTIFICATION: "Certification" + (
        f" (rule {rule.version})" if rule is not None else "")}
    maxima[CERTIFICATION] = 1.0
    pending: dict[str, list[tuple[Score, Launch]]] = {}  # by line items container
    for score in scores(results, rule, training):
        launch = launches.get(score.learner)
        if not isinstance(launch, Launch):
            why = launch or "has not launched the course from the LMS yet"
            if (score.learner, why) not in report.not_launched:
                report.not_launched.append((score.learner, why))
            continue
        pending.setdefault(launch.lineitems, []).append((score, launch))
    for container, batch in pending.items():
        launch = batch[0][1]
        refused = _refused(launch, platform)
        if refused:
            report.errors.append(f"{container}: {refused}")
            report.sent += [_sent(stamp, s, la, "", "error", refused) for s, la in batch]
            continue
        try:
            service = _Service(platform, key, launch)
        except Exception as exc:  # noqa: BLE001 (any failure: reported, the rest goes on)
            why = _explain(exc, platform)
            report.errors.append(f"{container}: {why}")
            report.sent += [_sent(stamp, s, la, "", "error", why) for s, la in batch]
            continue
        for score, learner_launch in batch:
            line_item = ""
            try:
                line_item = service.line_item(score.column, labels.get(score.column, score.column),
                                              maxima.get(score.column, 0.0), report.created)
                service.post(score, learner_launch.user_id, line_item, stamp)
                report.sent.append(_sent(stamp, score, learner_launch, line_item, "sent"))
            except Exception as exc:  # noqa: BLE001 (one learner's failure stops no one else)
                why = _explain(exc, platform)
                report.sent.append(_sent(stamp, score, learner_launch, line_item, "error", why))
    _append(log, report.sent)
    return report


def _refused(launch: Launch, platform: Platform) -> str:
    where = platform.source or "lti.yaml"
    if launch.issuer != platform.issuer:
        return (f"{launch.learner} was launched from {launch.issuer!r}, not from the issuer in "
                f"{where} ({platform.issuer!r})")
    if launch.client_id not in platform.client_ids:
        return f"{launch.learner}'s launch names client id {launch.client_id!r}, not one in {where}"
    if launch.deployment_id not in platform.deployment_ids:
        return (f"{launch.learner}'s launch came from deployment {launch.deployment_id!r}, not "
                f"one in {where}")
    return ""


def _sent(stamp: str, score: Score, launch: Launch, line_item: str, status: str,
          message: str = "") -> Sent:
    return Sent(stamp, score.learner, launch.user_id, score.column, line_item, score.given,
                score.maximum, score.activity, score.grading, status, message)


def _append(log: Path, sent: Iterable[Sent]) -> None:
    lines = [json.dumps(asdict(s), ensure_ascii=False, sort_keys=True) + "\n" for s in sent]
    if not lines:
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as handle:
        handle.writelines(lines)


__all__ = ["CERTIFICATION", "LOG_FILE", "TAG", "Launch", "PassbackError", "PassbackReport",
           "Score", "Sent", "launch_of", "passback", "scores"]
