"""Inspections: planning one (from an appeal, an instruction, the plan, a media report, another body's information)
and the step services of its lifecycle (supervision.transitions.INSPECTIONS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import can_see_appeal
from prokuratura.appeals.models import Appeal
from prokuratura.core.actors import Actor
from prokuratura.core.models import CrimeCategory, Office, Sensitivity
from prokuratura.core.record_services import (
    EARLIEST_DATE,
    check_office,
    create_audited,
    date_error,
    existing,
    require_staff,
    update_audited,
)

from ..models import Ground, Inspection, InspectionCounter, InspectionKind, InspectionStatus, SubjectKind
from ..transitions import INSPECTIONS

# An inspection is planned at most this many years ahead (a later year is a typo).
PLAN_YEARS_AHEAD = 2

CREATED_FIELDS = (
    "number",
    "office",
    "kind",
    "ground",
    "ground_appeal",
    "ground_detail",
    "subject_kind",
    "subject_name",
    "subject_bin",
    "subject_official",
    "period_start",
    "period_end",
    "responsible",
    "topics",
    "sensitivity",
)
# What may be corrected before the inspection is completed (inspection_update).
EDITABLE_FIELDS = (
    "kind",
    "ground",
    "ground_appeal",
    "ground_detail",
    "subject_kind",
    "subject_name",
    "subject_bin",
    "subject_official",
    "period_start",
    "responsible",
    "topics",
    "sensitivity",
)


@dataclass
class InspectionData:
    office: Office
    kind: str
    ground: str
    subject_kind: str
    subject_name: str
    period_start: dt.date
    period_end: dt.date
    responsible: User
    ground_appeal: Appeal | None = None
    ground_detail: str = ""
    subject_bin: str = ""
    subject_official: str = ""
    topics: str = ""
    crime_categories: list[CrimeCategory] = field(default_factory=list)
    sensitivity: str = Sensitivity.INTERNAL


def _validate(*, by: User, data: InspectionData) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in InspectionKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of inspection."))
    if data.subject_kind not in SubjectKind.values:
        errors.setdefault("subject_kind", []).append(_("Choose what is inspected."))
    if data.subject_kind == SubjectKind.ORGANISATION and not data.subject_bin.strip():
        errors.setdefault("subject_bin", []).append(_("An organisation is identified by its BIN."))
    if data.subject_kind == SubjectKind.OFFICIAL and not data.subject_official.strip():
        errors.setdefault("subject_official", []).append(_("Name the official inspected."))
    if data.ground == Ground.APPEAL:
        if data.ground_appeal is None:
            errors.setdefault("ground_appeal", []).append(_("Name the appeal that is the ground."))
        elif not can_see_appeal(user=by, appeal=data.ground_appeal):
            errors.setdefault("ground_appeal", []).append(_("No such appeal."))
    elif data.ground_appeal is not None:
        errors.setdefault("ground_appeal", []).append(_("An appeal is named only when it is the ground."))
    if (
        data.ground in (Ground.INSTRUCTION, Ground.MEDIA, Ground.OTHER_BODY)
        and not data.ground_detail.strip()
    ):
        errors.setdefault("ground_detail", []).append(
            _("Say which instruction, report or information this is.")
        )
    if data.period_start < EARLIEST_DATE:
        errors.setdefault("period_start", []).append(_("The date is too far in the past."))
    if data.period_end.year > timezone.localdate().year + PLAN_YEARS_AHEAD:
        errors.setdefault("period_end", []).append(_("The date is too far in the future."))
    if data.period_end < data.period_start:
        errors.setdefault("period_end", []).append(_("The period ends before it starts."))
    responsible = data.responsible
    if not (
        responsible.is_active
        and responsible.has_perm(Perm.SUPERVISION_WORK)
        and responsible.office is not None
        and responsible.office.is_within(data.office)
    ):
        errors.setdefault("responsible", []).append(
            _("The responsible prosecutor works in the inspection's office or an office below it.")
        )
    if errors:
        raise ValidationError(errors)


def inspection_create(
    *,
    by: User,
    data: InspectionData,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Inspection:
    """Plan an inspection in the actor's office or below it. It is numbered per office and year
    (e.g. ``ALM-2026/П-7``) and starts "planned"."""
    by = require_staff(by, Perm.SUPERVISION_WORK)
    found = existing(Inspection, submission_key)
    if found is not None:
        return found
    # Planned in the actor's office or below; a correction keeps the office (inspection_update), so the responsible
    # prosecutor of an office below may correct an inspection a head planned in the office above.
    check_office(by=by, office=data.office)
    _validate(by=by, data=data)
    inspection = Inspection(
        office=data.office,
        kind=data.kind,
        ground=data.ground,
        ground_appeal=data.ground_appeal,
        ground_detail=data.ground_detail.strip(),
        subject_kind=data.subject_kind,
        subject_name=data.subject_name.strip(),
        subject_bin=data.subject_bin.strip(),
        subject_official=data.subject_official.strip(),
        period_start=data.period_start,
        period_end=data.period_end,
        responsible=data.responsible,
        topics=data.topics.strip(),
        sensitivity=data.sensitivity,
        created_by=by,
        number="-",
    )

    def numbered(record: Inspection) -> None:
        year = record.period_start.year
        sequence = InspectionCounter.next(record.office, year)
        record.number = inspection_number(record.office, year, sequence)
        record.save(update_fields=["number"])
        record.crime_categories.set(data.crime_categories)
        INSPECTIONS.record_history(record=record, by=by, step="create")

    with transaction.atomic():
        return create_audited(
            by=by,
            record=inspection,
            fields=CREATED_FIELDS,
            submission_key=submission_key,
            request=request,
            after_save=numbered,
            exclude=["number"],
        )


def inspection_number(office: Office, year: int, sequence: int) -> str:
    # П for «проверка», as the office's register writes it in either language.
    return f"{office.code}-{year}/П-{sequence}"


def inspection_update(
    *, by: User, inspection: Inspection, data: InspectionData, request: HttpRequest | None = None
) -> Inspection:
    """Correct an inspection's details while it is not yet completed (the period's end moves only by `extend`)."""
    from ..access import may_change_inspection
    from ..transitions import INSPECTION_RUNNING

    by = require_staff(by, Perm.SUPERVISION_WORK)
    if not may_change_inspection(user=by, inspection=inspection):
        raise PermissionDenied(_("You may not change this inspection."))
    if inspection.status not in ({InspectionStatus.PLANNED} | INSPECTION_RUNNING):
        raise ValidationError(_("A completed, closed or cancelled inspection is not changed."))
    data.office = inspection.office
    data.period_end = inspection.period_end
    _validate(by=by, data=data)
    changes = {name: getattr(data, name) for name in EDITABLE_FIELDS}
    with transaction.atomic():
        updated = update_audited(
            by=by, record=inspection, changes=changes, fields=EDITABLE_FIELDS, request=request
        )
        updated.crime_categories.set(data.crime_categories)
    return updated


# --- the lifecycle's steps -------------------------------------------------------------------------------------


def inspection_order(
    *, by: Actor, inspection: Inspection, reason: str = "", request: HttpRequest | None = None
) -> Inspection:
    return INSPECTIONS.transition(step="order", by=by, record=inspection, reason=reason, request=request)


def inspection_start(*, by: Actor, inspection: Inspection, request: HttpRequest | None = None) -> Inspection:
    return INSPECTIONS.transition(step="start", by=by, record=inspection, request=request)


def inspection_extend(
    *, by: Actor, inspection: Inspection, until: dt.date, reason: str, request: HttpRequest | None = None
) -> Inspection:
    if until <= inspection.period_end:
        raise ValidationError({"until": _("The new end of the period must be later than the present one.")})
    if until.year > timezone.localdate().year + PLAN_YEARS_AHEAD:
        raise ValidationError({"until": _("The date is too far in the future.")})
    return INSPECTIONS.transition(
        step="extend",
        by=by,
        record=inspection,
        reason=reason,
        changes={"period_end": until},
        request=request,
    )


def inspection_complete(
    *,
    by: Actor,
    inspection: Inspection,
    results: str,
    completed_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Inspection:
    completed_on = completed_on or timezone.localdate()
    if not results.strip():
        raise ValidationError({"results": _("Describe what the inspection found.")})
    if (error := date_error(completed_on)) is not None:
        raise ValidationError({"completed_on": error})
    if completed_on < inspection.period_start:
        raise ValidationError({"completed_on": _("The inspection cannot end before its period starts.")})
    return INSPECTIONS.transition(
        step="complete",
        by=by,
        record=inspection,
        changes={"results": results.strip(), "completed_on": completed_on},
        request=request,
    )


def inspection_implement(
    *, by: Actor, inspection: Inspection, reason: str = "", request: HttpRequest | None = None
) -> Inspection:
    return INSPECTIONS.transition(step="implement", by=by, record=inspection, reason=reason, request=request)


def inspection_close(
    *, by: Actor, inspection: Inspection, reason: str = "", request: HttpRequest | None = None
) -> Inspection:
    return INSPECTIONS.transition(step="close", by=by, record=inspection, reason=reason, request=request)


def inspection_cancel(
    *, by: Actor, inspection: Inspection, reason: str, request: HttpRequest | None = None
) -> Inspection:
    return INSPECTIONS.transition(step="cancel", by=by, record=inspection, reason=reason, request=request)
