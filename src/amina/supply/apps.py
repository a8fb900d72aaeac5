from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "amina.supply"
    verbose_name = _("Supply and distribution")

    def ready(self) -> None:
        from amina.accounts import access
        from amina.lib import nav
        from amina.supply import panels  # noqa: F401  (registers the home panel)

        nav.add("supply:home", _("Stock"), visible=access.sees_detail, order=40)
        nav.add("supply:plan-list", _("Distributions"), visible=access.sees_detail, order=41)
        nav.add("supply:pipeline", _("Pipeline"), visible=access.is_active, order=42)
