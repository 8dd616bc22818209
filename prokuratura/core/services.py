"""Writes on offices, departments and the calendar. Each validates, writes atomically and audits."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from . import calendar as working_calendar
from .audit import audit_record, diff, snapshot
from .models import AuditEntry, CalendarException, Department, Office

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

    from .actors import Actor

OFFICE_FIELDS = (
    "code",
    "level",
    "parent",
    "region",
    "name_kk",
    "name_ru",
    "name_en",
    "is_active",
    "address_kk",
    "address_ru",
    "phone",
    "email",
)
DEPARTMENT_FIELDS = ("office", "code", "name_kk", "name_ru", "name_en", "is_active")
CALENDAR_FIELDS = (
    "date",
    "kind",
    "reason",
    "reason_kk",
    "reason_ru",
    "legal_basis",
    "legal_basis_kk",
    "legal_basis_ru",
    "source_url",
)

# Which level may sit under which: the GPO at the root, regional offices under it, district offices below those.
_ALLOWED_PARENT_LEVEL: dict[str, str | None] = {
    Office.Level.GENERAL: None,
    Office.Level.REGIONAL: Office.Level.GENERAL,
    Office.Level.DISTRICT: Office.Level.REGIONAL,
}


def _segment(pk: int) -> str:
    return f"{pk:06d}."


def _validate_office_place(office: Office) -> None:
    """The office's level fits its parent's, it does not report to itself or below, and its own children
    still fit it. Each refusal is a whole translated sentence on the field the administrator must change."""
    parent = office.parent
    if office.pk and parent is not None and (parent.pk == office.pk or parent.is_within(office)):
        raise ValidationError({"parent": _("An office cannot report to itself or to an office below it.")})
    expected_parent_level = _ALLOWED_PARENT_LEVEL.get(office.level)
    if office.level == Office.Level.GENERAL:
        if parent is not None:
            raise ValidationError({"parent": _("The Prosecutor General's Office has no parent office.")})
        if Office.objects.filter(level=Office.Level.GENERAL).exclude(pk=office.pk).exists():
            raise ValidationError({"level": _("There is already a Prosecutor General's Office.")})
    elif parent is None:
        raise ValidationError({"parent": _("Choose the office this one reports to.")})
    elif parent.level != expected_parent_level:
        if office.level == Office.Level.REGIONAL:
            message = _("A regional office must report to the Prosecutor General's Office.")
        else:
            message = _("A district office must report to a regional office.")
        raise ValidationError({"parent": message})
    if office.pk:
        child_levels = set(Office.objects.filter(parent_id=office.pk).values_list("level", flat=True))
        if any(_ALLOWED_PARENT_LEVEL.get(level) != office.level for level in child_levels):
            raise ValidationError(
                {"level": _("Other offices report to this one at its present level; move them first.")}
            )


def office_create(*, by: Actor, data: dict[str, Any]) -> Office:
    with transaction.atomic():
        office = Office(**data)
        # A unique placeholder until the primary key, which the path is made of, exists.
        office.path = f"tmp-{uuid.uuid4().hex}"
        office.full_clean(exclude=["path"])
        _validate_office_place(office)
        office.save()
        office.path = (office.parent.path if office.parent else "") + _segment(office.pk)
        office.save(update_fields=["path"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=office,
            changes=diff({}, snapshot(office, OFFICE_FIELDS)),
        )
    return office


def office_update(*, by: Actor, office: Office, data: dict[str, Any]) -> Office:
    """Change an office; when its parent changes, its whole subtree moves with it."""
    data = {key: value for key, value in data.items() if key != "path"}
    with transaction.atomic():
        # Read the row afresh (and lock it): the caller's instance may already carry the new values, e.g. from
        # a ModelForm, and the audit entry must record what was in the database.
        office = Office.objects.select_for_update().get(pk=office.pk)
        before = snapshot(office, OFFICE_FIELDS)
        old_path = office.path
        for key, value in data.items():
            setattr(office, key, value)
        office.full_clean(exclude=["path"])
        if office.parent is not None:
            # The parent's path as it is now, not as the caller loaded it.
            office.parent = Office.objects.get(pk=office.parent.pk)
        _validate_office_place(office)
        new_path = (office.parent.path if office.parent else "") + _segment(office.pk)
        office.path = new_path
        office.save()
        if new_path != old_path:
            # Every descendant keeps its tail after the old prefix. Substr counts from 1.
            Office.objects.filter(path__startswith=old_path).exclude(pk=office.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        changes = diff(before, snapshot(office, OFFICE_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=office, changes=changes)
    return office


def _validate_department_code(department: Department) -> None:
    # Said on the code field; the database constraint behind it would only give a message about the pair.
    taken = Department.objects.filter(office_id=department.office_id, code=department.code)
    if department.pk:
        taken = taken.exclude(pk=department.pk)
    if department.office_id and taken.exists():
        raise ValidationError({"code": _("This office already has a department with this code.")})


def department_create(*, by: Actor, data: dict[str, Any]) -> Department:
    with transaction.atomic():
        department = Department(**data)
        _validate_department_code(department)
        department.full_clean()
        department.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=department,
            changes=diff({}, snapshot(department, DEPARTMENT_FIELDS)),
        )
    return department


def department_update(*, by: User, department: Department, data: dict[str, Any]) -> Department:
    with transaction.atomic():
        # Fresh and locked, for the same reason as in office_update.
        department = Department.objects.select_for_update().get(pk=department.pk)
        before = snapshot(department, DEPARTMENT_FIELDS)
        for key, value in data.items():
            setattr(department, key, value)
        _validate_department_code(department)
        department.full_clean()
        if department.office_id != before["office"] and department.staff.exists():
            raise ValidationError(
                {"office": _("People work in this department, so it cannot move to another office.")}
            )
        department.save()
        changes = diff(before, snapshot(department, DEPARTMENT_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=department, changes=changes)
    return department


def calendar_exception_save(
    *, by: User, data: dict[str, Any], instance: CalendarException | None = None
) -> CalendarException:
    """Create or change a transfer / extra day off / working weekend day."""
    with transaction.atomic():
        before = snapshot(instance, CALENDAR_FIELDS) if instance else {}
        row = instance or CalendarException()
        for key, value in data.items():
            setattr(row, key, value)
        row.full_clean()
        row.save()
        changes = diff(before, snapshot(row, CALENDAR_FIELDS))
        if changes:
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE if instance else AuditEntry.Action.CREATE,
                obj=row,
                changes=changes,
            )
    working_calendar.clear_cache()
    return row


def calendar_exception_delete(*, by: User, row: CalendarException) -> None:
    with transaction.atomic():
        audit_record(
            actor=by,
            action=AuditEntry.Action.DELETE,
            obj=row,
            changes=diff(snapshot(row, CALENDAR_FIELDS), {}),
        )
        row.delete()
    working_calendar.clear_cache()
