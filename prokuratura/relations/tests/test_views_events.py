"""The meetings and visits' pages: the list (filters, CSV, a fixed number of queries), recording an event with its
lists (bad input refused whole with the typed input kept, a double submit recording one event), correcting it, the
event's page (access, the audited restricted read, steps, documents)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from prokuratura.core.models import AuditEntry, Sensitivity

from ..models import Event, EventDocument, EventKind, EventStatus, Participant
from ..services import ParticipantData
from . import factories as f

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }


def event_post(**values: Any) -> dict[str, Any]:
    start = timezone.localdate() - dt.timedelta(days=3)
    data: dict[str, Any] = {
        "kind": EventKind.MEETING,
        "title": "Meeting with the OSCE Programme Office",
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "held": "on",
        "place": "Astana",
        "sensitivity": Sensitivity.INTERNAL,
        "submission_key": "k1",
        **management("participants", 2),
        **management("agreements", 1),
        **management("figures", 1),
        "participants-0-side": "partner",
        "participants-1-side": "partner",
    }
    data.update(values)
    return data


def test_list_filters_exports_and_reads_a_fixed_number_of_queries(
    client_for, cast, django_assert_max_num_queries
):
    client = client_for(cast.intl_officer)
    osce = f.counterpart("osce", name_en="OSCE")
    f.event(by=cast.intl_officer, principal=osce, title="=Formula title")
    f.event(by=cast.intl_officer, title="Other meeting", participants=[])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("relations:event_list"), {"counterpart": osce.pk})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [Event.objects.get(principal=osce)]
    for _ in range(5):
        f.event(by=cast.intl_officer, participants=[])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("relations:event_list")).status_code == 200
    export = client.get(reverse("relations:event_export"), {"counterpart": osce.pk})
    body = export.content.decode("utf-8")
    assert export["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff") and "'=Formula title" in body and "Other meeting" not in body
    assert (
        client.get(
            reverse("relations:event_list"), {"date_from": "2026-02-02", "date_to": "2026-01-01"}
        ).status_code
        == 400
    )


def test_record_an_event_with_participants_once(client_for, cast):
    client = client_for(cast.intl_officer)
    us = f.country("US")
    data = event_post(
        **{
            "participants-0-country": us.iso2,
            "participants-0-official_name": "Daniel N. Rosenblum",
            "participants-0-official_title": "Ambassador",
            "participants-0-heads_delegation": "on",
            "figures-0-value": "44",
            "figures-0-subject": "bilateral agreements",
        }
    )
    first = client.post(reverse("relations:event_create"), data)
    event = Event.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse(
        "relations:event_detail", args=[event.pk]
    )
    assert event.status == EventStatus.HELD
    assert [(p.country_id, p.official_name) for p in event.participants.all()] == [
        ("US", "Daniel N. Rosenblum")
    ]
    assert [(f.text, f.subject) for f in event.figures.all()] == [("44", "bilateral agreements")]
    again = client.post(reverse("relations:event_create"), data)  # the second click on "Record"
    assert again.status_code == 302 and Event.objects.count() == 1
    page = client.get(first["Location"])
    assert page.status_code == 200 and "Daniel N. Rosenblum" in page.content.decode()


def test_bad_event_refused_whole_with_the_input_kept(client_for, cast):
    client = client_for(cast.intl_officer)
    start = timezone.localdate() - dt.timedelta(days=3)
    data = event_post(
        end_date=(start - dt.timedelta(days=2)).isoformat(),
        title="Round of consultations",
        **{"participants-0-official_name": "Someone without a state"},
    )
    response = client.post(reverse("relations:event_create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "end_date" in form.errors
    assert response.context["list_errors"]["participants"] == [
        "Participant 1: choose either a state or an organisation or agency."
    ]
    html = response.content.decode()
    assert 'value="Round of consultations"' in html and "Someone without a state" in html
    assert not Event.objects.exists() and not Participant.objects.exists()


def test_more_rows_keeps_the_typed_input_shows_no_errors_and_saves_nothing(client_for, cast):
    client = client_for(cast.intl_officer)
    data = event_post(title="", more_rows="participants", **{"participants-1-official_name": "J. Smith"})
    response = client.post(reverse("relations:event_create"), data)
    assert response.status_code == 200
    assert len(response.context["formsets"]["participants"].forms) == 7  # two posted, five more
    assert not response.context["form"].errors  # the empty title is not reported while the officer types
    assert 'value="J. Smith"' in response.content.decode()
    assert not Event.objects.exists()


def test_create_form_takes_initial_values_from_the_query(client_for, cast):
    mandate = f.un_mandate("sr-torture")
    response = client_for(cast.intl_officer).get(reverse("relations:event_create"), {"principal": mandate.pk})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["principal"] == mandate.pk and form.initial["kind"] == EventKind.INCOMING_VISIT
    assert client_for(cast.analyst).get(reverse("relations:event_create")).status_code == 403


def test_edit_replaces_the_lists(client_for, cast):
    event = f.event(by=cast.intl_officer)
    client = client_for(cast.intl_officer)
    page = client.get(reverse("relations:event_edit", args=[event.pk]))
    assert page.status_code == 200 and page.context["formsets"]["participants"].initial
    data = event_post(title="Corrected title", **{"participants-0-counterpart": str(f.domestic_agency().pk)})
    data.pop("held"), data.pop("submission_key")
    response = client.post(reverse("relations:event_edit", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Corrected title"
    assert [p.counterpart.code for p in event.participants.all()] == ["gpo-kz"]
    assert (
        client_for(cast.prosecutor_almaty).get(reverse("relations:event_edit", args=[event.pk])).status_code
        == 404
    )


def test_access_and_the_audited_restricted_read(client_for, cast):
    event = f.event(by=cast.intl_officer)
    assert (
        client_for(cast.outsider).get(reverse("relations:event_detail", args=[event.pk])).status_code == 403
    )
    assert (
        client_for(cast.prosecutor_almaty).get(reverse("relations:event_detail", args=[event.pk])).status_code
        == 404
    )
    restricted = f.event(by=cast.head_gpo, sensitivity=Sensitivity.RESTRICTED, title="Confidential")
    url = reverse("relations:event_detail", args=[restricted.pk])
    assert client_for(cast.intl_officer).get(url).status_code == 404
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    response = client_for(cast.head_gpo).get(url)
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1


def test_steps_on_the_event_page(client_for, cast):
    event = f.event(by=cast.intl_officer, held=False)
    client = client_for(cast.intl_officer)
    page = client.get(reverse("relations:event_detail", args=[event.pk]))
    assert set(page.context["actions"]) == {"hold", "cancel"}
    step_url = reverse("relations:event_step", args=[event.pk, "cancel"])
    refused = client.post(step_url, {"version": page.context["actions"]["cancel"].initial["version"]})
    assert refused.status_code == 400 and "reason" in refused.context["actions"]["cancel"].errors
    done = client.post(
        step_url,
        {"reason": "The partner postponed", "version": page.context["actions"]["cancel"].initial["version"]},
    )
    assert done.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def test_documents_upload_download_remove(client_for, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = f.event(by=cast.intl_officer)
    client = client_for(cast.intl_officer)
    add_url = reverse("relations:event_document_add", args=[event.pk])
    binary = SimpleUploadedFile("minutes.pdf", b"\x00\x01 not a pdf", content_type="application/pdf")
    refused = client.post(add_url, {"title": "Minutes", "file": binary})
    assert refused.status_code == 400 and "file" in refused.context["document_form"].errors
    assert not EventDocument.objects.exists()
    upload = SimpleUploadedFile("minutes.txt", b"Minutes of the meeting", content_type="text/plain")
    assert client.post(add_url, {"title": "Minutes", "file": upload}).status_code == 302
    document = EventDocument.objects.get()
    file_url = reverse("relations:event_document_file", args=[event.pk, document.pk])
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"Minutes of the meeting"
    assert client_for(cast.prosecutor_almaty).get(file_url).status_code == 404
    remove = client_for(cast.intl_officer).post(
        reverse("relations:event_document_remove", args=[event.pk, document.pk])
    )
    assert remove.status_code == 302 and not EventDocument.objects.exists()


def test_detail_page_reads_a_fixed_number_of_queries(client_for, cast, django_assert_max_num_queries):
    us = f.country("US")
    event = f.event(
        by=cast.intl_officer,
        participants=[
            ParticipantData(country=us),
            ParticipantData(counterpart=f.domestic_agency(), side="kz"),
        ],
    )
    client = client_for(cast.intl_officer)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("relations:event_detail", args=[event.pk]))
    assert response.status_code == 200
    assert response.context["task_form"] is not None and response.context["document_form"] is not None
