import datetime as dt
import hashlib
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prokuratura.accounts.models import ApiToken, LoginFailure, RolePolicy
from prokuratura.accounts.services import token_create
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.accounts.tests.otp import confirmed_device, mark_verified, totp_code, wrong_code
from prokuratura.core.models import AuditEntry

LOGIN = "/accounts/login/"


@pytest.fixture
def no_throttle(settings):
    """django-otp waits 1, 2, 4… seconds after a wrong code; tests that follow a wrong code with a right one
    switch that off instead of sleeping."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra.pop("data", {})}, **extra)


def _lockout_text(language):
    with translation.override(language):
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        return ngettext(
            "Too many failed attempts. The account is locked for %(minutes)d minute.",
            "Too many failed attempts. The account is locked for %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


# --- sign-in ---------------------------------------------------------------------------------------------------


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'type="hidden" name="next"' not in response.content  # no next to carry


def test_right_password_signs_in_and_audits(client, cast, no_2fa):
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(cast.prosecutor_astana.pk)
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, actor=cast.prosecutor_astana).count() == 1
    )


def test_wrong_password_is_refused_recorded_and_audited(client, cast, no_2fa):
    response = _post_login(client, "prosecutor_astana", "wrong-password")
    assert response.status_code == 400
    assert gettext("The username or password is not correct.") in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="prosecutor_astana").count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.object_repr == "prosecutor_astana"
    assert entry.actor is None


def test_five_failures_lock_the_account_even_for_the_right_password(client, cast, no_2fa, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _attempt in range(5):
        assert _post_login(client, "prosecutor_astana", "wrong-password").status_code == 400
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.status_code == 429
    assert _lockout_text("en") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_in_the_users_language(client, cast, no_2fa):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        _post_login(client, "prosecutor_astana", "wrong-password")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.status_code == 429
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()
    assert _lockout_text("ru") in response.content.decode()


def test_lockout_ends_after_the_window(client, cast, no_2fa):
    long_ago = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    LoginFailure.objects.bulk_create(
        [LoginFailure(username="prosecutor_astana", created_at=long_ago) for _i in range(10)]
    )
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.prosecutor_astana.pk)


def test_failures_inside_the_window_still_lock(client, cast, no_2fa):
    recently = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES - 1)
    LoginFailure.objects.bulk_create(
        [LoginFailure(username="Prosecutor_Astana", created_at=recently)] * settings.LOGIN_FAILURE_LIMIT
    )
    assert _post_login(client, "prosecutor_astana", cast.password).status_code == 429


def test_successful_login_clears_failures(client, cast, no_2fa):
    _post_login(client, "prosecutor_astana", "wrong-password")
    _post_login(client, "prosecutor_astana", "wrong-password")
    assert LoginFailure.objects.filter(username="prosecutor_astana").count() == 2
    assert _post_login(client, "prosecutor_astana", cast.password).status_code == 302
    assert not LoginFailure.objects.filter(username="prosecutor_astana").exists()


def test_inactive_user_cannot_sign_in(client, cast, no_2fa):
    cast.prosecutor_astana.is_active = False
    cast.prosecutor_astana.save(update_fields=["is_active"])
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    # Reads exactly like a wrong password: nobody learns the account exists.
    assert gettext("The username or password is not correct.") in response.content.decode()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/accounts/profile/", "/accounts/profile/"),
        ("/accounts/tokens/?page=2", "/accounts/tokens/?page=2"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("javascript:alert(1)", "/"),
        ("http://testserver.evil.example/", "/"),
    ],
)
def test_next_is_followed_only_when_it_stays_on_this_site(client, cast, no_2fa, next_url, expected):
    response = _post_login(client, "prosecutor_astana", cast.password, data={"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_unsafe_next_is_not_echoed_into_the_form(client, db):
    response = client.get(LOGIN, {"next": "https://evil.example/"})
    assert b'type="hidden" name="next"' not in response.content
    response = client.get(LOGIN, {"next": "/accounts/profile/"})
    assert b'type="hidden" name="next" value="/accounts/profile/"' in response.content


def test_login_applies_the_preferred_language(client, cast, no_2fa):
    cast.prosecutor_astana.preferred_language = "kk"
    cast.prosecutor_astana.save(update_fields=["preferred_language"])
    response = _post_login(client, "prosecutor_astana", cast.password)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    page = client.get(reverse("core:home"))
    assert page["Content-Language"] == "kk"


def test_session_lasts_session_cookie_age(client, cast, no_2fa):
    _post_login(client, "prosecutor_astana", cast.password)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_expired_session_on_a_protected_page_redirects_to_login_with_next(client, cast, no_2fa):
    _post_login(client, "prosecutor_astana", cast.password)
    assert client.get("/accounts/profile/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_absent_session_redirects_to_login_with_next(client, db):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/tokens/"


def test_signed_in_user_visiting_login_goes_on(client_for, cast):
    client = client_for(cast.analyst)
    response = client.get(LOGIN, {"next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


def test_logout_needs_post_and_is_audited(client_for, cast):
    client = client_for(cast.analyst)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=cast.analyst).exists()


# --- second factor: set-up -------------------------------------------------------------------------------------


def test_setup_shows_a_server_drawn_qr_code_and_the_secret(client_for, cast):
    client = client_for(cast.analyst)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=cast.analyst)
    assert device.confirmed is False
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<path" in svg
    assert "style=" not in svg  # CSP style-src 'self' would block inline styles
    assert "<?xml" not in html
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # Reloading the page keeps the same device (and secret) instead of making new ones.
    client.get(reverse("accounts:otp_setup"))
    assert TOTPDevice.objects.filter(user=cast.analyst).count() == 1
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, reason="2FA set-up started").count() == 1
    )


def test_setup_with_the_right_code_confirms_verifies_and_shows_recovery_codes_once(client_for, cast):
    client = client_for(cast.analyst)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=cast.analyst)
    response = client.post(
        reverse("accounts:otp_setup"), {"code": totp_code(device), "next": "/accounts/tokens/"}
    )
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    tokens = list(StaticToken.objects.filter(device__user=cast.analyst).values_list("token", flat=True))
    assert len(tokens) == 10
    html = response.content.decode()
    assert all(token in html for token in tokens)
    assert 'href="/accounts/tokens/"' in html
    assert "no-store" in response["Cache-Control"]
    # The session is verified: protected pages open without a detour to the verification page.
    assert client.get("/accounts/profile/").status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.SECURITY, reason="2FA device confirmed; recovery codes issued"
    ).exists()
    # Once set up, the set-up page does not issue codes again.
    again = client.get(reverse("accounts:otp_setup"))
    assert again.status_code == 302
    assert again["Location"] == reverse("accounts:profile")


def test_setup_with_a_wrong_code_leaves_the_device_unconfirmed(client_for, cast):
    client = client_for(cast.analyst)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=cast.analyst)
    response = client.post(reverse("accounts:otp_setup"), {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=cast.analyst).exists()
    assert AuditEntry.objects.filter(reason="2FA set-up code rejected").exists()


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "abcdefgh"])
def test_setup_rejects_malformed_codes(client_for, cast, code):
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:otp_setup"), {"code": code})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=cast.analyst, confirmed=True).exists()


def test_setup_refuses_to_enrol_a_second_device_before_verification(client_for, cast):
    """Someone holding only the password must not be able to add their own authenticator."""
    confirmed_device(cast.analyst)
    client = client_for(cast.analyst)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert TOTPDevice.objects.filter(user=cast.analyst).count() == 1


# --- second factor: verification -------------------------------------------------------------------------------


def test_password_login_with_a_device_goes_to_verification(client, cast, no_2fa):
    confirmed_device(cast.analyst)
    response = _post_login(client, "analyst", cast.password, data={"next": "/accounts/tokens/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/verify/?next=%2Faccounts%2Ftokens%2F"


def test_right_code_verifies_and_follows_next(client, cast, no_2fa):
    device = confirmed_device(cast.analyst)
    _post_login(client, "analyst", cast.password)
    response = client.post(
        reverse("accounts:otp_verify"), {"code": totp_code(device), "next": "/accounts/tokens/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    assert client.get("/accounts/tokens/").status_code == 200
    assert AuditEntry.objects.filter(
        reason="2FA verified with authenticator code", actor=cast.analyst
    ).exists()


def test_verification_ignores_an_unsafe_next(client, cast, no_2fa):
    device = confirmed_device(cast.analyst)
    _post_login(client, "analyst", cast.password)
    response = client.post(
        reverse("accounts:otp_verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_recovery_code_works_once(client, cast, no_2fa, no_throttle):
    confirmed_device(cast.analyst, recovery_codes=("abcdefgh",))
    _post_login(client, "analyst", cast.password)
    response = client.post(reverse("accounts:otp_verify"), {"code": "ABCD EFGH"})
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token="abcdefgh").exists()
    client.post("/accounts/logout/")
    _post_login(client, "analyst", cast.password)
    assert client.post(reverse("accounts:otp_verify"), {"code": "abcdefgh"}).status_code == 400


def test_wrong_code_counts_towards_lockout_and_locks_out(client, cast, no_2fa, no_throttle, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = confirmed_device(cast.analyst)
    _post_login(client, "analyst", cast.password)
    url = reverse("accounts:otp_verify")
    assert client.post(url, {"code": wrong_code(device)}).status_code == 400
    assert client.post(url, {"code": wrong_code(device)}).status_code == 400
    assert LoginFailure.objects.filter(username="analyst").count() == 2
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, reason="2FA code rejected").count() == 2
    )
    response = client.post(url, {"code": wrong_code(device)})
    assert response.status_code == 429
    assert _lockout_text(cast.analyst.preferred_language) in response.content.decode()  # the user's language
    assert "_auth_user_id" not in client.session  # the half-finished sign-in is ended
    assert _post_login(client, "analyst", cast.password).status_code == 429


def test_a_right_password_does_not_reset_second_factor_failures(client, cast, no_2fa, no_throttle):
    device = confirmed_device(cast.analyst)
    _post_login(client, "analyst", cast.password)
    client.post(reverse("accounts:otp_verify"), {"code": wrong_code(device)})
    client.post("/accounts/logout/")
    _post_login(client, "analyst", cast.password)
    assert LoginFailure.objects.filter(username="analyst").count() == 1
    client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert LoginFailure.objects.filter(username="analyst").count() == 0


def test_verify_without_a_device_just_goes_on(client_for, cast):
    client = client_for(cast.analyst)
    response = client.get(reverse("accounts:otp_verify"), {"next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


# --- second factor: switching off ------------------------------------------------------------------------------


def test_disable_with_the_password_removes_the_devices(client_for, cast):
    device = confirmed_device(cast.analyst)
    client = client_for(cast.analyst)
    mark_verified(client, device)
    assert client.get(reverse("accounts:otp_disable")).status_code == 200
    response = client.post(reverse("accounts:otp_disable"), {"password": cast.password})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.analyst).exists()
    assert not StaticDevice.objects.filter(user=cast.analyst).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, reason="2FA switched off").exists()
    assert client.get("/accounts/profile/").status_code == 200


def test_disable_with_a_wrong_password_changes_nothing(client_for, cast):
    device = confirmed_device(cast.analyst)
    client = client_for(cast.analyst)
    mark_verified(client, device)
    response = client.post(reverse("accounts:otp_disable"), {"password": "not-it"})
    assert response.status_code == 400
    assert gettext("The current password is not correct.") in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.analyst).exists()


def test_disable_is_refused_when_the_role_requires_2fa(client, cast):
    device = confirmed_device(cast.auditor)  # auditors must use 2FA by default (RolePolicy)
    client.force_login(cast.auditor)
    mark_verified(client, device)
    response = client.post(reverse("accounts:otp_disable"), {"password": cast.password})
    assert response.status_code == 403
    assert (
        gettext("Your role requires two-factor authentication, so it cannot be switched off.")
        in response.content.decode()
    )
    assert TOTPDevice.objects.filter(user=cast.auditor).exists()


def test_disable_needs_a_verified_session(client_for, cast):
    confirmed_device(cast.analyst)
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:otp_disable"), {"password": cast.password})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert TOTPDevice.objects.filter(user=cast.analyst).exists()


# --- password --------------------------------------------------------------------------------------------------


def test_password_change_keeps_the_session_and_is_audited(client_for, cast):
    client = client_for(cast.analyst)
    new = "a-much-longer-new-secret-77"
    response = client.post(
        reverse("accounts:password_change"),
        {"password": cast.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    cast.analyst.refresh_from_db()
    assert cast.analyst.check_password(new)
    assert client.get("/accounts/profile/").status_code == 200  # still signed in
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.SECURITY, reason="password changed", actor=cast.analyst
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "wrong", "new_password1": "a-much-longer-new-secret-77"}, "password"),
        (
            {"new_password1": "a-much-longer-new-secret-77", "new_password2": "a-different-secret-77"},
            "new_password2",
        ),
        ({"new_password1": "short", "new_password2": "short"}, "new_password1"),
        ({"new_password1": "password1234", "new_password2": "password1234"}, "new_password1"),
        ({"new_password1": "", "new_password2": ""}, "new_password1"),
    ],
)
def test_password_change_rejects_bad_input(client_for, cast, data, field):
    client = client_for(cast.analyst)
    payload = {"password": cast.password, "new_password2": data.get("new_password1", "")} | data
    response = client.post(reverse("accounts:password_change"), payload)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    cast.analyst.refresh_from_db()
    assert cast.analyst.check_password(cast.password)


# --- API tokens ------------------------------------------------------------------------------------------------


def test_token_create_shows_the_secret_once(client_for, cast):
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:token_list"), {"name": "Report robot", "expires_in_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'<code class="token-secret">([^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=cast.analyst)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "Report robot"
    expected = timezone.now() + dt.timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    listing = client.get(reverse("accounts:token_list"))
    assert "Report robot" in listing.content.decode()
    assert secret not in listing.content.decode()


def test_token_without_expiry(client_for, cast):
    client = client_for(cast.analyst)
    assert client.post(reverse("accounts:token_list"), {"name": "Forever"}).status_code == 200
    assert ApiToken.objects.get(user=cast.analyst).expires_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "expires_in_days": "5"},
        {"name": "   ", "expires_in_days": "5"},
        {"name": "x", "expires_in_days": "0"},
        {"name": "x", "expires_in_days": "366"},
        {"name": "x", "expires_in_days": "abc"},
        {"name": "x" * 101},
        {},
    ],
)
def test_token_create_rejects_bad_input(client_for, cast, data):
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:token_list"), data)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_list_shows_only_own_tokens_in_fixed_queries(client_for, cast, django_assert_num_queries):
    for i in range(3):
        token_create(by=cast.analyst, name=f"mine {i}")
    token_create(by=cast.auditor, name="someone else's")
    client = client_for(cast.analyst)
    client.get(reverse("accounts:token_list"))  # warm the session
    # session, user; 2FA enforcement: TOTP devices, recovery devices, roles, role policy; the tokens.
    with django_assert_num_queries(7):
        response = client.get(reverse("accounts:token_list"))
    html = response.content.decode()
    assert html.count('<th scope="row">mine ') == 3
    assert "someone else" not in html


def test_revoke_own_token(client_for, cast):
    token, _secret = token_create(by=cast.analyst, name="old")
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_someone_elses_token_is_404(client_for, cast):
    token, _secret = token_create(by=cast.auditor, name="theirs")
    client = client_for(cast.admin)  # not even an administrator may revoke another person's token here
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[token.pk + 1000])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client_for, cast):
    token, _secret = token_create(by=cast.analyst, name="old")
    assert client_for(cast.analyst).get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


# --- profile ---------------------------------------------------------------------------------------------------


def test_profile_shows_details_roles_and_2fa_links(client_for, cast):
    response = client_for(cast.head_astana).get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "head_astana" in html
    assert str(cast.head_astana.role_labels()[0]) in html
    assert reverse("accounts:otp_setup") in html
    assert reverse("accounts:password_change") in html
    assert reverse("accounts:token_list") in html


def test_profile_with_2fa_links_to_switching_it_off(client_for, cast):
    device = confirmed_device(cast.analyst)
    client = client_for(cast.analyst)
    mark_verified(client, device)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:otp_disable") in html
    assert reverse("accounts:otp_setup") not in html


def test_language_preference_is_saved_applied_and_audited(client_for, cast):
    client = client_for(cast.analyst)
    response = client.post(reverse("accounts:profile_language"), {"preferred_language": "kk"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    cast.analyst.refresh_from_db()
    assert cast.analyst.preferred_language == "kk"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_id=str(cast.analyst.pk))
    assert entry.changes == {"preferred_language": {"before": "ru", "after": "kk"}}
    assert client.get(reverse("accounts:profile"))["Content-Language"] == "kk"


@pytest.mark.parametrize("data", [{"preferred_language": "xx"}, {}, {"preferred_language": ""}])
def test_language_preference_rejects_bad_input(client_for, cast, data):
    response = client_for(cast.analyst).post(reverse("accounts:profile_language"), data)
    assert response.status_code == 400
    cast.analyst.refresh_from_db()
    assert cast.analyst.preferred_language == "ru"


# --- malformed requests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:login",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "accounts:otp_disable",
        "accounts:password_change",
        "accounts:token_list",
        "accounts:profile_language",
    ],
)
def test_malformed_posts_never_fail_with_500(client, cast, url_name, no_throttle):
    user = UserFactory(username="someone", roles=[])
    if url_name in {"accounts:otp_verify", "accounts:otp_disable"}:
        device = confirmed_device(user)
    if url_name != "accounts:login":
        client.force_login(user)
    if url_name == "accounts:otp_disable":
        mark_verified(client, device)
    url = reverse(url_name)
    bodies = [
        {},
        {"username": ["a", "b"], "password": "", "code": ["1", "2"], "expires_in_days": "1e9"},
        {"code": "\x00" * 40, "name": "\x00", "preferred_language": ["kk", "ru"], "expires_in_days": "-1"},
    ]
    for body in bodies:
        assert client.post(url, body).status_code in {302, 400, 403}
    response = client.post(url, data='{"a": [1, 2', content_type="application/json")
    assert response.status_code in {302, 400, 403}


def test_role_requiring_2fa_is_sent_to_setup_after_login(client, cast):
    assert RolePolicy.objects.get(role="admin").require_2fa
    response = _post_login(client, "admin", cast.password, data={"next": "/accounts/tokens/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/?next=%2Faccounts%2Ftokens%2F"
