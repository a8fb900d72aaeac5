"""Entering figures: the field assessment form, movements (emergency tracking), alert rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.geo.models import Location
from amina.tracking.forms import AlertRuleForm, AssessmentForm, MovementForm
from amina.tracking.models import AlertRule, LocationAssessment, MovementEvent, Round
from amina.tracking.services import alerts as alert_services
from amina.tracking.services import assessments as services
from amina.tracking.services import coverage


def _apply_errors(form, exc: ValidationError) -> None:
    mapping = {
        "origins": None,
        "shelters": None,
        "periods": None,
        "lat": "latitude",
        "name_en": "new_name_en",
    }
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = mapping.get(field, field)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@transaction.atomic
def _save_assessment(user, form):
    """The assessment of the form's location, or of the new location it describes (made
    in the same transaction); returns it with the new location's placement (or None)."""
    d = form.cleaned_data
    origins, shelters, periods = form.breakdowns()
    placement = None
    location = d["location"]
    if location is None:
        location, placement = services.create_location(
            user,
            name_en=d["new_name_en"],
            name_ar=d["new_name_ar"],
            lat=d["latitude"],
            lon=d["longitude"],
            kind=d["new_kind"] or "village",
        )
    assessment = services.record_assessment(
        user,
        round=d["round"],
        location=location,
        date=d["date"],
        families=d["families"],
        individuals=d["individuals"],
        returnee_families=d["returnee_families"] or 0,
        returnee_individuals=d["returnee_individuals"],
        key_informant=d["key_informant"],
        partial=d["partial"],
        origins=origins,
        shelters=shelters,
        periods=periods,
    )
    return assessment, placement


def _placed_message(placement) -> str:
    """Where a new location was placed, and how, so a wrong district is noticed."""
    return _("The new location was placed in %(district)s, %(governorate)s, by its %(method)s.") % {
        "district": placement.district.name,
        "governorate": placement.governorate.name,
        "method": _("district boundary")
        if placement.method == "boundary"
        else _("nearest district centre"),
    }


@access.requires("assessment.record")
def assessment_new(request):
    """The field form (phone-first): pick or create the location, then the figures."""
    user = request.user
    locations = access.scoped(user, Location).order_by("governorate__pcode", "name_en")
    form = AssessmentForm(
        request.POST or None, locations=locations, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment, placement = _save_assessment(user, form)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("location", _("This location is outside your governorates."))
        else:
            if placement is not None:
                messages.info(request, _placed_message(placement))
            messages.success(
                request,
                _("Assessment saved: %(families)s families, %(individuals)s individuals.")
                % {"families": assessment.families, "individuals": assessment.individuals},
            )
            return redirect("tracking:assessment", pk=assessment.pk)
    return render(request, "tracking/assessment_form.html", {"form": form})


def assessment_detail(request, pk):
    assessment = access.get_scoped_or_404(
        request.user,
        LocationAssessment.objects.select_related(
            "round", "location__governorate", "location__district"
        ),
        pk=pk,
    )
    return render(
        request,
        "tracking/assessment_detail.html",
        {
            "a": assessment,
            "origins": assessment.origins.select_related("governorate"),
            "shelters": assessment.shelters.select_related("shelter_type"),
            "periods": assessment.periods.select_related("period"),
        },
    )


def movement_list(request):
    qs = access.scoped(request.user, MovementEvent).select_related(
        "location__governorate", "origin"
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/movement_list.html",
        {"page": page, "can_write": access.allowed(request.user, "movement.record")},
    )


@access.requires("movement.record")
def movement_new(request):
    user = request.user
    locations = access.scoped(user, Location).order_by("governorate__pcode", "name_en")
    form = MovementForm(
        request.POST or None, locations=locations, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_movement(
                user,
                location=d["location"],
                date=d["date"],
                direction=d["direction"],
                families=d["families"],
                individuals=d["individuals"],
                origin=d["origin"],
                note=d["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Movement recorded."))
            return redirect("tracking:movements")
    return render(request, "tracking/movement_form.html", {"form": form})


def alert_list(request):
    user = request.user
    alerts = alert_services.readable_alerts(user).select_related("rule__location", "governorate")[
        :100
    ]
    rules = access.scoped(
        user, AlertRule.objects.filter(location__isnull=True), detail=False
    ) | access.scoped(user, AlertRule.objects.filter(location__isnull=False)).filter(
        location__governorate__in=access.governorates_in_scope(user)
    )
    return render(
        request,
        "tracking/alert_list.html",
        {
            "alerts": alerts,
            "rules": rules.select_related("governorate", "location"),
            "can_write": access.allowed(user, "alert_rule.manage"),
        },
    )


@access.requires("alert_rule.manage")
def rule_new(request):
    user = request.user
    form = AlertRuleForm(
        request.POST or None,
        governorates=access.governorates_in_scope(user),
        locations=access.scoped(user, Location),
    )
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.created_by = user
        try:
            alert_services.save_rule(user, rule)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Alert rule saved."))
            return redirect("tracking:alerts")
    return render(request, "tracking/rule_form.html", {"form": form})


@require_POST
@access.requires("dtm.import")
def round_partial(request, code):
    """Mark a round partial (with why) or complete again, from the rounds page."""
    round_ = get_object_or_404(Round, code=code)
    partial = request.POST.get("partial") == "1"
    reason = request.POST.get("reason", "")
    if partial and not reason.strip():
        reason = _("Marked partial by hand.")
    coverage.mark_partial(request.user, round_, partial, reason)
    if partial:
        messages.success(
            request, _("Round %(code)s is marked partial: trends skip it.") % {"code": code}
        )
    else:
        messages.success(request, _("Round %(code)s is marked complete.") % {"code": code})
    return redirect("tracking:rounds")
