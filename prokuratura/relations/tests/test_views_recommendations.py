"""The recommendations' pages: the list (who may open it, filters, counts by status, CSV, pinned query count),
recording one from a visit and the next one for the same visit, bad input, double submit, correcting, the page with
the source chain, the steps and the history of the status with each report's evidence, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from prokuratura.core.models import AuditEntry, Sensitivity

from ..models import ImplementationStatus, Recommendation, RecommendationSource
from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RS = ImplementationStatus
LIST = "relations:recommendation_list"
CREATE = "relations:recommendation_create"


def post_data(**overrides):
    data = {
        "source_kind": "special_procedure",
        "source": f.un_mandate().pk,
        "event": "",
        "document": "A/HRC/13/39/Add.3",
        "paragraph": "81(a)",
        "issued_on": (TODAY - dt.timedelta(days=5)).isoformat(),
        "text": "Ensure that all allegations of torture are investigated promptly.",
        "theme": "",
        "responsible": "",
        "officer": "",
        "planned_actions": "",
        "due_date": "",
        "status": "not_started",
        "evidence": "",
        "sensitivity": "internal",
        "submission_key": "rec-1",
    }
    data.update(overrides)
    return data


def visit(cast):
    return f.event(
        by=cast.intl_officer,
        kind="incoming_visit",
        title="Visit of the Special Rapporteur on torture",
        principal=f.un_mandate(),
    )


# --- the list ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intl_officer", "head_gpo", "prosecutor_almaty", "auditor"])
def test_the_list_opens_for_relations_readers(client_for, cast, role):
    response = client_for(getattr(cast, role)).get(reverse(LIST))
    assert response.status_code == 200 and 'id="recommendation-counts"' in response.text


@pytest.mark.parametrize("role", ["analyst", "outsider"])
def test_the_list_refuses_the_others(client_for, cast, role):
    assert client_for(getattr(cast, role)).get(reverse(LIST)).status_code == 403


def test_the_list_counts_filters_and_query_count(client_for, cast, django_assert_max_num_queries):
    event = visit(cast)
    late = f.recommendation(
        by=cast.intl_officer,
        text="Late one",
        event=event,
        issued_on=event.end_date,
        due_date=TODAY - dt.timedelta(days=2),
    )
    f.recommendation(by=cast.intl_officer, text="Other one", theme=f.topic("torture-prevention"))
    client = client_for(cast.head_gpo)
    with django_assert_max_num_queries(17):
        page = client.get(reverse(LIST), {"source": late.source.parent_id})
    counts = {c.status: c.count for c in page.context["counts"]}
    assert counts[RS.NOT_STARTED] == 2 and counts[RS.IMPLEMENTED] == 0
    assert 'id="count-not_started"' in page.text
    for i in range(5):
        f.recommendation(by=cast.intl_officer, text=f"More {i}", responsible=f.domestic_agency())
    with django_assert_max_num_queries(17):  # as many for more rows
        page = client.get(reverse(LIST), {"source": late.source.parent_id})
    assert len(page.context["page"].object_list) == 7
    overdue = client.get(reverse(LIST), {"overdue": "on"})
    assert "Late one" in overdue.text and "Other one" not in overdue.text and "overdue" in overdue.text
    by_event = client.get(reverse(LIST), {"event": event.pk})
    assert [r.text for r in by_event.context["page"].object_list] == ["Late one"]
    bad = client.get(reverse(LIST), {"status": "nonsense"})
    assert bad.status_code == 400 and bad.context["form"].errors["status"]


def test_the_csv(client_for, cast):
    f.recommendation(by=cast.intl_officer, text="@SUM(A1)", document="CAT/C/KAZ/CO/3")
    response = client_for(cast.head_gpo).get(reverse("relations:recommendation_export"), {"q": "CAT/C"})
    text = response.content.decode("utf-8")
    assert response.status_code == 200 and text.startswith("\ufeffDocument;Paragraph;")
    assert "'@SUM(A1)" in text and "UN special procedure" in text


# --- recording --------------------------------------------------------------------------------------------------


def test_from_a_visit_two_recommendations_then_an_update(client_for, cast):
    event = visit(cast)
    client = client_for(cast.intl_officer)
    page = client.get(reverse(CREATE), {"event": event.pk})
    initial = page.context["form"].initial
    assert initial["event"] == event.pk and initial["source"] == event.principal_id
    assert initial["source_kind"] == RecommendationSource.SPECIAL_PROCEDURE
    assert initial["issued_on"] == event.end_date
    assert 'id="recommendation-form-another"' in page.text
    data = post_data(event=event.pk, issued_on=event.end_date.isoformat(), another="1")
    first = client.post(reverse(CREATE), data)
    assert first.status_code == 302 and first["Location"] == f"{reverse(CREATE)}?event={event.pk}"
    second = client.post(
        reverse(CREATE),
        post_data(
            event=event.pk, issued_on=event.end_date.isoformat(), paragraph="81(b)", submission_key="rec-2"
        ),
    )
    rec = Recommendation.objects.get(paragraph="81(b)")
    assert second["Location"] == reverse("relations:recommendation_detail", args=[rec.pk])
    assert Recommendation.objects.filter(event=event).count() == 2
    detail = client.get(second["Location"])
    assert 'id="add-another"' in detail.text
    assert "United Nations › " in detail.text and "Special procedures" in detail.text
    try:
        event_url = reverse("relations:event_detail", args=[event.pk])
    except NoReverseMatch:  # the events' pages are another part's
        event_url = None
    if event_url:
        assert event_url in detail.text
    start = reverse("relations:recommendation_step", args=[rec.pk, "start"])
    version = detail.context["actions"]["start"].initial["version"]
    assert client.post(start, {"version": version, "planned_actions": "Amend the CPC"}).status_code == 302
    detail = client.get(reverse("relations:recommendation_detail", args=[rec.pk]))
    report = reverse("relations:recommendation_step", args=[rec.pk, "report"])
    version = detail.context["actions"]["report"].initial["version"]
    refused = client.post(report, {"version": version, "status": "partially", "evidence": " "})
    assert refused.status_code == 400 and refused.context["failed_action"] == "report"
    done = client.post(
        report, {"version": version, "status": "partially", "evidence": "Draft law to Parliament"}
    )
    assert done.status_code == 302
    detail = client.get(reverse("relations:recommendation_detail", args=[rec.pk]))
    assert detail.context["recommendation"].status == RS.PARTIALLY
    assert "Draft law to Parliament" in detail.text and 'id="recommendation-status"' in detail.text
    assert [(h.step, h.reason) for h in detail.context["history"]][-1] == (
        "report",
        "Draft law to Parliament",
    )


def test_a_visit_the_user_may_not_see_is_404(client_for, cast):
    event = visit(cast)
    assert client_for(cast.prosecutor_almaty).get(reverse(CREATE), {"event": event.pk}).status_code == 404


def test_for_a_mandate(client_for, cast):
    mandate = f.un_mandate("sr-judges")
    page = client_for(cast.intl_officer).get(reverse(CREATE), {"source": mandate.pk})
    assert page.context["form"].initial["source"] == mandate.pk
    assert page.context["form"].initial["source_kind"] == RecommendationSource.SPECIAL_PROCEDURE


def test_a_double_submit_records_one(client_for, cast):
    client = client_for(cast.intl_officer)
    first = client.post(reverse(CREATE), post_data())
    second = client.post(reverse(CREATE), post_data())
    assert first["Location"] == second["Location"] and Recommendation.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"issued_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "issued_on"),
        ({"text": ""}, "text"),
        ({"source_kind": "press"}, "source_kind"),
        ({"status": "implemented"}, "evidence"),
        ({"status": "in_progress"}, "planned_actions"),
        ({"due_date": (TODAY - dt.timedelta(days=30)).isoformat()}, "due_date"),
        ({"issued_on": "31.02.2024"}, "issued_on"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(client_for, cast, overrides, field):
    response = client_for(cast.intl_officer).post(reverse(CREATE), post_data(**overrides))
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Recommendation.objects.exists()


def test_a_foreign_body_is_not_responsible(client_for, cast):
    response = client_for(cast.intl_officer).post(
        reverse(CREATE), post_data(responsible=f.counterpart("osce").pk)
    )
    assert response.status_code == 400 and response.context["form"].errors["responsible"]


# --- correcting and access --------------------------------------------------------------------------------------


def test_correct_a_recommendation(client_for, cast):
    rec = f.recommendation(by=cast.intl_officer)
    url = reverse("relations:recommendation_edit", args=[rec.pk])
    client = client_for(cast.intl_officer)
    page = client.get(url)
    assert "status" not in page.context["form"].fields and "evidence" not in page.context["form"].fields
    data = post_data(issued_on=rec.issued_on.isoformat(), responsible=f.domestic_agency().pk)
    assert client.post(url, data).status_code == 302
    rec.refresh_from_db()
    assert rec.responsible is not None and rec.status == RS.NOT_STARTED
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    assert client_for(cast.auditor).get(url).status_code == 403


def test_a_restricted_recommendation_is_read_audited(client_for, cast):
    rec = f.recommendation(by=cast.head_astana, sensitivity=Sensitivity.RESTRICTED)
    url = reverse("relations:recommendation_detail", args=[rec.pk])
    assert client_for(cast.prosecutor_astana).get(url).status_code == 404
    assert client_for(cast.head_gpo).get(url).status_code == 200
    assert AuditEntry.objects.filter(
        object_type="relations.recommendation", object_id=str(rec.pk), action=AuditEntry.Action.READ
    ).exists()


def test_a_heads_step_is_refused_to_the_officer(client_for, cast):
    rec = f.recommendation(by=cast.intl_officer)
    url = reverse("relations:recommendation_step", args=[rec.pk, "note"])
    assert client_for(cast.intl_officer).post(url, {"reason": "Not accepted"}).status_code == 403
    client = client_for(cast.head_gpo)
    version = (
        client.get(reverse("relations:recommendation_detail", args=[rec.pk]))
        .context["actions"]["note"]
        .initial["version"]
    )
    assert client.post(url, {"version": version, "reason": "Not accepted"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == RS.NOTED
