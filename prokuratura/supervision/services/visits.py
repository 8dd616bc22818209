"""Visits to places of detention: what the prosecutor found, including alleged torture or ill-treatment, and the
persons concerned. Restricted by default (supervision.access); follow-up acts are drafted on the visit
(acts.act_draft with `visit`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.models import Sensitivity
from prokuratura.core.record_services import (
    create_audited,
    date_error,
    existing,
    require_staff,
    update_audited,
)

from ..models import DetentionVisit, Facility

FIELDS = (
    "office",
    "facility",
    "visited_on",
    "prosecutor",
    "unannounced",
    "findings",
    "torture_alleged",
    "ill_treatment_alleged",
    "persons_concerned",
    "persons_count",
    "follow_up",
    "sensitivity",
)
EDITABLE_FIELDS = FIELDS[2:]


@dataclass
class VisitData:
    facility: Facility
    visited_on: dt.date
    findings: str
    unannounced: bool = True
    torture_alleged: bool = False
    ill_treatment_alleged: bool = False
    persons_concerned: str = ""
    persons_count: int = 0
    follow_up: str = ""
    # Restricted unless a head decides otherwise: the persons concerned are named here.
    sensitivity: str = Sensitivity.RESTRICTED


def _validate(data: VisitData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.facility.is_active:
        errors.setdefault("facility", []).append(_("This place of detention is no longer in use."))
    if (error := date_error(data.visited_on)) is not None:
        errors.setdefault("visited_on", []).append(error)
    if not data.findings.strip():
        errors.setdefault("findings", []).append(_("Describe what the visit found."))
    if data.persons_count < 0:
        errors.setdefault("persons_count", []).append(_("The number cannot be negative."))
    if (data.torture_alleged or data.ill_treatment_alleged) and not data.persons_concerned.strip():
        errors.setdefault("persons_concerned", []).append(
            _("Name the persons concerned by the alleged torture or ill-treatment.")
        )
    if data.sensitivity not in Sensitivity.values:
        errors.setdefault("sensitivity", []).append(_("Choose who may read the record."))
    if errors:
        raise ValidationError(errors)


def visit_record(
    *, by: User, data: VisitData, submission_key: str | None = None, request: HttpRequest | None = None
) -> DetentionVisit:
    """Record the actor's visit to a place of detention, in the actor's office."""
    by = require_staff(by, Perm.SUPERVISION_WORK)
    found = existing(DetentionVisit, submission_key)
    if found is not None:
        return found
    if by.office is None:
        raise ValidationError(_("You are not attached to an office."))
    _validate(data)
    if data.sensitivity != Sensitivity.RESTRICTED and not by.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head opens a visit's record to more readers."))
    visit = DetentionVisit(
        office=by.office,
        prosecutor=by,
        created_by=by,
        facility=data.facility,
        visited_on=data.visited_on,
        unannounced=data.unannounced,
        findings=data.findings.strip(),
        torture_alleged=data.torture_alleged,
        ill_treatment_alleged=data.ill_treatment_alleged,
        persons_concerned=data.persons_concerned.strip(),
        persons_count=data.persons_count,
        follow_up=data.follow_up.strip(),
        sensitivity=data.sensitivity,
    )
    return create_audited(by=by, record=visit, fields=FIELDS, submission_key=submission_key, request=request)


def visit_update(
    *, by: User, visit: DetentionVisit, data: VisitData, request: HttpRequest | None = None
) -> DetentionVisit:
    from ..access import may_change_visit

    by = require_staff(by, Perm.SUPERVISION_WORK)
    if not may_change_visit(user=by, visit=visit):
        raise PermissionDenied(_("You may not change this visit."))
    _validate(data)
    if data.sensitivity != visit.sensitivity and not by.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head opens a visit's record to more readers."))
    changes = {
        "facility": data.facility,
        "visited_on": data.visited_on,
        "unannounced": data.unannounced,
        "findings": data.findings.strip(),
        "torture_alleged": data.torture_alleged,
        "ill_treatment_alleged": data.ill_treatment_alleged,
        "persons_concerned": data.persons_concerned.strip(),
        "persons_count": data.persons_count,
        "follow_up": data.follow_up.strip(),
        "sensitivity": data.sensitivity,
    }
    return update_audited(by=by, record=visit, changes=changes, fields=EDITABLE_FIELDS, request=request)
