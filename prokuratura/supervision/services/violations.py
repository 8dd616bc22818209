"""Violations of the law found in an inspection, or while answering an appeal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import can_see_appeal
from prokuratura.appeals.access import may_change as may_change_appeal
from prokuratura.appeals.models import Appeal
from prokuratura.core.record_services import (
    create_audited,
    date_error,
    existing,
    require_staff,
    update_audited,
)

from ..models import Inspection, Violation, ViolationCategory
from ..transitions import INSPECTION_OPEN

FIELDS = (
    "office",
    "inspection",
    "appeal",
    "found_on",
    "description",
    "law_violated",
    "category",
    "persons_affected",
    "damage",
    "sensitivity",
)
EDITABLE_FIELDS = ("found_on", "description", "law_violated", "category", "persons_affected", "damage")


@dataclass
class ViolationData:
    found_on: dt.date
    description: str
    law_violated: str
    category: str
    persons_affected: int = 0
    damage: Decimal = Decimal("0")


def _validate(data: ViolationData, *, not_before: dt.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if not data.description.strip():
        errors.setdefault("description", []).append(_("Describe the violation."))
    if not data.law_violated.strip():
        errors.setdefault("law_violated", []).append(_("Name the act and the article violated."))
    if data.category not in ViolationCategory.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    if data.persons_affected < 0:
        errors.setdefault("persons_affected", []).append(_("The number cannot be negative."))
    if data.damage < 0:
        errors.setdefault("damage", []).append(_("The amount cannot be negative."))
    if (error := date_error(data.found_on)) is not None:
        errors.setdefault("found_on", []).append(error)
    elif not_before is not None and data.found_on < not_before:
        errors.setdefault("found_on", []).append(
            _("A violation is found during the inspection, not before it.")
        )
    if errors:
        raise ValidationError(errors)


def _where_found(*, by: User, inspection: Inspection | None, appeal: Appeal | None) -> None:
    from ..access import may_change_inspection

    if (inspection is None) == (appeal is None):
        raise ValidationError(_("A violation is found in an inspection or while answering an appeal."))
    if inspection is not None:
        if not may_change_inspection(user=by, inspection=inspection):
            raise PermissionDenied(
                _("Only the responsible prosecutor or a head records the inspection's findings.")
            )
        if inspection.status not in INSPECTION_OPEN:
            raise ValidationError(_("The inspection is closed or cancelled: it takes no new findings."))
    if appeal is not None and not (
        can_see_appeal(user=by, appeal=appeal) and may_change_appeal(user=by, appeal=appeal)
    ):
        raise PermissionDenied(_("Only who works on the appeal records what it revealed."))


def violation_record(
    *,
    by: User,
    data: ViolationData,
    inspection: Inspection | None = None,
    appeal: Appeal | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Violation:
    """Record a violation found in `inspection`, or while answering `appeal` (exactly one)."""
    by = require_staff(by, Perm.SUPERVISION_WORK)
    found = existing(Violation, submission_key)
    if found is not None:
        return found
    _where_found(by=by, inspection=inspection, appeal=appeal)
    _validate(data, not_before=inspection.period_start if inspection else None)
    source = inspection or appeal
    violation = Violation(
        office=source.office,  # type: ignore[union-attr]
        sensitivity=source.sensitivity,  # type: ignore[union-attr]
        inspection=inspection,
        appeal=appeal,
        found_on=data.found_on,
        description=data.description.strip(),
        law_violated=data.law_violated.strip(),
        category=data.category,
        persons_affected=data.persons_affected,
        damage=data.damage,
        created_by=by,
    )
    return create_audited(
        by=by, record=violation, fields=FIELDS, submission_key=submission_key, request=request
    )


def violation_update(
    *, by: User, violation: Violation, data: ViolationData, request: HttpRequest | None = None
) -> Violation:
    from ..access import may_change_violation

    by = require_staff(by, Perm.SUPERVISION_WORK)
    if not may_change_violation(user=by, violation=violation):
        raise PermissionDenied(_("You may not change this violation."))
    inspection = violation.inspection
    if inspection is not None and inspection.status not in INSPECTION_OPEN:
        raise ValidationError(_("The inspection is closed or cancelled: its findings are final."))
    _validate(data, not_before=inspection.period_start if inspection else None)
    changes = {name: getattr(data, name) for name in EDITABLE_FIELDS}
    changes["description"] = data.description.strip()
    changes["law_violated"] = data.law_violated.strip()
    return update_audited(by=by, record=violation, changes=changes, fields=EDITABLE_FIELDS, request=request)
