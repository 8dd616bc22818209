"""What the record modules' services share (supervision, relations): the acting staff member, a record's date,
creating a record once per submission key and updating it, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User

from .actors import is_user
from .audit import audit_record, diff, snapshot
from .models import AuditEntry, Office

M = TypeVar("M", bound=models.Model)


def require_staff(by: Any, permission: str) -> User:
    """The acting user, holding `permission`; anyone else is refused (these modules have no public channel)."""
    if not is_user(by) or not by.is_active or not by.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))
    return by


def check_office(*, by: User, office: Office) -> None:
    """A record belongs to the actor's office or an office below it."""
    if by.office is None or not office.is_within(by.office):
        raise ValidationError({"office": _("Choose your office or an office below it.")})


# Nothing the service records predates the Republic's independence (16 December 1991): an earlier date is a typo.
EARLIEST_DATE = dt.date(1991, 12, 16)


def date_error(value: dt.date) -> str | None:
    """Why `value` cannot be a record's date (in the future, or before EARLIEST_DATE), or None."""
    if value > timezone.localdate():
        return _("The date cannot be in the future.")
    if value < EARLIEST_DATE:
        return _("The date is too far in the past.")
    return None


def existing[M: models.Model](model: type[M], submission_key: str | None) -> M | None:
    if not submission_key:
        return None
    return model._default_manager.filter(submission_key=submission_key).first()


def create_audited[M: models.Model](
    *,
    by: User,
    record: M,
    fields: Iterable[str],
    submission_key: str | None,
    request: HttpRequest | None,
    after_save: Any = None,
    exclude: Iterable[str] = (),
) -> M:
    """Validate and save a new record with its audit entry in one transaction. A retry with the same submission key
    (a double click, an API retry) returns the record the first call made instead of a second one."""
    model = type(record)
    if submission_key:
        record.submission_key = submission_key  # type: ignore[attr-defined]
    record.full_clean(exclude=["submission_key", *exclude])
    try:
        with transaction.atomic():
            record.save()
            if after_save is not None:
                after_save(record)
            audit_record(
                actor=by,
                action=AuditEntry.Action.CREATE,
                obj=record,
                changes={
                    name: {"before": None, "after": value} for name, value in snapshot(record, fields).items()
                },
                request=request,
            )
    except IntegrityError:
        found = existing(model, submission_key)
        if found is None:
            raise
        return found
    return record


def update_audited[M: models.Model](
    *,
    by: User,
    record: M,
    changes: dict[str, Any],
    fields: Iterable[str],
    request: HttpRequest | None,
    reason: str = "",
) -> M:
    """Apply `changes`, validate, save and audit the fields that changed (row locked), in one transaction."""
    fields = tuple(fields)
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        before = snapshot(locked, fields)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["submission_key"])
        locked.save()
        changed = diff(before, snapshot(locked, fields))
        if changed:
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                obj=locked,
                changes=changed,
                reason=reason,
                request=request,
            )
    return locked
