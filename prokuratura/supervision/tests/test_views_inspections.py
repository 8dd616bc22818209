"""The inspection pages: the list, planning (also from an appeal), correcting, the page with its steps, violations
and acts; recording and correcting violations."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import AuditEntry, CrimeCategory
from prokuratura.supervision.models import Ground, Inspection, InspectionStatus, Violation
from prokuratura.supervision.services import inspection_order

from .factories import VALID_BIN, make_inspection, make_violation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def plan_data(cast, offices, **overrides):
    data = {
        "office": offices.astana_district.pk,
        "kind": "unscheduled",
        "ground": "plan",
        "ground_appeal_number": "",
        "ground_detail": "",
        "subject_kind": "state_body",
        "subject_name": "Акимат района Есиль",
        "subject_bin": "",
        "subject_official": "",
        "period_start": (TODAY - dt.timedelta(days=2)).isoformat(),
        "period_end": (TODAY + dt.timedelta(days=28)).isoformat(),
        "responsible": cast.prosecutor_astana.pk,
        "topics": "Соблюдение трудового законодательства",
        "sensitivity": "internal",
        "submission_key": "plan-1",
    }
    data.update(overrides)
    return data


def violation_post(**overrides):
    data = {
        "found_on": TODAY.isoformat(),
        "description": "Задержка выплаты заработной платы",
        "law_violated": "Трудовой кодекс РК, ст. 113",
        "category": "labour",
        "persons_affected": "12",
        "damage": "1500000.00",
        "submission_key": "violation-1",
    }
    data.update(overrides)
    return data


# --- who may open what -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["prosecutor_astana", "head_astana", "head_gpo", "auditor"])
def test_the_list_opens_for_those_who_see_supervision(client_for, cast, role):
    response = client_for(getattr(cast, role)).get(reverse("supervision:inspection_list"))
    assert response.status_code == 200
    assert 'id="inspection-filters"' in response.text


@pytest.mark.parametrize("role", ["analyst", "registrar_astana", "intl_officer", "admin", "outsider"])
def test_the_list_refuses_the_others(client_for, cast, role):
    assert client_for(getattr(cast, role)).get(reverse("supervision:inspection_list")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(reverse("supervision:inspection_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_shows_only_what_the_reader_may_see(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    assert inspection.number in client_for(cast.head_astana).get(reverse("supervision:inspection_list")).text
    other = client_for(cast.prosecutor_almaty).get(reverse("supervision:inspection_list"))
    assert inspection.number not in other.text


def test_the_detail_of_an_inspection_the_reader_may_not_see_is_404(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    url = reverse("supervision:inspection_detail", args=[inspection.pk])
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    assert client_for(cast.analyst).get(url).status_code == 403
    missing = reverse("supervision:inspection_detail", args=[inspection.pk + 1000])
    assert client_for(cast.head_gpo).get(missing).status_code == 404


def test_the_list_filters(client_for, cast):
    mine = make_inspection(by=cast.prosecutor_astana, subject_name="Управление образования")
    other = make_inspection(by=cast.head_astana, responsible=cast.head_astana, subject_name="ТОО Асыл")
    inspection_order(by=cast.head_astana, inspection=other)
    client = client_for(cast.head_astana)
    url = reverse("supervision:inspection_list")
    by_status = client.get(url, {"status": "ordered"}).text
    assert other.number in by_status and mine.number not in by_status
    by_words = client.get(url, {"q": "образования"}).text
    assert mine.number in by_words and other.number not in by_words
    only_mine = client.get(url, {"mine": "on"}).text
    assert other.number in only_mine and mine.number not in only_mine
    by_office = client.get(url, {"office": mine.office.pk}).text
    assert mine.number in by_office and other.number not in by_office


def test_a_bad_filter_is_shown_next_to_its_field(client_for, cast):
    response = client_for(cast.head_astana).get(
        reverse("supervision:inspection_list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date_to"]


# --- planning --------------------------------------------------------------------------------------------------


def test_a_prosecutor_plans_an_inspection(client_for, cast, offices):
    client = client_for(cast.prosecutor_astana)
    page = client.get(reverse("supervision:inspection_create"))
    assert page.status_code == 200 and 'id="inspection-form"' in page.text
    assert page.context["form"].initial["submission_key"]
    focus = CrimeCategory.objects.filter(kind=CrimeCategory.Kind.FOCUS_AREA).first()
    data = plan_data(cast, offices)
    if focus is not None:
        data["focus_areas"] = [focus.pk]
    response = client.post(reverse("supervision:inspection_create"), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:inspection_detail", args=[inspection.pk])
    assert inspection.status == InspectionStatus.PLANNED and inspection.created_by == cast.prosecutor_astana
    assert inspection.number.startswith("AST-01-")
    if focus is not None:
        assert list(inspection.crime_categories.all()) == [focus]


def test_a_double_submission_plans_one_inspection(client_for, cast, offices):
    client = client_for(cast.prosecutor_astana)
    first = client.post(reverse("supervision:inspection_create"), plan_data(cast, offices))
    second = client.post(reverse("supervision:inspection_create"), plan_data(cast, offices))
    assert Inspection.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("role", ["auditor", "analyst", "registrar_astana"])
def test_planning_is_refused_to_who_does_not_do_supervision(client_for, cast, offices, role):
    client = client_for(getattr(cast, role))
    assert client.get(reverse("supervision:inspection_create")).status_code == 403
    assert client.post(reverse("supervision:inspection_create"), plan_data(cast, offices)).status_code == 403
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"period_end": (TODAY - dt.timedelta(days=5)).isoformat()}, "period_end"),  # the service's check
        ({"subject_kind": "organisation"}, "subject_bin"),  # an organisation needs its BIN (the service)
        ({"subject_bin": "123456789012", "subject_kind": "organisation"}, "subject_bin"),  # a bad check digit
        ({"ground": "media"}, "ground_detail"),
        ({"ground": "appeal"}, "ground_appeal_number"),
        ({"ground": "appeal", "ground_appeal_number": "NO-SUCH-1"}, "ground_appeal_number"),
        ({"subject_name": ""}, "subject_name"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_for, cast, offices, overrides, field
):
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_create"), plan_data(cast, offices, **overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_errors"' in response.text
    assert not Inspection.objects.exists()


def test_an_office_outside_the_users_subtree_is_not_a_choice(client_for, cast, offices):
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_create"), plan_data(cast, offices, office=offices.almaty.pk)
    )
    assert response.status_code == 400 and response.context["form"].errors["office"]
    assert not Inspection.objects.exists()


def test_an_appeal_the_user_may_not_see_is_not_a_ground(client_for, cast, offices):
    appeal = register(region=offices.almaty.region)  # routed to Almaty
    assert appeal.office == offices.almaty
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_create"),
        plan_data(cast, offices, ground="appeal", ground_appeal_number=appeal.reg_number),
    )
    assert response.status_code == 400
    assert "No appeal with this number that you may see." in response.text
    assert not Inspection.objects.exists()


def test_an_inspection_opened_from_an_appeal_is_filled_in_and_linked_both_ways(client_for, cast, offices):
    appeal = register(
        region=offices.astana.region,
        respondent_body="ТОО «Астана Құрылыс»",
        respondent_official="Директор Ахметов Б.",
    )
    client = client_for(cast.head_astana)
    page = client.get(reverse("supervision:inspection_create"), {"appeal": appeal.pk})
    form = page.context["form"]
    assert form.initial["ground"] == Ground.APPEAL
    assert form.initial["ground_appeal_number"] == appeal.reg_number
    assert form.initial["subject_name"] == "ТОО «Астана Құрылыс»"
    assert appeal.reg_number in page.text
    response = client.post(
        reverse("supervision:inspection_create") + f"?appeal={appeal.pk}",
        plan_data(
            cast,
            offices,
            office=offices.astana.pk,
            responsible=cast.head_astana.pk,
            ground="appeal",
            ground_appeal_number=appeal.reg_number,
            subject_name="ТОО «Астана Құрылыс»",
        ),
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.ground_appeal == appeal
    detail = client.get(response["Location"])
    assert reverse("appeals:detail", args=[appeal.pk]) in detail.text
    appeal_page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert inspection.number in appeal_page.text


def test_opening_from_an_appeal_the_user_may_not_see_is_404(client_for, cast, offices):
    appeal = register(region=offices.almaty.region)
    response = client_for(cast.prosecutor_astana).get(
        reverse("supervision:inspection_create"), {"appeal": appeal.pk}
    )
    assert response.status_code == 404


# --- correcting ------------------------------------------------------------------------------------------------


def test_the_responsible_prosecutor_corrects_the_details(client_for, cast, offices):
    inspection = make_inspection(by=cast.prosecutor_astana)
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["subject_name"] == inspection.subject_name
    data = plan_data(cast, offices, subject_name="Акимат района Есиль (отдел ЖКХ)")
    response = client.post(url, data)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.subject_name == "Акимат района Есиль (отдел ЖКХ)"
    assert AuditEntry.objects.filter(action="update", object_id=str(inspection.pk)).exists()


def test_correcting_is_refused_to_who_may_see_but_not_change(client_for, cast, offices):
    inspection = make_inspection(by=cast.head_astana, responsible=cast.head_astana, office=offices.astana)
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    # A prosecutor of the office may see an internal inspection of it and not change one not theirs.
    inspection_district = make_inspection(by=cast.head_astana, responsible=cast.head_astana)
    url = reverse("supervision:inspection_edit", args=[inspection_district.pk])
    assert client_for(cast.auditor).get(url).status_code == 403


# --- the page and its steps ------------------------------------------------------------------------------------


def test_the_page_offers_the_steps_of_the_reader(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    url = reverse("supervision:inspection_detail", args=[inspection.pk])
    head_page = client_for(cast.head_astana).get(url)
    assert set(head_page.context["actions"]) == {"order", "cancel"}
    assert 'name="step" value="order"' in head_page.text
    prosecutor_page = client_for(cast.prosecutor_astana).get(url)
    assert prosecutor_page.context["actions"] == {}
    assert 'id="violation-form"' in prosecutor_page.text and 'id="draft-act"' in prosecutor_page.text
    auditor_page = client_for(cast.auditor).get(url)
    assert auditor_page.status_code == 200 and 'id="violation-form"' not in auditor_page.text


def test_a_past_period_is_highlighted(client_for, cast):
    inspection = make_inspection(
        by=cast.prosecutor_astana,
        period_start=TODAY - dt.timedelta(days=40),
        period_end=TODAY - dt.timedelta(days=1),
    )
    page = client_for(cast.prosecutor_astana).get(
        reverse("supervision:inspection_detail", args=[inspection.pk])
    )
    assert page.context["past_period"] and 'id="past-period"' in page.text
    listed = client_for(cast.prosecutor_astana).get(reverse("supervision:inspection_list"))
    assert "period over" in listed.text


def test_the_steps_post_through_the_lifecycle(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    client = client_for(cast.head_astana)
    page = client.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    version = page.context["actions"]["order"].initial["version"]
    response = client.post(
        reverse("supervision:inspection_step", args=[inspection.pk, "order"]),
        {"version": version, "reason": "План на декабрь", "step": "order"},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.ORDERED
    client = client_for(cast.prosecutor_astana)
    response = client.post(reverse("supervision:inspection_step", args=[inspection.pk, "start"]), {})
    assert response.status_code == 302
    response = client.post(
        reverse("supervision:inspection_step", args=[inspection.pk, "complete"]),
        {"results": "Выявлены нарушения трудового законодательства", "completed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED and inspection.completed_on == TODAY
    history = client.get(reverse("supervision:inspection_detail", args=[inspection.pk])).context["history"]
    assert [row.step for row in history] == ["create", "order", "start", "complete"]


def test_a_step_the_user_may_never_take_is_403(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_step", args=[inspection.pk, "order"]), {}
    )
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_a_step_the_lifecycle_forbids_now_shows_why_and_changes_nothing(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    response = client_for(cast.head_astana).post(
        reverse("supervision:inspection_step", args=[inspection.pk, "close"]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "cannot be taken while the status is" in response.text
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_a_step_with_a_missing_reason_shows_the_error_on_the_form(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    response = client_for(cast.head_astana).post(
        reverse("supervision:inspection_step", args=[inspection.pk, "cancel"]), {"reason": ""}
    )
    assert response.status_code == 400
    assert response.context["actions"]["cancel"].errors["reason"]
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_a_step_form_rendered_before_someone_elses_change_is_refused(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    client = client_for(cast.head_astana)
    page = client.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    version = page.context["actions"]["cancel"].initial["version"]
    inspection_order(by=cast.head_gpo, inspection=inspection)
    response = client.post(
        reverse("supervision:inspection_step", args=[inspection.pk, "cancel"]),
        {"version": version, "reason": "Отменить"},
    )
    assert response.status_code == 400 and "changed this record meanwhile" in response.text
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.ORDERED


def test_an_unknown_step_is_404(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    response = client_for(cast.head_astana).post(
        reverse("supervision:inspection_step", args=[inspection.pk, "explode"]), {}
    )
    assert response.status_code == 404


# --- violations ------------------------------------------------------------------------------------------------


def test_a_violation_is_recorded_from_the_inspections_page_once(client_for, cast, head_and_running):
    inspection = head_and_running
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:inspection_violation_new", args=[inspection.pk])
    first = client.post(url, violation_post())
    second = client.post(url, violation_post())
    assert first.status_code == 302 and second.status_code == 302
    violation = Violation.objects.get()
    assert violation.inspection == inspection and violation.created_by == cast.prosecutor_astana
    page = client.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert "Трудовой кодекс РК, ст. 113" in page.text


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"damage": "-5"}, "damage"),
        ({"found_on": (TODAY + dt.timedelta(days=3)).isoformat()}, "found_on"),  # the service's check
        ({"found_on": (TODAY - dt.timedelta(days=300)).isoformat()}, "found_on"),  # before the inspection
        ({"law_violated": ""}, "law_violated"),
    ],
)
def test_a_bad_violation_is_shown_on_the_inspections_page(
    client_for, cast, head_and_running, overrides, field
):
    inspection = head_and_running
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_violation_new", args=[inspection.pk]), violation_post(**overrides)
    )
    assert response.status_code == 400
    assert response.context["violation_form"].errors[field]
    assert response.context["failed_action"] == "violation"
    assert not Violation.objects.exists()


def test_only_who_may_change_the_inspection_records_its_violations(client_for, cast, head_and_running):
    url = reverse("supervision:inspection_violation_new", args=[head_and_running.pk])
    assert client_for(cast.prosecutor_almaty).post(url, violation_post()).status_code == 404
    assert client_for(cast.auditor).post(url, violation_post()).status_code == 403
    assert not Violation.objects.exists()


def test_a_violation_is_corrected(client_for, cast, head_and_running):
    violation = make_violation(by=cast.prosecutor_astana, inspection=head_and_running)
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:violation_edit", args=[violation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, violation_post(persons_affected="15"))
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.persons_affected == 15
    bad = client.post(url, violation_post(persons_affected="-1"))
    assert bad.status_code == 400
    violation.refresh_from_db()
    assert violation.persons_affected == 15


# --- query counts ----------------------------------------------------------------------------------------------


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_list_reads_a_fixed_number_of_queries(client_for, cast):
    client = client_for(cast.head_astana)
    url = reverse("supervision:inspection_list")
    make_inspection(by=cast.prosecutor_astana)
    few, _ = _count(client, url)
    for _i in range(3):
        make_inspection(by=cast.prosecutor_astana)
    many, response = _count(client, url)
    assert many == few
    assert len(response.context["page"].object_list) == 4
    filtered, _ = _count(
        client, url, {"q": "Акимат", "status": "planned", "office": cast.head_astana.office_id}
    )
    assert filtered <= few + 1


def test_the_page_reads_a_fixed_number_of_queries(
    client_for, cast, head_and_running, django_assert_max_num_queries
):
    from .factories import make_act

    inspection = head_and_running
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:inspection_detail", args=[inspection.pk])
    make_violation(by=cast.prosecutor_astana, inspection=inspection)
    make_act(by=cast.prosecutor_astana, inspection=inspection)
    few, _ = _count(client, url)
    for _i in range(3):
        make_violation(by=cast.prosecutor_astana, inspection=inspection)
        make_act(by=cast.prosecutor_astana, inspection=inspection)
    many, _ = _count(client, url)
    assert many == few
    with django_assert_max_num_queries(16):
        client.get(url)


@pytest.fixture
def head_and_running(cast):
    """An inspection of the Astana district office, ordered by its head and started by its prosecutor."""
    return make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)


def test_a_restricted_inspection_read_is_audited(client_for, cast):
    inspection = make_inspection(by=cast.prosecutor_astana, sensitivity="restricted")
    client_for(cast.head_astana).get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert AuditEntry.objects.filter(
        action="read", object_id=str(inspection.pk), actor=cast.head_astana
    ).exists()


def test_the_bin_of_an_organisation_is_kept(client_for, cast, offices):
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:inspection_create"),
        plan_data(cast, offices, subject_kind="organisation", subject_bin=VALID_BIN, subject_name="ТОО Асыл"),
    )
    assert response.status_code == 302
    assert Inspection.objects.get().subject_bin == VALID_BIN
