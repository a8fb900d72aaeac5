from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "amina.registry"
    verbose_name = _("Household registry")

    def ready(self) -> None:
        from amina.accounts import access
        from amina.lib import nav

        nav.add("registry:home", _("Households"), visible=access.sees_detail, order=30)
        from amina.registry import panels  # noqa: F401 (registers the home panel)
