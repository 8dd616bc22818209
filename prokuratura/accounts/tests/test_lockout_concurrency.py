"""The sign-in lockout holds exactly, however many attempts arrive at once (issue 15: 7 passwords were checked
against a limit of 5): accounts.services.login_attempt reserves a slot before the password is checked."""

import threading

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from prokuratura.accounts import services
from prokuratura.accounts.backends import RoleBackend
from prokuratura.accounts.models import LoginFailure
from prokuratura.accounts.tests.otp import confirmed_device, wrong_code
from prokuratura.core.tests.concurrency import all_at_once, postgresql_only

LOGIN = "/accounts/login/"


@pytest.fixture
def counted(monkeypatch):
    """calls[name] counts the calls of the patched method, from any thread."""
    calls = {"authenticate": 0, "verify_token": 0}
    lock = threading.Lock()

    def counting(name, original):
        def wrapper(*args, **kwargs):
            with lock:
                calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(RoleBackend, "authenticate", counting("authenticate", RoleBackend.authenticate))
    monkeypatch.setattr(TOTPDevice, "verify_token", counting("verify_token", TOTPDevice.verify_token))
    return calls


def _attempt(rf, password, username="prosecutor_astana"):
    return services.login_attempt(username=username, password=password, request=rf.post(LOGIN))


def test_a_wrong_password_keeps_its_slot_as_the_failure(rf, cast, counted):
    attempt = _attempt(rf, "wrong-password")
    assert attempt.user is None and not attempt.locked
    assert LoginFailure.objects.filter(username="prosecutor_astana").count() == 1


def test_a_right_password_gives_its_slot_back_but_keeps_earlier_failures(rf, cast):
    # Earlier failures are forgotten only when the sign-in is complete (login_success_record, after 2FA).
    _attempt(rf, "wrong-password")
    attempt = _attempt(rf, cast.password)
    assert attempt.user == cast.prosecutor_astana
    assert LoginFailure.objects.filter(username="prosecutor_astana").count() == 1


def test_at_the_limit_no_password_is_checked(rf, cast, counted):
    for _i in range(settings.LOGIN_FAILURE_LIMIT):
        _attempt(rf, "wrong-password")
    assert counted["authenticate"] == settings.LOGIN_FAILURE_LIMIT
    attempt = _attempt(rf, cast.password, username="PROSECUTOR_ASTANA")  # any spelling of the name
    assert attempt.locked and attempt.user is None
    assert counted["authenticate"] == settings.LOGIN_FAILURE_LIMIT


def test_a_locked_account_gets_no_code_checked(cast, counted, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = confirmed_device(cast.prosecutor_astana)
    for _i in range(settings.LOGIN_FAILURE_LIMIT):
        assert services.otp_verify_code(user=cast.prosecutor_astana, code=wrong_code(device)) is None
    assert counted["verify_token"] == settings.LOGIN_FAILURE_LIMIT
    assert services.otp_verify_code(user=cast.prosecutor_astana, code=wrong_code(device)) is None
    assert counted["verify_token"] == settings.LOGIN_FAILURE_LIMIT
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_at_once_check_exactly_the_limit(cast, no_2fa, counted):
    statuses = all_at_once(
        12,
        lambda _i: Client().post(LOGIN, {"username": "prosecutor_astana", "password": "wrong"}).status_code,
    )
    limit = settings.LOGIN_FAILURE_LIMIT
    assert counted["authenticate"] == limit
    assert statuses.count(400) == limit and statuses.count(429) == 12 - limit
    assert LoginFailure.objects.count() == limit
    # …and the right password is refused too, until the window ends.
    assert (
        Client().post(LOGIN, {"username": "prosecutor_astana", "password": cast.password}).status_code == 429
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_wrong_codes_at_once_check_exactly_the_limit(cast, counted, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = confirmed_device(cast.prosecutor_astana)
    code = wrong_code(device)
    user_id = cast.prosecutor_astana.pk

    def verify(_index):
        from prokuratura.accounts.models import User

        return services.otp_verify_code(user=User.objects.get(pk=user_id), code=code)

    assert all_at_once(12, verify) == [None] * 12
    assert counted["verify_token"] == settings.LOGIN_FAILURE_LIMIT
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT
