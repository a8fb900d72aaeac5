from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notifications: a platform service that tracking, supply and coordination call."""

    name = "amina.notices"
    verbose_name = _("Notifications")

    def ready(self):
        from amina.lib import nav
        from amina.notices.services import unread_count

        nav.add("notices:notification-list", _("Notifications"), order=90, badge=unread_count)
