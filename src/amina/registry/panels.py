"""The registry's panel on the home page: households and pending duplicates in scope."""

from django.db.models import Count, Q

from amina.accounts import access
from amina.lib.panels import home_panel
from amina.registry.models import DuplicateCandidate, Household


@home_panel("registry/_panel.html")
def registry_panel(request):
    user = request.user
    if not access.sees_detail(user):
        return None
    counts = access.scoped(user, Household).aggregate(
        open=Count("pk", filter=Q(status="open")),
        vulnerable=Count("pk", filter=Q(status="open", vulnerability_score__gte=40)),
    )
    pending = access.scoped(user, DuplicateCandidate).filter(decision="pending").count()
    return {**counts, "pending": pending}
