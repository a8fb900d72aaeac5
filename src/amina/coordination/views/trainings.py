"""Capacity building: trainings, participants, attendance and scores, certificates, statistics."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access
from amina.coordination import pdf, queries
from amina.coordination.exports import meeting_table, training_table
from amina.coordination.forms import ParticipantForm, TrainingForm
from amina.coordination.models import Participant, Training
from amina.coordination.services.trainings import (
    add_participant,
    attendance_share,
    may_have_certificate,
    record_results,
    save_training,
)
from amina.coordination.views.common import flash_errors, form_errors, page_of
from amina.lib.arabic import to_western_digits
from amina.lib.downloads import file_response


def readable(user):
    """Trainings (events, not people) are shared like the 4W: partners read them too."""
    return access.scoped(user, Training, detail=False)


def training_list(request):
    qs = (
        readable(request.user)
        .select_related("organiser", "governorate")
        .annotate(n=Count("participants"))
        .order_by("-start_date", "-pk")
    )
    return render(
        request,
        "coordination/training_list.html",
        {
            "page": page_of(request, qs),
            "can_edit": access.allowed(request.user, "training.manage"),
        },
    )


def training_detail(request, pk):
    training = get_object_or_404(
        readable(request.user).select_related("organiser", "governorate"), pk=pk
    )
    # Participants are people: their names and scores need the personal-data permission.
    sees_people = access.can_view_personal_data(request.user)
    people = []
    if sees_people:
        people = list(
            access.scoped(request.user, Participant)
            .filter(training=training)
            .select_related("organisation", "governorate")
            .prefetch_related("attendance")
        )
        days = training.days()
        for p in people:
            present = {a.day for a in p.attendance.all()}
            p.days = [(d, d in present) for d in days]
            p.share = len(present) / len(days) if days else 0
            p.certificate = p.share >= 0.8
        log_access(
            request.user,
            Participant,
            [p.pk for p in people],
            "view",
            purpose="training participants",
        )
    can_edit = access.allowed(request.user, "training.manage") and sees_people
    return render(
        request,
        "coordination/training_detail.html",
        {
            "training": training,
            "people": people,
            "sees_people": sees_people,
            "days": training.days(),
            "can_edit": can_edit,
            "form": ParticipantForm() if can_edit else None,
            "gain": queries.learning_gain(training.participants.select_related("training")),
            "count": training.participants.count(),
        },
    )


@access.requires("training.manage")
def training_edit(request, pk=None):
    training = get_object_or_404(readable(request.user), pk=pk) if pk else None
    if training is not None:
        access.check(request.user, "training.manage", training.governorate)
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training = save_training(request.user, form.instance, form.cleaned_data["sectors"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Training saved."))
            return redirect("coordination:training-detail", training.pk)
    return render(request, "coordination/form.html", {"form": form, "title": _("Training")})


def _editable(user, pk):
    training = get_object_or_404(readable(user), pk=pk)
    access.check(user, "training.manage", training.governorate)
    return training


@access.requires("training.manage")
def participant_add(request, pk):
    training = _editable(request.user, pk)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_participant(request.user, training, form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Participant added."))
            return redirect("coordination:training-detail", training.pk)
    return render(request, "coordination/form.html", {"form": form, "title": _("Participant")})


def _score(value: str):
    text = to_western_digits(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": text[:10]})
    return int(text)


@access.requires("training.manage")
def training_results(request, pk):
    """One form for everyone's attendance per day and pre-/post-test scores."""
    training = _editable(request.user, pk)
    if request.method != "POST":
        return redirect("coordination:training-detail", training.pk)
    results = {}
    try:
        for person in training.participants.all():
            days = {parse_date(d) for d in request.POST.getlist(f"day_{person.pk}")}
            results[person.pk] = (
                _score(request.POST.get(f"pre_{person.pk}")),
                _score(request.POST.get(f"post_{person.pk}")),
                {d for d in days if d},
            )
        record_results(request.user, training, results)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Attendance and scores saved."))
    return redirect("coordination:training-detail", training.pk)


def certificate(request, pk):
    participant = get_object_or_404(
        access.scoped(request.user, Participant).select_related(
            "training", "training__organiser", "training__governorate"
        ),
        pk=pk,
    )
    access.require_personal_data(request.user)
    if not may_have_certificate(participant):
        messages.error(
            request,
            _("A certificate needs attendance of at least 80%% of the days (%(share)s%% recorded).")
            % {"share": round(100 * attendance_share(participant, participant.training))},
        )
        return redirect("coordination:training-detail", participant.training_id)
    log_access(request.user, Participant, [participant.pk], "export", purpose="certificate")
    response = HttpResponse(pdf.certificate(participant), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{participant.pk}.pdf"'
    return response


def statistics(request):
    ids = access.governorate_filter(request.user)
    return render(
        request,
        "coordination/training_statistics.html",
        {
            "stats": queries.training_statistics(ids),
        },
    )


def export(request, kind):
    from django.http import Http404

    from amina.coordination.views import activities, meetings

    if kind not in ("activities", "trainings", "meetings"):
        raise Http404
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx", "hxl"):
        fmt = "csv"
    if kind == "trainings":
        content = training_table(readable(request.user), fmt)
    elif kind == "meetings":
        content = meeting_table(meetings.readable(request.user), fmt)
    else:
        from amina.coordination.exports import activity_table

        content = activity_table(activities.readable(request.user), fmt)
    return file_response(content, fmt, kind)
