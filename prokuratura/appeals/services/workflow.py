"""The work on an appeal after registration: routing, assignment, review, extension, answer, forwarding, leaving
without consideration, closing, reopening — the step services of the lifecycle declared in appeals.transitions —
and notes and attachments.

Each step validates its own facts (the APPC's rules), then calls `APPEALS.transition`, the kernel's one function
that changes a status: it checks the step's table, permission and actor rule, locks the row, stamps the history
row and audits the changed fields (core.lifecycle).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Role
from prokuratura.core.actors import Actor, user_or_none
from prokuratura.core.audit import audit_record
from prokuratura.core.calendar import add_working_days
from prokuratura.core.models import AuditEntry, Department, Office

from ..access import may_change
from ..models import Appeal, AppealAttachment, AppealNote, ApplicantType, LetterTemplate, Outcome, Status
from ..rules import rule, term_end
from ..transitions import APPEALS, CORRECTABLE_FIELDS
from .attachments import attachment_store, attachments_check
from .intake import term_start
from .letters import Letter, letter_issue, letter_preview

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def appeal_route(
    *,
    by: Actor,
    appeal: Appeal,
    office: Office,
    department: Department | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Appeal:
    """Manual override of the routing rules while nobody works on the appeal yet: another office (within the
    acting user's subtree) and/or department. A prosecutor assigned outside the new office is released and the
    appeal goes back to "registered"."""
    actor_office = getattr(by, "office", None)
    if actor_office is None or not office.is_within(actor_office):
        raise ValidationError(
            {"office": _("You can only send appeals to your office or an office below it.")}
        )
    if department is not None and department.office_id != office.pk:
        raise ValidationError({"department": _("The department belongs to another office.")})
    if office.pk == appeal.office_id and department == appeal.department:
        raise ValidationError({"office": _("The appeal is already in this office.")})
    changes: dict[str, Any] = {"office": office, "department": department}
    current = appeal.assignee
    released = current is not None and (current.office is None or not current.office.is_within(office))
    if released:
        changes["assignee"] = None
    return APPEALS.transition(
        step="route",
        by=by,
        record=appeal,
        reason=reason,
        changes=changes,
        to=Status.REGISTERED if released else None,
        request=request,
    )


def appeal_correct(
    *,
    by: Actor,
    appeal: Appeal,
    details: dict[str, Any],
    reason: str,
    request: HttpRequest | None = None,
) -> Appeal:
    """A registration slip put right before the review starts: the changed details, with what was wrong. A changed
    "learned of the decision" date decides again whether a complaint was filed late (APPC art. 91)."""
    from .intake import is_late_complaint

    unknown = set(details) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    changes: dict[str, Any] = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in details.items()
        if getattr(appeal, name) != (value.strip() if isinstance(value, str) else value)
    }
    kind: str = changes.get("kind", appeal.kind)
    learned: dt.date | None = changes.get("decision_learned_on", appeal.decision_learned_on)
    if learned and learned > timezone.localdate():
        raise ValidationError({"decision_learned_on": _("This date cannot be in the future.")})
    late = is_late_complaint(
        kind=kind, learned_on=learned, received_on=timezone.localtime(appeal.received_at).date()
    )
    if late != appeal.is_late:
        changes["is_late"] = late
    if appeal.applicant_type != ApplicantType.ANONYMOUS and not changes.get(
        "applicant_name", appeal.applicant_name
    ):
        raise ValidationError({"applicant_name": _("Give the applicant's full name.")})
    if not changes:
        raise ValidationError(_("Nothing to correct: the details are as registered."), code="unchanged")
    return APPEALS.transition(
        step="correct", by=by, record=appeal, reason=reason, changes=changes, request=request
    )


def appeal_assign(
    *,
    by: Actor,
    appeal: Appeal,
    assignee: User,
    department: Department | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Appeal:
    """A head assigns the appeal to a prosecutor of its office or an office below it."""
    if not assignee.is_active or not assignee.has_role(Role.PROSECUTOR, Role.HEAD):
        raise ValidationError({"assignee": _("Appeals are assigned to an active prosecutor or head.")})
    if assignee.office is None or not assignee.office.is_within(appeal.office):
        raise ValidationError(
            {"assignee": _("The prosecutor must work in the appeal's office or an office below it.")}
        )
    if department is not None and department.office_id != assignee.office_id:
        raise ValidationError({"department": _("The department belongs to another office.")})
    changes: dict[str, Any] = {"assignee": assignee}
    if department is not None:
        changes["department"] = department
    return APPEALS.transition(
        step="assign", by=by, record=appeal, reason=reason, changes=changes, request=request
    )


def appeal_start_review(
    *, by: Actor, appeal: Appeal, reason: str = "", request: HttpRequest | None = None
) -> Appeal:
    return APPEALS.transition(step="start", by=by, record=appeal, reason=reason, request=request)


def extension_limit(appeal: Appeal) -> dt.date:
    """The latest term a head may set: two months in total (APPC art. 76 p. 2), counted from the day the term runs
    from (intake.term_start), moved to the next working day when it ends on a day off (rules.term_end)."""
    return term_end(term_start(appeal) + relativedelta(months=rule("extension_max_months")))


def _check_extension(appeal: Appeal, until: dt.date) -> None:
    """APPC art. 76 p. 2: to a later day, within the two-month cap (that the term still runs is the step's
    declared condition, appeals.transitions.TERM_RUNS)."""
    if until <= appeal.due_date:
        raise ValidationError({"until": _("The new term must be later than the present one.")})
    limit = extension_limit(appeal)
    if until > limit:
        raise ValidationError(
            {
                "until": _(
                    "The term can be extended to at most two months in total, that is to %(limit)s (APPC art. 76 "
                    "p. 2)."
                )
                % {"limit": limit.strftime("%d.%m.%Y")}
            }
        )


def appeal_request_extension(
    *, by: Actor, appeal: Appeal, until: dt.date, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """The assigned prosecutor asks the head to extend the term; the head decides (appeal_extend)."""
    _check_extension(appeal, until)
    return APPEALS.transition(
        step="request_extension",
        by=by,
        record=appeal,
        reason=reason,
        changes={"extension_requested_until": until, "extension_request_reason": reason.strip()},
        request=request,
    )


def appeal_extend(
    *, by: Actor, appeal: Appeal, until: dt.date, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """A head's reasoned decision to extend the term; the applicant must be told within 3 working days."""
    _check_extension(appeal, until)
    today = timezone.localdate()
    changes = {
        "due_date": until,
        "extended_until": until,
        "extension_reason": reason.strip(),
        "extension_decided_by": by,
        "extension_notice_due": add_working_days(today, rule("extension_notice_working_days")),
        "extension_requested_until": None,
        "extension_request_reason": "",
    }
    return _transition_sending(
        LetterTemplate.Kind.EXTENSION,
        step="extend",
        by=by,
        appeal=appeal,
        changes=changes,
        reason=reason,
        request=request,
    )


def appeal_decline_extension(
    *, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """A head declines the prosecutor's request for a longer term; the term stays, the reasons are recorded."""
    return APPEALS.transition(
        step="decline_extension",
        by=by,
        record=appeal,
        reason=reason,
        changes={"extension_requested_until": None, "extension_request_reason": ""},
        request=request,
    )


ANSWER_OUTCOMES = (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED, Outcome.EXPLAINED, Outcome.REJECTED)


def _answer_changes(
    *, outcome: str, answer_text: str, rights_restored: bool, persons_restored: int
) -> dict[str, Any]:
    """The decision and the answer, checked: what answering and submitting an answer both record."""
    errors: dict[str, str] = {}
    if outcome not in ANSWER_OUTCOMES:
        errors["outcome"] = _("Choose the decision on the appeal.")
    if not answer_text.strip():
        errors["answer_text"] = _("Write the answer to the applicant.")
    if rights_restored and persons_restored < 1:
        errors["persons_restored"] = _("Say for how many persons rights were restored.")
    if not rights_restored and persons_restored:
        errors["persons_restored"] = _("Persons can only be counted when rights were restored.")
    if rights_restored and outcome not in (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED):
        errors["rights_restored"] = _(
            "Rights are restored only when the appeal is satisfied, fully or partly."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "outcome": outcome,
        "answer_text": answer_text.strip(),
        "rights_restored": rights_restored,
        "persons_restored": persons_restored if rights_restored else 0,
    }


def answer_letter_preview(
    *,
    appeal: Appeal,
    outcome: str,
    answer_text: str,
    rights_restored: bool = False,
    persons_restored: int = 0,
    signer: User | None = None,
) -> Letter:
    """The answer letter these inputs would send, for the prosecutor to read before sending (not a write). The
    letter is signed by whoever sends it: the head at sign-off, else the one answering."""
    changes = _answer_changes(
        outcome=outcome,
        answer_text=answer_text,
        rights_restored=rights_restored,
        persons_restored=persons_restored,
    )
    changes["answered_on"] = timezone.localdate()
    return letter_preview(appeal=appeal, kind=LetterTemplate.Kind.ANSWER, signer=signer, changes=changes)


def _transition_sending(
    letter: str, *, step: str, by: Actor, appeal: Appeal, changes: dict[str, Any], reason: str, request: Any
) -> Appeal:
    """Take a step that sends the applicant a letter: the letter is issued in the step's transaction (signed by
    whoever takes it) and e-mailed after commit."""
    with transaction.atomic():
        appeal = APPEALS.transition(
            step=step, by=by, record=appeal, reason=reason, changes=changes, request=request
        )
        letter_issue(by=by, appeal=appeal, kind=letter, signer=user_or_none(by))
    _notify(appeal, letter)
    return appeal


def _send_answer(
    *, step: str, by: Actor, appeal: Appeal, changes: dict[str, Any], reason: str, request: Any
) -> Appeal:
    changes = {**changes, "answered_on": timezone.localdate()}
    return _transition_sending(
        LetterTemplate.Kind.ANSWER,
        step=step,
        by=by,
        appeal=appeal,
        changes=changes,
        reason=reason,
        request=request,
    )


def appeal_answer(
    *,
    by: Actor,
    appeal: Appeal,
    outcome: str,
    answer_text: str,
    rights_restored: bool = False,
    persons_restored: int = 0,
    request: HttpRequest | None = None,
) -> Appeal:
    """Record the decision and the answer and send the answer letter, signed by the one answering."""
    changes = _answer_changes(
        outcome=outcome,
        answer_text=answer_text,
        rights_restored=rights_restored,
        persons_restored=persons_restored,
    )
    return _send_answer(step="answer", by=by, appeal=appeal, changes=changes, reason="", request=request)


def appeal_submit_answer(
    *,
    by: Actor,
    appeal: Appeal,
    outcome: str,
    answer_text: str,
    rights_restored: bool = False,
    persons_restored: int = 0,
    request: HttpRequest | None = None,
) -> Appeal:
    """In an office that requires sign-off: the prosecutor's decision and answer wait for a head's sign-off."""
    changes = _answer_changes(
        outcome=outcome,
        answer_text=answer_text,
        rights_restored=rights_restored,
        persons_restored=persons_restored,
    )
    return APPEALS.transition(step="submit_answer", by=by, record=appeal, changes=changes, request=request)


def appeal_sign_off(
    *, by: Actor, appeal: Appeal, reason: str = "", request: HttpRequest | None = None
) -> Appeal:
    """A head signs off the submitted answer: the letter goes out over the head's name and position."""
    return _send_answer(step="sign_off", by=by, appeal=appeal, changes={}, reason=reason, request=request)


def appeal_return_answer(
    *, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """A head returns the submitted answer for rework, with the reasons; the draft stays, the term runs on."""
    back = Status.EXTENDED if appeal.extended_until else Status.IN_REVIEW
    return APPEALS.transition(
        step="return_answer", by=by, record=appeal, reason=reason, changes={}, to=back, request=request
    )


def _forward(
    *,
    step: str,
    by: Actor,
    appeal: Appeal,
    forwarded_to: str,
    reason: str,
    request: HttpRequest | None,
    **also: Any,
) -> Appeal:
    if not forwarded_to.strip():
        raise ValidationError({"forwarded_to": _("Name the competent body.")})
    changes = {
        "forwarded_to": forwarded_to.strip(),
        "forwarded_on": timezone.localdate(),
        "outcome": Outcome.FORWARDED,
    }
    return _transition_sending(
        LetterTemplate.Kind.FORWARDING,
        step=step,
        by=by,
        appeal=appeal,
        changes={**changes, **also},
        reason=reason,
        request=request,
    )


def _leave(*, step: str, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None) -> Appeal:
    changes = {"outcome": Outcome.LEFT_WITHOUT_CONSIDERATION, "answered_on": timezone.localdate()}
    return APPEALS.transition(
        step=step, by=by, record=appeal, reason=reason, changes=changes, request=request
    )


def appeal_forward(
    *, by: Actor, appeal: Appeal, forwarded_to: str, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """Outside the office's competence: forwarded to the competent body (APPC art. 65), applicant told."""
    return _forward(
        step="forward", by=by, appeal=appeal, forwarded_to=forwarded_to, reason=reason, request=request
    )


def appeal_leave_without_consideration(
    *, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None = None
) -> Appeal:
    return _leave(step="leave", by=by, appeal=appeal, reason=reason, request=request)


def appeal_triage_leave(
    *, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """An anonymous appeal that reports no crime and no threat is left without consideration, with the reasons
    (the triage of appeals.transitions: a registrar or a head decides on what it says)."""
    return _leave(step="triage_leave", by=by, appeal=appeal, reason=reason, request=request)


def appeal_triage_forward(
    *, by: Actor, appeal: Appeal, forwarded_to: str, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """An anonymous report of a crime or of a threat to security goes at once to the competent body."""
    return _forward(
        step="triage_forward",
        by=by,
        appeal=appeal,
        forwarded_to=forwarded_to,
        reason=reason,
        request=request,
        is_urgent_report=True,
    )


def appeal_close(
    *, by: Actor, appeal: Appeal, reason: str = "", request: HttpRequest | None = None
) -> Appeal:
    return APPEALS.transition(
        step="close",
        by=by,
        record=appeal,
        reason=reason,
        changes={"closed_on": timezone.localdate()},
        request=request,
    )


def appeal_reopen(*, by: Actor, appeal: Appeal, reason: str, request: HttpRequest | None = None) -> Appeal:
    """A complaint about the answer succeeded: the appeal is considered again, with a new 15-working-day term
    from today. The earlier answer stays in the audit trail."""
    new_due = add_working_days(timezone.localdate(), rule("review_working_days"))
    return APPEALS.transition(
        step="reopen",
        by=by,
        record=appeal,
        reason=reason,
        changes={
            "outcome": "",
            "answered_on": None,
            "closed_on": None,
            "rights_restored": False,
            "persons_restored": 0,
            "due_date": new_due,
            "extended_until": None,
        },
        request=request,
    )


def _notify(appeal: Appeal, kind: str) -> None:
    from .notify import notify_applicant

    notify_applicant(appeal_id=appeal.pk, kind=kind)


def _require_change(by: User, appeal: Appeal) -> None:
    if not may_change(user=by, appeal=appeal):
        raise PermissionDenied(_("You may not change this appeal."))


def appeal_note_add(*, by: User, appeal: Appeal, text: str) -> AppealNote:
    """An internal note (never shown to the applicant), by the assigned prosecutor or a head over the office."""
    _require_change(by, appeal)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    with transaction.atomic():
        note = AppealNote.objects.create(
            appeal=appeal, author=by, text=text.strip(), created_at=timezone.now()
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=note,
            object_repr=f"{appeal.reg_number}: note",
            changes={"text": {"before": None, "after": note.text}},
        )
    return note


def appeal_attachments_add(
    *, by: User, appeal: Appeal, uploads: list[UploadedFile]
) -> list[AppealAttachment]:
    _require_change(by, appeal)
    checked = attachments_check(uploads=uploads, existing=appeal.attachments.count())
    with transaction.atomic():
        stored = [attachment_store(appeal=appeal, checked=item, by=by) for item in checked]
        for attachment in stored:
            audit_record(
                actor=by,
                action=AuditEntry.Action.CREATE,
                obj=attachment,
                object_repr=f"{appeal.reg_number}: {attachment.original_name}",
                changes={"sha256": {"before": None, "after": attachment.sha256}},
            )
    return stored
