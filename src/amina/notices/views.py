"""The notification centre: one's own notifications, and the choice of what to receive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.notices.forms import PreferencesForm
from amina.notices.models import Notification
from amina.notices.services import (
    KINDS,
    channels,
    kind_label,
    mark_read,
    set_preferences,
    unread_count,
)


def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("governorate")
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "notices/notification_list.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "unread": unread_count(request.user),
            "only_unread": bool(request.GET.get("unread")),
        },
    )


@require_POST
@access.requires("account.self")
def notification_read(request):
    ids = request.POST.getlist("id")
    count = mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
    messages.success(request, _("%(n)s marked as read.") % {"n": count})
    return redirect("notices:notification-list")


def _kinds(user):
    seen = set(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True).distinct()
    )
    return [(k, str(v)) for k, v in KINDS.items()] + [
        (k, kind_label(k)) for k in sorted(seen - set(KINDS))
    ]


@access.requires("account.self")
def notification_preferences(request):
    kinds = _kinds(request.user)
    initial = {k: channels(request.user, k) for k, _label in kinds}
    form = PreferencesForm(request.POST or None, kinds=kinds, initial_choices=initial)
    if request.method == "POST" and form.is_valid():
        set_preferences(request.user, form.choices())
        messages.success(request, _("Your choices are saved."))
        return redirect("notices:notification-preferences")
    rows = [(label, form[f"{k}__app"], form[f"{k}__email"]) for k, label in kinds]
    return render(
        request,
        "notices/notification_preferences.html",
        {
            "form": form,
            "rows": rows,
        },
    )
