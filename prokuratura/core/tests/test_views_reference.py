"""Reference data pages: who may open them, what they show, and how many queries the country list costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prokuratura.core import reference
from prokuratura.core.models import Country, Region

URLS = ["core:reference", "core:country_list", "core:region_list", "core:crime_category_list"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords are hashed with Argon2 otherwise: seconds per test for nothing tested here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded(db):
    reference.countries_load()
    reference.regions_load()
    reference.crime_categories_load()


@pytest.mark.parametrize("name", URLS)
def test_staff_may_open_reference_pages(client_for, cast, loaded, name):
    for user in (cast.registrar_astana, cast.analyst, cast.admin):
        assert client_for(user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", URLS)
def test_a_user_without_the_permission_is_refused(client_for, cast, name):
    assert client_for(cast.outsider).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", URLS)
def test_anonymous_users_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_index_links_to_the_lists_with_counts(client_for, cast, loaded):
    response = client_for(cast.registrar_astana).get(reverse("core:reference"))
    html = response.content.decode()
    for name in URLS[1:]:
        assert f'href="{reverse(name)}"' in html
    assert f"{Country.objects.count()} countries" in html
    assert "20 regions" in html
    assert "19 categories" in html


def test_country_list_is_paginated_by_50(client_for, cast, loaded):
    client = client_for(cast.registrar_astana)
    first = client.get(reverse("core:country_list"))
    assert len(first.context["countries"]) == 50
    total = Country.objects.count()
    last_page = (total + 49) // 50
    last = client.get(reverse("core:country_list"), {"page": last_page})
    assert len(last.context["countries"]) == total - 50 * (last_page - 1)
    assert f"Page {last_page} of {last_page}" in last.content.decode()
    # A page number out of range shows the last page rather than an error.
    assert client.get(reverse("core:country_list"), {"page": 999}).context["page"].number == last_page


def test_country_list_shows_codes_name_and_region(client_for, cast, loaded):
    response = client_for(cast.registrar_astana).get(reverse("core:country_list"), {"q": "kazakh"})
    html = response.content.decode()
    assert [c.iso2 for c in response.context["countries"]] == ["KZ"]
    assert "<code>KZ</code>" in html and "<code>KAZ</code>" in html
    assert "Kazakhstan" in html
    assert "<td>Asia</td>" in html


@pytest.mark.parametrize(
    ("q", "expected"), [("kz", ["KZ"]), ("FRA", ["FR"]), ("Казах", ["KZ"]), ("Қазақ", ["KZ"])]
)
def test_country_search_by_code_or_name_in_any_language(client_for, cast, loaded, q, expected):
    response = client_for(cast.registrar_astana).get(reverse("core:country_list"), {"q": q})
    assert [c.iso2 for c in response.context["countries"]] == expected


def test_country_names_follow_the_active_language(client_for, cast, loaded):
    client = client_for(cast.registrar_astana)
    client.cookies["django_language"] = "kk"
    html = client.get(reverse("core:country_list"), {"q": "KZ"}).content.decode()
    assert "Қазақстан" in html
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("core:country_list"))
    assert "Казахстан" in client.get(reverse("core:country_list"), {"q": "KZ"}).content.decode()
    names = [c.name_ru for c in response.context["countries"]]
    assert names == sorted(names)  # ordered by the Russian name


def test_search_without_matches_and_too_long_search(client_for, cast, loaded):
    client = client_for(cast.registrar_astana)
    response = client.get(reverse("core:country_list"), {"q": "Atlantis"})
    assert response.status_code == 200
    assert "No country matches this search." in response.content.decode()
    response = client.get(reverse("core:country_list"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_country_list_query_count_does_not_grow_with_the_page(
    client_for, cast, loaded, django_assert_num_queries
):
    client = client_for(cast.registrar_astana)
    client.get(reverse("core:country_list"))  # warm the session
    with CaptureQueriesContext(connection) as full_page:
        response = client.get(reverse("core:country_list"))
    assert len(response.context["countries"]) == 50
    # The page itself costs two queries (count, page), whatever the rows; the rest is sign-in middleware.
    country_queries = [q for q in full_page.captured_queries if "core_country" in q["sql"]]
    assert len(country_queries) == 2
    Country.objects.exclude(iso2__in=["KZ", "FR"]).delete()
    with django_assert_num_queries(len(full_page.captured_queries)):
        response = client.get(reverse("core:country_list"), {"q": "a"})
    assert len(response.context["countries"]) == 2


def test_region_list_shows_kato_names_and_sources(client_for, cast, loaded):
    html = client_for(cast.registrar_astana).get(reverse("core:region_list")).content.decode()
    abai = Region.objects.get(kato_code="100000000")
    assert '<code class="nowrap">100000000</code>' in html
    assert abai.name_kk in html and abai.name_ru in html and abai.name_en in html
    assert "Semey" in html
    first_source = abai.source_url.split(" | ")[0]
    assert f'href="{first_source}"' in html


def test_region_list_names_the_administrative_centre_in_the_readers_language(client_for, cast, loaded):
    client = client_for(cast.registrar_astana)
    ru = client.get(reverse("core:region_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    kk = client.get(reverse("core:region_list"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "<td>Уральск</td>" in ru and "<td>Oral (Uralsk)</td>" not in ru
    assert "<td>Орал</td>" in kk and "<td>Өскемен</td>" in kk


def test_a_source_that_is_not_a_web_address_is_not_a_link(client_for, cast, loaded):
    Region.objects.filter(kato_code="100000000").update(source_url="javascript:alert(1) | Decree No. 887")
    html = client_for(cast.registrar_astana).get(reverse("core:region_list")).content.decode()
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html and "Decree No. 887" in html


def test_crime_categories_in_two_tables(client_for, cast, loaded):
    client = client_for(cast.registrar_astana)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:crime_category_list"))
    assert len([q for q in queries.captured_queries if "core_crimecategory" in q["sql"]]) == 1
    assert len(response.context["sections"]) == 11
    assert len(response.context["focus_areas"]) == 8
    html = response.content.decode()
    assert "Acts leading to death or intending to cause death" in html
    assert "Money laundering" in html


def test_empty_reference_tables_say_so(client_for, cast):
    client = client_for(cast.registrar_astana)
    assert "None loaded yet." in client.get(reverse("core:crime_category_list")).content.decode()
    assert "No country matches" in client.get(reverse("core:country_list")).content.decode()
