"""Supervision records for tests, made through the services so numbers, due dates, history and audit are real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from prokuratura.core.models import Region

from ..models import ActType, Facility, FacilityKind, Ground, InspectionKind, SubjectKind, ViolationCategory
from ..services import (
    ActData,
    InspectionData,
    ViolationData,
    VisitData,
    act_draft,
    act_issue,
    inspection_create,
    inspection_order,
    inspection_start,
    violation_record,
    visit_record,
)

VALID_BIN = "990340000123"  # a BIN whose check digit holds (core/tests/test_validators.py)


def inspection_data(*, office: Any, responsible: Any, **overrides: Any) -> InspectionData:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "office": office,
        "kind": InspectionKind.UNSCHEDULED,
        "ground": Ground.PLAN,
        "subject_kind": SubjectKind.STATE_BODY,
        "subject_name": "Акимат района Есиль",
        "period_start": today - dt.timedelta(days=10),
        "period_end": today + dt.timedelta(days=20),
        "responsible": responsible,
        "topics": "Соблюдение трудового законодательства",
    }
    values.update(overrides)
    return InspectionData(**values)


def make_inspection(
    *,
    by: Any,
    responsible: Any = None,
    office: Any = None,
    started: bool = False,
    head: Any = None,
    **overrides: Any,
):
    responsible = responsible or by
    inspection = inspection_create(
        by=by, data=inspection_data(office=office or responsible.office, responsible=responsible, **overrides)
    )
    if started:
        inspection = inspection_order(by=head, inspection=inspection)
        inspection = inspection_start(by=responsible, inspection=inspection)
    return inspection


def violation_data(**overrides: Any) -> ViolationData:
    values: dict[str, Any] = {
        "found_on": timezone.localdate(),
        "description": "Задержка выплаты заработной платы работникам на три месяца",
        "law_violated": "Трудовой кодекс РК, ст. 113",
        "category": ViolationCategory.LABOUR,
        "persons_affected": 12,
        "damage": Decimal("1500000.00"),
    }
    values.update(overrides)
    return ViolationData(**values)


def make_violation(*, by: Any, inspection: Any = None, appeal: Any = None, **overrides: Any):
    return violation_record(by=by, data=violation_data(**overrides), inspection=inspection, appeal=appeal)


def act_data(code: str = "submission", **overrides: Any) -> ActData:
    values: dict[str, Any] = {
        "act_type": ActType.objects.get(code=code),
        "addressee_name": "Акиму района Есиль",
        "addressee_official": "Сейткали Б.А.",
        "language": "ru",
        "text": "Требую рассмотреть настоящий акт и принять меры к устранению нарушений закона.",
    }
    values.update(overrides)
    return ActData(**values)


def make_act(
    *,
    by: Any,
    code: str = "submission",
    issue: bool = False,
    issued_on: dt.date | None = None,
    due_date: dt.date | None = None,
    inspection: Any = None,
    appeal: Any = None,
    visit: Any = None,
    **overrides: Any,
):
    act = act_draft(
        by=by, data=act_data(code, **overrides), inspection=inspection, appeal=appeal, visit=visit
    )
    if issue:
        act = act_issue(by=by, act=act, issued_on=issued_on, due_date=due_date)
    return act


def make_facility(
    *, region: Region | None = None, code: str = "sizo-ast-1", kind: str = FacilityKind.PRE_TRIAL
) -> Facility:
    return Facility.objects.create(
        code=code,
        kind=kind,
        region=region or Region.objects.order_by("kato_code").first(),
        name_en="Pre-trial detention centre No. 1",
        name_ru="Следственный изолятор № 1",
        name_kk="№ 1 тергеу изоляторы",
    )


def make_visit(*, by: Any, facility: Facility | None = None, **overrides: Any):
    values: dict[str, Any] = {
        "facility": facility or make_facility(),
        "visited_on": timezone.localdate(),
        "findings": "Камеры переполнены; жалобы на применение силы при задержании",
        "ill_treatment_alleged": True,
        "persons_concerned": "Ержанов А.К., 1990 г.р.",
        "persons_count": 1,
    }
    values.update(overrides)
    return visit_record(by=by, data=VisitData(**values))
