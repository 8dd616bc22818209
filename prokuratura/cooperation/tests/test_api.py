"""The cooperation API: the resolver, the treaty register and what was in force on a date — answers, the
permission, and the 422/404 errors with translated messages."""

import datetime as dt

import pytest
from django.utils import timezone

from prokuratura.cooperation.models import Instrument
from prokuratura.cooperation.tests.factories import (
    CountryFactory,
    CrimeCategoryFactory,
    InstrumentFactory,
    vienna_1988,
)
from prokuratura.core.tests.api_client import assert_error, bearer


@pytest.fixture
def register(db):
    CountryFactory(iso2="KZ", iso3="KAZ", name_en="Kazakhstan")
    spain = CountryFactory(iso2="ES", iso3="ESP", name_en="Spain", name_ru="Испания")
    CountryFactory(iso2="US", iso3="USA", name_en="United States")
    drugs = CrimeCategoryFactory(code="drug_trafficking")
    CrimeCategoryFactory(code="06", kind="iccs")
    mla = InstrumentFactory(
        code="kz-es-mla",
        partner=spain,
        title_en="Convention with Spain on MLA",
        in_force_date=dt.date(2012, 12, 1),
    )
    InstrumentFactory(
        code="kz-es-ext",
        partner=spain,
        subjects=["extradition"],
        in_force_date=None,
        ratified_date=dt.date(2013, 5, 23),
        status=Instrument.Status.RATIFIED,
    )
    vienna = vienna_1988(drugs=drugs)
    return {"mla": mla, "vienna": vienna}


def test_resolve_answers_the_ordered_legal_basis(cast, register):
    response = bearer(cast.intl_officer).get(
        "/api/v1/cooperation/resolve",
        {"country": "us", "kind": "extradition", "date": "2026-12-01", "focus_area": "drug_trafficking"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["country"], body["kind"], body["date"]) == ("US", "extradition", "2026-12-01")
    assert [(c["tier"], c["applies"]) for c in body["applicable"]] == [("un", True)]
    vienna = body["applicable"][0]
    assert vienna["instrument"]["code"] == "vienna-1988"
    assert vienna["instrument"]["subjects"] == ["extradition", "mla"]
    assert "Covers drug trafficking." in vienna["reasons"]
    assert any("every UN member" in w for w in vienna["warnings"])
    assert vienna["in_force_confirmed"] is False
    (reciprocity,) = [c for c in body["candidates"] if c["tier"] == "reciprocity"]
    assert reciprocity["instrument"] is None and reciprocity["legal_basis"] and not reciprocity["applies"]
    assert body["headline"].startswith("Use ")
    assert any(w.startswith("1988 Vienna Convention: ") for w in body["warnings"])
    assert body["candidates"][: len(body["applicable"])] == body["applicable"]


def test_resolve_defaults_to_today_and_speaks_the_request_language(cast, register):
    response = bearer(cast.analyst).get(
        "/api/v1/cooperation/resolve", {"country": "ES", "kind": "mla"}, HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == timezone.localdate().isoformat()
    assert body["country_name"] == "Испания"
    assert body["applicable"][0]["instrument"]["code"] == "kz-es-mla"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"country": "QQ", "kind": "mla"}, "country", "Unknown country code: QQ."),
        ({"country": "ES", "kind": "espionage"}, "kind", "Unknown kind of cooperation: espionage."),
        ({"country": "ES", "kind": "mla", "date": "01.12.2026"}, "date", "Enter the date as YYYY-MM-DD"),
        ({"country": "ES", "kind": "mla", "iccs_section": "99"}, "iccs_section", "Unknown ICCS section: 99."),
        ({"country": "ES", "kind": "mla", "focus_area": "x"}, "focus_area", "Unknown crime focus area: x."),
    ],
)
def test_resolve_refuses_unknown_codes_with_422(cast, register, params, field, message):
    response = bearer(cast.intl_officer).get("/api/v1/cooperation/resolve", params)

    body = assert_error(response, 422, "validation_error")
    assert body["message"].startswith(message)
    assert [d["loc"] for d in body["details"]] == [["query", field]]


def test_resolve_lists_every_bad_field_at_once(cast, register):
    response = bearer(cast.intl_officer).get(
        "/api/v1/cooperation/resolve", {"country": "QQ", "kind": "x", "date": "soon"}
    )

    body = assert_error(response, 422)
    assert {d["loc"][1] for d in body["details"]} == {"country", "kind", "date"}


def test_resolve_message_is_translated(cast, register):
    response = bearer(cast.intl_officer).get(
        "/api/v1/cooperation/resolve", {"country": "QQ", "kind": "mla"}, HTTP_ACCEPT_LANGUAGE="ru"
    )

    body = assert_error(response, 422)
    assert "QQ" in body["message"]


def test_resolve_needs_the_permission_and_an_account(cast, register, client):
    assert_error(
        bearer(cast.outsider).get("/api/v1/cooperation/resolve", {"country": "ES", "kind": "mla"}), 403
    )
    assert_error(client.get("/api/v1/cooperation/resolve", {"country": "ES", "kind": "mla"}), 401)


def test_treaty_list_is_paginated_and_filtered(cast, register):
    api = bearer(cast.intl_officer)

    everything = api.get("/api/v1/cooperation/treaties").json()
    bilateral = api.get("/api/v1/cooperation/treaties", {"kind": "bilateral", "subject": "mla"}).json()
    ratified = api.get("/api/v1/cooperation/treaties", {"status": "ratified", "country": "ES"}).json()
    kazakhstan = api.get("/api/v1/cooperation/treaties", {"country": "kz"}).json()
    page = api.get("/api/v1/cooperation/treaties", {"page_size": 2}).json()

    assert everything["count"] == 3
    assert [t["code"] for t in bilateral["items"]] == ["kz-es-mla"]
    assert [t["code"] for t in ratified["items"]] == ["kz-es-ext"]
    assert kazakhstan["count"] == 3  # listed as a party of each
    assert len(page["items"]) == 2 and page["next"]
    assert everything["items"][0]["partner"] == "ES"


def test_treaty_list_refuses_an_unknown_country_and_an_unknown_status(cast, register):
    api = bearer(cast.intl_officer)

    body = assert_error(api.get("/api/v1/cooperation/treaties", {"country": "QQ"}), 422)
    assert body["message"] == "Unknown country code: QQ."
    assert_error(api.get("/api/v1/cooperation/treaties", {"status": "forgotten"}), 422)


def test_treaty_detail_has_every_fact_and_the_parties(cast, register):
    body = bearer(cast.intl_officer).get("/api/v1/cooperation/treaties/vienna-1988").json()

    assert body["code"] == "vienna-1988" and body["family"] == "un"
    assert body["offence_categories"] == ["drug_trafficking"]
    assert body["open_to_all_states"] is True
    assert [(p["country"], p["status"], p["date"]) for p in body["parties"]] == [
        ("KZ", "party", "1998-06-29")
    ]
    assert body["sources"] == ["https://example.org/source"]


def test_treaty_detail_of_an_unknown_code_is_404(cast, register):
    assert_error(bearer(cast.intl_officer).get("/api/v1/cooperation/treaties/no-such-treaty"), 404)


def test_in_force_on_a_date(cast, register):
    api = bearer(cast.intl_officer)

    body = api.get("/api/v1/cooperation/countries/es/in-force", {"date": "2014-01-01"}).json()
    early = api.get("/api/v1/cooperation/countries/ES/in-force", {"date": "2012-06-01"}).json()

    assert body["country"] == "ES" and body["date"] == "2014-01-01"
    assert [(i["instrument"]["code"], i["in_force_confirmed"]) for i in body["instruments"]] == [
        ("kz-es-ext", False),  # same signature date: by code
        ("kz-es-mla", True),
        ("vienna-1988", False),
    ]
    assert [i["instrument"]["code"] for i in early["instruments"]] == ["vienna-1988"]


def test_in_force_errors(cast, register):
    api = bearer(cast.intl_officer)

    assert_error(api.get("/api/v1/cooperation/countries/QQ/in-force"), 404)
    assert_error(api.get("/api/v1/cooperation/countries/KZ/in-force"), 404)
    assert_error(api.get("/api/v1/cooperation/countries/ESP/in-force"), 422)
    body = assert_error(api.get("/api/v1/cooperation/countries/ES/in-force", {"date": "2014-13-01"}), 422)
    assert body["details"][0]["loc"] == ["query", "date"]
    assert_error(bearer(cast.outsider).get("/api/v1/cooperation/countries/ES/in-force"), 403)
