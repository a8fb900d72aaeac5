"""Background jobs of supply: optimising a distribution plan, with a progress bar."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from amina.jobs.services import JobError, handler
from amina.lib.i18n import Message, as_data
from amina.supply.services.planning import OPTIMISE_JOB


@handler(
    OPTIMISE_JOB,
    idempotent=True,
    results={
        "status_label": _("Status"),
        "eligible": _("Eligible households"),
        "selected": _("Households selected"),
        "gap_percent": _("Gap to the best possible plan"),
    },
)
def optimise(job, progress) -> dict:
    """Parameters: ``plan`` (its id). Idempotent: the optimisation is one transaction, so
    running it again after a worker died part-way is safe."""
    from amina.supply.models import DistributionPlan
    from amina.supply.services.planning import optimise_plan

    plan = DistributionPlan.objects.filter(pk=job.parameters.get("plan")).first()
    if plan is None:
        raise JobError(Message(gettext_noop("the plan no longer exists")))
    try:
        with translation.override(job.parameters.get("language") or None):
            plan = optimise_plan(job.created_by, plan, progress=progress)
    except (ValidationError, PermissionDenied) as exc:
        raise JobError.from_validation(exc) from None
    return {
        "status": plan.status,
        "status_label": as_data(Message.of(DistributionPlan.Status(plan.status).label)),
        "gap_percent": None if plan.gap is None else f"{plan.gap_percent} %",
        "selected": plan.selected_count,
        "eligible": plan.eligible_count,
        "gap": plan.gap,
        "next_url": reverse("supply:plan-detail", args=[plan.pk]),
    }
