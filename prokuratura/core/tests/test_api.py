"""The REST API through the real client: authentication, the error shape, permissions, pagination and core's
operations (offices, reference data, calendar, number checks, audit trail)."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone, translation

from prokuratura.accounts.models import ApiToken, RolePolicy
from prokuratura.accounts.roles import Role
from prokuratura.accounts.services import token_create, token_revoke
from prokuratura.core import calendar as working_calendar
from prokuratura.core.audit import audit_record, audit_seal
from prokuratura.core.models import AuditEntry, Country, CrimeCategory, Office
from prokuratura.core.tests.api_client import assert_error, bearer
from prokuratura.core.tests.factories import DepartmentFactory, OfficeFactory
from prokuratura.core.tests.sealing import sealed
from prokuratura.core.validators import check_digit

API = "/api/v1"


def _valid_iin(prefix="900101300") -> str:
    """An IIN with a right check digit: born 1990-01-01, male, serial chosen so a check digit exists."""
    for serial in range(10, 100):
        first = f"{prefix}{serial:02d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise AssertionError("no serial gives a check digit")


# --- health check ----------------------------------------------------------------------------------------------


def test_ping_needs_no_account_and_checks_the_database(db):
    response = Client().get(f"{API}/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok"}


def test_ping_answers_503_in_the_error_shape_when_the_database_is_down(db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("prokuratura.api.connection", BrokenConnection())
    assert_error(Client().get(f"{API}/ping"), 503, "unavailable")


# --- authentication --------------------------------------------------------------------------------------------


def test_no_credentials_is_401_with_the_error_shape(cast):
    response = Client().get(f"{API}/offices")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_token_authenticates(cast):
    response = bearer(cast.registrar_astana).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["username"] == "registrar_astana"


def test_an_unknown_token_is_401(cast):
    client = Client(HTTP_AUTHORIZATION="Bearer pk_not-a-real-token")
    assert_error(client.get(f"{API}/me"), 401, "invalid_token")


def test_another_authorization_scheme_is_401(cast):
    client = Client(HTTP_AUTHORIZATION="Basic YWRtaW46cGFzc3dvcmQ=")
    assert_error(client.get(f"{API}/me"), 401, "invalid_token")


def test_a_revoked_token_is_401(cast):
    token, secret = token_create(by=cast.analyst, name="revoked")
    token_revoke(by=cast.analyst, token=token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_error(client.get(f"{API}/me"), 401, "invalid_token")


def test_an_expired_token_is_401(cast):
    token, secret = token_create(
        by=cast.analyst, name="short", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(f"{API}/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(client.get(f"{API}/me"), 401, "invalid_token")


def test_a_deactivated_users_token_is_401(cast):
    client = bearer(cast.analyst)
    cast.analyst.is_active = False
    cast.analyst.save(update_fields=["is_active"])
    assert_error(client.get(f"{API}/me"), 401)


def test_a_bad_token_does_not_fall_back_to_the_session(cast, client_for):
    client = client_for(cast.analyst)
    assert client.get(f"{API}/me").status_code == 200
    assert_error(client.get(f"{API}/me", HTTP_AUTHORIZATION="Bearer pk_wrong"), 401, "invalid_token")


def test_session_auth_works_for_reads(cast, client_for):
    response = client_for(cast.prosecutor_almaty).get(f"{API}/offices")
    assert response.status_code == 200


def test_session_auth_needs_the_csrf_token_on_unsafe_methods(cast, no_2fa):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.analyst)
    url = f"{API}/validate/bin"
    assert_error(client.post(url, {"value": "1"}, content_type="application/json"), 403, "csrf_failed")
    client.get("/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"value": "1"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_a_token_needs_no_csrf_token(cast):
    client = bearer(cast.analyst, enforce_csrf_checks=True)
    response = client.post(f"{API}/validate/bin", {"value": "1"}, content_type="application/json")
    assert response.status_code == 200


def test_session_without_the_required_second_factor_is_401(cast, client):
    RolePolicy.objects.update_or_create(role=Role.AUDITOR, defaults={"require_2fa": True})
    client.force_login(cast.auditor)  # password only: the second factor was never verified
    assert_error(client.get(f"{API}/audit"), 401, "second_factor_required")


# --- permissions -----------------------------------------------------------------------------------------------


def test_lacking_the_permission_is_403(cast):
    assert_error(bearer(cast.outsider).get(f"{API}/offices"), 403, "forbidden")
    assert_error(bearer(cast.registrar_astana).get(f"{API}/audit"), 403, "forbidden")


def test_a_services_refusal_says_why_and_a_bare_one_gets_the_general_sentence(rf):
    import json

    from django.core.exceptions import PermissionDenied

    from prokuratura.core.api_support import _on_permission_denied

    told = _on_permission_denied(rf.get("/"), PermissionDenied("Only a head closes an inspection."))
    bare = _on_permission_denied(rf.get("/"), PermissionDenied())
    assert told.status_code == bare.status_code == 403
    assert json.loads(told.content)["message"] == "Only a head closes an inspection."
    assert json.loads(bare.content)["message"] == "You do not have permission to do this."


def test_permission_is_checked_before_the_input(cast):
    """Someone without the permission learns nothing from validation errors."""
    assert_error(bearer(cast.outsider).get(f"{API}/offices?page=0"), 403)
    assert_error(bearer(cast.outsider).get(f"{API}/offices/not-a-number"), 403)


def test_permission_is_checked_after_authentication(cast):
    assert_error(Client().get(f"{API}/audit?after=junk"), 401)


# --- the error shape -------------------------------------------------------------------------------------------


def test_unknown_route_is_json_404(cast):
    client = bearer(cast.analyst)
    assert_error(client.get(f"{API}/no-such-thing"), 404, "not_found")
    assert_error(client.get(f"{API}/"), 404, "not_found")
    assert_error(Client().post(f"{API}/offices/1/nothing"), 404, "not_found")


def test_wrong_method_is_405_with_allow(cast):
    response = bearer(cast.analyst).delete(f"{API}/offices")
    body = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert body["details"] == {"allowed": ["GET"]}


def test_malformed_json_is_400(cast):
    response = bearer(cast.analyst).post(f"{API}/validate/iin", "{not json", content_type="application/json")
    assert_error(response, 400, "malformed_body")


def test_a_body_that_is_not_json_is_415(cast):
    client = bearer(cast.analyst)
    form = client.post(f"{API}/validate/iin", "value=1", content_type="application/x-www-form-urlencoded")
    assert_error(form, 415, "unsupported_media_type")
    text = client.post(f"{API}/validate/iin", '{"value": "1"}', content_type="text/plain")
    assert_error(text, 415, "unsupported_media_type")


def test_a_missing_body_is_422_naming_the_field(cast):
    response = bearer(cast.analyst).post(f"{API}/validate/iin", "", content_type="application/json")
    body = assert_error(response, 422, "validation_error")
    assert [e["loc"] for e in body["details"]] == [["body", "payload"]]


def test_invalid_query_is_422_with_field_errors(cast):
    client = bearer(cast.analyst)
    body = assert_error(client.get(f"{API}/calendar/add-working-days?start=2025-01-01&days=3651"), 422)
    assert body["details"][0]["loc"] == ["query", "days"]
    assert body["details"][0]["msg"]
    body = assert_error(client.get(f"{API}/calendar/is-working-day?date=yesterday"), 422)
    assert body["details"][0]["loc"] == ["query", "date"]


def test_a_services_validation_error_is_422_with_its_message_dict(cast):
    url = f"{API}/calendar/working-days-between?start=2000-01-01&end=2030-01-01"
    body = assert_error(bearer(cast.analyst).get(url), 422, "validation_error")
    assert body["details"] == {"end": ["The dates may be at most 20 years apart."]}


@pytest.mark.undocumented_status(500)
def test_an_unexpected_error_is_500_without_a_traceback(cast, monkeypatch):
    def explode(day):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(working_calendar, "is_working_day", explode)
    response = bearer(cast.analyst).get(f"{API}/calendar/is-working-day?date=2025-02-12")
    body = assert_error(response, 500, "server_error")
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
    assert body["details"] is None


def test_the_message_is_in_the_requests_language(cast):
    response = Client().get(f"{API}/offices", HTTP_ACCEPT_LANGUAGE="ru")
    with translation.override("ru"):
        expected = translation.gettext("Sign in or send a valid API token.")
    assert assert_error(response, 401)["message"] == expected


# --- offices ---------------------------------------------------------------------------------------------------


def test_office_list_in_tree_order_with_filters(cast, offices):
    client = bearer(cast.prosecutor_almaty)
    body = client.get(f"{API}/offices").json()
    assert [o["code"] for o in body["items"]] == ["GPO", "AST", "AST-01", "ALA"]
    assert body["count"] == 4
    assert body["items"][0]["depth"] == 0 and body["items"][2]["depth"] == 2

    def codes(query):
        return [o["code"] for o in client.get(f"{API}/offices?{query}").json()["items"]]

    assert codes("level=regional") == ["AST", "ALA"]
    assert codes(f"parent={offices.gpo.pk}") == ["AST", "ALA"]
    assert codes(f"region={offices.almaty.region_id}") == ["ALA"]
    assert codes("q=yesil") == ["AST-01"]
    assert_error(client.get(f"{API}/offices?level=galactic"), 422)


def test_office_list_query_count_does_not_grow_with_rows(cast, offices, django_assert_num_queries):
    for _i in range(5):
        OfficeFactory(level=Office.Level.DISTRICT, parent=offices.almaty)
    client = bearer(cast.analyst)
    client.get(f"{API}/offices")  # the first use of a token records it; later uses do not write
    # the token with its owner's roles, then count + page
    with django_assert_num_queries(3):
        response = client.get(f"{API}/offices")
    assert response.json()["count"] == 9


def test_office_detail_and_404(cast, offices):
    client = bearer(cast.analyst)
    body = client.get(f"{API}/offices/{offices.astana.pk}").json()
    assert body["code"] == "AST" and body["parent_id"] == offices.gpo.pk and body["level"] == "regional"
    assert_error(client.get(f"{API}/offices/999999"), 404, "not_found")
    assert_error(client.get(f"{API}/offices/0"), 422)


def test_office_departments(cast, offices):
    DepartmentFactory(office=offices.astana, code="D2")
    DepartmentFactory(office=offices.astana, code="D1")
    DepartmentFactory(office=offices.almaty, code="D9")
    response = bearer(cast.analyst).get(f"{API}/offices/{offices.astana.pk}/departments")
    assert [d["code"] for d in response.json()] == ["D1", "D2"]
    assert_error(bearer(cast.analyst).get(f"{API}/offices/999999/departments"), 404)


# --- pagination ------------------------------------------------------------------------------------------------


@pytest.fixture
def countries(db):
    Country.objects.bulk_create(
        Country(
            iso2=f"{chr(65 + i // 26)}{chr(65 + i % 26)}",
            iso3=f"X{i:02d}",
            name_en=f"Country {i:02d}",
            name_ru=f"Страна {i:02d}",
            name_kk=f"Мемлекет {i:02d}",
        )
        for i in range(60)
    )


def test_page_number_pagination_defaults_and_links(cast, countries):
    client = bearer(cast.analyst)
    first = client.get(f"{API}/countries").json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (60, 1, 50, 50)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/countries?page=2"
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 10 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/countries?page=1"
    assert {c["iso2"] for c in first["items"]}.isdisjoint({c["iso2"] for c in second["items"]})


def test_pagination_keeps_the_filters_in_the_links(cast, countries):
    body = bearer(cast.analyst).get(f"{API}/countries?q=country&page_size=20").json()
    assert body["next"] == "http://testserver/api/v1/countries?page=2&page_size=20&q=country"


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=x", "page_size=0", "page_size=201", "page_size=x", "page=3", "page=99"],
)
def test_page_bounds_are_422(cast, countries, query):
    body = assert_error(bearer(cast.analyst).get(f"{API}/countries?{query}"), 422, "validation_error")
    assert body["details"][0]["loc"][0] == "query"


def test_page_size_200_is_allowed(cast, countries):
    body = bearer(cast.analyst).get(f"{API}/countries?page_size=200").json()
    assert body["page_size"] == 200 and len(body["items"]) == 60


def test_an_empty_list_has_page_one(cast):
    body = bearer(cast.analyst).get(f"{API}/countries?q=atlantis").json()
    assert body == {"items": [], "count": 0, "page": 1, "page_size": 50, "next": None, "previous": None}


def test_country_query_count(cast, countries, django_assert_num_queries):
    client = bearer(cast.analyst)
    client.get(f"{API}/countries")
    with django_assert_num_queries(3):
        assert len(client.get(f"{API}/countries").json()["items"]) == 50


# --- reference data and calendar -------------------------------------------------------------------------------


def test_regions_countries_and_crime_categories(cast, countries):
    client = bearer(cast.analyst)
    assert [r["kato_code"] for r in client.get(f"{API}/regions").json()] == ["710000000", "750000000"]
    assert client.get(f"{API}/countries?q=AB").json()["items"][0]["iso2"] == "AB"
    CrimeCategory.objects.create(code="ICCS01", kind="iccs", name_en="Homicide", name_ru="У", name_kk="К")
    CrimeCategory.objects.create(code="CORR", kind="focus", name_en="Corruption", name_ru="К", name_kk="С")
    assert [c["code"] for c in client.get(f"{API}/crime-categories?kind=focus").json()] == ["CORR"]
    assert len(client.get(f"{API}/crime-categories").json()) == 2


def test_calendar_endpoints_agree_with_the_calendar(cast):
    client = bearer(cast.analyst)
    saturday, wednesday = "2025-02-15", "2025-02-12"
    assert client.get(f"{API}/calendar/is-working-day?date={saturday}").json()["is_working_day"] is False
    assert client.get(f"{API}/calendar/is-working-day?date={wednesday}").json()["is_working_day"] is True
    body = client.get(f"{API}/calendar/add-working-days?start={saturday}&days=10").json()
    assert body["result"] == working_calendar.add_working_days(dt.date(2025, 2, 15), 10).isoformat()
    body = client.get(f"{API}/calendar/working-days-between?start={saturday}&end=2025-03-15").json()
    assert body["working_days"] == working_calendar.working_days_between(
        dt.date(2025, 2, 15), dt.date(2025, 3, 15)
    )
    assert_error(client.get(f"{API}/calendar/add-working-days?start={saturday}&days=-1"), 422)
    assert_error(bearer(cast.outsider).get(f"{API}/calendar/is-working-day?date={saturday}"), 403)


def test_small_reference_lists_query_count(cast, offices, django_assert_num_queries):
    for code in ("D1", "D2", "D3"):
        DepartmentFactory(office=offices.astana, code=code)
    client = bearer(cast.analyst)
    client.get(f"{API}/regions")
    # the token with its owner's roles, then the list (departments: the office, then its departments)
    for url, queries in (
        (f"{API}/regions", 2),
        (f"{API}/crime-categories", 2),
        (f"{API}/offices/{offices.astana.pk}/departments", 3),
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


# --- number checks ---------------------------------------------------------------------------------------------


def test_validate_iin(cast):
    client = bearer(cast.outsider)  # any member of staff
    iin = _valid_iin()
    body = client.post(f"{API}/validate/iin", {"value": iin}, content_type="application/json").json()
    assert body == {"valid": True, "message": None, "birth_date": "1990-01-01"}
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    body = client.post(f"{API}/validate/iin", {"value": wrong}, content_type="application/json").json()
    assert body["valid"] is False and "check digit" in body["message"] and body["birth_date"] is None


def test_validate_bin(cast):
    client = bearer(cast.analyst)
    first = "1504400" + "0001"
    value = first + str(check_digit(first))
    body = client.post(f"{API}/validate/bin", {"value": value}, content_type="application/json").json()
    assert body == {"valid": True, "message": None, "birth_date": None}
    body = client.post(f"{API}/validate/bin", {"value": "12345"}, content_type="application/json").json()
    assert body["valid"] is False and "12 digits" in body["message"]
    too_long = {"value": "1" * 65}
    assert_error(client.post(f"{API}/validate/bin", too_long, content_type="application/json"), 422)


# --- audit trail -----------------------------------------------------------------------------------------------


@pytest.fixture
def trail(cast):
    """Five entries on top of whatever setting up the cast wrote, sealed into the chain with them."""
    return sealed(
        audit_record(
            actor=cast.admin,
            action=AuditEntry.Action.UPDATE,
            object_type="core.office",
            object_id=str(i),
            changes={"code": {"before": "A", "after": f"B{i}"}},
        )
        for i in range(5)
    )


def test_audit_list_keyset_pagination(cast, trail):
    client = bearer(cast.auditor)
    audit_seal()  # the token's creation is audited too; the trail lists sealed entries
    total = AuditEntry.objects.count()
    seen = []
    url = f"{API}/audit?page_size=2"
    while url:
        body = client.get(url).json()
        assert body["page_size"] == 2
        seen += [e["seq"] for e in body["items"]]
        url = body["next"]
        if url:
            assert url.endswith(f"after={body['next_after']}") or f"after={body['next_after']}" in url
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) >= total  # each entry once (reading may add none)
    assert "changes" not in body["items"][-1]


def test_audit_list_after_and_filters(cast, trail):
    client = bearer(cast.auditor)
    last = trail[-1].seq
    body = client.get(f"{API}/audit?after={last}&object_type=core.office&actor=admin").json()
    assert [e["seq"] for e in body["items"]] == [t.seq for t in reversed(trail[:-1])]
    assert body["next"] is None and body["next_after"] is None
    body = client.get(f"{API}/audit?object_id=3&object_type=core.office&actor=admin").json()
    assert [e["seq"] for e in body["items"]] == [trail[3].seq]
    assert client.get(f"{API}/audit?action=delete").json()["items"] == []


@pytest.mark.parametrize("query", ["after=abc", "after=-5", "page_size=0", "page_size=201", "action=nope"])
def test_audit_list_bad_input_is_422(cast, trail, query):
    assert_error(bearer(cast.auditor).get(f"{API}/audit?{query}"), 422, "validation_error")


def test_audit_list_query_count(cast, trail, django_assert_num_queries):
    client = bearer(cast.auditor)
    client.get(f"{API}/audit")
    # the token with its owner's roles, then one page (no count)
    with django_assert_num_queries(2):
        assert len(client.get(f"{API}/audit?page_size=3").json()["items"]) == 3


def test_audit_detail(cast, trail):
    client = bearer(cast.auditor)
    body = client.get(f"{API}/audit/{trail[2].seq}").json()
    assert body["seq"] == trail[2].seq
    assert body["changes"] == {"code": {"before": "A", "after": "B2"}}
    assert body["hash"] == trail[2].hash
    assert_error(client.get(f"{API}/audit/999999"), 404)
    assert_error(bearer(cast.head_gpo).get(f"{API}/audit/{trail[2].seq}"), 403)
