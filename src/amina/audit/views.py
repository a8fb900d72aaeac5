from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from amina.accounts import access
from amina.audit.models import AccessLog, ChangeLog


def change_list(request):
    """The history of every domain record: who changed what, when."""
    if not access.can_read_history(request.user):
        raise PermissionDenied
    qs = ChangeLog.objects.all()
    if model := request.GET.get("model"):
        qs = qs.filter(model=model)
    if object_id := request.GET.get("object"):
        qs = qs.filter(object_id=object_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/change_list.html", {"page": page})


def access_list(request):
    """Who viewed or exported personal data: admins only."""
    if not access.is_admin(request.user):
        raise PermissionDenied
    page = Paginator(AccessLog.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_list.html", {"page": page})
