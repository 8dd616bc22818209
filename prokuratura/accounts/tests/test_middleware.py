import pytest
from django.http import HttpResponse
from django.urls import resolve, reverse

from prokuratura.accounts.middleware import EXEMPT_URL_NAMES, TwoFactorEnforcementMiddleware
from prokuratura.accounts.models import RolePolicy
from prokuratura.accounts.tests.otp import confirmed_device, mark_verified

PROFILE = "/accounts/profile/"


def test_user_with_a_device_is_sent_to_verification_with_next(client, cast, no_2fa):
    confirmed_device(cast.analyst)
    client.force_login(cast.analyst)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/verify/?next=%2Faccounts%2Fprofile%2F"


def test_verified_session_passes(client, cast, no_2fa):
    device = confirmed_device(cast.analyst)
    client.force_login(cast.analyst)
    mark_verified(client, device)
    assert client.get(PROFILE).status_code == 200


def test_role_requiring_2fa_without_a_device_is_sent_to_setup(client, cast):
    assert RolePolicy.objects.get(role="auditor").require_2fa  # the default policy
    client.force_login(cast.auditor)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/?next=%2Faccounts%2Fprofile%2F"


def test_role_without_the_requirement_passes(client, cast):
    client.force_login(cast.analyst)
    assert client.get(PROFILE).status_code == 200


def test_switching_the_policy_off_lets_the_role_through(client, cast):
    RolePolicy.objects.filter(role="auditor").update(require_2fa=False)
    client.force_login(cast.auditor)
    assert client.get(PROFILE).status_code == 200


def test_a_post_is_not_replayed_after_the_detour(client, cast):
    client.force_login(cast.auditor)
    response = client.post("/accounts/profile/language/", {"preferred_language": "kk"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"
    cast.auditor.refresh_from_db()
    assert cast.auditor.preferred_language == "ru"


def test_htmx_requests_get_a_full_page_redirect(client, cast):
    client.force_login(cast.auditor)
    response = client.get(PROFILE, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/2fa/setup/")


def test_api_paths_are_left_to_the_api(client, cast):
    client.force_login(cast.auditor)
    response = client.get("/api/v1/ping")
    assert response.status_code != 302


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/accounts/2fa/setup/", {}),
        ("post", "/accounts/logout/", {}),
        ("post", "/i18n/setlang/", {"language": "kk", "next": "/"}),
    ],
)
def test_exempt_pages_stay_reachable_for_a_user_who_must_set_up(client, cast, method, path, data):
    client.force_login(cast.auditor)
    response = getattr(client, method)(path, data)
    assert not response.get("Location", "").startswith("/accounts/2fa/setup/")
    assert response.status_code in {200, 302}


def test_verification_page_is_reachable_for_a_user_with_a_device(client, cast, no_2fa):
    confirmed_device(cast.analyst)
    client.force_login(cast.analyst)
    response = client.get("/accounts/2fa/verify/")
    assert response.status_code == 200
    assert b'name="code"' in response.content


def test_login_page_is_not_redirected_by_the_middleware(client, cast, no_2fa):
    confirmed_device(cast.analyst)
    client.force_login(cast.analyst)
    # The login view itself sends a signed-in user on; the middleware must not intercept it first.
    response = client.get("/accounts/login/", {"next": "/accounts/2fa/verify/"})
    assert response["Location"] == "/accounts/2fa/verify/"


@pytest.mark.parametrize("url_name", sorted(EXEMPT_URL_NAMES))
def test_every_exempt_name_resolves_and_is_let_through(rf, cast, url_name):
    """Guards against a renamed URL silently locking everyone out of the page that would let them in."""
    path = reverse(url_name)
    request = rf.get(path)
    request.resolver_match = resolve(path)
    request.user = cast.auditor
    request.user.is_verified = lambda: False
    middleware = TwoFactorEnforcementMiddleware(lambda request: HttpResponse())
    assert middleware.process_view(request, request.resolver_match.func, (), {}) is None


def test_anonymous_requests_are_left_to_the_view(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(PROFILE)
    request.resolver_match = resolve(PROFILE)
    request.user = AnonymousUser()
    middleware = TwoFactorEnforcementMiddleware(lambda request: HttpResponse())
    assert middleware.process_view(request, request.resolver_match.func, (), {}) is None
