from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "amina.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from amina.accounts import access
        from amina.lib import nav
        from amina.reports import dashboard  # noqa: F401  (registers the home panel)

        nav.add("reports:dashboard", _("Dashboard"), order=5)
        nav.add("reports:library", _("Library"), order=80)
        nav.add("reports:report-list", _("Reports"), visible=access.sees_detail, order=81)
        nav.add("reports:datasets", _("Open data"), order=82)
