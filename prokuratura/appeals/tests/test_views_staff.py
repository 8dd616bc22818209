"""Staff screens: register, list, detail with the allowed steps only, actions, letters, attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, Status, Topic
from prokuratura.appeals.tests.factories import VALID_IIN, register


def form_data(offices, **overrides):
    data = {
        "kind": "statement",
        "received_via": "phone",
        "applicant_type": "individual",
        "applicant_name": "Сериков Нурлан",
        "applicant_iin": VALID_IIN,
        "applicant_phone": "+7 701 000 00 00",
        "applicant_language": "ru",
        "region": offices.astana.region.pk,
        "topic": Topic.objects.get(code="housing").pk,
        "subject": "Аварийный дом",
        "text": "Дом признан аварийным, но расселение не проводится.",
        "sensitivity": "internal",
        "consent_personal_data": "on",
        "submission_key": "form-1",
    }
    data.update(overrides)
    return data


def test_registrar_registers_by_phone(client_for, cast, offices):
    client = client_for(cast.registrar_astana)
    assert client.get(reverse("appeals:register")).status_code == 200
    response = client.post(reverse("appeals:register"), form_data(offices))
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.received_via == "phone" and appeal.registered_by == cast.registrar_astana


def test_double_submission_of_the_form_makes_one_appeal(client_for, cast, offices):
    client = client_for(cast.registrar_astana)
    client.post(reverse("appeals:register"), form_data(offices))
    client.post(reverse("appeals:register"), form_data(offices))
    assert Appeal.objects.count() == 1


def test_invalid_iin_shows_the_message_next_to_the_field_and_saves_nothing(client_for, cast, offices):
    response = client_for(cast.registrar_astana).post(
        reverse("appeals:register"), form_data(offices, applicant_iin="900101300127")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["applicant_iin"]
    assert Appeal.objects.count() == 0


def test_missing_consent_is_refused(client_for, cast, offices):
    data = form_data(offices)
    del data["consent_personal_data"]
    response = client_for(cast.registrar_astana).post(reverse("appeals:register"), data)
    assert response.status_code == 400
    assert "consent_personal_data" in response.context["form"].errors


def test_a_prosecutor_cannot_open_the_registration_form(client_for, cast, offices):
    assert client_for(cast.prosecutor_astana).get(reverse("appeals:register")).status_code == 403


def test_list_shows_visible_appeals_only(client_for, cast, offices):
    mine = register(by=cast.registrar_astana, region=offices.astana.region)
    other = register(by=cast.registrar_astana, region=offices.almaty.region)
    response = client_for(cast.head_astana).get(reverse("appeals:list"))
    page = list(response.context["page"].object_list)
    assert mine in page and other not in page


def test_list_filters_by_status(client_for, cast, offices):
    register(by=cast.registrar_astana, region=offices.astana.region)
    response = client_for(cast.head_astana).get(reverse("appeals:list"), {"status": "answered"})
    assert list(response.context["page"].object_list) == []


def test_detail_of_an_invisible_appeal_is_404(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    assert (
        client_for(cast.prosecutor_almaty).get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    )


def test_head_is_offered_assignment_and_a_prosecutor_is_not(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    head_page = client_for(cast.head_astana).get(reverse("appeals:detail", args=[appeal.pk]))
    assert "assign" in head_page.context["actions"]
    assert "answer" not in head_page.context["actions"]


def test_assign_then_answer_through_the_pages(client, cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    client.force_login(cast.head_astana)
    r = client.post(
        reverse("appeals:action", args=[appeal.pk, "assign"]), {"assignee": cast.prosecutor_astana.pk}
    )
    assert r.status_code == 302
    client.force_login(cast.prosecutor_astana)
    client.post(reverse("appeals:action", args=[appeal.pk, "start"]), {})
    r = client.post(
        reverse("appeals:action", args=[appeal.pk, "answer"]),
        {
            "outcome": "explained",
            "answer_text": "Разъяснено право на обращение в акимат.",
            "persons_restored": "0",
        },
    )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED


def test_a_step_not_offered_is_403(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    r = client_for(cast.head_astana).post(reverse("appeals:action", args=[appeal.pk, "close"]), {})
    assert r.status_code == 403


def test_extension_beyond_the_limit_shows_the_error(client, cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    client.force_login(cast.head_astana)
    too_far = services.extension_limit(appeal).replace(year=services.extension_limit(appeal).year + 1)
    r = client.post(
        reverse("appeals:action", args=[appeal.pk, "extend"]),
        {"until": too_far.isoformat(), "reason": "Экспертиза"},
    )
    assert r.status_code == 400
    assert "until" in r.context["actions"]["extend"].errors
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_REVIEW


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_answer_letter_downloads(client_for, cast, offices, fmt):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region, applicant_language="kk")
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Түсіндірілді."
    )
    r = client_for(cast.prosecutor_astana).get(reverse("appeals:letter", args=[appeal.pk, "answer", fmt]))
    assert r.status_code == 200
    content = r.content
    if fmt == "pdf":
        assert content.startswith(b"%PDF-")
    else:
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert "Түсіндірілді." in text and appeal.reg_number in text


def test_answer_letter_before_the_answer_is_refused(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    r = client_for(cast.head_astana).get(reverse("appeals:letter", args=[appeal.pk, "answer", "pdf"]))
    assert r.status_code == 302


def test_attachment_download_needs_access(client_for, cast, offices, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_attachments_add(
        by=cast.head_astana, appeal=appeal, uploads=[SimpleUploadedFile("note.txt", "Текст".encode())]
    )
    attachment = appeal.attachments.get()
    url = reverse("appeals:attachment", args=[appeal.pk, attachment.pk])
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    r = client_for(cast.head_astana).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == "Текст".encode()


def test_restricted_appeal_read_is_audited(client_for, cast, offices):
    from prokuratura.core.models import AuditEntry

    appeal = register(by=cast.registrar_astana, region=offices.astana.region, sensitivity="restricted")
    assert (
        client_for(cast.prosecutor_astana).get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    )
    assert client_for(cast.head_astana).get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="read", object_id=str(appeal.pk), actor=cast.head_astana).exists()


@pytest.mark.parametrize(
    "url, params",
    [
        ("appeals:list", {}),
        ("appeals:list", {"q": "заработную"}),
        ("appeals:deadlines", {"scope": "office"}),
        ("appeals:deadlines", {"scope": "mine"}),
    ],
)
def test_list_pages_read_a_fixed_number_of_queries(client_for, cast, offices, url, params):
    # The pages read only the columns they show (selectors.LIST_PAGE_COLUMNS, DEADLINE_PAGE_COLUMNS): a column
    # the template needs and the query left out would cost one query per row.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from prokuratura.appeals.services.workflow import appeal_assign

    def make():
        appeal = register(by=cast.registrar_astana, region=offices.astana.region)
        appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.head_astana)
        Appeal.objects.filter(pk=appeal.pk).update(due_date=timezone.localdate())  # on the deadline lists

    client = client_for(cast.head_astana)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(url), params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    make()
    few, first = queries()
    for _ in range(3):
        make()
    many, response = queries()
    assert many == few
    appeal = Appeal.objects.order_by("-id").first()
    assert appeal.reg_number in response.text
    if url == "appeals:deadlines":
        assert cast.head_astana.get_full_name() in response.text


def test_a_step_form_rendered_before_someone_elses_change_is_refused(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    client = client_for(cast.head_astana)
    page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    rendered = page.context["actions"]["assign"].initial["version"]
    assert f'name="version" value="{rendered}"' in page.content.decode()
    services.appeal_assign(by=cast.head_gpo, appeal=appeal, assignee=cast.prosecutor_astana)
    r = client.post(
        reverse("appeals:action", args=[appeal.pk, "assign"]),
        {"assignee": cast.head_astana.pk, "version": rendered},
    )
    assert r.status_code == 400
    assert "changed this record meanwhile" in r.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).assignee == cast.prosecutor_astana


def test_the_history_says_what_a_step_that_kept_the_status_did_and_names_the_system_actor(
    client_for, cast, offices
):
    from prokuratura.core.actors import PUBLIC

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_route(by=cast.registrar_astana, appeal=appeal, office=offices.astana_district)
    anonymous = register(
        by=PUBLIC,
        channel="public_web",
        applicant_type="anonymous",
        applicant_name="",
        region=offices.astana.region,
    )
    client = client_for(cast.head_astana)
    history = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "Registered — Appeal sent to another office" in history
    history = client.get(reverse("appeals:detail", args=[anonymous.pk])).content.decode()
    assert "Registered (the public page)" in history


def test_anonymous_appeals_wait_in_the_triage_list_of_their_office(client_for, cast, offices):
    from prokuratura.core.actors import PUBLIC

    anonymous = register(
        by=PUBLIC,
        channel="public_web",
        applicant_type="anonymous",
        applicant_name="",
        region=offices.astana.region,
    )
    named = register(by=cast.registrar_astana, region=offices.astana.region)
    for user in (cast.registrar_astana, cast.head_astana):
        home = client_for(user).get("/").content.decode()
        assert "Anonymous appeals to triage" in home and anonymous.reg_number in home
        page = client_for(user).get(reverse("appeals:deadlines") + "?scope=office")
        assert [a.pk for a in page.context["lists"].triage] == [anonymous.pk]
    assert named.pk not in [a.pk for a in page.context["lists"].triage]
    assert "Anonymous appeals to triage" not in client_for(cast.prosecutor_almaty).get("/").content.decode()
    services.appeal_triage_leave(
        by=cast.registrar_astana, appeal=anonymous, reason="Нет сведений о преступлении"
    )
    page = client_for(cast.registrar_astana).get(reverse("appeals:deadlines") + "?scope=office")
    assert page.context["lists"].triage == []


def test_a_head_sees_pending_extension_requests_and_declines_one_from_the_page(client_for, cast, offices):
    import datetime as dt

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    services.appeal_request_extension(
        by=cast.prosecutor_astana,
        appeal=appeal,
        until=appeal.due_date + dt.timedelta(days=7),
        reason="Экспертиза",
    )
    head = client_for(cast.head_astana)
    home = head.get("/").content.decode()
    assert "Extension requests to decide" in home and appeal.reg_number in home
    page = head.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "decline_extension" in page.context["actions"]
    version = page.context["actions"]["decline_extension"].initial["version"]
    r = head.post(
        reverse("appeals:action", args=[appeal.pk, "decline_extension"]),
        {"reason": "Срок достаточен", "version": version},
    )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.extension_requested_until is None
    assert appeal.pk not in [
        a.pk
        for a in head.get(reverse("appeals:deadlines") + "?scope=office").context["lists"].extension_requests
    ]


def test_a_registrar_corrects_an_appeal_from_its_page(client_for, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    client = client_for(cast.registrar_astana)
    form = client.get(reverse("appeals:detail", args=[appeal.pk])).context["actions"]["correct"]
    assert form.initial["subject"] == appeal.subject and form.initial["topic"] == appeal.topic_id
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(subject="Аварийный дом по ул. Абая", reason="Уточнён предмет")
    r = client.post(reverse("appeals:action", args=[appeal.pk, "correct"]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    appeal.refresh_from_db()
    assert appeal.subject == "Аварийный дом по ул. Абая"
    bad = dict(data, applicant_iin="123", subject="x", reason="—")
    r = client.post(reverse("appeals:action", args=[appeal.pk, "correct"]), bad)
    assert r.status_code == 400 and "applicant_iin" in r.context["actions"]["correct"].errors
