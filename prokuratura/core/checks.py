import os

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """A production deployment must take its secret key from the environment, never from var/."""
    if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
        return [Error("DJANGO_SECRET_KEY is not set in the environment.", id="prokuratura.E001")]
    return []
