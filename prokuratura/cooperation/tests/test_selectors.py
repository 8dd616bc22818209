import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from prokuratura.cooperation import selectors, services
from prokuratura.cooperation.access import access_country, access_instrument
from prokuratura.cooperation.models import Instrument

from .factories import CountryFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    CountryFactory(iso2="KZ")
    tr = CountryFactory(iso2="TR", name_en="Türkiye")
    ru = CountryFactory(iso2="RU", name_en="Russia")
    return {
        "tr": InstrumentFactory(
            code="kz-tr", title_en="Extradition treaty", title_ru="Договор о выдаче", partner=tr
        ),
        "ru": InstrumentFactory(
            code="kz-ru",
            title_en="Transfer treaty",
            partner=ru,
            subjects=["transfer_sentenced"],
            status="signed",
        ),
        "minsk": InstrumentFactory(
            code="minsk",
            kind=Instrument.Kind.MULTILATERAL,
            family="cis",
            short_name="Minsk 1993",
            title_en="Convention on legal assistance",
            partner=None,
            parties=["KZ", "RU"],
            subjects=["legal_assistance"],
        ),
    }


def _codes(qs):
    return sorted(i.code for i in qs)


# --- access ----------------------------------------------------------------------------------------------------


def test_access_instrument_branches(cast, register):
    assert access_instrument(user=cast.analyst, code="kz-tr") == register["tr"]
    with pytest.raises(Http404):
        access_instrument(user=cast.analyst, code="missing")
    with pytest.raises(Http404):
        access_instrument(user=cast.outsider, code="kz-tr")
    with pytest.raises(PermissionDenied):
        access_instrument(user=cast.intl_officer, code="kz-tr", for_write=True)
    assert access_instrument(user=cast.admin, code="kz-tr", for_write=True) == register["tr"]


def test_access_country_branches(cast, register):
    assert access_country(user=cast.analyst, iso2="tr").iso2 == "TR"
    for code in ("XQ", "KZ", "", "TUR"):
        with pytest.raises(Http404):
            access_country(user=cast.analyst, iso2=code)
    with pytest.raises(Http404):
        access_country(user=cast.outsider, iso2="TR")
    with pytest.raises(PermissionDenied):
        access_country(user=cast.admin, iso2="TR", for_write=True)
    assert access_country(user=cast.intl_officer, iso2="TR", for_write=True).iso2 == "TR"


# --- instrument_list --------------------------------------------------------------------------------------------


def test_instrument_list_filters(cast, register):
    user = cast.analyst
    assert _codes(selectors.instrument_list(user=user)) == ["kz-ru", "kz-tr", "minsk"]
    assert _codes(selectors.instrument_list(user=user, filters={"kind": "multilateral"})) == ["minsk"]
    assert _codes(selectors.instrument_list(user=user, filters={"family": "cis"})) == ["minsk"]
    assert _codes(selectors.instrument_list(user=user, filters={"status": "signed"})) == ["kz-ru"]
    assert _codes(selectors.instrument_list(user=user, filters={"subject": "transfer_sentenced"})) == [
        "kz-ru"
    ]
    # A state: the bilateral treaty with it and the conventions listing it.
    assert _codes(selectors.instrument_list(user=user, filters={"country": "ru"})) == ["kz-ru", "minsk"]


def test_instrument_list_search_folds_cyrillic_case(cast, register):
    user = cast.analyst
    assert _codes(selectors.instrument_list(user=user, filters={"q": "ДОГОВОР выдаче"})) == ["kz-tr"]
    assert _codes(selectors.instrument_list(user=user, filters={"q": "minsk 1993"})) == ["minsk"]
    assert _codes(selectors.instrument_list(user=user, filters={"q": "nothing like it"})) == []


def test_instrument_list_is_empty_without_the_permission(cast, register):
    assert not selectors.instrument_list(user=cast.outsider).exists()
    assert not selectors.country_list(user=cast.outsider).exists()


# --- countries --------------------------------------------------------------------------------------------------


def test_country_list_counts(cast, register):
    CountryFactory(iso2="FR")
    rows = {c.iso2: c for c in selectors.country_list(user=cast.analyst)}
    assert set(rows) == {"TR", "RU"}
    assert (rows["RU"].bilateral_count, rows["RU"].multilateral_count, rows["RU"].profile_version) == (
        1,
        1,
        None,
    )
    assert (rows["TR"].bilateral_count, rows["TR"].multilateral_count) == (1, 0)


def test_country_profile_get_unsaved_profile_and_instruments(cast, register):
    view = selectors.country_profile_get(user=cast.analyst, iso2="RU")
    assert not view.saved and view.profile.pk == "RU" and view.profile.version == 0
    assert [row.instrument.code for row in view.bilateral] == ["kz-ru"]
    assert [row.instrument.code for row in view.multilateral] == ["minsk"]


def test_country_profile_history_diffs_consecutive_versions(cast, register):
    country = register["tr"].partner
    services.country_profile_update(
        by=cast.intl_officer,
        country=country,
        data={"contacts": "a", "dual_criminality": "yes"},
        expected_version=0,
    )
    services.country_profile_update(
        by=cast.intl_officer, country=country, data={"contacts": "b"}, reason="phone", expected_version=1
    )
    _country, versions = selectors.country_profile_history(user=cast.analyst, iso2="TR")
    assert [v.version for v in versions] == [2, 1]
    assert [(c.field, c.before, c.after) for c in versions[0].changes] == [("contacts", "a", "b")]
    assert {(c.field, c.before, c.after) for c in versions[1].changes} == {
        ("contacts", "", "a"),
        ("dual_criminality", "Unknown", "Yes"),
    }
    assert versions[0].reason == "phone" and versions[0].changed_by == cast.intl_officer


def test_instrument_history(cast, register):
    instrument = register["tr"]
    services.instrument_update(
        by=cast.admin, instrument=instrument, data={"languages": "Turkish"}, source="Treaty text, art. 20"
    )
    (entry,) = selectors.instrument_history(user=cast.analyst, instrument=instrument)
    assert entry.actor == "admin"
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("languages", "", "Turkish")]
    assert "Treaty text, art. 20" in entry.reason
    assert selectors.instrument_history(user=cast.outsider, instrument=instrument) == []


# --- the real register ------------------------------------------------------------------------------------------


def test_real_register_what_was_in_force_with_a_state(cast, coop_reference, client_for):
    """Over the imported data: a state's page lists its bilateral treaties and marks those in force."""
    bilateral = Instrument.objects.filter(kind="bilateral").select_related("partner")
    assert bilateral.exists()
    partner = bilateral.filter(status="in_force").exclude(in_force_date=None).first().partner
    view = selectors.country_profile_get(user=cast.intl_officer, iso2=partner.iso2)
    assert view.in_force_known
    assert any(row.in_force_today for row in view.bilateral)
    response = client_for(cast.intl_officer).get(reverse("cooperation:country_detail", args=[partner.iso2]))
    assert response.status_code == 200


def test_real_register_list_pages_render(cast, coop_reference, client_for, django_assert_max_num_queries):
    client = client_for(cast.intl_officer)
    client.get(reverse("cooperation:treaty_list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cooperation:treaty_list"))
    assert response.status_code == 200
    assert "unknown" in response.content.decode()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cooperation:country_list")).status_code == 200
    for instrument in Instrument.objects.all()[:200]:
        assert client.get(reverse("cooperation:treaty_detail", args=[instrument.code])).status_code == 200


def test_real_register_correction_survives_a_new_import(cast, coop_reference):
    from prokuratura.cooperation.reference import cooperation_load

    instrument = Instrument.objects.filter(kind="bilateral").exclude(import_key="").first()
    services.instrument_update(
        by=cast.admin,
        instrument=instrument,
        data={"in_force_date": dt.date(2001, 2, 3), "signed_date": None},
        source="Official bulletin",
    )
    cooperation_load()
    instrument.refresh_from_db()
    assert instrument.in_force_date == dt.date(2001, 2, 3)
    assert instrument.signed_date is None
