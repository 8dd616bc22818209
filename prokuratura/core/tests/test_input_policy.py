"""The one input policy for text (core.input_policy): NUL and broken UTF-8 refused, controls and bidi overrides
removed, NFC; oversized bodies 413; the public form keeps what was typed; the appeals' time-of-receipt rule."""

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from prokuratura.appeals.models import Appeal, AppealRule
from prokuratura.appeals.rules import APPEAL_TEXT_MAX_LENGTH, received_at_error, rules_changed
from prokuratura.appeals.tests.test_api import payload
from prokuratura.appeals.tests.test_views_public import public_data
from prokuratura.core.input_policy import InputPolicyMiddleware, Refused, clean_text
from prokuratura.core.models import IdempotencyRecord
from prokuratura.core.tests.api_client import assert_error, bearer

# What a person could not have meant to type: a bell, an escape, DEL, a C1 control, and the bidi overrides and
# isolates of "Trojan Source".
JUNK = "\x07\x1b\x7f\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
KAZAKH = "Әділет Қазақстан өңір ұлт үй һ і ғ"


@pytest.fixture
def registrar_api(cast, no_2fa):
    return bearer(cast.registrar_astana)


def post_json(client, path, body, **extra):
    raw = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
    return client.post(path, raw, content_type="application/json", **extra)


# --- the policy itself -----------------------------------------------------------------------------------------


def test_clean_text_removes_controls_and_bidi_overrides_and_keeps_what_people_type():
    typed = f"Жалоба{JUNK}\tабзац\r\nвторой\n{KAZAKH} \u200eABC\u200f"
    assert clean_text(typed) == f"Жалоба\tабзац\r\nвторой\n{KAZAKH} \u200eABC\u200f"


def test_clean_text_normalises_to_nfc():
    decomposed = "и\u0306 е\u0308"  # й and ё typed with combining marks
    assert clean_text(decomposed) == "й ё"


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"])
def test_clean_text_refuses_nul_and_surrogates(bad):
    with pytest.raises(Refused):
        clean_text(bad)


def test_the_query_string_is_cleaned_before_the_view_reads_it():
    seen = {}

    def view(request):
        seen["q"] = request.GET["q"]
        return HttpResponse()

    request = RequestFactory().get("/appeals/", {"q": "жалоба\u202eтекст"})
    InputPolicyMiddleware(view)(request)
    assert seen["q"] == "жалобатекст"


# --- refused: NUL, lone surrogates, broken UTF-8 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "extra"),
    [
        ("/api/v1/appeals?x=%00", None, {}),
        ("/api/v1/appeals/%00", None, {}),
        ("/api/v1/appeals", '{"text": "a\\u0000b"}', {}),
        ("/api/v1/appeals", '{"te\\u0000xt": "ab"}', {}),
        ("/api/v1/appeals", '{"text": "a\\ud800b"}', {}),
        ("/api/v1/appeals", b'{"text": "\xff\xfe"}', {}),
        ("/api/v1/appeals?x=%FF", None, {}),
        ("/api/v1/appeals", None, {"HTTP_IDEMPOTENCY_KEY": "k\x00"}),
    ],
    ids=["query", "path", "json", "json-key", "surrogate", "not-utf8-body", "not-utf8-query", "header"],
)
def test_the_api_refuses_nul_and_broken_text_with_400_and_saves_nothing(
    registrar_api, offices, path, body, extra
):
    if body is None:
        body = json.dumps(payload(), ensure_ascii=False)
    response = post_json(registrar_api, path, body, **extra)
    assert_error(response, 400, "invalid_characters")
    assert Appeal.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/relations/events/%C3%89/steps", "/api/v1/appeals/%D0%90"])
def test_a_path_with_letters_beyond_ascii_is_not_refused(registrar_api, offices, path):
    # Django hands the path over decoded; decoding it a second time took "É" (C3 89) for a broken byte.
    response = registrar_api.get(path)
    assert response.status_code != 400


def test_a_nul_in_every_field_of_the_api_payload_is_refused(registrar_api, offices):
    response = post_json(registrar_api, "/api/v1/appeals", payload(subject="x\x00y"))
    assert_error(response, 400, "invalid_characters")
    assert Appeal.objects.count() == 0


def test_a_nul_in_a_page_query_is_a_translated_400_page(client, offices):
    response = client.get("/appeals/public/?code=%00", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="ru">' in html and "prokuratura" in html


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_nul_in_a_public_form_field_is_refused_and_nothing_is_saved(client, offices, encoding):
    data = public_data(offices, text="Жалоба\x00")
    url = reverse("appeals:public_appeal")
    if encoding == "multipart":
        response = client.post(url, data)
    else:
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert Appeal.objects.count() == 0


# --- removed: controls and bidi overrides; kept: TAB, LF, Kazakh ----------------------------------------------


def test_controls_and_bidi_overrides_are_removed_from_an_appeal_sent_through_the_api(registrar_api, offices):
    body = payload(
        subject=f"Отказ{JUNK} в пособии",
        text=f"Строка\tпервая\nвторая {KAZAKH} и\u0306{JUNK}",
        applicant={**payload()["applicant"], "name": "Жумабаева\u202e Айгуль"},
    )
    response = post_json(registrar_api, "/api/v1/appeals", body)
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert appeal.subject == "Отказ в пособии"
    assert appeal.text == f"Строка\tпервая\nвторая {KAZAKH} й"
    assert appeal.applicant_name == "Жумабаева Айгуль"


def test_a_retry_of_the_same_uncleaned_body_is_replayed(registrar_api, offices):
    """The idempotency hash reads the cleaned body, the same for both sends."""
    body = json.dumps(payload(subject=f"Отказ{JUNK}"), ensure_ascii=False)
    first = post_json(registrar_api, "/api/v1/appeals", body, HTTP_IDEMPOTENCY_KEY="bidi-1")
    again = post_json(registrar_api, "/api/v1/appeals", body, HTTP_IDEMPOTENCY_KEY="bidi-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_controls_and_bidi_overrides_are_removed_from_an_appeal_filed_on_the_public_form(
    client, offices, encoding
):
    data = public_data(offices, subject=f"Жалақы{JUNK} төленбеді", text=f"Үш ай\tбойы\r\n{KAZAKH}{JUNK}")
    url = reverse("appeals:public_appeal")
    if encoding == "multipart":
        response = client.post(url, data)
    else:
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.subject == "Жалақы төленбеді"
    assert appeal.text == f"Үш ай\tбойы\r\n{KAZAKH}"


# --- oversized bodies -----------------------------------------------------------------------------------------


@pytest.mark.undocumented_status(
    413
)  # any operation with a body can answer it; the OpenAPI document lists none
def test_an_oversized_api_body_is_413_in_the_error_shape(registrar_api, offices, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post_json(registrar_api, "/api/v1/appeals", payload(text="ж" * 20_000))
    body = assert_error(response, 413, "payload_too_large")
    assert "9.8" in body["message"]  # names the limit (10,000 bytes)
    assert Appeal.objects.count() == 0


def test_too_many_form_fields_are_413_on_a_page(client, offices, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = {f"f{i}": "x" for i in range(60)}
    response = client.post(
        reverse("appeals:public_appeal"), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"]


def test_an_oversized_page_body_is_a_413_page(client, offices, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(reverse("appeals:public_appeal"), public_data(offices, text="ж" * 20_000))
    assert response.status_code == 413
    assert "Error code 413" in response.content.decode()
    assert Appeal.objects.count() == 0


# --- the public form keeps what was typed -------------------------------------------------------------------


def test_an_oversized_attachment_reshows_the_form_with_the_text_and_a_message_on_the_file(client, offices):
    AppealRule.objects.update_or_create(
        code="attachment_max_mb",
        defaults={"value": 1, "unit": "MB", "description": "test", "legal_source": "test"},
    )
    rules_changed()
    typed = "Үш ай бойы жалақы төленбей келеді. Менің мәтінім сақталуы керек."
    big = SimpleUploadedFile(
        "scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), content_type="application/pdf"
    )
    response = client.post(
        reverse("appeals:public_appeal"), public_data(offices, text=typed, attachments=big)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "larger than 1 MB" in " ".join(form.errors["attachments"])
    html = response.content.decode()
    assert typed in html
    assert 'id="files-lost"' in html
    assert Appeal.objects.count() == 0


def test_the_public_text_has_the_api_maximum_length_with_a_message(client, offices):
    page = client.get(reverse("appeals:public_appeal"))
    assert f'maxlength="{APPEAL_TEXT_MAX_LENGTH}"' in page.content.decode()
    response = client.post(
        reverse("appeals:public_appeal"), public_data(offices, text="ж" * (APPEAL_TEXT_MAX_LENGTH + 1))
    )
    assert response.status_code == 400
    assert "The text is too long" in " ".join(response.context["form"].errors["text"])
    assert Appeal.objects.count() == 0


# --- the time of receipt ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received_at", ["1900-01-01T10:00:00+05:00", "1991-12-15T23:00:00+05:00", "2099-01-01T10:30:00+05:00"]
)
def test_a_time_of_receipt_before_1991_or_in_the_future_is_422(registrar_api, offices, received_at):
    response = post_json(registrar_api, "/api/v1/appeals", payload(received_at=received_at))
    body = assert_error(response, 422)
    assert "received_at" in body["details"]
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("days_ago", [0, 1])
def test_a_time_of_receipt_today_or_yesterday_is_accepted(registrar_api, offices, days_ago):
    received_at = (timezone.localtime() - dt.timedelta(days=days_ago)).isoformat()
    response = post_json(registrar_api, "/api/v1/appeals", payload(received_at=received_at))
    assert response.status_code == 201, response.content


def test_the_rule_names_the_earliest_date_and_speaks_of_a_date_for_the_importer():
    early = timezone.make_aware(dt.datetime(1900, 1, 1))
    assert received_at_error(early) == "The time of receipt cannot be before 16.12.1991."
    assert received_at_error(early, as_date=True) == "The date of receipt cannot be before 16.12.1991."
    assert received_at_error(timezone.make_aware(dt.datetime(1991, 12, 16))) is None
    assert received_at_error(timezone.now() + dt.timedelta(days=1), as_date=True) == (
        "The date of receipt cannot be in the future."
    )
