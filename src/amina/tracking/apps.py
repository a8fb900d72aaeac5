from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "amina.tracking"
    verbose_name = _("Displacement tracking")

    def ready(self) -> None:
        from amina.accounts.access import allowed_to
        from amina.lib import nav
        from amina.tracking import panels  # noqa: F401 (registers metrics and the home panel)

        nav.add("tracking:figures", _("Displacement"), order=10)
        visible = allowed_to("assessment.record")
        nav.add("tracking:assessment-new", _("New assessment"), visible=visible, order=11)
        nav.add("tracking:import", _("Import DTM"), visible=allowed_to("dtm.import"), order=12)
