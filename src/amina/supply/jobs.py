"""Background jobs of supply: optimising a distribution plan, with a progress bar."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from amina.jobs.services import JobError, handler
from amina.lib.commands import one_line
from amina.supply.services.planning import OPTIMISE_JOB


@handler(OPTIMISE_JOB, idempotent=True)
def optimise(job, progress) -> dict:
    """Parameters: ``plan`` (its id). Idempotent: the optimisation is one transaction, so
    running it again after a worker died part-way is safe."""
    from amina.supply.models import DistributionPlan
    from amina.supply.services.planning import optimise_plan

    plan = DistributionPlan.objects.filter(pk=job.parameters.get("plan")).first()
    if plan is None:
        raise JobError("the plan no longer exists")
    try:
        with translation.override(job.parameters.get("language") or None):
            plan = optimise_plan(job.created_by, plan, progress=progress)
    except (ValidationError, PermissionDenied) as exc:
        raise JobError(one_line(exc)) from None
    return {
        "status": plan.status,
        "selected": plan.selected_count,
        "eligible": plan.eligible_count,
        "gap": plan.gap,
        "next_url": reverse("supply:plan-detail", args=[plan.pk]),
    }
