"""Coordination meetings, action points (overdue ones stand out) and the minutes PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.coordination import pdf
from amina.coordination.forms import ActionPointForm, MeetingForm
from amina.coordination.models import ActionPoint, Meeting
from amina.coordination.services.meetings import (
    add_action_point,
    save_meeting,
    set_action_point_status,
)
from amina.coordination.views.common import flash_errors, form_errors, page_of, safe_next


def readable(user):
    return access.scoped(user, Meeting.objects.all(), detail=True, national_records=True)


def meeting_list(request):
    meetings = readable(request.user).select_related("governorate")
    today = timezone.localdate()
    mine = (
        ActionPoint.objects.filter(owner=request.user)
        .exclude(status=ActionPoint.Status.DROPPED)
        .select_related("meeting")
    )
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "page": page_of(request, meetings),
            "can_edit": access.allowed(request.user, "meeting.manage"),
            "mine": mine,
            "today": today,
        },
    )


def _meeting_for(user, pk):
    return get_object_or_404(readable(user).select_related("governorate"), pk=pk)


@access.requires("meeting.manage", methods=["POST"])
def meeting_detail(request, pk):
    """The meeting (a read), and on POST a new action point (``meeting.manage``)."""
    meeting = _meeting_for(request.user, pk)
    can_edit = access.allowed(request.user, "meeting.manage", meeting.governorate)
    form = ActionPointForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        access.check(request.user, "meeting.manage", meeting.governorate)
        if form.is_valid():
            data = form.cleaned_data
            try:
                add_action_point(
                    request.user, meeting, data["text"], data["owner"], data["due_date"]
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Action point added; its owner was notified."))
                return redirect("coordination:meeting-detail", meeting.pk)
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "points": meeting.action_points.select_related("owner"),
            "attendees": meeting.attendees.all(),
            "organisations": meeting.organisations.all(),
            "form": form,
            "can_edit": can_edit,
            "today": timezone.localdate(),
        },
    )


@access.requires("meeting.manage")
def meeting_edit(request, pk=None):
    meeting = _meeting_for(request.user, pk) if pk else None
    if meeting is not None:
        access.check(request.user, "meeting.manage", meeting.governorate)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = save_meeting(
                request.user,
                form.instance,
                form.cleaned_data["attendees"],
                form.cleaned_data["organisations"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("coordination:meeting-detail", meeting.pk)
    return render(request, "coordination/form.html", {"form": form, "title": _("Meeting")})


def meeting_minutes(request, pk):
    meeting = _meeting_for(request.user, pk)
    response = HttpResponse(pdf.minutes(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response


@require_POST
@access.requires("action_point.update")
def action_point_status(request, pk):
    """The owner (who may see no meeting pages) or a coordinator in scope closes a point."""
    from django.db.models import Q

    point = get_object_or_404(
        ActionPoint.objects.select_related("meeting", "meeting__governorate").filter(
            Q(owner=request.user) | Q(meeting__in=readable(request.user))
        ),
        pk=pk,
    )
    access.check(
        request.user, "action_point.update", point.meeting.governorate, owner=point.owner_id
    )
    status = request.POST.get("status")
    if status not in ActionPoint.Status.values:
        messages.error(request, _("Unknown status."))
    else:
        try:
            set_action_point_status(request.user, point, status)
        except ValidationError as exc:
            flash_errors(request, exc)
    return redirect(safe_next(request, "coordination:meeting-list"))
