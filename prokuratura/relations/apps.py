from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "prokuratura.relations"
    label = "relations"
    verbose_name = _("International relations")

    def ready(self) -> None:
        from .home import register_home_cards

        register_home_cards()
