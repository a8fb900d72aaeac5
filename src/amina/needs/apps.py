from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "amina.needs"
    verbose_name = _("Needs assessment")

    def ready(self):
        from amina.accounts import access
        from amina.lib import nav
        from amina.needs import views  # noqa: F401 (registers the home panel)

        nav.add("needs:overview", _("Needs"), visible=access.is_active, order=30)
