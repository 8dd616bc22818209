"""POST a service request (an appeal through the one intake), and follow it: GET requests, GET a request."""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - parses this server's own answers in tests

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.models import Appeal, ApplicantType, Channel, ReceivedVia, Status
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.tests.test_views_public import public_data
from prokuratura.appeals.views.public import LOOKUPS_PER_HOUR, SUBMISSIONS_PER_HOUR
from prokuratura.core.actors import SETUP
from prokuratura.core.models import AuditEntry
from prokuratura.open311 import services
from prokuratura.open311.models import Open311Request

from .support import FORM, SPEC_EXAMPLE_BODY, submission, url

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def post(client, data, fmt="json", **kwargs):
    return client.post(url("requests", fmt), data, **kwargs)


def errors_of(response):
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["description"] for e in body)
    return [e["description"] for e in body]


# --- POST -------------------------------------------------------------------------------------------------------


def test_the_specs_example_request_files_an_appeal(client, app, offices):
    body = SPEC_EXAMPLE_BODY.format(api_key=app.api_key, service_code="labour")
    body += "&attribute[region]=710000000&attribute[kind]=statement&attribute[consent_personal_data]=yes"
    response = client.post(url("requests"), body, content_type=FORM)
    assert response.status_code == 201, response.content
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    appeal = Appeal.objects.get()
    assert created["service_request_id"] == appeal.tracking_code  # never the internal id
    assert appeal.reg_number in created["service_notice"]
    assert appeal.channel == Channel.PUBLIC_WEB and appeal.received_via == ReceivedVia.WEB
    assert appeal.registered_by is None and appeal.consent_personal_data
    assert appeal.applicant_name == "smith john" and appeal.applicant_email == "smit333@sfgov.edu"
    assert appeal.applicant_phone == "111111111"
    assert appeal.topic.code == "labour" and appeal.region.kato_code == "710000000"
    assert appeal.office == offices.astana  # routed as any appeal from Astana
    assert appeal.subject == "A large sinkhole is destroying the street"
    assert appeal.text.startswith("A large sinkhole is destroying the street\n\n")
    assert "1234 5th street" in appeal.text and "37.76524078, -122.4212043" in appeal.text
    assert "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg" in appeal.text
    link = Open311Request.objects.get()
    assert link.client == app.client and link.appeal == appeal and link.requested_at == appeal.received_at


def test_a_request_in_xml_answers_in_the_specs_shape(client, app, offices):
    response = post(client, submission(app, offices), fmt="xml")
    assert response.status_code == 201
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [e.tag for e in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == Appeal.objects.get().tracking_code
    assert request.find("account_id").text is None  # <account_id/>, as in the spec's example


def test_the_filed_appeal_is_an_ordinary_appeal_of_the_public_channel(
    client, app, offices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, submission(app, offices), headers={"Accept-Language": "kk"})
    appeal = Appeal.objects.get()
    assert appeal.status == Status.REGISTERED and appeal.applicant_language == "kk"
    assert appeal.applicant_type == ApplicantType.INDIVIDUAL and appeal.applicant_name == "Әлиев Қанат"
    assert appeal.kind == "complaint" and appeal.subject == "Үш ай бойы жалақы төленбей келеді."
    assert appeal.due_date == appeal.statutory_due_date
    # The receipt goes to the applicant, as from the public form.
    assert [m.to for m in mail.outbox] == [["kanat@example.kz"]]
    # Audited: the appeal by the public page's system actor, and which client filed it.
    entries = AuditEntry.objects.filter(actor_repr="system:public_web").values_list("object_type", flat=True)
    assert set(entries) >= {"appeals.appeal", "open311.open311request"}
    assert response["Cache-Control"] == "no-store"


def test_the_created_appeal_is_followed_on_the_public_status_page(client, app, offices):
    code = post(client, submission(app, offices)).json()[0]["service_request_id"]
    page = client.get(reverse("appeals:public_status"), {"code": code})
    assert page.status_code == 200
    appeal = Appeal.objects.get()
    assert page.context["appeal"] == appeal and appeal.reg_number in page.content.decode()


def test_a_retry_without_a_key_returns_the_same_request(client, app, offices):
    first = post(client, submission(app, offices))
    again = post(client, submission(app, offices))
    assert first.status_code == 201 and again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Appeal.objects.count() == 1 and Open311Request.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_returns_the_same_request(client, app, offices):
    headers = {"Idempotency-Key": "f0e1d2c3-retry"}
    first = post(client, submission(app, offices), headers=headers)
    again = post(client, submission(app, offices), headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Appeal.objects.count() == 1


def test_a_new_key_for_the_same_body_is_a_new_request(client, app, offices):
    post(client, submission(app, offices), headers={"Idempotency-Key": "one"})
    post(client, submission(app, offices), headers={"Idempotency-Key": "two"})
    assert Appeal.objects.count() == 2


def test_a_key_reused_for_another_body_is_refused(client, app, offices):
    post(client, submission(app, offices), headers={"Idempotency-Key": "one"})
    other = submission(app, offices, description="Басқа мәселе.")
    response = post(client, other, headers={"Idempotency-Key": "one"})
    assert response.status_code == 409
    assert errors_of(response)
    assert Appeal.objects.count() == 1


def test_the_same_body_a_day_later_is_a_new_appeal(client, app, offices):
    post(client, submission(app, offices))
    Open311Request.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    Appeal.objects.update(submission_key="open311:earlier")  # the day's key has moved on too
    assert post(client, submission(app, offices)).status_code == 201
    assert Appeal.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "status", "expect"),
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "o311_not-a-key"}, 403, "Invalid api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "nonsense"}, 404, "nonsense"),
        ({"attribute[consent_personal_data]": None}, 400, "attribute[consent_personal_data]"),
        ({"attribute[consent_personal_data]": "no"}, 400, "attribute[consent_personal_data]"),
        ({"attribute[region]": None}, 400, "attribute[region]"),
        ({"attribute[region]": "999999999"}, 400, "Unknown region code"),
        ({"attribute[kind]": "response"}, 400, "attribute[kind]"),
        ({"attribute[applicant_type]": "robot"}, 400, "attribute[applicant_type]"),
        ({"attribute[iin]": "123"}, 400, "attribute[iin]"),
        ({"attribute[decision_learned_on]": "yesterday"}, 400, "attribute[decision_learned_on]"),
        ({"attribute[decision_learned_on]": "2999-01-01"}, 400, "attribute[decision_learned_on]"),
        ({"description": "  "}, 400, "description"),
        ({"email": "not-an-address"}, 400, "email"),
        ({"lat": "91", "long": "71"}, 400, "lat"),
        ({"lat": "51.1", "long": None}, 400, "long"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"first_name": None, "last_name": None}, 400, "first_name, last_name"),
        ({"attribute[applicant_type]": "organisation"}, 400, "attribute[organisation_name]"),
    ],
)
def test_bad_input_is_a_spec_shaped_error_and_saves_nothing(client, app, offices, change, status, expect):
    response = post(client, submission(app, offices, **change))
    assert response.status_code == status, response.content
    assert any(expect in description for description in errors_of(response))
    assert Appeal.objects.count() == 0 and Open311Request.objects.count() == 0


def test_every_bad_parameter_is_named_at_once(client, app, offices):
    bad = submission(app, offices, **{"email": "x", "attribute[region]": None, "attribute[kind]": None})
    descriptions = errors_of(post(client, bad))
    assert len(descriptions) == 3
    assert [d.split(":")[0] for d in descriptions] == ["attribute[region]", "attribute[kind]", "email"]


def test_a_revoked_key_is_refused(client, app, offices):
    services.open311_client_revoke(by=SETUP, client=app.client)
    response = post(client, submission(app, offices))
    assert response.status_code == 403 and Appeal.objects.count() == 0


def test_a_json_body_is_refused_with_a_clear_message(client, app, offices):
    response = client.post(url("requests"), submission(app, offices), content_type="application/json")
    assert response.status_code == 400
    assert "application/x-www-form-urlencoded" in errors_of(response)[0]


def test_the_api_key_may_come_in_the_query_string(client, app, offices):
    data = submission(app, offices, api_key=None)
    response = client.post(f"{url('requests')}?api_key={app.api_key}", data)
    assert response.status_code == 201


def test_an_anonymous_report_is_registered_for_triage_with_a_notice_saying_so(client, app, offices):
    data = submission(app, offices, **{"attribute[applicant_type]": "anonymous", "first_name": None})
    created = post(client, data).json()[0]
    appeal = Appeal.objects.get()
    assert appeal.applicant_type == ApplicantType.ANONYMOUS and appeal.applicant_name == ""
    assert "Anonymous appeals are not considered" in created["service_notice"]


def test_an_organisation_names_itself_and_its_contact_person(client, app, offices):
    data = submission(
        app,
        offices,
        **{
            "attribute[applicant_type]": "organisation",
            "attribute[organisation_name]": "ТОО «Жарық»",
            "attribute[organisation_bin]": "050140000656",
        },
    )
    assert post(client, data).status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.applicant_name == "ТОО «Жарық»" and appeal.applicant_bin == "050140000656"
    assert "Әлиев Қанат" in appeal.text  # the contact person
    data["attribute[organisation_bin]"] = "050140000657"  # a wrong check digit
    response = post(client, {**data, "description": "Басқа"})
    assert response.status_code == 400 and "attribute[organisation_bin]" in errors_of(response)[0]


def test_submissions_are_throttled_per_address_like_the_public_form(client, app, offices):
    for number in range(SUBMISSIONS_PER_HOUR):
        assert post(client, submission(app, offices, description=f"Мәселе {number}")).status_code == 201
    response = post(client, submission(app, offices, description="Тағы бір"))
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert Appeal.objects.count() == SUBMISSIONS_PER_HOUR
    # A retry of one already filed is answered, not throttled.
    assert post(client, submission(app, offices, description="Мәселе 0")).status_code == 200
    # The limit is the public form's own counter: the same person cannot file more through the form.
    page = client.post(reverse("appeals:public_appeal"), public_data(offices))
    assert page.status_code == 400 and "Too many appeals" in page.content.decode()


def test_a_relay_is_limited_by_its_key_not_by_its_address(client, offices):
    relay, api_key = services.open311_client_create(by=SETUP, name="Relay", hourly_limit=12, relay=True)
    app = type("App", (), {"api_key": api_key})
    for number in range(12):
        assert post(client, submission(app, offices, description=f"Мәселе {number}")).status_code == 201
    response = post(client, submission(app, offices, description="Тағы бір"))
    assert response.status_code == 429 and Appeal.objects.count() == 12


# --- GET requests -----------------------------------------------------------------------------------------------


@pytest.fixture
def filed(client, app, offices):
    """Two appeals the app filed, and one registered by staff."""
    first = post(client, submission(app, offices)).json()[0]["service_request_id"]
    second = post(client, submission(app, offices, service_code="housing", description="Үй")).json()[0][
        "service_request_id"
    ]
    other = register(by=SETUP, region=offices.almaty.region)
    return type("Filed", (), {"first": first, "second": second, "other": other})


def test_a_request_by_its_id_shows_what_the_status_page_shows(client, app, offices, filed):
    response = client.get(url("request", service_request_id=filed.first))
    assert response.status_code == 200
    [request] = response.json()
    assert list(request) == REQUEST_FIELDS
    appeal = Appeal.objects.get(tracking_code=filed.first)
    assert request["service_request_id"] == appeal.tracking_code
    assert request["status"] == "open" and request["status_notes"] == "Stage: Registered."
    assert request["service_code"] == "labour" and request["service_name"] == "Labour"
    assert request["agency_responsible"] == "Astana city prosecutor's office"
    assert request["requested_datetime"] == timezone.localtime(appeal.received_at).isoformat(
        timespec="seconds"
    )
    assert request["requested_datetime"].endswith("+05:00")
    assert request["expected_datetime"] == f"{appeal.due_date.isoformat()}T23:59:59+05:00"
    assert f"/appeals/public/status/?code={appeal.tracking_code}" in request["service_notice"]
    # Nothing of the applicant's: no name, no text, no place.
    text = response.content.decode()
    for private in ("Әлиев", "kanat@example.kz", "жалақы", "Сарыарқа", "51.1694"):
        assert private not in text
    for field in ("description", "address", "lat", "long", "media_url"):
        assert request[field] is None


def test_a_request_in_xml(client, app, offices, filed):
    response = client.get(url("request", "xml", service_request_id=filed.first.lower().replace("-", "")))
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [e.tag for e in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == filed.first and request.findtext("status") == "open"
    assert request.find("description").text is None


def test_an_answered_appeal_is_closed_with_its_decision(client, cast, app, offices, filed):
    appeal = Appeal.objects.get(tracking_code=filed.first)
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    appeal_services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    appeal_services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Жауап: түсіндірілді."
    )
    appeal_services.appeal_note_add(by=cast.prosecutor_astana, appeal=appeal, text="Ішкі жазба")
    [request] = client.get(url("request", service_request_id=filed.first)).json()
    appeal.refresh_from_db()
    assert request["status"] == "closed"
    assert "Decision: Explained." in request["status_notes"]
    assert appeal.answered_on.strftime("%d.%m.%Y") in request["status_notes"]
    text = str(request)
    assert "Жауап" not in text and "Ішкі жазба" not in text and cast.prosecutor_astana.last_name not in text


def test_an_unknown_request_is_a_404(client, app, offices):
    for fmt in ("json", "xml"):
        response = client.get(url("request", fmt, service_request_id="AAAA-BBBB-CCCC"))
        assert response.status_code == 404


def test_requests_by_a_list_of_ids_return_only_those(client, app, offices, filed):
    ids = f"{filed.second},AAAA-BBBB-CCCC,{filed.first}"
    response = client.get(url("requests"), {"service_request_id": ids})
    assert [r["service_request_id"] for r in response.json()] == [filed.second, filed.first]
    root = ET.fromstring(client.get(url("requests", "xml"), {"service_request_id": ids}).content)  # noqa: S314
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [filed.second, filed.first]


def test_the_id_list_overrides_the_other_arguments(client, app, offices, filed):
    response = client.get(
        url("requests"), {"service_request_id": filed.first, "service_code": "housing", "status": "closed"}
    )
    assert [r["service_request_id"] for r in response.json()] == [filed.first]


def test_anyone_with_the_code_reads_a_staff_registered_appeal_too(client, offices, filed):
    response = client.get(url("requests"), {"service_request_id": filed.other.tracking_code})
    [request] = response.json()
    assert request["agency_responsible"] == "Almaty city prosecutor's office"
    assert filed.other.applicant_name not in response.content.decode()


def test_look_ups_by_id_are_throttled_with_the_status_page(client, offices, filed):
    for _i in range(LOOKUPS_PER_HOUR - 1):
        client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"})
    ids = f"{filed.first},{filed.second}"
    response = client.get(url("requests"), {"service_request_id": ids})
    assert response.status_code == 429
    assert client.get(url("request", service_request_id=filed.first)).status_code == 429


def test_a_client_follows_its_own_requests_without_the_look_up_limit(client, app, offices, filed):
    for _i in range(LOOKUPS_PER_HOUR + 1):
        client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"})
    response = client.get(url("requests"), {"service_request_id": filed.first, "api_key": app.api_key})
    assert response.status_code == 200 and len(response.json()) == 1
    # Somebody else's appeal still counts as a look-up.
    response = client.get(
        url("requests"), {"service_request_id": filed.other.tracking_code, "api_key": app.api_key}
    )
    assert response.status_code == 429


def test_at_most_fifty_ids_at_once(client, db):
    ids = ",".join(f"AAAA-BBBB-{n:04d}" for n in range(51))
    response = client.get(url("requests"), {"service_request_id": ids})
    assert response.status_code == 400 and "service_request_id" in errors_of(response)[0]


def test_a_broad_query_without_an_api_key_is_refused(client, offices, filed):
    for fmt in ("json", "xml"):
        response = client.get(url("requests", fmt), {"service_code": "labour"})
        assert response.status_code == 403
    assert "api_key" in errors_of(client.get(url("requests")))[0]


def test_a_broad_query_lists_only_the_callers_own_requests(client, app, offices, filed):
    other_app, other_key = services.open311_client_create(by=SETUP, name="Another app")
    post(client, submission(type("App", (), {"api_key": other_key}), offices, description="Бөтен"))
    response = client.get(url("requests"), {"api_key": app.api_key})
    assert response.status_code == 200
    assert [r["service_request_id"] for r in response.json()] == [filed.second, filed.first]
    assert filed.other.tracking_code not in response.content.decode()


def test_a_broad_query_filters_by_service_status_and_dates(client, cast, app, offices, filed):
    key = {"api_key": app.api_key}

    def ids(**params):
        response = client.get(url("requests"), {**key, **params})
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids(service_code="housing") == [filed.second]
    assert ids(service_code="labour,housing") == [filed.second, filed.first]
    assert ids(status="closed") == []
    assert ids(status="open,closed") == [filed.second, filed.first]
    now = timezone.now()
    assert ids(start_date=(now - dt.timedelta(hours=1)).isoformat()) == [filed.second, filed.first]
    assert ids(end_date=(now - dt.timedelta(hours=1)).isoformat()) == []
    assert ids(start_date="2026-01-01T00:00:00Z", end_date="2026-02-01T00:00:00Z") == []
    appeal = Appeal.objects.get(tracking_code=filed.first)
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    appeal_services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    appeal_services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Жауап."
    )
    assert ids(status="closed") == [filed.first]
    assert ids(status="open") == [filed.second]


@pytest.mark.parametrize(
    ("params", "expect"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00"}, "start_date"),  # no time zone
        ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"status": "pending"}, "status"),
        ({"service_code": "labour,nonsense"}, "nonsense"),
    ],
)
def test_a_bad_query_is_a_400(client, app, offices, params, expect):
    response = client.get(url("requests"), {"api_key": app.api_key, **params})
    assert response.status_code == 400
    assert any(expect in d for d in errors_of(response))


def test_a_query_with_a_wrong_key_is_a_403(client, offices):
    response = client.get(url("requests"), {"api_key": "o311_wrong"})
    assert response.status_code == 403 and "Invalid api_key" in errors_of(response)[0]


def test_queries_are_a_fixed_number_of_queries(client, app, offices, filed, django_assert_num_queries):
    ids = f"{filed.first},{filed.second},{filed.other.tracking_code}"
    # Look-ups by tracking code are throttled in the shared cache (core.throttle): on the database cache, one
    # transaction of 8 statements in a test (savepoints, read, cull count, write), 9 on PostgreSQL with its advisory
    # lock; none on Redis.
    throttle = (
        0 if not isinstance(caches["shared"], DatabaseCache) else 8 if connection.vendor == "sqlite" else 9
    )
    with django_assert_num_queries(1 + throttle):  # the appeals with their offices and topics
        client.get(url("requests"), {"service_request_id": ids})
    services.open311_client_authenticate(api_key=app.api_key)  # last use noted: not written again this minute
    with django_assert_num_queries(2):  # the client, its requests with their appeals, offices and topics
        client.get(url("requests", "xml"), {"api_key": app.api_key})
    with django_assert_num_queries(3):  # … and the topics named
        client.get(url("requests"), {"api_key": app.api_key, "service_code": "labour,housing"})
    with django_assert_num_queries(1 + throttle):  # a look-up by tracking code too
        client.get(url("request", service_request_id=filed.first))


def test_input_the_database_cannot_hold_is_a_400_not_a_server_error(client, app, offices):
    response = post(client, submission(app, offices, description="nul \x00 here"))
    assert response.status_code == 400 and "null character" in errors_of(response)[0]
    assert client.get(url("service", service_code="lab\x00our")).status_code == 400
    assert client.get(url("requests"), {"api_key": app.api_key, "service_code": "\x00"}).status_code == 400
    assert Appeal.objects.count() == 0


def test_too_many_fields_is_a_spec_shaped_400(client, app, offices, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = submission(app, offices, **{f"attribute[x{n}]": "1" for n in range(30)})
    response = post(client, data)
    assert response.status_code == 400 and errors_of(response)
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("moment", ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z"])
def test_dates_at_the_ends_of_time_are_a_400(client, app, offices, moment):
    for name in ("start_date", "end_date"):
        response = client.get(url("requests"), {"api_key": app.api_key, name: moment})
        assert response.status_code == 400 and name in errors_of(response)[0]
