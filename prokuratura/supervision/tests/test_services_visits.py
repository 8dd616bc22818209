"""Visits to places of detention (supervision.services.visits): restricted by default, only a head opens one to
more readers, torture or ill-treatment alleged names the persons concerned."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry, Sensitivity
from prokuratura.supervision.models import DetentionVisit
from prokuratura.supervision.services import VisitData, facility_save, visit_record, visit_update

from .factories import make_facility, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def data(facility, **overrides):
    values = {
        "facility": facility,
        "visited_on": TODAY,
        "findings": "Переполненность камер; жалобы на применение силы",
        "ill_treatment_alleged": True,
        "persons_concerned": "Ержанов А.К.",
        "persons_count": 1,
    }
    values.update(overrides)
    return VisitData(**values)


def test_a_visit_is_the_visitors_own_in_their_office_and_restricted(cast):
    visit = make_visit(by=cast.prosecutor_astana)
    assert (visit.office, visit.prosecutor, visit.sensitivity) == (
        cast.prosecutor_astana.office,
        cast.prosecutor_astana,
        Sensitivity.RESTRICTED,
    )
    (entry,) = AuditEntry.objects.filter(action="create", object_type=object_label(visit))
    assert entry.changes["persons_concerned"]["after"] == "Ержанов А.К., 1990 г.р."


def test_only_a_head_opens_a_visit_to_more_readers(cast):
    facility = make_facility()
    with pytest.raises(PermissionDenied):
        visit_record(by=cast.prosecutor_astana, data=data(facility, sensitivity=Sensitivity.INTERNAL))
    assert not DetentionVisit.objects.exists()
    visit = visit_record(by=cast.head_astana, data=data(facility, sensitivity=Sensitivity.INTERNAL))
    assert visit.sensitivity == Sensitivity.INTERNAL
    mine = make_visit(by=cast.prosecutor_astana, facility=facility)
    with pytest.raises(PermissionDenied):
        visit_update(
            by=cast.prosecutor_astana, visit=mine, data=data(facility, sensitivity=Sensitivity.INTERNAL)
        )
    assert DetentionVisit.objects.get(pk=mine.pk).sensitivity == Sensitivity.RESTRICTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"visited_on": TODAY + dt.timedelta(days=1)}, "visited_on"),
        ({"findings": "  "}, "findings"),
        ({"persons_count": -1}, "persons_count"),
        ({"torture_alleged": True, "persons_concerned": ""}, "persons_concerned"),
        ({"sensitivity": "secret"}, "sensitivity"),
    ],
)
def test_bad_input_is_refused_on_its_field(cast, overrides, field):
    with pytest.raises(ValidationError) as refused:
        visit_record(by=cast.prosecutor_astana, data=data(make_facility(), **overrides))
    assert field in refused.value.message_dict
    assert not DetentionVisit.objects.exists()


def test_a_facility_no_longer_in_use_is_refused(cast):
    facility = facility_save(by=cast.admin, facility=make_facility(), data={"is_active": False})
    with pytest.raises(ValidationError) as refused:
        visit_record(by=cast.prosecutor_astana, data=data(facility))
    assert "facility" in refused.value.message_dict


@pytest.mark.parametrize("who", ["registrar_astana", "analyst", "auditor", "admin"])
def test_only_supervising_staff_record_visits(cast, who):
    with pytest.raises(PermissionDenied):
        visit_record(by=getattr(cast, who), data=data(make_facility()))


def test_a_retry_with_the_same_submission_key_records_one_visit(cast):
    facility = make_facility()
    first = visit_record(by=cast.prosecutor_astana, data=data(facility), submission_key="form:visit")
    again = visit_record(by=cast.prosecutor_astana, data=data(facility), submission_key="form:visit")
    assert again.pk == first.pk and DetentionVisit.objects.count() == 1


def test_the_visitor_or_a_head_corrects_a_visit_audited(cast):
    visit = make_visit(by=cast.prosecutor_astana)
    updated = visit_update(
        by=cast.prosecutor_astana, visit=visit, data=data(visit.facility, follow_up="Внесено представление")
    )
    assert updated.follow_up == "Внесено представление"
    entry = AuditEntry.objects.filter(action="update", object_type=object_label(visit)).latest("id")
    assert entry.changes["follow_up"] == {"before": "", "after": "Внесено представление"}
    with pytest.raises(PermissionDenied):
        visit_update(by=cast.prosecutor_almaty, visit=visit, data=data(visit.facility))
    assert (
        visit_update(by=cast.head_gpo, visit=visit, data=data(visit.facility, persons_count=2)).persons_count
        == 2
    )
