"""Keeping response plans: the plan, its objectives by MCOF phase and sector, its targets."""

from __future__ import annotations

from django.db import transaction

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.coordination.models import Objective, ResponsePlan, Target


@transaction.atomic
def save_plan(user, plan: ResponsePlan) -> ResponsePlan:
    """A national plan (no governorate) needs national scope; a governorate's, that one."""
    creating = plan.pk is None
    before = {} if creating else snapshot(ResponsePlan.objects.get(pk=plan.pk))
    if not creating:
        stored = ResponsePlan.objects.get(pk=plan.pk)
        access.check(user, "response_plan.manage", stored.governorate)
    access.check(user, "response_plan.manage", plan.governorate)
    if creating and getattr(user, "pk", None):
        plan.created_by = user
    plan.full_clean()
    plan.save()
    record_change(user, plan, "create" if creating else "update", diff(before, snapshot(plan)))
    return plan


@transaction.atomic
def add_objective(user, plan: ResponsePlan, objective: Objective) -> Objective:
    access.check(user, "response_plan.manage", plan.governorate)
    objective.plan = plan
    objective.full_clean()
    objective.save()
    record_change(user, objective, "create", snapshot(objective))
    return objective


@transaction.atomic
def save_target(user, plan: ResponsePlan, target: Target, partners=None) -> Target:
    """A governorate plan's targets stay in its governorate; a national plan's may be anywhere
    (the user must still have scope over the target's governorate)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    access.check(user, "response_plan.manage", plan.governorate)
    access.check(user, "response_plan.manage", target.governorate)
    target.plan = plan
    if plan.governorate_id and target.governorate_id != plan.governorate_id:
        raise ValidationError(
            {"governorate": _("A governorate plan sets targets in its own governorate only.")}
        )
    if target.objective_id and target.objective.plan_id != plan.pk:
        raise ValidationError({"objective": _("This objective belongs to another plan.")})
    creating = target.pk is None
    before = {} if creating else snapshot(Target.objects.get(pk=target.pk))
    target.full_clean()
    target.save()
    if partners is not None:
        target.partners.set(partners)
    record_change(user, target, "create" if creating else "update", diff(before, snapshot(target)))
    return target
