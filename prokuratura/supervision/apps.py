from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "prokuratura.supervision"
    label = "supervision"
    verbose_name = _("Supervision of legality")

    def ready(self) -> None:
        from .home import register_home_cards, register_home_panels

        register_home_cards()
        register_home_panels()
