"""Writes on offices, departments and the calendar. Each validates, writes atomically and audits."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Concat, Substr
from django.db.models import Value
from django.utils.translation import gettext as _

from . import calendar as working_calendar
from .audit import audit_record, diff, snapshot
from .models import AuditEntry, CalendarException, Department, Office

OFFICE_FIELDS = ("code", "level", "parent", "region", "name_kk", "name_ru", "name_en", "is_active")
DEPARTMENT_FIELDS = ("office", "code", "name_kk", "name_ru", "name_en", "is_active")
CALENDAR_FIELDS = ("date", "kind", "reason", "legal_basis", "source_url")

# Which level may sit under which: the GPO at the root, regional offices under it, district offices below those.
_ALLOWED_PARENT_LEVEL = {
    Office.Level.GENERAL: None,
    Office.Level.REGIONAL: Office.Level.GENERAL,
    Office.Level.DISTRICT: Office.Level.REGIONAL,
}


def _segment(pk: int) -> str:
    return f"{pk:06d}."


def _validate_office_place(office: Office) -> None:
    expected_parent_level = _ALLOWED_PARENT_LEVEL.get(office.level)
    parent = office.parent
    if expected_parent_level is None:
        if parent is not None:
            raise ValidationError({"parent": _("The Prosecutor General's Office has no parent office.")})
        if Office.objects.filter(level=Office.Level.GENERAL).exclude(pk=office.pk).exists():
            raise ValidationError({"level": _("There is already a Prosecutor General's Office.")})
        return
    if parent is None:
        raise ValidationError({"parent": _("Choose the office this one reports to.")})
    if parent.level != expected_parent_level:
        raise ValidationError({"parent": _("A %(level)s must report to a %(parent_level)s.") % {
            "level": Office.Level(office.level).label, "parent_level": Office.Level(expected_parent_level).label}})
    if office.pk and parent.path.startswith(office.path):
        raise ValidationError({"parent": _("An office cannot report to itself or to an office below it.")})


def office_create(*, by: Any, data: dict[str, Any]) -> Office:
    with transaction.atomic():
        office = Office(**data)
        office.path = f"tmp-{uuid.uuid4().hex}"
        _validate_office_place(office)
        office.full_clean(exclude=["path"])
        office.save()
        office.path = (office.parent.path if office.parent else "") + _segment(office.pk)
        office.save(update_fields=["path"])
        audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=office,
                     changes=diff({}, snapshot(office, OFFICE_FIELDS)))
    return office


def office_update(*, by: Any, office: Office, data: dict[str, Any]) -> Office:
    with transaction.atomic():
        office = Office.objects.select_for_update().get(pk=office.pk)
        before = snapshot(office, OFFICE_FIELDS)
        old_path = office.path
        for key, value in data.items():
            setattr(office, key, value)
        _validate_office_place(office)
        office.full_clean(exclude=["path"])
        new_path = (office.parent.path if office.parent else "") + _segment(office.pk)
        office.path = new_path
        office.save()
        if new_path != old_path:
            # Move the whole subtree: every descendant's path keeps its tail after the old prefix.
            Office.objects.filter(path__startswith=old_path).exclude(pk=office.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        changes = diff(before, snapshot(office, OFFICE_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=office, changes=changes)
    return office


def department_create(*, by: Any, data: dict[str, Any]) -> Department:
    with transaction.atomic():
        department = Department(**data)
        department.full_clean()
        department.save()
        audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=department,
                     changes=diff({}, snapshot(department, DEPARTMENT_FIELDS)))
    return department


def department_update(*, by: Any, department: Department, data: dict[str, Any]) -> Department:
    with transaction.atomic():
        before = snapshot(department, DEPARTMENT_FIELDS)
        for key, value in data.items():
            setattr(department, key, value)
        department.full_clean()
        department.save()
        changes = diff(before, snapshot(department, DEPARTMENT_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=department, changes=changes)
    return department


def calendar_exception_save(*, by: Any, data: dict[str, Any], instance: CalendarException | None = None) -> CalendarException:
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
            audit_record(actor=by, action=AuditEntry.Action.UPDATE if instance else AuditEntry.Action.CREATE,
                         obj=row, changes=changes)
    working_calendar.clear_cache()
    return row


def calendar_exception_delete(*, by: Any, row: CalendarException) -> None:
    with transaction.atomic():
        audit_record(actor=by, action=AuditEntry.Action.DELETE, obj=row,
                     changes=diff(snapshot(row, CALENDAR_FIELDS), {}))
        row.delete()
    working_calendar.clear_cache()
