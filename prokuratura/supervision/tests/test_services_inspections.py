"""Planning and correcting inspections, and the steps' own checks (supervision.services.inspections)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.tests.factories import register
from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry, CrimeCategory
from prokuratura.supervision.models import (
    Ground,
    Inspection,
    InspectionStatus,
    InspectionTransition,
    SubjectKind,
)
from prokuratura.supervision.services import (
    inspection_complete,
    inspection_create,
    inspection_extend,
    inspection_update,
)

from .factories import VALID_BIN, inspection_data, make_inspection

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_inspections_are_numbered_per_office_and_year_of_their_period(cast):
    first = make_inspection(by=cast.prosecutor_astana)
    second = make_inspection(by=cast.prosecutor_astana)
    year = first.period_start.year
    assert (first.number, second.number) == (f"AST-01-{year}/П-1", f"AST-01-{year}/П-2")
    other_office = make_inspection(by=cast.prosecutor_almaty)
    assert other_office.number == f"ALA-{other_office.period_start.year}/П-1"
    last_year = make_inspection(
        by=cast.prosecutor_astana, period_start=dt.date(2025, 11, 3), period_end=dt.date(2025, 12, 26)
    )
    assert last_year.number == "AST-01-2025/П-1"


def test_a_planned_inspection_has_its_history_and_audit_entry(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    assert inspection.status == InspectionStatus.PLANNED
    (created,) = InspectionTransition.objects.filter(inspection=inspection)
    assert (created.step, created.to_status, created.by) == ("create", "planned", cast.prosecutor_astana)
    (entry,) = AuditEntry.objects.filter(action="create", object_type=object_label(inspection))
    assert entry.changes["number"] == {"before": None, "after": inspection.number}
    assert entry.changes["subject_name"]["after"] == "Акимат района Есиль"


def test_a_retry_with_the_same_submission_key_returns_the_first_inspection(cast):
    data = inspection_data(office=cast.prosecutor_astana.office, responsible=cast.prosecutor_astana)
    first = inspection_create(by=cast.prosecutor_astana, data=data, submission_key="form:abc")
    again = inspection_create(by=cast.prosecutor_astana, data=data, submission_key="form:abc")
    assert again.pk == first.pk and again.number == first.number
    assert Inspection.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type=object_label(first)).count() == 1
    assert InspectionTransition.objects.filter(inspection=first).count() == 1
    third = inspection_create(by=cast.prosecutor_astana, data=data, submission_key="form:other")
    assert third.number.endswith("/П-2")


def test_an_inspection_on_an_appeal_links_it_both_ways(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    inspection = make_inspection(by=cast.prosecutor_astana, ground=Ground.APPEAL, ground_appeal=appeal)
    assert inspection.ground_appeal == appeal
    assert list(appeal.inspections.all()) == [inspection]


def test_a_head_plans_an_inspection_in_an_office_below_with_its_prosecutor(cast, offices):
    focus = CrimeCategory.objects.create(
        code="focus_test_labour",
        kind="focus",
        name_en="Labour rights",
        name_ru="Трудовые права",
        name_kk="Еңбек",
    )
    inspection = make_inspection(
        by=cast.head_astana,
        responsible=cast.prosecutor_astana,
        office=offices.astana,
        crime_categories=[focus],
    )
    assert (inspection.office, inspection.responsible) == (offices.astana, cast.prosecutor_astana)
    assert list(inspection.crime_categories.all()) == [focus]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_end": TODAY - dt.timedelta(days=30)}, "period_end"),
        ({"subject_kind": SubjectKind.ORGANISATION, "subject_bin": ""}, "subject_bin"),
        ({"subject_kind": SubjectKind.ORGANISATION, "subject_bin": "123456789012"}, "subject_bin"),
        ({"subject_kind": SubjectKind.OFFICIAL, "subject_official": " "}, "subject_official"),
        ({"ground": Ground.APPEAL}, "ground_appeal"),
        ({"ground": Ground.MEDIA, "ground_detail": ""}, "ground_detail"),
        ({"ground": Ground.INSTRUCTION, "ground_detail": ""}, "ground_detail"),
        ({"kind": "surprise"}, "kind"),
        ({"subject_name": ""}, "subject_name"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(cast, overrides, field):
    with pytest.raises(ValidationError) as refused:
        make_inspection(by=cast.prosecutor_astana, **overrides)
    assert field in refused.value.message_dict
    assert not Inspection.objects.exists()
    assert not AuditEntry.objects.filter(action="create", object_type="supervision.inspection").exists()


def test_an_organisation_with_a_valid_bin_is_accepted(cast):
    inspection = make_inspection(
        by=cast.prosecutor_astana, subject_kind=SubjectKind.ORGANISATION, subject_bin=VALID_BIN
    )
    assert inspection.subject_bin == VALID_BIN


def test_an_appeal_named_without_being_the_ground_is_refused(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    with pytest.raises(ValidationError) as refused:
        make_inspection(
            by=cast.head_astana,
            office=offices.astana,
            responsible=cast.prosecutor_astana,
            ground_appeal=appeal,
        )
    assert "ground_appeal" in refused.value.message_dict


def test_an_appeal_the_planner_may_not_see_is_no_such_appeal(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)  # AST office, nobody assigned
    with pytest.raises(ValidationError) as refused:
        make_inspection(by=cast.prosecutor_astana, ground=Ground.APPEAL, ground_appeal=appeal)
    assert refused.value.message_dict == {"ground_appeal": ["No such appeal."]}


def test_the_office_is_the_planners_or_below_and_the_responsible_works_there(cast, offices):
    with pytest.raises(ValidationError) as refused:
        make_inspection(by=cast.prosecutor_astana, office=offices.almaty)
    assert "office" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_inspection(by=cast.head_astana, responsible=cast.prosecutor_almaty, office=offices.astana)
    assert "responsible" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # a registrar holds no `supervision.work`
        make_inspection(by=cast.head_astana, responsible=cast.registrar_astana, office=offices.astana)
    assert "responsible" in refused.value.message_dict
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("who", ["registrar_astana", "analyst", "auditor", "admin", "outsider"])
def test_only_supervising_staff_plan_inspections(cast, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        inspection_create(
            by=user,
            data=inspection_data(office=cast.prosecutor_astana.office, responsible=cast.prosecutor_astana),
        )
    assert not Inspection.objects.exists()


# --- corrections ------------------------------------------------------------------------------------------------


def test_correcting_an_inspection_is_audited_and_keeps_the_periods_end(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    data = inspection_data(
        office=inspection.office,
        responsible=cast.prosecutor_astana,
        subject_name="Акимат города Астаны",
        period_end=TODAY + dt.timedelta(days=300),  # ignored: only `extend` moves it
    )
    updated = inspection_update(by=cast.prosecutor_astana, inspection=inspection, data=data)
    assert updated.subject_name == "Акимат города Астаны"
    assert updated.period_end == inspection.period_end
    (entry,) = AuditEntry.objects.filter(action="update", object_type=object_label(inspection))
    assert entry.changes == {
        "subject_name": {"before": "Акимат района Есиль", "after": "Акимат города Астаны"}
    }


def test_a_completed_inspection_is_not_corrected(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    inspection = inspection_complete(
        by=cast.prosecutor_astana, inspection=inspection, results="Нарушений нет"
    )
    data = inspection_data(
        office=inspection.office, responsible=cast.prosecutor_astana, subject_name="Другое"
    )
    with pytest.raises(ValidationError):
        inspection_update(by=cast.prosecutor_astana, inspection=inspection, data=data)
    assert Inspection.objects.get(pk=inspection.pk).subject_name == "Акимат района Есиль"


def test_a_colleague_may_not_correct_an_inspection(cast):
    from prokuratura.accounts.roles import Role
    from prokuratura.accounts.tests.factories import UserFactory

    colleague = UserFactory(
        username="colleague", office=cast.prosecutor_astana.office, roles=[Role.PROSECUTOR]
    )
    inspection = make_inspection(by=cast.prosecutor_astana)
    data = inspection_data(office=inspection.office, responsible=colleague, subject_name="Другое")
    with pytest.raises(PermissionDenied):
        inspection_update(by=colleague, inspection=inspection, data=data)


# --- the steps' own checks --------------------------------------------------------------------------------------


def test_extending_needs_a_later_end(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    with pytest.raises(ValidationError) as refused:
        inspection_extend(
            by=cast.head_astana, inspection=inspection, until=inspection.period_end, reason="Объём"
        )
    assert "until" in refused.value.message_dict
    later = inspection.period_end + dt.timedelta(days=14)
    extended = inspection_extend(by=cast.head_astana, inspection=inspection, until=later, reason="Объём")
    assert (extended.status, extended.period_end) == (InspectionStatus.IN_PROGRESS, later)
    entry = AuditEntry.objects.filter(action="transition", object_type=object_label(inspection)).latest("id")
    assert entry.changes["period_end"]["after"] == later.isoformat()
    assert entry.reason == "Объём"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"results": "  "}, "results"),
        ({"results": "Нарушения", "completed_on": TODAY + dt.timedelta(days=1)}, "completed_on"),
        ({"results": "Нарушения", "completed_on": TODAY - dt.timedelta(days=60)}, "completed_on"),
    ],
)
def test_completing_checks_the_results_and_the_date(cast, kwargs, field):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    with pytest.raises(ValidationError) as refused:
        inspection_complete(by=cast.prosecutor_astana, inspection=inspection, **kwargs)
    assert field in refused.value.message_dict
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.IN_PROGRESS


def test_the_responsible_prosecutor_corrects_an_inspection_of_the_office_above(cast, offices):
    # Planned by the city office's head with the district prosecutor responsible: the office stays the city's, and
    # the prosecutor (who may change it, as the lifecycle's RESPONSIBLE rule says) corrects it.
    inspection = make_inspection(
        by=cast.head_astana, responsible=cast.prosecutor_astana, office=offices.astana
    )
    data = inspection_data(office=offices.astana, responsible=cast.prosecutor_astana, topics="Охрана труда")
    updated = inspection_update(by=cast.prosecutor_astana, inspection=inspection, data=data)
    assert (updated.office, updated.topics) == (offices.astana, "Охрана труда")


def test_dates_out_of_any_reason_are_refused_and_nothing_is_saved(cast):
    before = Inspection.objects.count()
    with pytest.raises(ValidationError) as caught:
        inspection_create(
            by=cast.prosecutor_astana,
            data=inspection_data(
                office=cast.prosecutor_astana.office,
                responsible=cast.prosecutor_astana,
                period_start=dt.date(1, 1, 1),
                period_end=dt.date(9999, 12, 31),
            ),
        )
    assert caught.value.message_dict["period_start"] == ["The date is too far in the past."]
    assert caught.value.message_dict["period_end"] == ["The date is too far in the future."]
    assert Inspection.objects.count() == before
