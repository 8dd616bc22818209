"""The pages around letters: the preview before sending, the answer awaiting sign-off, the sign-off setting, and
the public printable receipt."""

import pytest
from django.urls import reverse

from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, OfficeAppealSetting, OutgoingLetter, Status
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.tests.test_views_public import public_data
from prokuratura.core.models import AuditEntry

ANSWER = {"outcome": "explained", "answer_text": "Разъяснено право на обращение в суд."}


@pytest.fixture
def in_review(offices, cast):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)


def test_the_prosecutor_previews_the_letter_and_nothing_is_sent(client_for, cast, in_review):
    client = client_for(cast.prosecutor_astana)
    url = reverse("appeals:action", args=[in_review.pk, "answer"])
    response = client.post(url, {**ANSWER, "preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="letter-preview"' in page and "Разъяснено право на обращение в суд." in page
    assert "Уважаемый Серик Болатович!" in page
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW and in_review.answer_text == ""
    assert not OutgoingLetter.objects.exists()
    # The form keeps what was typed, so the prosecutor sends what was read.
    assert response.context["actions"]["answer"].data["answer_text"] == ANSWER["answer_text"]


def test_a_preview_of_an_incomplete_answer_shows_the_errors_and_no_letter(client_for, cast, in_review):
    response = client_for(cast.prosecutor_astana).post(
        reverse("appeals:action", args=[in_review.pk, "answer"]), {"outcome": "explained", "preview": "1"}
    )
    assert response.status_code == 400
    assert response.context["letter_preview"] is None
    assert response.context["actions"]["answer"].errors["answer_text"]


def test_a_preview_needs_the_step(client_for, cast, in_review):
    response = client_for(cast.prosecutor_almaty).post(
        reverse("appeals:action", args=[in_review.pk, "answer"]), {**ANSWER, "preview": "1"}
    )
    assert response.status_code == 404  # the appeal is not Almaty's to see


def test_the_head_sees_the_letter_awaiting_signoff_and_signs_it(client_for, cast, offices, in_review):
    OfficeAppealSetting.objects.create(office=offices.astana, answer_signoff_required=True)
    services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=in_review, **ANSWER)
    client = client_for(cast.head_astana)
    page = client.get(reverse("appeals:detail", args=[in_review.pk]))
    assert page.context["awaiting_signoff"] and "Разъяснено" in page.context["awaiting_signoff"]
    assert {"sign_off", "return_answer"} <= set(page.context["actions"])
    response = client.post(reverse("appeals:action", args=[in_review.pk, "sign_off"]), {})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.ANSWERED
    letter = OutgoingLetter.objects.get(appeal=in_review)
    detail = client.get(reverse("appeals:detail", args=[in_review.pk])).content.decode()
    assert letter.number in detail


def test_only_an_administrator_sets_signoff(client_for, cast, offices):
    url = reverse("appeals:signoff_list")
    assert client_for(cast.head_astana).get(url).status_code == 403
    client = client_for(cast.admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"office": offices.astana_district.pk, "required": "1"})
    assert response.status_code == 302
    assert OfficeAppealSetting.objects.get(office=offices.astana_district).answer_signoff_required
    client.post(url, {"office": offices.astana_district.pk})
    assert not OfficeAppealSetting.objects.get(office=offices.astana_district).answer_signoff_required
    assert AuditEntry.objects.filter(object_type="appeals.officeappealsetting").count() == 2


@pytest.mark.parametrize("office", ["", "abc", "999999", "-1"])
def test_a_bad_office_changes_nothing(client_for, cast, offices, office):
    response = client_for(cast.admin).post(
        reverse("appeals:signoff_list"), {"office": office, "required": "1"}
    )
    assert response.status_code == 302
    assert not OfficeAppealSetting.objects.exists()


def test_the_public_receipt_is_printable_with_a_qr_code_and_a_pdf(client, offices):
    from django.core.cache import cache

    cache.clear()
    response = client.post(reverse("appeals:public_appeal"), public_data(offices))
    appeal = Appeal.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "data-print" in page and "<svg" in page
    assert appeal.reg_number in page and appeal.statutory_due_date.strftime("%d.%m.%Y") in page
    pdf = client.get(reverse("appeals:public_letter", args=["receipt"]), {"code": appeal.tracking_code})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_public_does_not_see_an_answer_before_it_is_signed_off(client, cast, offices, in_review):
    OfficeAppealSetting.objects.create(office=offices.astana, answer_signoff_required=True)
    services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=in_review, **ANSWER)
    page = client.get(reverse("appeals:public_status"), {"code": in_review.tracking_code})
    text = page.content.decode()
    assert page.context["stage"] == str(Status.IN_REVIEW.label)
    assert "Разъяснено" not in text and "sign-off" not in text
    assert "answer" not in dict(page.context["letters"])


def test_the_api_lists_the_letters_with_their_numbers(client_for, cast, in_review):
    services.appeal_answer(by=cast.prosecutor_astana, appeal=in_review, **ANSWER)
    response = client_for(cast.head_astana).get(f"/api/v1/appeals/{in_review.pk}/letters")
    assert response.status_code == 200
    letters = {row["kind"]: row for row in response.json()}
    assert set(letters) == {"receipt", "answer"}
    answer = OutgoingLetter.objects.get(appeal=in_review)
    assert letters["answer"]["issued"] and letters["answer"]["number"] == answer.number
    assert letters["receipt"]["number"] == in_review.reg_number and not letters["receipt"]["issued"]
    assert client_for(cast.head_astana).get(letters["answer"]["docx_url"]).status_code == 200
    assert (
        client_for(cast.prosecutor_almaty).get(f"/api/v1/appeals/{in_review.pk}/letters").status_code == 404
    )
