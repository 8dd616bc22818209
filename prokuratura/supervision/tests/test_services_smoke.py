import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prokuratura.supervision.models import ActStatus, InspectionStatus
from prokuratura.supervision.services import act_record_reply, inspection_complete

from .factories import make_act, make_facility, make_inspection, make_violation, make_visit

pytestmark = pytest.mark.django_db


def test_the_whole_path(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    assert inspection.status == InspectionStatus.IN_PROGRESS
    assert inspection.number.startswith("AST-01-")
    v1 = make_violation(by=cast.prosecutor_astana, inspection=inspection)
    act = make_act(
        by=cast.prosecutor_astana,
        inspection=inspection,
        violations=[v1],
        issue=True,
        code="protest",
        issued_on=dt.date(2026, 12, 1),
    )
    assert act.status == ActStatus.ISSUED
    assert act.number == "AST-01-2026/Н-1"
    assert act.due_date is not None
    with pytest.raises(ValidationError):
        act_record_reply(
            by=cast.prosecutor_astana, act=act, reply_on=dt.date(2026, 11, 30), result="satisfied"
        )
    act = act_record_reply(
        by=cast.prosecutor_astana, act=act, reply_on=dt.date(2026, 12, 3), result="satisfied"
    )
    assert act.status == ActStatus.REPLIED
    inspection = inspection_complete(
        by=cast.prosecutor_astana, inspection=inspection, results="Нарушения выявлены"
    )
    assert inspection.status == InspectionStatus.COMPLETED
    facility = make_facility()
    with pytest.raises(PermissionDenied):
        make_visit(by=cast.registrar_astana, facility=facility)
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    assert visit.sensitivity == "restricted"
