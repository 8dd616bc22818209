"""The work on an appeal after registration: routing, assignment, review, extension, answer, forwarding, leaving
without consideration, closing, reopening, notes and attachments.

`appeal_transition` is the one function that changes an appeal's status: it enforces transitions.TRANSITIONS and
the step's permission, stamps who/when/why in `AppealTransition`, and writes the audit entry with the changed
fields. Each step below validates its own facts, then calls it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.calendar import add_working_days
from prokuratura.core.models import AuditEntry, Department, Office

from ..access import is_head_over, may_work_on
from ..models import Appeal, AppealNote, AppealTransition, Outcome, Status
from ..rules import rule
from ..transitions import REASON_REQUIRED, STEP_PERMISSION, can_transition
from .attachments import attachment_store, attachments_check

TRACKED_FIELDS = (
    "status",
    "office",
    "department",
    "assignee",
    "due_date",
    "extended_until",
    "extension_reason",
    "extension_decided_by",
    "extension_notice_due",
    "extension_requested_until",
    "forwarded_to",
    "forwarded_on",
    "outcome",
    "rights_restored",
    "persons_restored",
    "answer_text",
    "answered_on",
    "closed_on",
    "sensitivity",
)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_transition")


def appeal_may_take(*, user: Any, appeal: Appeal, target: str) -> bool:
    """Whether the table and the user's role allow this step now (the UI offers only these)."""
    if not can_transition(appeal.status, target):
        return False
    permission = STEP_PERMISSION.get(target)
    if permission and not user.has_perm(permission):
        return False
    if target in (Status.ASSIGNED, Status.EXTENDED, Status.CLOSED, Status.REOPENED):
        return is_head_over(user=user, appeal=appeal)
    return may_work_on(user=user, appeal=appeal)


def appeal_transition(
    *,
    by: Any,
    appeal: Appeal,
    to: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    check_permission: bool = True,
) -> Appeal:
    """Move the appeal to `to`, applying `changes` (field → value) in the same write."""
    if not can_transition(appeal.status, to):
        raise _refuse(
            _("An appeal that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(appeal.status).label, "target": Status(to).label}
        )
    if check_permission and not appeal_may_take(user=by, appeal=appeal, target=to):
        raise PermissionDenied(_("You may not take this step on this appeal."))
    if to in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for this decision.")})
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != appeal.status:
            raise _refuse(_("Someone else changed this appeal meanwhile; reload it and try again."))
        before = snapshot(locked, TRACKED_FIELDS)
        from_status = locked.status
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.status = to
        locked.full_clean(exclude=["tracking_code", "submission_key", "reg_number"])
        locked.save()
        actor = by if getattr(by, "is_authenticated", False) else None
        AppealTransition.objects.create(
            appeal=locked, from_status=from_status, to_status=to, by=actor, at=timezone.now(), reason=reason
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.TRANSITION,
            obj=locked,
            changes=diff(before, snapshot(locked, TRACKED_FIELDS)),
            reason=reason,
            request=request,
        )
    for name in [*TRACKED_FIELDS, "updated_at"]:
        setattr(appeal, name, getattr(locked, name))
    return appeal


def appeal_route(
    *, by: Any, appeal: Appeal, office: Office, department: Department | None = None, reason: str = ""
) -> Appeal:
    """Manual override of the routing rules while nobody works on the appeal yet: another office (within the
    acting user's subtree) and/or department. A registrar or a head does it; it is audited like a transition."""
    if appeal.status not in (Status.REGISTERED, Status.ASSIGNED):
        raise _refuse(_("Only an appeal not yet in review can be sent to another office."))
    if not (by.has_perm(Perm.APPEALS_REGISTER) or by.has_perm(Perm.APPEALS_ASSIGN)):
        raise PermissionDenied
    if by.office_id is None or not office.path.startswith(by.office.path):
        raise ValidationError(
            {"office": _("You can only send appeals to your office or an office below it.")}
        )
    if not appeal.office.path.startswith(by.office.path):
        raise PermissionDenied
    if department is not None and department.office_id != office.pk:
        raise ValidationError({"department": _("The department belongs to another office.")})
    with transaction.atomic():
        before = snapshot(appeal, TRACKED_FIELDS)
        appeal.office, appeal.department = office, department
        assignee: Any = appeal.assignee
        if assignee is not None and not assignee.office.path.startswith(office.path):
            appeal.assignee = None
            appeal.status = Status.REGISTERED
        appeal.save(update_fields=["office", "department", "assignee", "status", "updated_at"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=appeal,
            changes=diff(before, snapshot(appeal, TRACKED_FIELDS)),
            reason=reason,
        )
    return appeal


def appeal_assign(
    *,
    by: Any,
    appeal: Appeal,
    assignee: Any,
    department: Department | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Appeal:
    """A head assigns the appeal to a prosecutor of its office or an office below it."""
    if not assignee.is_active or not assignee.has_role(Role.PROSECUTOR, Role.HEAD):
        raise ValidationError({"assignee": _("Appeals are assigned to an active prosecutor or head.")})
    if assignee.office_id is None or not assignee.office.path.startswith(appeal.office.path):
        raise ValidationError(
            {"assignee": _("The prosecutor must work in the appeal's office or an office below it.")}
        )
    if department is not None and department.office_id != assignee.office_id:
        raise ValidationError({"department": _("The department belongs to another office.")})
    changes: dict[str, Any] = {"assignee": assignee}
    if department is not None:
        changes["department"] = department
    return appeal_transition(
        by=by, appeal=appeal, to=Status.ASSIGNED, reason=reason, changes=changes, request=request
    )


def appeal_start_review(*, by: Any, appeal: Appeal, request: HttpRequest | None = None) -> Appeal:
    return appeal_transition(by=by, appeal=appeal, to=Status.IN_REVIEW, request=request)


def extension_limit(appeal: Appeal) -> dt.date:
    """The latest term a head may set: two months in total from registration (APPC art. 76 p. 2)."""
    return appeal.registered_on + relativedelta(months=rule("extension_max_months"))


def appeal_request_extension(
    *, by: Any, appeal: Appeal, until: dt.date, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """The assigned prosecutor asks the head to extend the term; the head decides (appeal_extend)."""
    if not may_work_on(user=by, appeal=appeal):
        raise PermissionDenied
    if not can_transition(appeal.status, Status.EXTENDED):
        raise _refuse(_("The term of this appeal cannot be extended at its present stage."))
    _check_extension(appeal, until)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for this decision.")})
    with transaction.atomic():
        before = snapshot(appeal, TRACKED_FIELDS)
        appeal.extension_requested_until = until
        appeal.extension_request_reason = reason.strip()
        appeal.save(update_fields=["extension_requested_until", "extension_request_reason", "updated_at"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=appeal,
            changes=diff(before, snapshot(appeal, TRACKED_FIELDS)),
            reason=reason,
            request=request,
        )
    return appeal


def _check_extension(appeal: Appeal, until: dt.date) -> None:
    if until <= appeal.due_date:
        raise ValidationError({"until": _("The new term must be later than the present one.")})
    limit = extension_limit(appeal)
    if until > limit:
        raise ValidationError(
            {
                "until": _(
                    "The term can be extended to at most two months in total from registration, that is to "
                    "%(limit)s (APPC art. 76)."
                )
                % {"limit": limit.strftime("%d.%m.%Y")}
            }
        )


def appeal_extend(
    *, by: Any, appeal: Appeal, until: dt.date, reason: str, request: HttpRequest | None = None
) -> Appeal:
    """A head's reasoned decision to extend the term; the applicant must be told within 3 working days."""
    _check_extension(appeal, until)
    today = timezone.localdate()
    appeal = appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.EXTENDED,
        reason=reason,
        changes={
            "due_date": until,
            "extended_until": until,
            "extension_reason": reason.strip(),
            "extension_decided_by": by,
            "extension_notice_due": add_working_days(today, rule("extension_notice_working_days")),
            "extension_requested_until": None,
            "extension_request_reason": "",
        },
        request=request,
    )
    from .notify import notify_applicant

    transaction.on_commit(lambda: notify_applicant(appeal_id=appeal.pk, kind="extension"))
    return appeal


ANSWER_OUTCOMES = (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED, Outcome.EXPLAINED, Outcome.REJECTED)


def appeal_answer(
    *,
    by: Any,
    appeal: Appeal,
    outcome: str,
    answer_text: str,
    rights_restored: bool = False,
    persons_restored: int = 0,
    request: HttpRequest | None = None,
) -> Appeal:
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
    appeal = appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.ANSWERED,
        changes={
            "outcome": outcome,
            "answer_text": answer_text.strip(),
            "rights_restored": rights_restored,
            "persons_restored": persons_restored if rights_restored else 0,
            "answered_on": timezone.localdate(),
        },
        request=request,
    )
    from .notify import notify_applicant

    transaction.on_commit(lambda: notify_applicant(appeal_id=appeal.pk, kind="answer"))
    return appeal


def appeal_forward(
    *,
    by: Any,
    appeal: Appeal,
    forwarded_to: str,
    reason: str,
    request: HttpRequest | None = None,
    check_permission: bool = True,
) -> Appeal:
    """Outside the office's competence: forwarded to the competent body (APPC art. 65), applicant told."""
    if not forwarded_to.strip():
        raise ValidationError({"forwarded_to": _("Name the competent body.")})
    appeal = appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.FORWARDED,
        reason=reason,
        changes={
            "forwarded_to": forwarded_to.strip(),
            "forwarded_on": timezone.localdate(),
            "outcome": Outcome.FORWARDED,
        },
        request=request,
        check_permission=check_permission,
    )
    from .notify import notify_applicant

    transaction.on_commit(lambda: notify_applicant(appeal_id=appeal.pk, kind="forwarding"))
    return appeal


def appeal_leave_without_consideration(
    *, by: Any, appeal: Appeal, reason: str, request: HttpRequest | None = None, check_permission: bool = True
) -> Appeal:
    return appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.LEFT_WITHOUT_CONSIDERATION,
        reason=reason,
        changes={"outcome": Outcome.LEFT_WITHOUT_CONSIDERATION, "answered_on": timezone.localdate()},
        request=request,
        check_permission=check_permission,
    )


def appeal_close(*, by: Any, appeal: Appeal, reason: str = "", request: HttpRequest | None = None) -> Appeal:
    return appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.CLOSED,
        reason=reason,
        changes={"closed_on": timezone.localdate()},
        request=request,
    )


def appeal_reopen(*, by: Any, appeal: Appeal, reason: str, request: HttpRequest | None = None) -> Appeal:
    """A complaint about the answer succeeded: the appeal is considered again, with a new 15-working-day term
    from today. The earlier answer stays in the audit trail."""
    today = timezone.localdate()
    new_due = add_working_days(today, rule("review_working_days"))
    return appeal_transition(
        by=by,
        appeal=appeal,
        to=Status.REOPENED,
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


def appeal_note_add(*, by: Any, appeal: Appeal, text: str) -> AppealNote:
    """An internal note (never shown to the applicant)."""
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


def appeal_attachments_add(*, by: Any, appeal: Appeal, uploads: list[Any]) -> list[Any]:
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
