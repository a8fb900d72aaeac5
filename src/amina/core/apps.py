from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "amina.core"
    verbose_name = _("Amina")

    def ready(self) -> None:
        from django.contrib import admin

        from amina.core import checks  # noqa: F401  (registers the deploy checks)

        admin.site.site_header = _("Amina administration")
        admin.site.site_title = _("Amina administration")
        admin.site.index_title = _("Users, organisations and reference data")
        admin.site.site_url = "/"
