from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "prokuratura.relations"
    label = "relations"
    verbose_name = _("International relations")
