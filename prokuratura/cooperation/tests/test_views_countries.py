import datetime as dt

import pytest
from django.urls import reverse

from prokuratura.cooperation import services
from prokuratura.cooperation.models import CountryProfile, Instrument, InstrumentParty
from prokuratura.core.models import AuditEntry

from .factories import CountryFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey(db):
    CountryFactory(iso2="KZ")
    country = CountryFactory(iso2="TR", name_en="Türkiye")
    InstrumentFactory(
        code="kz-tr-1995", title_en="Treaty on extradition", partner=country, subjects=["extradition"]
    )
    return country


def _profile_data(**changes):
    data = {
        "version": "0",
        "central_authority": "",
        "contacts": "",
        "language_requirements": "",
        "dual_criminality": "unknown",
        "dual_criminality_note": "",
        "extradites_nationals": "unknown",
        "extradites_nationals_note": "",
        "death_penalty_assurance": "unknown",
        "death_penalty_note": "",
        "other_requirements": "",
        "source": "",
        "reason": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("role", "status"), [("intl_officer", 200), ("analyst", 200), ("admin", 200), ("outsider", 403)]
)
def test_pages_by_role(cast, client_for, turkey, role, status):
    client = client_for(getattr(cast, role))
    for url in (
        reverse("cooperation:country_list"),
        reverse("cooperation:country_detail", args=["TR"]),
        reverse("cooperation:country_history", args=["TR"]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("role", "status"), [("intl_officer", 200), ("analyst", 403), ("admin", 403), ("outsider", 403)]
)
def test_edit_needs_edit_profiles(cast, client_for, turkey, role, status):
    assert (
        client_for(getattr(cast, role)).get(reverse("cooperation:country_edit", args=["TR"])).status_code
        == status
    )


def test_unknown_codes_are_404(cast, client_for, turkey):
    client = client_for(cast.intl_officer)
    for code in ("XQ", "KZ", "TOOLONG", "t"):
        assert client.get(reverse("cooperation:country_detail", args=[code])).status_code == 404, code
        assert client.get(reverse("cooperation:country_edit", args=[code])).status_code == 404, code


def test_lower_case_code_redirects(cast, client_for, turkey):
    response = client_for(cast.intl_officer).get(reverse("cooperation:country_detail", args=["tr"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:country_detail", args=["TR"])


def test_list_shows_states_with_instruments_or_profiles(cast, client_for, turkey):
    CountryFactory(iso2="FR", name_en="France")
    germany = CountryFactory(iso2="DE", name_en="Germany")
    services.country_profile_update(
        by=cast.intl_officer, country=germany, data={"contacts": "x"}, expected_version=0
    )
    text = client_for(cast.intl_officer).get(reverse("cooperation:country_list")).content.decode()
    table = text[text.index("<table") :]
    assert "Türkiye" in table and "Germany" in table
    assert "France" not in table  # neither a treaty nor a profile: opened through the chooser
    assert '<option value="FR">France</option>' in text


def test_open_any_state(cast, client_for, turkey):
    CountryFactory(iso2="FR", name_en="France")
    client = client_for(cast.intl_officer)
    response = client.get(reverse("cooperation:country_list"), {"country": "FR"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:country_detail", args=["FR"])
    assert client.get(reverse("cooperation:country_list"), {"country": "QQ"}).status_code == 400
    text = client.get(response["Location"]).content.decode()
    assert "Nobody has written this state&#x27;s profile yet" in text or "Nobody has written" in text
    assert "No bilateral treaty with this state is in the register" in text


def test_list_query_count_is_bounded(cast, client_for, turkey, django_assert_max_num_queries):
    for n in range(30):
        country = CountryFactory(iso2=f"Q{chr(65 + n % 26)}{'' if n < 26 else ''}")
        InstrumentFactory(code=f"kz-q{n}", partner=country)
    client = client_for(cast.intl_officer)
    client.get(reverse("cooperation:country_list"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cooperation:country_list")).status_code == 200


def test_detail_shows_unknown_and_instruments(cast, client_for, turkey):
    text = (
        client_for(cast.intl_officer).get(reverse("cooperation:country_detail", args=["TR"])).content.decode()
    )
    assert "Treaty on extradition" in text
    assert text.count("unknown") >= 5  # authority, contacts, languages, other requirements, …
    assert "Unknown" in text  # dual criminality etc.
    assert "Edit the profile" in text
    assert reverse("cooperation:resolver") + "?country=TR" in text


def test_detail_marks_in_force_today(cast, client_for, turkey):
    text = (
        client_for(cast.intl_officer).get(reverse("cooperation:country_detail", args=["TR"])).content.decode()
    )
    assert "In force today" in text
    assert 'badge badge-ok">Yes' in text


def test_officer_edits_profile_and_history_shows_it(cast, client_for, turkey):
    client = client_for(cast.intl_officer)
    url = reverse("cooperation:country_edit", args=["TR"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _profile_data(
            central_authority="Ministry of Justice of Türkiye",
            extradites_nationals="no",
            source="EJN fiche 2024",
            reason="From the fiche",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    profile = CountryProfile.objects.get(country_id="TR")
    assert profile.version == 1 and profile.extradites_nationals == "no"
    detail = client.get(response["Location"]).content.decode()
    assert "Ministry of Justice of Türkiye" in detail and "Version 1" in detail
    response = client.post(
        url,
        _profile_data(
            version="1",
            central_authority="Ministry of Justice",
            extradites_nationals="no",
            source="EJN fiche 2024",
            reason="Shorter name",
        ),
    )
    assert response.status_code == 302
    history = client.get(reverse("cooperation:country_history", args=["TR"])).content.decode()
    assert "Version 2" in history and "Version 1" in history
    assert "Shorter name" in history and "From the fiche" in history
    assert "Ministry of Justice of Türkiye" in history  # v2's "before"
    assert "intl_officer" in history
    assert AuditEntry.objects.filter(object_type="cooperation.countryprofile", object_id="TR").count() == 2


def test_stale_version_is_refused(cast, client_for, turkey):
    services.country_profile_update(
        by=cast.intl_officer, country=turkey, data={"contacts": "first"}, expected_version=0
    )
    response = client_for(cast.intl_officer).post(
        reverse("cooperation:country_edit", args=["TR"]), _profile_data(version="0", contacts="mine")
    )
    assert response.status_code == 409
    assert "Someone else saved this profile" in response.content.decode()
    profile = CountryProfile.objects.get(country_id="TR")
    assert profile.contacts == "first" and profile.version == 1


def test_bad_input_is_a_form_error(cast, client_for, turkey):
    response = client_for(cast.intl_officer).post(
        reverse("cooperation:country_edit", args=["TR"]),
        _profile_data(dual_criminality="perhaps", version="abc"),
    )
    assert response.status_code == 400
    assert not CountryProfile.objects.exists()


def test_conventions_both_states_take_part_in(cast, client_for, turkey):
    convention = InstrumentFactory(
        code="cets-141",
        kind=Instrument.Kind.MULTILATERAL,
        partner=None,
        family="coe",
        title_en="Laundering convention",
        parties=["KZ", "TR"],
    )
    InstrumentFactory(
        code="other",
        kind=Instrument.Kind.MULTILATERAL,
        partner=None,
        title_en="Unrelated one",
        parties=["KZ"],
    )
    InstrumentParty.objects.filter(instrument=convention).update(date=dt.date(2011, 1, 1))
    text = (
        client_for(cast.intl_officer).get(reverse("cooperation:country_detail", args=["TR"])).content.decode()
    )
    assert "Laundering convention" in text
    assert "Unrelated one" not in text
