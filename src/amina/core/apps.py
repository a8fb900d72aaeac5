from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "amina.core"
    verbose_name = _("Amina")

    def ready(self) -> None:
        from amina.core import checks  # noqa: F401  (registers the deploy checks)
