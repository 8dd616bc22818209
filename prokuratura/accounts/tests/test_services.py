import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prokuratura.accounts import services
from prokuratura.accounts.models import LoginFailure
from prokuratura.accounts.selectors import login_is_locked, otp_status
from prokuratura.accounts.tests.otp import confirmed_device, totp_code, wrong_code
from prokuratura.core.audit import audit_verify_chain
from prokuratura.core.models import AuditEntry


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# --- sign-in bookkeeping ---------------------------------------------------------------------------------------


def test_login_failures_lock_at_the_limit(cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _i in range(2):
        services.login_failure_record(username="analyst")
    assert not login_is_locked(username="analyst")
    services.login_failure_record(username="ANALYST")
    assert login_is_locked(username="analyst")  # usernames compare case-insensitively
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() == 3


def test_old_failures_do_not_count(cast, settings):
    old = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    LoginFailure.objects.bulk_create([LoginFailure(username="analyst", created_at=old)] * 20)
    assert not login_is_locked(username="analyst")


def test_login_success_clears_failures_unless_a_second_factor_follows(cast):
    services.login_failure_record(username="analyst")
    services.login_success_record(user=cast.analyst, clear_failures=False)
    assert LoginFailure.objects.filter(username="analyst").count() == 1
    services.login_success_record(user=cast.analyst)
    assert not LoginFailure.objects.filter(username="analyst").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, actor=cast.analyst).count() == 2


# --- two-factor ------------------------------------------------------------------------------------------------


def test_device_start_reuses_the_unconfirmed_device(cast):
    first = services.otp_device_start(user=cast.analyst)
    second = services.otp_device_start(user=cast.analyst)
    assert first.pk == second.pk
    assert first.confirmed is False
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count() == 1


def test_device_confirm_with_the_right_code_issues_ten_recovery_codes(cast):
    device = services.otp_device_start(user=cast.analyst)
    codes = services.otp_device_confirm(user=cast.analyst, device=device, code=totp_code(device))
    assert len(codes) == 10
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    stored = set(StaticToken.objects.filter(device__user=cast.analyst).values_list("token", flat=True))
    assert stored == set(codes)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).first()
    assert entry.reason == "2FA device confirmed; recovery codes issued"
    assert not any(code in str(entry.changes) + entry.reason for code in codes)
    assert otp_status(user=cast.analyst) == {"enabled": True, "recovery_codes_left": 10, "required": False}


def test_device_confirm_with_a_wrong_code_changes_nothing(cast):
    device = services.otp_device_start(user=cast.analyst)
    assert services.otp_device_confirm(user=cast.analyst, device=device, code=wrong_code(device)) is None
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=cast.analyst).exists()


def test_device_confirm_refuses_someone_elses_device(cast):
    device = services.otp_device_start(user=cast.auditor)
    with pytest.raises(ValidationError):
        services.otp_device_confirm(user=cast.analyst, device=device, code=totp_code(device))


def test_reconfirming_replaces_old_recovery_codes(cast):
    old = services.otp_device_start(user=cast.analyst)
    first_codes = services.otp_device_confirm(user=cast.analyst, device=old, code=totp_code(old))
    TOTPDevice.objects.filter(user=cast.analyst).delete()
    new = services.otp_device_start(user=cast.analyst)
    second_codes = services.otp_device_confirm(user=cast.analyst, device=new, code=totp_code(new))
    stored = set(StaticToken.objects.filter(device__user=cast.analyst).values_list("token", flat=True))
    assert stored == set(second_codes)
    assert not stored & set(first_codes)


def test_verify_code_accepts_the_authenticator_and_clears_failures(cast):
    device = confirmed_device(cast.analyst)
    services.login_failure_record(username="analyst")
    matched = services.otp_verify_code(user=cast.analyst, code=totp_code(device))
    assert matched == device
    assert not LoginFailure.objects.filter(username="analyst").exists()


def test_verify_code_refuses_a_replayed_code(cast, no_throttle):
    device = confirmed_device(cast.analyst)
    code = totp_code(device)
    assert services.otp_verify_code(user=cast.analyst, code=code) is not None
    assert services.otp_verify_code(user=cast.analyst, code=code) is None


def test_wrong_code_is_a_login_failure(cast):
    device = confirmed_device(cast.analyst)
    assert services.otp_verify_code(user=cast.analyst, code=wrong_code(device)) is None
    assert LoginFailure.objects.filter(username="analyst").count() == 1
    assert AuditEntry.objects.get(action=AuditEntry.Action.SECURITY).reason == "2FA code rejected"


def test_recovery_code_is_single_use(cast, no_throttle):
    confirmed_device(cast.analyst, recovery_codes=("abcdefgh", "ijklmnop"))
    matched = services.otp_verify_code(user=cast.analyst, code="abcdefgh")
    assert isinstance(matched, StaticDevice)
    assert services.otp_verify_code(user=cast.analyst, code="abcdefgh") is None
    assert otp_status(user=cast.analyst)["recovery_codes_left"] == 1


def test_devices_remove(cast):
    confirmed_device(cast.analyst)
    services.otp_devices_remove(by=cast.analyst, user=cast.analyst)
    assert not TOTPDevice.objects.filter(user=cast.analyst).exists()
    assert not StaticDevice.objects.filter(user=cast.analyst).exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.SECURITY).reason == "2FA switched off"


def test_devices_remove_is_refused_when_the_role_requires_2fa(cast):
    confirmed_device(cast.admin)
    with pytest.raises(ValidationError):
        services.otp_devices_remove(by=cast.admin, user=cast.admin)
    assert TOTPDevice.objects.filter(user=cast.admin).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).exists()


def test_two_factor_events_keep_the_audit_chain_intact(cast):
    device = services.otp_device_start(user=cast.analyst)
    services.otp_device_confirm(user=cast.analyst, device=device, code=totp_code(device))
    services.otp_devices_remove(by=cast.analyst, user=cast.analyst)
    assert list(audit_verify_chain(seal=True)) == []


# --- preferences, password, tokens -----------------------------------------------------------------------------


def test_user_set_language(cast):
    services.user_set_language(by=cast.analyst, user=cast.analyst, language="en")
    cast.analyst.refresh_from_db()
    assert cast.analyst.preferred_language == "en"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"preferred_language": {"before": "ru", "after": "en"}}


def test_user_set_language_to_the_same_is_not_audited(cast):
    services.user_set_language(by=cast.analyst, user=cast.analyst, language="ru")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_user_set_language_rejects_unknown_languages(cast):
    with pytest.raises(ValidationError):
        services.user_set_language(by=cast.analyst, user=cast.analyst, language="de")
    cast.analyst.refresh_from_db()
    assert cast.analyst.preferred_language == "ru"


def test_user_set_password_applies_the_validators(cast):
    with pytest.raises(ValidationError):
        services.user_set_password(by=cast.analyst, user=cast.analyst, password="123")
    cast.analyst.refresh_from_db()
    assert cast.analyst.check_password(cast.password)
    services.user_set_password(by=cast.analyst, user=cast.analyst, password="long-enough-and-unusual-9")
    cast.analyst.refresh_from_db()
    assert cast.analyst.check_password("long-enough-and-unusual-9")
    assert AuditEntry.objects.get(action=AuditEntry.Action.SECURITY).reason == "password changed"


def test_token_create_and_revoke(cast):
    token, secret = services.token_create(by=cast.analyst, name="  robot  ")
    assert token.name == "robot"
    assert secret.startswith(services.TOKEN_PREFIX)
    assert services.token_authenticate(secret=secret) == cast.analyst
    services.token_revoke(by=cast.analyst, token=token)
    assert services.token_authenticate(secret=secret) is None


def test_token_create_rejects_a_past_expiry(cast):
    with pytest.raises(ValidationError):
        services.token_create(by=cast.analyst, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
