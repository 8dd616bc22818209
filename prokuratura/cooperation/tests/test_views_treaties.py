import datetime as dt

import pytest
from django.urls import reverse

from prokuratura.cooperation.models import Instrument, InstrumentParty
from prokuratura.core.models import AuditEntry

from .factories import CountryFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treaty(db):
    CountryFactory(iso2="KZ")
    return InstrumentFactory(
        code="kz-tr-1995",
        title_en="Treaty on legal assistance in criminal matters",
        partner=CountryFactory(iso2="TR", name_en="Türkiye"),
        signed_date=dt.date(1995, 5, 1),
        ratified_date=None,
        in_force_date=None,
        status=Instrument.Status.SIGNED,
        source_url="https://adilet.zan.kz/rus/docs/Z950000001_ | Law No. 1 of 1996",
    )


def _edit_data(instrument, **changes):
    data = {
        "subjects": instrument.subject_codes(),
        "title_en": instrument.title_en,
        "title_ru": instrument.title_ru,
        "title_kk": instrument.title_kk,
        "short_name": instrument.short_name,
        "family": instrument.family,
        "signed_date": instrument.signed_date.isoformat() if instrument.signed_date else "",
        "signed_precision": instrument.signed_precision,
        "signed_place": instrument.signed_place,
        "ratification_act": instrument.ratification_act,
        "ratified_date": instrument.ratified_date.isoformat() if instrument.ratified_date else "",
        "ratified_precision": instrument.ratified_precision,
        "in_force_date": instrument.in_force_date.isoformat() if instrument.in_force_date else "",
        "terminated_date": "",
        "status": instrument.status,
        "offence_scope": "",
        "central_authorities": "",
        "channels": [],
        "languages": "",
        "reservations": "",
        "depositary": "",
        "supersedes": "",
        "open_to_all_confidence": instrument.open_to_all_confidence,
        "source_url": instrument.source_url,
        "confidence": instrument.confidence,
        "note": "",
        "source": "",
        "reason": "",
    }
    if instrument.all_offences:
        data["all_offences"] = "on"
    data.update(changes)
    return data


# --- who may open what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("intl_officer", 200), ("analyst", 200), ("admin", 200), ("auditor", 200), ("outsider", 403)],
)
def test_list_and_detail_by_role(cast, client_for, treaty, role, status):
    client = client_for(getattr(cast, role))
    assert client.get(reverse("cooperation:treaty_list")).status_code == status
    assert client.get(reverse("cooperation:treaty_detail", args=[treaty.code])).status_code == status


def test_missing_treaty_is_404(cast, client_for, treaty):
    client = client_for(cast.intl_officer)
    assert client.get(reverse("cooperation:treaty_detail", args=["no-such-treaty"])).status_code == 404
    admin = client_for(cast.admin)
    assert admin.get(reverse("cooperation:treaty_edit", args=["no-such-treaty"])).status_code == 404


@pytest.mark.parametrize("name", ["treaty_edit", "treaty_parties"])
@pytest.mark.parametrize(
    ("role", "status"), [("intl_officer", 403), ("analyst", 403), ("outsider", 403), ("admin", 200)]
)
def test_correction_pages_need_manage(cast, client_for, treaty, name, role, status):
    response = client_for(getattr(cast, role)).get(reverse(f"cooperation:{name}", args=[treaty.code]))
    assert response.status_code == status


def test_add_page_needs_manage(cast, client_for, treaty):
    assert client_for(cast.intl_officer).get(reverse("cooperation:treaty_add")).status_code == 403
    assert client_for(cast.admin).get(reverse("cooperation:treaty_add")).status_code == 200


def test_anonymous_goes_to_login(client, treaty):
    response = client.get(reverse("cooperation:treaty_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- what the pages show --------------------------------------------------------------------------------------


def test_list_shows_unknown_for_missing_dates(cast, client_for, treaty):
    response = client_for(cast.intl_officer).get(reverse("cooperation:treaty_list"))
    text = response.content.decode()
    assert "Treaty on legal assistance in criminal matters" in text
    assert "01.05.1995" in text  # dd.mm.yyyy, as every date in the interface
    # Neither the ratification nor the entry into force is known: both cells say so.
    row = text[text.index("Treaty on legal assistance in criminal matters") :]
    row = row[: row.index("</tr>")]
    assert row.count("unknown") == 2


def test_list_notes_an_unconfirmed_entry_into_force(cast, client_for, treaty):
    InstrumentFactory(
        code="kz-ru-x", partner=CountryFactory(iso2="RU"), in_force_date=None, status="ratified"
    )
    text = client_for(cast.intl_officer).get(reverse("cooperation:treaty_list")).content.decode()
    assert "Entry into force unconfirmed" in text


def test_list_filters(cast, client_for, treaty):
    InstrumentFactory(
        code="kz-ru-x",
        title_en="Extradition treaty",
        partner=CountryFactory(iso2="RU"),
        subjects=["extradition"],
    )
    client = client_for(cast.intl_officer)
    text = client.get(reverse("cooperation:treaty_list"), {"country": "RU"}).content.decode()
    assert "Extradition treaty" in text and "Treaty on legal assistance" not in text
    text = client.get(reverse("cooperation:treaty_list"), {"q": "legal ASSISTANCE"}).content.decode()
    assert "Extradition treaty" not in text and "Treaty on legal assistance" in text
    response = client.get(reverse("cooperation:treaty_list"), {"kind": "nonsense"})
    assert response.status_code == 400


def test_list_query_count_is_bounded(cast, client_for, treaty, django_assert_max_num_queries):
    for n in range(30):
        InstrumentFactory(
            code=f"kz-x{n}",
            partner=CountryFactory(iso2=f"Q{chr(65 + n % 26)}"),
            subjects=["mla", "extradition"],
        )
    client = client_for(cast.intl_officer)
    client.get(reverse("cooperation:treaty_list"))  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cooperation:treaty_list"))
    assert response.status_code == 200


def test_detail_shows_every_source_and_unknown(cast, client_for, treaty):
    text = (
        client_for(cast.intl_officer)
        .get(reverse("cooperation:treaty_detail", args=[treaty.code]))
        .content.decode()
    )
    assert 'href="https://adilet.zan.kz/rus/docs/Z950000001_"' in text
    assert "Law No. 1 of 1996" in text
    assert "unknown" in text
    assert "Correct the facts" not in text  # officers read; administrators correct
    assert "Audit trail of this instrument" not in text


def test_detail_shows_unverified_party(cast, client_for, treaty):
    InstrumentParty.objects.filter(instrument=treaty, country_id="TR").update(confidence="unverified")
    text = (
        client_for(cast.intl_officer)
        .get(reverse("cooperation:treaty_detail", args=[treaty.code]))
        .content.decode()
    )
    assert "Unverified" in text


def test_detail_links_the_audit_trail_for_auditors(cast, client_for, treaty):
    text = (
        client_for(cast.auditor)
        .get(reverse("cooperation:treaty_detail", args=[treaty.code]))
        .content.decode()
    )
    assert f"object_type=cooperation.instrument&amp;object_id={treaty.pk}" in text


# --- an administrator corrects a fact -------------------------------------------------------------------------


def test_admin_corrects_a_date_round_trip(cast, client_for, treaty):
    client = client_for(cast.admin)
    url = reverse("cooperation:treaty_edit", args=[treaty.code])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="source"' in form.content.decode()
    response = client.post(
        url,
        _edit_data(
            treaty,
            in_force_date="1996-08-10",
            status="in_force",
            channels=["central_authority", "interpol"],
            source="MFA Bulletin 1996 No. 4",
            reason="Date from the bulletin",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    treaty.refresh_from_db()
    assert treaty.in_force_date == dt.date(1996, 8, 10)
    assert treaty.channels == ["central_authority", "interpol"]
    assert treaty.corrections["in_force_date"]["source"] == "MFA Bulletin 1996 No. 4"
    entry = AuditEntry.objects.get(object_type="cooperation.instrument", object_id=str(treaty.pk))
    assert entry.changes["in_force_date"] == {"before": None, "after": "1996-08-10"}
    detail = client.get(response["Location"]).content.decode()
    assert "1996-08-10" in detail
    assert "MFA Bulletin 1996 No. 4" in detail
    assert "by admin" in detail
    assert "Through INTERPOL (urgent requests)" in detail
    # The officer reading the register sees who corrected it and on what source.
    officer = client_for(cast.intl_officer)
    text = officer.get(reverse("cooperation:treaty_detail", args=[treaty.code])).content.decode()
    assert "MFA Bulletin 1996 No. 4" in text and "History of changes" in text


def test_correction_needs_a_source(cast, client_for, treaty):
    response = client_for(cast.admin).post(
        reverse("cooperation:treaty_edit", args=[treaty.code]), _edit_data(treaty, languages="Turkish")
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    treaty.refresh_from_db()
    assert treaty.languages == ""


def test_termination_before_signature_shows_the_error_and_saves_nothing(cast, client_for, treaty):
    response = client_for(cast.admin).post(
        reverse("cooperation:treaty_edit", args=[treaty.code]),
        _edit_data(treaty, terminated_date="1990-01-01", languages="Turkish", source="A source"),
    )
    assert response.status_code == 400
    assert "The termination date cannot be earlier than the date of signature." in response.content.decode()
    treaty.refresh_from_db()
    assert treaty.terminated_date is None and treaty.languages == "" and treaty.corrections == {}
    assert not AuditEntry.objects.filter(object_type="cooperation.instrument").exists()


def test_garbage_input_is_a_form_error(cast, client_for, treaty):
    response = client_for(cast.admin).post(
        reverse("cooperation:treaty_edit", args=[treaty.code]),
        _edit_data(treaty, signed_date="31.31.2020", status="bogus", channels=["pigeon"], source="x"),
    )
    assert response.status_code == 400
    treaty.refresh_from_db()
    assert treaty.corrections == {}


# --- adding an instrument -------------------------------------------------------------------------------------


def _add_data(**changes):
    data = {
        "code": "kz-tr-2024",
        "kind": "bilateral",
        "partner": "TR",
        "parties": "",
        "subjects": ["extradition"],
        "title_en": "Treaty on extradition",
        "signed_date": "2024-03-01",
        "signed_precision": "day",
        "ratified_precision": "day",
        "status": "signed",
        "all_offences": "on",
        "open_to_all_confidence": "unverified",
        "source_url": "https://example.org/treaty",
        "confidence": "sourced",
    }
    data.update(changes)
    return data


def test_admin_adds_a_bilateral_treaty(cast, client_for, treaty):
    response = client_for(cast.admin).post(reverse("cooperation:treaty_add"), _add_data())
    assert response.status_code == 302, response.content.decode()
    added = Instrument.objects.get(code="kz-tr-2024")
    assert sorted(added.parties.values_list("country_id", flat=True)) == ["KZ", "TR"]


@pytest.mark.parametrize("parties", ["KZ", "KZ, TR, RU"])
def test_add_bilateral_with_wrong_parties(cast, client_for, treaty, parties):
    CountryFactory(iso2="RU")
    response = client_for(cast.admin).post(reverse("cooperation:treaty_add"), _add_data(parties=parties))
    assert response.status_code == 400
    assert (
        "A bilateral treaty has exactly two parties: Kazakhstan and the partner state."
        in response.content.decode()
    )
    assert not Instrument.objects.filter(code="kz-tr-2024").exists()


def test_add_with_unknown_country(cast, client_for, treaty):
    response = client_for(cast.admin).post(reverse("cooperation:treaty_add"), _add_data(partner="XQ"))
    assert response.status_code == 400
    assert "Unknown country code: XQ." in response.content.decode()
    assert not Instrument.objects.filter(code="kz-tr-2024").exists()


# --- parties --------------------------------------------------------------------------------------------------


def test_admin_corrects_a_party_row(cast, client_for, treaty):
    client = client_for(cast.admin)
    url = reverse("cooperation:treaty_parties", args=[treaty.code])
    assert "Correct the row of" in client.get(url, {"country": "TR"}).content.decode()
    response = client.post(
        url + "?country=TR",
        {
            "action": "save",
            "country": "TR",
            "status": "party",
            "date": "1996-02-01",
            "date_precision": "month",
            "source_url": "https://example.org/tr-law",
            "confidence": "sourced",
        },
    )
    assert response.status_code == 302, response.content.decode()
    party = treaty.parties.get(country_id="TR")
    assert party.date_label == "1996-02"
    treaty.refresh_from_db()
    assert "parties" in treaty.corrections


def test_party_form_refuses_a_third_state_on_a_bilateral(cast, client_for, treaty):
    CountryFactory(iso2="RU")
    response = client_for(cast.admin).post(
        reverse("cooperation:treaty_parties", args=[treaty.code]),
        {
            "action": "save",
            "country": "RU",
            "status": "party",
            "date_precision": "day",
            "source_url": "x",
            "confidence": "sourced",
        },
    )
    assert response.status_code == 400
    assert "exactly two parties" in response.content.decode()
    assert treaty.parties.count() == 2


def test_admin_removes_a_state_from_a_convention(cast, client_for, treaty):
    convention = InstrumentFactory(
        code="minsk-1993", kind=Instrument.Kind.MULTILATERAL, partner=None, parties=["KZ", "TR"]
    )
    client = client_for(cast.admin)
    url = reverse("cooperation:treaty_parties", args=[convention.code])
    refused = client.post(url + "?country=TR", {"action": "remove", "country": "TR", "source": ""})
    assert refused.status_code == 400
    assert convention.parties.count() == 2
    response = client.post(
        url + "?country=TR", {"action": "remove", "country": "TR", "source": "Depositary note"}
    )
    assert response.status_code == 302
    assert list(convention.parties.values_list("country_id", flat=True)) == ["KZ"]


@pytest.fixture
def china(db):
    CountryFactory(iso2="KZ")
    cn = CountryFactory(iso2="CN", name_en="China", name_ru="Китай", name_kk="Қытай")
    extradition = InstrumentFactory(
        code="kz-cn-ext", title_en="Extradition Treaty with China", partner=cn, subjects=["extradition"]
    )
    legal = InstrumentFactory(
        code="kz-cn-la",
        title_en="Treaty with China on Legal Assistance",
        title_ru="Договор о правовой помощи по гражданским и уголовным делам",
        partner=cn,
        subjects=["legal_assistance"],
    )
    other = InstrumentFactory(
        code="kz-es-mla",
        title_en="Convention with Spain",
        partner=CountryFactory(iso2="ES", name_ru="Испания"),
    )
    return {"extradition": extradition, "legal": legal, "other": other}


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("Китай", {"kz-cn-ext", "kz-cn-la"}),
        ("китая", {"kz-cn-ext", "kz-cn-la"}),  # another case of the word
        ("Қытай", {"kz-cn-ext", "kz-cn-la"}),
        ("выдача", {"kz-cn-ext"}),
        ("экстрадиция", {"kz-cn-ext"}),
        ("выдаче Китай", {"kz-cn-ext"}),
        ("ұстап беру", {"kz-cn-ext"}),
        ("правовой помощи", {"kz-cn-la", "kz-es-mla"}),  # a Russian title and a kind of cooperation
        ("Испания", {"kz-es-mla"}),
    ],
)
def test_the_register_is_searchable_in_russian_and_kazakh(cast, client_for, china, q, found):
    response = client_for(cast.intl_officer).get(reverse("cooperation:treaty_list"), {"q": q})

    assert response.status_code == 200
    assert {i.code for i in response.context["instruments"]} == found


def test_a_coe_conventions_wildcard_is_described_as_the_councils_members(cast, client_for, db):
    CountryFactory(iso2="KZ")
    cets = InstrumentFactory(
        code="cets-141",
        kind=Instrument.Kind.MULTILATERAL,
        family=Instrument.Family.COE,
        partner=None,
        parties=[],
        open_to_all_states=True,
        open_to_group="coe",
        title_ru="Конвенция об отмывании",
        title_source="https://adilet.zan.kz/rus/docs/Z1100000431",
    )

    page = (
        client_for(cast.intl_officer)
        .get(reverse("cooperation:treaty_detail", args=[cets.code]))
        .content.decode()
    )

    assert (
        "Every member state of the Council of Europe is taken to be a party on the dates it is a member"
        in page
    )
    assert "Every state not listed otherwise is taken to be a party" not in page
    assert "The Council of Europe&#x27;s member states" in page
    assert "https://adilet.zan.kz/rus/docs/Z1100000431" in page
