"""ResponseHeadersMiddleware: no cache keeps a page or an API answer; browser features the app never uses are off."""

import pytest
from django.conf import settings
from django.urls import reverse

from .api_client import bearer


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert_policy(response)


def assert_policy(response):
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert len(policy.split(", ")) == len(settings.PERMISSIONS_POLICY)


def test_a_staff_page_is_never_stored(client_for, cast):
    response = client_for(cast.registrar_astana).get(reverse("core:home"))
    assert response.status_code == 200
    assert_private(response)


def test_an_api_answer_is_never_stored(cast):
    response = bearer(cast.registrar_astana).get("/api/v1/offices")
    assert response.status_code == 200
    assert_private(response)


def test_a_404_is_never_stored(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_private(response)


def test_the_public_form_and_status_page_are_never_stored(client, offices):
    assert_private(client.get(reverse("appeals:public_appeal")))
    assert_private(client.get(reverse("appeals:public_status"), {"code": "AAAA-BBBB-CCCC"}))


def test_a_view_that_chose_its_caching_keeps_it(client, db):
    response = client.get(reverse("accounts:login"))  # never_cache
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert_policy(response)


@pytest.mark.parametrize("path", ["css/app.css", "js/app.js"])
def test_a_static_file_keeps_its_cache_lifetime_and_gets_the_policy(client, db, path):
    response = client.get(f"{settings.STATIC_URL}{path}")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert_policy(response)
    response.close()
