from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "prokuratura.cooperation"
    label = "cooperation"
    verbose_name = _("International legal cooperation")

    def ready(self) -> None:
        from .home import register_home_cards

        register_home_cards()
