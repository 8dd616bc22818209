"""Second-factor helpers for tests: devices and the codes an authenticator app would show right now."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice) -> str:
    """What the user's app shows now (same key, step, t0 and digits as TOTPDevice.verify_token uses)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that no step within the device's tolerance accepts."""
    valid = {
        totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d)
        for d in range(-device.tolerance - 1, device.tolerance + 2)
    }
    return next(f"{c:06d}" for c in (0, 123456, 999999, 424242) if c not in valid)


def confirmed_device(user, *, recovery_codes=("abcdefgh", "ijklmnop")) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in recovery_codes])
    return device


def mark_verified(client, device) -> None:
    """Make the client's session count as verified with `device`, as django_otp.login() would."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
