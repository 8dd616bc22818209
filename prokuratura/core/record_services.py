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
    described: Any = None,
) -> M:
    """Validate and save a new record with its audit entry in one transaction. A retry with the same submission key
    (a double click, an API retry) returns the record the first call made instead of a second one.

    `after_save(record)` writes what goes with the record (its lists, its history row) in the same transaction;
    `described(record)` adds values to the audit entry beyond `fields` (e.g. those lists)."""
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
                    name: {"before": None, "after": value}
                    for name, value in {
                        **snapshot(record, fields),
                        **(described(record) if described is not None else {}),
                    }.items()
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
    after_save: Any = None,
    described: Any = None,
) -> M:
    """Apply `changes`, validate, save and audit the fields that changed (row locked), in one transaction.
    `after_save(record)` and `described(record)` as for `create_audited` (the lists are compared before and after)."""
    fields = tuple(fields)

    def state(row: M) -> dict[str, Any]:
        return {**snapshot(row, fields), **(described(row) if described is not None else {})}

    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        before = state(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["submission_key"])
        locked.save()
        if after_save is not None:
            after_save(locked)
        changed = diff(before, state(locked))
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
