from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "amina.supply"
    verbose_name = _("Supply and distribution")
