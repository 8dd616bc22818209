"""Follow-up tasks of a meeting or visit: who does what by when (transitions.TASKS)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import Actor
from prokuratura.core.audit import audit_record, snapshot
from prokuratura.core.models import AuditEntry
from prokuratura.core.record_services import require_staff

from ..models import Event, EventStatus, FollowUpTask
from ..transitions import TASK_TRACKED, TASKS

# A task is due within two years of its setting (a later date is a typo).
DUE_WITHIN_DAYS = 731


def _due_error(due_date: dt.date | None) -> str | None:
    today = timezone.localdate()
    if due_date is None:
        return _("Give the due date.")
    if due_date < today:
        return _("The due date cannot be in the past.")
    if (due_date - today).days > DUE_WITHIN_DAYS:
        return _("The due date is too far in the future.")
    return None


def _owner_error(owner: User | None) -> str | None:
    if owner is None or not owner.is_active:
        return _("Choose an active user as the owner.")
    if not owner.has_perm(Perm.RELATIONS_WORK):
        return _("The owner must be able to work on international relations.")
    return None


def task_add(
    *,
    by: User,
    event: Event,
    title: str,
    owner: User | None,
    due_date: dt.date | None,
    request: HttpRequest | None = None,
) -> FollowUpTask:
    """Add a follow-up task to the event (not to a cancelled one)."""
    from ..access import may_change_event

    by = require_staff(by, Perm.RELATIONS_WORK)
    if not may_change_event(user=by, event=event):
        raise PermissionDenied(_("You may not change this event."))
    errors: dict[str, list[str]] = {}
    if event.status == EventStatus.CANCELLED:
        errors["__all__"] = [_("The event is cancelled: it takes no follow-up tasks.")]
    if not title.strip():
        errors["title"] = [_("Say what is to be done.")]
    if (error := _owner_error(owner)) is not None:
        errors["owner"] = [error]
    if (error := _due_error(due_date)) is not None:
        errors["due_date"] = [error]
    if errors:
        raise ValidationError(errors)
    if due_date is None or owner is None:  # refused above; for the type checker
        raise ValidationError(_("Give the owner and the due date."))
    task = FollowUpTask(event=event, title=title.strip()[:500], owner=owner, due_date=due_date, created_by=by)
    task.full_clean()
    with transaction.atomic():
        task.save()
        TASKS.record_history(record=task, by=by, step="create")
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=task,
            changes={
                k: {"before": None, "after": v} for k, v in snapshot(task, ("title", *TASK_TRACKED)).items()
            },
            request=request,
        )
    return task


def task_start(*, by: Actor, task: FollowUpTask, request: HttpRequest | None = None) -> FollowUpTask:
    return TASKS.transition(step="start", by=by, record=task, request=request)


def task_complete(
    *,
    by: Actor,
    task: FollowUpTask,
    result: str,
    done_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> FollowUpTask:
    done_on = done_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not result.strip():
        errors["result"] = [_("Say what was done.")]
    if done_on > timezone.localdate():
        errors["done_on"] = [_("The date cannot be in the future.")]
    elif done_on < task.created_at.date() - dt.timedelta(days=1):
        errors["done_on"] = [_("The task cannot be done before it was set.")]
    if errors:
        raise ValidationError(errors)
    return TASKS.transition(
        step="complete",
        by=by,
        record=task,
        changes={"result": result.strip(), "done_on": done_on},
        request=request,
    )


def task_reschedule(
    *, by: Actor, task: FollowUpTask, due_date: dt.date, reason: str, request: HttpRequest | None = None
) -> FollowUpTask:
    if (error := _due_error(due_date)) is not None:
        raise ValidationError({"due_date": [error]})
    return TASKS.transition(
        step="reschedule", by=by, record=task, reason=reason, changes={"due_date": due_date}, request=request
    )


def task_cancel(
    *, by: Actor, task: FollowUpTask, reason: str, request: HttpRequest | None = None
) -> FollowUpTask:
    return TASKS.transition(step="cancel", by=by, record=task, reason=reason, request=request)


def task_reopen(
    *, by: Actor, task: FollowUpTask, due_date: dt.date, reason: str, request: HttpRequest | None = None
) -> FollowUpTask:
    if (error := _due_error(due_date)) is not None:
        raise ValidationError({"due_date": [error]})
    return TASKS.transition(
        step="reopen",
        by=by,
        record=task,
        reason=reason,
        changes={"due_date": due_date, "done_on": None},
        request=request,
    )
