"""Error pages: 400/403/404/500 and CSRF failure, in the user's language; JSON for API paths."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from prokuratura.accounts.roles import Perm
from prokuratura.core import views
from prokuratura.core.permissions import public, require
from prokuratura.urls import urlpatterns as project_urlpatterns


@public
def _boom(request):
    raise RuntimeError("boom")


@public
def _suspicious(request):
    raise SuspiciousOperation("bad")


@require(Perm.VIEW_AUDIT)
def _audit_only(request):
    return HttpResponse("audit")


@public
def _denied(request):
    raise PermissionDenied


urlpatterns = [
    path("t/boom/", _boom),
    path("t/suspicious/", _suspicious),
    path("t/audit-only/", _audit_only),
    path("api/v1/t/boom/", _boom),
    *project_urlpatterns,
]
handler400 = "prokuratura.core.views.bad_request"
handler403 = "prokuratura.core.views.permission_denied"
handler404 = "prokuratura.core.views.page_not_found"
handler500 = "prokuratura.core.views.server_error"

pytestmark = pytest.mark.urls(__name__)


def _in(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def raw_client(db):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_404_follows_the_language_cookie(raw_client, language):
    raw_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = raw_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Language"] == language
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert _in(language, "Page not found") in html


def test_404_follows_accept_language(raw_client):
    response = raw_client.get("/no-such-page/", headers={"Accept-Language": "kk"})
    assert response.status_code == 404
    assert '<html lang="kk">' in response.content.decode()


def test_403_for_a_signed_in_user_without_the_permission(client_for, cast):
    client = client_for(cast.prosecutor_astana)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/t/audit-only/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert _in("ru", "Access denied") in html
    assert _in("ru", "You do not have permission to open this page.") in html


def test_500_is_rendered_in_the_users_language(raw_client):
    raw_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = raw_client.get("/t/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert _in("kk", "Server error") in html
    assert "boom" not in html  # no internals leak


def test_500_page_touches_neither_the_database_nor_the_user(rf, db, django_assert_num_queries):
    class Exploding:
        def __getattr__(self, name):
            raise AssertionError(f"the 500 page read request.user.{name}")

    request = rf.get("/anything/")
    request.user = Exploding()
    request.session = Exploding()
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert gettext("Server error") in response.content.decode()


def test_400_for_a_suspicious_request(raw_client):
    response = raw_client.get("/t/suspicious/")
    assert response.status_code == 400
    assert gettext("Bad request") in response.content.decode()


def test_csrf_failure_page_in_the_users_language(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert _in("ru", "Form expired") in html


@pytest.mark.parametrize(
    ("handler", "status", "code"),
    [
        (views.bad_request, 400, "bad_request"),
        (views.permission_denied, 403, "forbidden"),
        (views.page_not_found, 404, "not_found"),
        (views.server_error, 500, "server_error"),
        (views.csrf_failure, 403, "forbidden"),
    ],
)
def test_api_paths_get_the_json_error_shape(rf, handler, status, code):
    request = rf.get("/api/v1/whatever")
    response = handler(request) if handler is views.server_error else handler(request, None)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"] == code
    assert set(body) == {"error", "message", "details"}


def test_an_api_path_that_crashes_gets_json(raw_client):
    response = raw_client.get("/api/v1/t/boom/")
    assert response.status_code == 500
    assert json.loads(response.content)["error"] == "server_error"


def test_a_region_is_answered_only_when_htmx_asks_for_it_and_not_to_restore_history(client_for, cast):
    client = client_for(cast.auditor)
    region = client.get("/audit/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-results")
    assert b"<html" not in region.content
    restore = client.get(
        "/audit/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audit-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert b"<html" in restore.content
    assert "HX-Request" in region["Vary"] and "HX-Request" in restore["Vary"]
