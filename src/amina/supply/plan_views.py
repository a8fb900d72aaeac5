"""Distribution plans and the distribution itself (the tick list, the scanner, the print).

Names and document numbers appear only to users with the personal-data permission,
and each showing is written to the access log with its purpose.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.audit.services import log_access
from amina.lib.commands import one_line
from amina.registry.models import Household, Member
from amina.supply import forms
from amina.supply.models import Distribution, DistributionPlan
from amina.supply.services import distributions as dist_service
from amina.supply.services import planning


def _plan(request, pk) -> DistributionPlan:
    return access.get_scoped_or_404(
        request.user,
        DistributionPlan.objects.select_related(
            "site__governorate", "item", "created_by", "approved_by"
        ),
        pk=pk,
    )


def plan_list(request):
    user = request.user
    qs = access.scoped(user, DistributionPlan).select_related("site", "item")
    if status := request.GET.get("status"):
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supply/plan_list.html",
        {
            "page": page,
            "statuses": DistributionPlan.Status.choices,
            "can_plan": access.allowed(user, "distribution.plan"),
        },
    )


@access.requires("distribution.plan")
def plan_create(request):
    user = request.user
    form = forms.PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = planning.create_plan(
                user,
                name=d["name"],
                site=d["site"],
                item=d["item"],
                period=d["period"],
                need_identified_on=d["need_identified_on"],
                locations=d["locations"],
                min_score=d["min_score"] or 0,
                priority_floor=d["priority_floor"],
                capacity_kg=d["capacity_kg"],
                capacity_m3=d["capacity_m3"],
            )
            job = planning.start_optimise(user, plan)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, one_line(exc))
        else:
            # The optimisation runs in the background; its page shows the progress and
            # links to the plan when it is done.
            return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "supply/form.html",
        {"forms": [form], "title": _("New distribution plan"), "back": "supply:plan-list"},
    )


def plan_detail(request, pk):
    user = request.user
    plan = _plan(request, pk)
    rows = plan.candidates.all()
    show = request.GET.get("show", "")
    if show == "in":
        rows = rows.filter(selected=True)
    elif show == "out":
        rows = rows.filter(selected=False)
    page = Paginator(rows.select_related("household"), 50).get_page(request.GET.get("page"))
    explained = [(row, planning.explain(plan, row)) for row in page]
    return render(
        request,
        "supply/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "rows": explained,
            "show": show,
            "can_plan": access.allowed(user, "distribution.plan", plan.site.governorate_id),
            "editable": plan.status in planning.EDITABLE,
            "can_distribute": access.allowed(user, "distribution.record", plan.site.governorate_id),
            "distributed": plan.distributions.count(),
            "entitled": plan.entitlements.count(),
        },
    )


#: What each button of a plan posts, and the action it takes.
PLAN_STEPS = {
    "optimise": "distribution.plan",
    "override": "distribution.plan",
    "approve": "distribution.approve",
    "close": "distribution.approve",
}


@require_POST
@access.requires(PLAN_STEPS)
def plan_action(request, pk, action):
    user = request.user
    plan = _plan(request, pk)
    try:
        if action == "optimise":
            job = planning.start_optimise(user, plan)
            return redirect("jobs:detail", pk=job.pk)
        elif action == "approve":
            planning.approve_plan(user, plan)
            messages.success(request, _("Plan approved: the selected households are entitled."))
        elif action == "close":
            planning.close_plan(user, plan)
            messages.success(request, _("Plan closed."))
        elif action == "override":
            form = forms.OverrideForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a household and a decision."))
            row = plan.candidates.filter(household_id=form.cleaned_data["household"]).first()
            if row is None:
                raise ValidationError(_("This household is not among the plan's households."))
            planning.override_household(
                user,
                plan,
                row.household,
                form.cleaned_data["direction"],
                form.cleaned_data["reason"],
            )
            messages.success(request, _("Override recorded; the plan was optimised again."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, one_line(exc))
    return redirect("supply:plan-detail", plan.pk)


def _record_posted(
    user, plan: DistributionPlan, household_id: str | None, form: forms.ScanForm
) -> None:
    """Record the household ticked on the list, else the registration number scanned or
    typed in ``form``; raises ``ValidationError`` with what to fix."""
    if household_id:
        entitlement = plan.entitlements.filter(household_id=household_id).first()
        if entitlement is None:
            raise ValidationError(_("This household is not on the list of this plan."))
        dist_service.record_distribution(user, plan, entitlement.household)
        return
    if not form.is_valid():
        raise ValidationError(_("Type or scan the registration number."))
    dist_service.record_by_reference(user, plan, form.cleaned_data["reference"])


def _list_rows(user, plan: DistributionPlan, page) -> tuple[list[dict], bool]:
    """The page's entitlements with who was served when, and the head of household's
    name for users with the personal-data permission (each showing logged)."""
    ids = [e.household_id for e in page]
    served = dict(
        Distribution.objects.filter(plan=plan, household_id__in=ids).values_list(
            "household_id", "distributed_at"
        )
    )
    personal = access.can_view_personal_data(user)
    heads = {}
    if personal and ids:
        heads = {
            m.household_id: m for m in Member.objects.filter(household_id__in=ids, is_head=True)
        }
        log_access(
            user, Household, ids, "view", purpose=f"distribution list of plan {plan.pk} at the site"
        )
    rows = [
        {"e": e, "head": heads.get(e.household_id), "served": served.get(e.household_id)}
        for e in page
    ]
    return rows, personal


@access.requires("distribution.record")
def distribute(request, pk):
    """Scan or type a registration number, or tick a household on the list."""
    user = request.user
    plan = _plan(request, pk)
    access.check(user, "distribution.record", plan.site.governorate_id)
    form = forms.ScanForm()
    if request.method == "POST":
        household_id = request.POST.get("household")
        if not household_id:
            form = forms.ScanForm(request.POST)
        try:
            _record_posted(user, plan, household_id, form)
        except ValidationError as exc:
            messages.error(request, one_line(exc))
        else:
            messages.success(
                request, _("Recorded: %(item)s handed over.") % {"item": plan.item.name}
            )
            return redirect("supply:plan-distribute", plan.pk)
    entitlements = plan.entitlements.select_related("household").order_by(
        "household__household_ref"
    )
    page = Paginator(entitlements, 100).get_page(request.GET.get("page"))
    rows, personal = _list_rows(user, plan, page)
    return render(
        request,
        "supply/distribute.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "rows": rows,
            "personal": personal,
            "done": plan.distributions.count(),
            "total": plan.entitlements.count(),
        },
    )


@access.writes_nothing("the list is printed after its purpose is posted")
def distribution_print(request, pk):
    """The printable list (HTML or PDF) with names, documents and a signature column."""
    user = request.user
    plan = _plan(request, pk)
    access.check(user, "distribution.record", plan.site.governorate_id)
    access.require_personal_data(user)
    form = forms.PurposeForm(request.POST or None)
    fmt = request.POST.get("format", "html")
    if request.method == "POST" and form.is_valid():
        rows = dist_service.distribution_list(user, plan, purpose=form.cleaned_data["purpose"])
        if fmt == "pdf":
            from amina.supply.pdf import distribution_list_pdf

            response = HttpResponse(
                distribution_list_pdf(plan, rows, request.LANGUAGE_CODE),
                content_type="application/pdf",
            )
            response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-list.pdf"'
            return response
        return render(
            request, "supply/print_list.html", {"plan": plan, "rows": rows, "standalone": True}
        )
    return render(
        request,
        "supply/export_form.html",
        {
            "form": form,
            "title": _("Print the distribution list"),
            "plan": plan,
            "formats": [("html", _("Web page")), ("pdf", "PDF")],
        },
    )


def distribution_list(request):
    user = request.user
    qs = access.scoped(user, Distribution).select_related(
        "household", "item", "site", "plan", "recorded_by"
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supply/distribution_list.html", {"page": page})
