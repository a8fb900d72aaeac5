"""Response plans: list, detail with computed progress, and their objectives and targets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.coordination import queries
from amina.coordination.forms import ObjectiveForm, PlanForm, TargetForm
from amina.coordination.models import ResponsePlan
from amina.coordination.services.plans import add_objective, save_plan, save_target
from amina.coordination.views.common import form_errors


def readable(user):
    return access.scoped(user, ResponsePlan.objects.all(), detail=False, national_records=True)


def _check(user, plan) -> None:
    """Forms are for those who may save them: coordinators, in the plan's scope."""
    if plan is not None:
        access.check(user, "response_plan.manage", plan.governorate)


def plan_list(request):
    plans = readable(request.user).select_related("governorate")
    return render(
        request,
        "coordination/plan_list.html",
        {
            "plans": plans,
            "can_edit": access.allowed(request.user, "response_plan.manage"),
        },
    )


def plan_detail(request, pk):
    from django.shortcuts import get_object_or_404

    plan = get_object_or_404(readable(request.user).select_related("governorate"), pk=pk)
    progress = queries.plan_progress(plan)
    by_target = {p.target.pk: p for p in progress}
    phases = []
    objectives = list(plan.objectives.select_related("phase", "sector"))
    for objective in objectives:
        objective.progress = [by_target[t.pk] for t in objective.targets.all() if t.pk in by_target]
    loose = [p for p in progress if p.target.objective_id is None]
    can_edit = access.allowed(request.user, "response_plan.manage")
    return render(
        request,
        "coordination/plan_detail.html",
        {
            "plan": plan,
            "objectives": objectives,
            "loose": loose,
            "progress": progress,
            "lagging": [p for p in progress if p.lagging],
            "phases": phases,
            "can_edit": can_edit,
            "objective_form": ObjectiveForm() if can_edit else None,
            "target_form": TargetForm(user=request.user, plan=plan) if can_edit else None,
        },
    )


@access.requires("response_plan.manage")
def plan_edit(request, pk=None):
    from django.shortcuts import get_object_or_404

    plan = get_object_or_404(readable(request.user), pk=pk) if pk else None
    _check(request.user, plan)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = save_plan(request.user, form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("coordination:plan-detail", plan.pk)
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": _("Response plan"),
        },
    )


@access.requires("response_plan.manage")
def objective_add(request, pk):
    from django.shortcuts import get_object_or_404

    plan = get_object_or_404(readable(request.user), pk=pk)
    _check(request.user, plan)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_objective(request.user, plan, form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Objective added."))
            return redirect("coordination:plan-detail", plan.pk)
    return render(request, "coordination/form.html", {"form": form, "title": _("Objective")})


@access.requires("response_plan.manage")
def target_add(request, pk):
    from django.shortcuts import get_object_or_404

    plan = get_object_or_404(readable(request.user), pk=pk)
    _check(request.user, plan)
    form = TargetForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            save_target(request.user, plan, form.instance, form.cleaned_data["partners"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Target added."))
            return redirect("coordination:plan-detail", plan.pk)
    return render(request, "coordination/form.html", {"form": form, "title": _("Target")})
