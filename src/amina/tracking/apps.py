from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "amina.tracking"
    verbose_name = _("Displacement tracking")

    def ready(self) -> None:
        from amina.core import nav
        from amina.tracking import panels  # noqa: F401 (registers metrics and the home panel)
        from amina.tracking.views.entry import may_write
        from amina.tracking.views.imports import can_import

        nav.add("tracking:figures", _("Displacement"), order=10)
        nav.add("tracking:assessment-new", _("New assessment"), visible=may_write, order=11)
        nav.add("tracking:import", _("Import DTM"), visible=can_import, order=12)
