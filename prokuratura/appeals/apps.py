from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "prokuratura.appeals"
    label = "appeals"
    verbose_name = _("Citizens' appeals")

    def ready(self) -> None:
        from . import search  # noqa: F401 - gives every SQLite connection the full-text index's SQL function
        from .home import register_home_cards, register_home_panels

        register_home_cards()
        register_home_panels()
