"""The joint projects' pages: the list (who may open it, filters, totals, CSV, pinned query count), recording
(bad input, double submit), correcting, the page with its steps and history, access (404, restricted audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from prokuratura.core.models import AuditEntry, Department, Sensitivity

from ..models import CounterpartKind, Project, ProjectStatus
from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "relations:project_list"


def post_data(**overrides):
    data = {
        "partner": f.counterpart("osce").pk,
        "title": "Strengthening the prosecution of trafficking in persons",
        "reference": "OSCE-2026-07",
        "start_date": (TODAY - dt.timedelta(days=10)).isoformat(),
        "end_date": "",
        "budget": "1 250 000,50",
        "currency": "EUR",
        "status": "active",
        "description": "",
        "outputs": "",
        "manager": "",
        "sensitivity": "internal",
        "submission_key": "project-1",
    }
    data.update(overrides)
    return data


# --- the list ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intl_officer", "head_gpo", "prosecutor_almaty", "auditor"])
def test_the_list_opens_for_relations_readers(client_for, cast, role):
    response = client_for(getattr(cast, role)).get(reverse(LIST))
    assert response.status_code == 200 and 'id="project-filters"' in response.text


@pytest.mark.parametrize("role", ["analyst", "outsider", "registrar_astana"])
def test_the_list_refuses_the_others(client_for, cast, role):
    assert client_for(getattr(cast, role)).get(reverse(LIST)).status_code == 403


def test_the_list_filters_totals_and_query_count(client_for, cast, django_assert_max_num_queries):
    osce = f.counterpart("test-org")
    office = f.counterpart("test-org-office", CounterpartKind.FIELD_OFFICE, parent=osce)
    f.project(
        by=cast.intl_officer,
        title="Field office project",
        partner=office,
        budget=Decimal("100"),
        currency="EUR",
    )
    f.project(by=cast.intl_officer, title="Other partner project", budget=Decimal("5"), currency="USD")
    client = client_for(cast.head_gpo)
    # The session and the user, the partner's subtree (a query a level), the count, the totals, the choices, the rows.
    with django_assert_max_num_queries(16):
        page = client.get(reverse(LIST), {"partner": osce.pk})
    assert "Field office project" in page.text and "Other partner project" not in page.text
    assert page.context["totals"] == [("EUR", Decimal("100"))]
    for i in range(6):
        f.project(
            by=cast.intl_officer, title=f"More {i}", partner=office, budget=Decimal("1"), currency="EUR"
        )
    with django_assert_max_num_queries(16):  # as many for more rows
        page = client.get(reverse(LIST), {"partner": osce.pk})
    assert len(page.context["page"].object_list) == 7


def test_a_bad_filter_is_shown_next_to_its_field(client_for, cast):
    response = client_for(cast.head_gpo).get(reverse(LIST), {"year": "1900"})
    assert response.status_code == 400 and response.context["form"].errors["year"]


def test_the_csv_keeps_the_filters_and_carries_no_formula(client_for, cast):
    f.project(by=cast.intl_officer, title="=HYPERLINK(1)", budget=Decimal("10.5"), currency="USD")
    f.project(by=cast.intl_officer, title="Proposed only")
    project = Project.objects.get(title="=HYPERLINK(1)")
    client = client_for(cast.head_gpo)
    from ..services import project_start

    project_start(by=cast.intl_officer, project=project)
    response = client.get(reverse("relations:project_export"), {"status": "active"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTitle;Partner;")
    assert "'=HYPERLINK(1)" in text and "Proposed only" not in text and "10.50" in text
    assert client.get(reverse("relations:project_export"), {"year": "x"}).status_code == 400


# --- recording and correcting -----------------------------------------------------------------------------------


def test_record_a_project_once_on_a_double_submit(client_for, cast, offices):
    client = client_for(cast.intl_officer)
    page = client.get(reverse("relations:project_create"))
    assert page.status_code == 200 and page.context["form"].initial["submission_key"]
    department = Department.objects.create(office=offices.astana, code="intl", name_en="International")
    data = post_data(offices=[offices.astana.pk], departments=[department.pk], topics=[f.topic().pk])
    first = client.post(reverse("relations:project_create"), data)
    second = client.post(reverse("relations:project_create"), data)
    project = Project.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("relations:project_detail", args=[project.pk])
    assert project.budget == Decimal("1250000.50") and project.status == ProjectStatus.ACTIVE
    assert list(project.departments.all()) == [department]
    detail = client.get(first["Location"])
    assert "International" in detail.text and "OSCE-2026-07" in detail.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": (TODAY - dt.timedelta(days=20)).isoformat()}, "end_date"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "100", "currency": ""}, "currency"),
        ({"partner": ""}, "partner"),
        ({"partner": "999999"}, "partner"),
        ({"title": " "}, "title"),
        ({"status": "completed"}, "outputs"),
        ({"sensitivity": "restricted"}, "sensitivity"),  # only a head restricts
    ],
)
def test_bad_input_is_shown_next_to_its_field(client_for, cast, overrides, field):
    response = client_for(cast.intl_officer).post(reverse("relations:project_create"), post_data(**overrides))
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert 'id="error-summary"' in response.text
    assert not Project.objects.exists()


def test_a_domestic_agency_is_not_a_partner(client_for, cast):
    agency = f.domestic_agency()
    response = client_for(cast.intl_officer).post(
        reverse("relations:project_create"), post_data(partner=agency.pk)
    )
    assert response.status_code == 400 and response.context["form"].errors["partner"]


def test_correct_a_project(client_for, cast):
    project = f.project(by=cast.intl_officer)
    url = reverse("relations:project_edit", args=[project.pk])
    client = client_for(cast.intl_officer)
    page = client.get(url)
    assert page.status_code == 200 and "status" not in page.context["form"].fields
    data = post_data(title="Renamed", start_date=project.start_date.isoformat(), budget="")
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.title == "Renamed" and project.status == ProjectStatus.PROPOSED
    bad = client.post(url, post_data(start_date=""))
    assert bad.status_code == 400 and bad.context["form"].errors["start_date"]


def test_who_may_open_and_correct(client_for, cast):
    project = f.project(by=cast.intl_officer)
    detail = reverse("relations:project_detail", args=[project.pk])
    edit = reverse("relations:project_edit", args=[project.pk])
    assert client_for(cast.prosecutor_almaty).get(detail).status_code == 404
    assert client_for(cast.prosecutor_almaty).get(edit).status_code == 404
    assert client_for(cast.auditor).get(detail).status_code == 200
    assert client_for(cast.auditor).get(edit).status_code == 403
    assert (
        client_for(cast.head_gpo)
        .get(reverse("relations:project_detail", args=[project.pk + 999]))
        .status_code
        == 404
    )


def test_a_restricted_project_is_read_audited(client_for, cast):
    project = f.project(by=cast.head_astana, sensitivity=Sensitivity.RESTRICTED)
    url = reverse("relations:project_detail", args=[project.pk])
    assert client_for(cast.prosecutor_astana).get(url).status_code == 404
    assert client_for(cast.head_gpo).get(url).status_code == 200
    assert AuditEntry.objects.filter(
        object_type="relations.project", object_id=str(project.pk), action=AuditEntry.Action.READ
    ).exists()


# --- the project's page and its steps ---------------------------------------------------------------------------


def test_the_steps_on_the_page(client_for, cast):
    project = f.project(by=cast.intl_officer)
    client = client_for(cast.intl_officer)
    detail = client.get(reverse("relations:project_detail", args=[project.pk]))
    assert list(detail.context["actions"]) == ["start"] and 'id="step-start-form"' in detail.text
    version = detail.context["actions"]["start"].initial["version"]
    step = reverse("relations:project_step", args=[project.pk, "start"])
    assert client.post(step, {"version": version, "reason": "Kick-off meeting held"}).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    stale = client.post(step, {"version": version})
    assert stale.status_code == 400
    complete = reverse("relations:project_step", args=[project.pk, "complete"])
    version = (
        client.get(reverse("relations:project_detail", args=[project.pk]))
        .context["actions"]["complete"]
        .initial["version"]
    )
    refused = client.post(complete, {"version": version, "outputs": ""})
    assert refused.status_code == 400 and refused.context["failed_action"] == "complete"
    assert (
        client.post(complete, {"version": version, "outputs": "A manual for prosecutors"}).status_code == 302
    )
    page = client.get(reverse("relations:project_detail", args=[project.pk]))
    assert "A manual for prosecutors" in page.text
    assert [h.step for h in page.context["history"]] == ["create", "start", "complete"]
    assert page.context["history"][1].reason == "Kick-off meeting held"


def test_a_step_the_user_may_never_take_is_refused(client_for, cast):
    project = f.project(by=cast.intl_officer)
    url = reverse("relations:project_step", args=[project.pk, "cancel"])
    assert client_for(cast.intl_officer).post(url, {"reason": "No"}).status_code == 403
    assert (
        client_for(cast.intl_officer)
        .post(reverse("relations:project_step", args=[project.pk, "nonsense"]))
        .status_code
        == 404
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED
