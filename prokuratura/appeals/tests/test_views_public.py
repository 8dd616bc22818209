"""The public pages: filing without an account (spam checks, consent, attachments, retries) and the status page."""

import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prokuratura.appeals import services, spam
from prokuratura.appeals.models import Appeal, Channel, Status, Topic
from prokuratura.appeals.tests.factories import register


def solved_token(age=10):
    return signing.dumps({"t": int(time.time()) - age, "s": 7}, salt=spam.SALT)


def public_data(offices, **overrides):
    data = {
        "kind": "complaint",
        "applicant_type": "individual",
        "applicant_name": "Әлиев Қанат",
        "applicant_email": "kanat@example.kz",
        "applicant_language": "kk",
        "region": offices.astana.region.pk,
        "topic": Topic.objects.get(code="labour").pk,
        "subject": "Жалақы төленбеді",
        "text": "Үш ай бойы жалақы төленбей келеді.",
        "consent_personal_data": "on",
        "challenge_token": solved_token(),
        "challenge_answer": "7",
        "website": "",
        "submission_key": "pub-1",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


def test_the_form_opens_without_an_account(client, offices):
    response = client.get(reverse("appeals:public_appeal"))
    assert response.status_code == 200
    assert "challenge_question" in dir(response.context["form"])


def test_a_person_files_with_an_attachment_and_gets_a_tracking_code(client, offices, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = public_data(offices, attachments=SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    response = client.post(reverse("appeals:public_appeal"), data)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.PUBLIC_WEB and appeal.registered_by is None
    assert appeal.attachments.count() == 1
    receipt = client.get(response["Location"])
    assert appeal.tracking_code in receipt.content.decode()


def test_a_resubmitted_form_makes_one_appeal(client, offices):
    client.post(reverse("appeals:public_appeal"), public_data(offices))
    client.post(reverse("appeals:public_appeal"), public_data(offices))
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"challenge_answer": "8"},
        {"website": "http://spam.example"},
        {"challenge_token": "forged"},
        {"challenge_token": "fresh"},  # filled in within a second: a bot
    ],
)
def test_spam_checks_refuse_and_save_nothing(client, offices, overrides):
    if overrides.get("challenge_token") == "fresh":
        overrides = {"challenge_token": solved_token(age=0)}
    response = client.post(reverse("appeals:public_appeal"), public_data(offices, **overrides))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


def test_missing_consent_is_refused_with_a_message(client, offices):
    data = public_data(offices)
    del data["consent_personal_data"]
    response = client.post(reverse("appeals:public_appeal"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["consent_personal_data"]
    assert Appeal.objects.count() == 0


def test_a_disguised_file_is_refused_with_a_message(client, offices):
    data = public_data(offices, attachments=SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo"))
    response = client.post(reverse("appeals:public_appeal"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"]
    assert Appeal.objects.count() == 0


def test_status_page_shows_stage_deadline_and_the_answer(client, cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    page = client.get(
        reverse("appeals:public_status"), {"code": appeal.tracking_code.lower().replace("-", "")}
    )
    assert page.status_code == 200 and page.context["appeal"] == appeal
    assert not page.context["answered"]
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Ответ дан."
    )
    page = client.get(reverse("appeals:public_status"), {"code": appeal.tracking_code})
    assert page.context["answered"] and "Ответ дан." in page.content.decode()


def test_an_unknown_code_is_a_clear_404(client, offices):
    page = client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"})
    assert page.status_code == 404 and page.context["error"]


def test_status_lookups_are_throttled(client, offices):
    for _i in range(60):
        client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"})
    assert client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"}).status_code == 429


def test_an_anonymous_appeal_is_registered_for_triage_whatever_box_is_ticked(client, offices):
    assert "is_urgent_report" not in client.get(reverse("appeals:public_appeal")).content.decode()
    data = public_data(offices, applicant_type="anonymous", applicant_name="", is_urgent_report="on")
    del data["consent_personal_data"]
    response = client.post(reverse("appeals:public_appeal"), data)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.status == Status.REGISTERED and not appeal.is_urgent_report


def test_the_applicant_downloads_the_letters_they_are_sent_and_sees_nothing_internal(client, cast, offices):
    import datetime as dt

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    letter = reverse("appeals:public_letter", args=["answer"])
    assert client.get(letter, {"code": appeal.tracking_code}).status_code == 404  # not answered yet
    receipt = client.get(reverse("appeals:public_letter", args=["receipt"]), {"code": appeal.tracking_code})
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF-")
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    services.appeal_request_extension(
        by=cast.prosecutor_astana,
        appeal=appeal,
        until=appeal.due_date + dt.timedelta(days=5),
        reason="Служебно",
    )
    services.appeal_note_add(by=cast.prosecutor_astana, appeal=appeal, text="Внутренняя заметка")
    services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Ответ дан."
    )
    page = client.get(reverse("appeals:public_status"), {"code": appeal.tracking_code}).content.decode()
    assert appeal.answered_on.strftime("%d.%m.%Y") in page and f"{letter}?code=" in page
    for internal in ("Служебно", "Внутренняя заметка", cast.prosecutor_astana.last_name):
        assert internal not in page
    answer = client.get(letter, {"code": appeal.tracking_code})
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert answer["Cache-Control"] == "no-store"
    assert client.get(letter, {"code": "AAAA-BBBB-CCCC"}).status_code == 404
    assert (
        client.get(
            reverse("appeals:public_letter", args=["nonsense"]), {"code": appeal.tracking_code}
        ).status_code
        == 404
    )


def test_a_refused_form_summarises_the_errors_and_says_files_must_be_chosen_again(client, offices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = public_data(offices, applicant_iin="123")
    data["attachments"] = SimpleUploadedFile(
        "scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"
    )
    page = client.post(reverse("appeals:public_appeal"), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_applicant_iin"' in html and 'id="files-lost"' in html
    without_files = client.post(reverse("appeals:public_appeal"), public_data(offices, applicant_iin="123"))
    assert 'id="files-lost"' not in without_files.content.decode()
