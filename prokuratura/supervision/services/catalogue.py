"""The administrator's corrections of the law-as-data catalogue (act types) and of the places of detention.

A correction of an act type names its source (the article, the official publication); it is saved in one
transaction and audited with the source as the reason. Marking a row verified says it was checked against the
law's published text.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.record_services import create_audited, require_staff, update_audited

from ..models import ActTemplate, ActType, Facility

ACT_TYPE_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "answered_by",
    "term_value",
    "term_unit",
    "end_moves_to_working_day",
    "legal_source",
    "legal_source_kk",
    "legal_source_ru",
    "source_url",
    "verified",
    "note",
    "note_kk",
    "note_ru",
    "is_active",
)
FACILITY_FIELDS = (
    "code",
    "kind",
    "region",
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "authority",
    "source",
    "is_active",
)


def act_type_update(
    *, by: User, act_type: ActType, changes: dict[str, Any], source: str, request: HttpRequest | None = None
) -> ActType:
    """Correct an act type's facts. `source` (required) says where the corrected fact comes from."""
    by = require_staff(by, Perm.SUPERVISION_MANAGE)
    if not source.strip():
        raise ValidationError(
            {"source": _("Name the source of the correction (the article, the publication).")}
        )
    unknown = set(changes) - set(ACT_TYPE_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    return update_audited(
        by=by,
        record=act_type,
        changes=changes,
        fields=ACT_TYPE_FIELDS,
        request=request,
        reason=source.strip(),
    )


def act_template_save(
    *, by: User, act_type: ActType, language: str, subject: str, body: str, request: HttpRequest | None = None
) -> ActTemplate:
    """Create or edit the template an act of the type starts from, in one language."""
    from prokuratura.appeals.services.letters import template_check

    by = require_staff(by, Perm.SUPERVISION_MANAGE)
    template_check(body=body, subject=subject)
    current = ActTemplate.objects.filter(act_type=act_type, language=language).first()
    if current is None:
        return create_audited(
            by=by,
            record=ActTemplate(
                act_type=act_type, language=language, subject=subject.strip(), body=body.strip()
            ),
            fields=("act_type", "language", "subject", "body"),
            submission_key=None,
            request=request,
            exclude=["submission_key"],
        )
    return update_audited(
        by=by,
        record=current,
        changes={"subject": subject.strip(), "body": body.strip()},
        fields=("subject", "body"),
        request=request,
    )


def facility_save(
    *, by: User, data: dict[str, Any], facility: Facility | None = None, request: HttpRequest | None = None
) -> Facility:
    by = require_staff(by, Perm.SUPERVISION_MANAGE)
    unknown = set(data) - set(FACILITY_FIELDS)
    if unknown:
        raise ValueError(f"not a facility's field: {sorted(unknown)}")
    if facility is None:
        return create_audited(
            by=by, record=Facility(**data), fields=FACILITY_FIELDS, submission_key=None, request=request
        )
    return update_audited(by=by, record=facility, changes=data, fields=FACILITY_FIELDS, request=request)
