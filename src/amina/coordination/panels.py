"""The home page's coordination panel: unread notifications and overdue action points."""

from django.utils import timezone

from amina.coordination.models import ActionPoint
from amina.lib.panels import home_panel
from amina.notices.services import unread_count


@home_panel("coordination/_panel.html")
def coordination_panel(request):
    user = request.user
    overdue = ActionPoint.objects.filter(
        owner=user, status=ActionPoint.Status.OPEN, due_date__lt=timezone.localdate()
    ).count()
    return {"unread": unread_count(user), "overdue": overdue}
