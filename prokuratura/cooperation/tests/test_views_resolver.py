"""The resolver page: the form, the ordered answer with badges, reasons, warnings and sources, errors without a 500,
the htmx partial, and who may use it."""

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone

from prokuratura import urls as project_urls
from prokuratura.cooperation.tests.factories import (
    CountryFactory,
    CrimeCategoryFactory,
    InstrumentFactory,
    vienna_1988,
)
from prokuratura.cooperation.views.resolver import resolver as resolver_view

URL = reverse("cooperation:resolver")


@pytest.fixture
def register(db):
    CountryFactory(iso2="KZ", iso3="KAZ", name_en="Kazakhstan")
    spain = CountryFactory(iso2="ES", iso3="ESP", name_en="Spain")
    CountryFactory(iso2="US", iso3="USA", name_en="United States")
    drugs = CrimeCategoryFactory(code="drug_trafficking", name_en="Drug trafficking")
    CrimeCategoryFactory(code="cybercrime", name_en="Cybercrime")
    CrimeCategoryFactory(code="06", kind="iccs", name_en="Acts involving controlled drugs")
    InstrumentFactory(code="kz-es-mla", partner=spain, title_en="Convention with Spain on MLA")
    vienna_1988(drugs=drugs, source_url="https://treaties.un.org/vienna | not a link")


def test_the_page_offers_the_form_with_today_and_states_with_treaties_first(cast, client_for, register):
    response = client_for(cast.intl_officer).get(URL, {"country": "es"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="country"' in page and 'name="kind"' in page
    assert 'name="iccs_section"' in page and 'name="focus_area"' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert page.index("States with a bilateral treaty") < page.index("Other states")
    assert '<option value="ES" selected>' in page
    assert 'value="KZ"' not in page
    assert response.context["resolution"] is None


def test_an_extradition_for_drug_trafficking_shows_the_ordered_reasons(cast, client_for, register):
    response = client_for(cast.intl_officer).get(
        URL, {"country": "US", "kind": "extradition", "focus_area": "drug_trafficking", "date": "2026-12-01"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    resolution = response.context["resolution"]
    assert [c.tier for c in resolution.applicable] == ["un"]
    assert resolution.reciprocity.status == "not_needed"
    assert "UN Convention against Illicit Traffic" in page
    assert "Covers drug trafficking." in page
    assert "Applies" in page and "Entry into force unconfirmed" in page
    assert "Check before relying on it" in page
    assert "every UN member not listed as a non-party is a party (unverified)" in page
    assert '<a href="https://treaties.un.org/vienna" rel="noopener noreferrer external">' in page
    assert "<li>not a link</li>" in page
    assert resolution.applicable[-1].reasons[0] in page
    assert page.index("UN Convention against Illicit Traffic") < page.index("Reciprocity is not needed")


def test_an_mla_request_on_cybercrime_lists_what_does_not_apply_and_why(cast, client_for, register):
    response = client_for(cast.intl_officer).get(
        URL, {"country": "US", "kind": "mla", "focus_area": "cybercrime", "date": "2026-12-01"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Does not apply" in page
    assert "Does not cover cybercrime; it covers drug trafficking." in page
    assert "No treaty or convention in the register applies" in page


def test_a_bilateral_treaty_in_force_comes_first(cast, client_for, register):
    response = client_for(cast.analyst).get(URL, {"country": "ES", "kind": "mla", "date": "2026-12-01"})

    assert response.status_code == 200
    assert response.context["resolution"].applicable[0].instrument.code == "kz-es-mla"
    assert "In force since 01.01.2012." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "QQ", "kind": "mla"}, "country"),
        ({"country": "", "kind": "mla"}, "country"),
        ({"country": "ES", "kind": "espionage"}, "kind"),
        ({"country": "ES", "kind": "mla", "date": "31.02.2026"}, "date"),
        ({"country": "ES", "kind": "mla", "iccs_section": "99"}, "iccs_section"),
        ({"country": "ES", "kind": "mla", "focus_area": "06"}, "focus_area"),
    ],
)
def test_invalid_input_shows_the_errors_without_a_500(cast, client_for, register, params, field):
    response = client_for(cast.intl_officer).get(URL, params)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Correct the question to see the legal basis." in response.content.decode()
    assert response.context["resolution"] is None


def test_htmx_gets_the_result_partial(cast, client_for, register):
    client = client_for(cast.intl_officer)
    headers = {"HX-Request": "true", "HX-Target": "resolver-result"}

    good = client.get(URL, {"country": "ES", "kind": "mla"}, headers=headers)
    bad = client.get(URL, {"country": "QQ", "kind": "mla"}, headers=headers)

    assert good.status_code == 200 and bad.status_code == 200
    assert not good.content.decode().lstrip().startswith("<!DOCTYPE")
    assert 'id="resolver-result"' in good.content.decode()
    assert "Convention with Spain on MLA" in good.content.decode()
    assert "Correct the question" in bad.content.decode()


def test_the_page_needs_the_permission(cast, client_for, client, register):
    assert client.get(URL).status_code == 302
    assert client_for(cast.outsider).get(URL).status_code == 403


def test_the_page_has_no_inline_script_or_style(cast, client_for, register):
    page = client_for(cast.intl_officer).get(URL, {"country": "US", "kind": "extradition"}).content.decode()

    assert "<script>" not in page and "style=" not in page and "<style" not in page


# The register and profile pages are built by another slice; this URL conf stands in for them so the links the
# answer offers are checked now (the page links to them only where the URL names exist).
def _stub(request, **kwargs):
    return HttpResponse("stub")  # pragma: no cover - never requested


urlpatterns = [
    *(p for p in project_urls.urlpatterns if str(getattr(p, "pattern", "")) != "cooperation/"),
    path(
        "cooperation/",
        include(
            (
                [
                    path("resolver/", resolver_view, name="resolver"),
                    path("treaties/<slug:code>/", _stub, name="treaty_detail"),
                    path("countries/<str:iso2>/", _stub, name="country_detail"),
                ],
                "cooperation",
            )
        ),
    ),
]


def test_the_answer_links_to_the_treaty_and_the_country_profile_when_those_pages_exist(
    cast, client_for, register, settings
):
    settings.ROOT_URLCONF = __name__

    page = client_for(cast.intl_officer).get(URL, {"country": "ES", "kind": "mla"}).content.decode()

    assert '<a href="/cooperation/treaties/kz-es-mla/">Convention with Spain on MLA</a>' in page
    assert '<a href="/cooperation/countries/ES/">Profile of Spain</a>' in page


def test_the_answer_opens_with_the_headline_and_folds_what_does_not_apply(cast, client_for, register):
    response = client_for(cast.intl_officer).get(URL, {"country": "ES", "kind": "mla", "date": "2026-12-01"})

    page = response.content.decode()
    resolution = response.context["resolution"]
    assert resolution.headline.startswith("Use the 2010 bilateral treaty (in force since 01.01.2012)")
    headline = page.index('data-testid="resolver-headline"')
    assert headline < page.index("Applies, in the order to use them")
    assert page.index("Applies, in the order to use them") < page.index(
        'data-testid="resolver-not-applicable"'
    )
    assert "<details" in page and "Does not apply: 1 instrument" in page
    # Reciprocity is not marked as applying when a treaty does.
    assert "Reciprocity is not needed: the 2010 bilateral treaty applies." in page
    assert "The only basis" not in page
    assert "Reciprocity, with a written assurance" not in page


def test_reciprocity_is_the_only_basis_when_nothing_applies(cast, client_for, register):
    page = (
        client_for(cast.intl_officer)
        .get(URL, {"country": "US", "kind": "transfer_sentenced"})
        .content.decode()
    )

    assert "The only basis" in page and "Reciprocity, with a written assurance" in page
    assert (
        "No treaty or convention in the register applies: send the request on the basis of reciprocity"
        in page
    )


def test_the_form_asks_for_the_facts_of_the_scope_and_refuses_a_bad_answer(cast, client_for, register):
    client = client_for(cast.intl_officer)

    page = client.get(URL).content.decode()
    bad = client.get(URL, {"country": "ES", "kind": "mla", "transnational": "perhaps"})
    good = client.get(URL, {"country": "ES", "kind": "mla", "transnational": "no", "organised_group": "yes"})

    assert 'name="transnational"' in page and 'name="organised_group"' in page
    assert 'name="terrorist_financing"' in page
    assert "Facts that decide a convention's scope (optional)" in page
    assert bad.status_code == 400 and "transnational" in bad.context["form"].errors
    assert good.status_code == 200
    assert good.context["resolution"].facts == {
        "transnational": "no",
        "organised_group": "yes",
        "terrorist_financing": "unknown",
    }


def test_research_notes_are_behind_a_disclosure_not_in_the_warnings(cast, client_for, register):
    from prokuratura.cooperation.models import Confidence, Instrument, InstrumentParty

    vienna = Instrument.objects.get(code="vienna-1988")
    InstrumentParty.objects.filter(instrument=vienna, country_id="KZ").update(
        confidence=Confidence.UNVERIFIED, note="KZ acceded 1997 (memory)."
    )

    page = (
        client_for(cast.intl_officer)
        .get(URL, {"country": "US", "kind": "extradition", "focus_area": "drug_trafficking"})
        .content.decode()
    )

    assert "Relies on an unverified party record for Kazakhstan." in page
    assert "Research notes (as compiled, in English)" in page
    assert '<li lang="en">Kazakhstan: KZ acceded 1997 (memory).</li>' in page
    assert "Kazakhstan: KZ acceded 1997 (memory).</li>" not in page.split("Research notes")[0]
