from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "amina.coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from amina.lib import nav

        nav.add("coordination:activity-list", _("Coordination"), order=60)
        from amina.coordination import panels  # noqa: F401  (registers the home panel)
