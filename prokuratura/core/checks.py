import os

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """A production deployment must take its secret key from the environment, never from var/."""
    if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
        return [Error("DJANGO_SECRET_KEY is not set in the environment.", id="prokuratura.E001")]
    return []


# holidays < 0.105 still makes 2026-08-31 a day off, which the 2026 constitutional change ended (core.calendar).
MIN_HOLIDAYS_VERSION = (0, 105)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(c for c in piece if c.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


@register()
def holidays_package_is_recent(app_configs, **kwargs):
    import holidays

    if _version_tuple(holidays.__version__) < MIN_HOLIDAYS_VERSION:
        return [
            Error(
                f"The holidays package {holidays.__version__} is too old for Kazakhstan's calendar.",
                hint="Install holidays >= 0.105 (requirements.lock).",
                id="prokuratura.E002",
            )
        ]
    return []
