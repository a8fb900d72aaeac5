"""Distribution plans: choose a site, an item and eligible households; the optimiser
proposes who receives; planners override with a reason; approval grants entitlements.

Eligibility is decided here (status, minimum score, what the household — or any family
confirmed as its duplicate — already received or was entitled to in the period); the
choice among the eligible is the optimiser's (``amina.supply.optimiser``). Every
candidate keeps a reason code and the plan keeps the figures (cut-off score, stock,
capacity) that make the reason a sentence (``explain``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change
from amina.jobs.services import start_job
from amina.lib.i18n import Message
from amina.registry.models import Household
from amina.registry.queries import duplicate_group
from amina.supply.models import (
    Distribution,
    DistributionPlan,
    Entitlement,
    Item,
    PlanHousehold,
    Warehouse,
)
from amina.supply.optimiser import Problem, solve
from amina.supply.services.ledger import balance_of

Reason = PlanHousehold.Reason
Status = DistributionPlan.Status
EDITABLE = (Status.DRAFT, Status.OPTIMISED, Status.INFEASIBLE)
#: The background job that optimises a plan (``amina.supply.jobs``).
OPTIMISE_JOB = "supply-plan"
Progress = Callable[[int, int | None, str], None]


@transaction.atomic
def create_plan(
    user,
    *,
    name: str,
    site: Warehouse,
    item: Item,
    period: str,
    need_identified_on: datetime.date | None = None,
    locations=(),
    min_score: int = 0,
    priority_floor: int | None = None,
    capacity_kg: Decimal | float | None = None,
    capacity_m3: Decimal | float | None = None,
) -> DistributionPlan:
    """A draft plan; nothing is decided until it is optimised."""
    access.check(user, "distribution.plan", site.governorate_id)
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the plan a name.")
    if not period.strip():
        errors["period"] = _("Name the entitlement period, for example 2015-winter.")
    for field, value in (("capacity_kg", capacity_kg), ("capacity_m3", capacity_m3)):
        if value is not None and value <= 0:
            errors[field] = _("A transport capacity must be greater than zero.")
    locations = list(locations)
    if any(loc.governorate_id != site.governorate_id for loc in locations):
        errors["locations"] = _("Choose locations in the site's governorate.")
    if errors:
        raise ValidationError(errors)
    plan = DistributionPlan.objects.create(
        name=name.strip(),
        site=site,
        item=item,
        period=period.strip(),
        need_identified_on=need_identified_on or timezone.localdate(),
        min_score=min_score,
        priority_floor=priority_floor,
        capacity_kg=capacity_kg,
        capacity_m3=capacity_m3,
        created_by=user,
    )
    plan.locations.set(locations)
    record_change(
        user,
        plan,
        "create",
        {"site": [None, site.code], "item": [None, item.code], "period": [None, plan.period]},
    )
    return plan


def eligible_households(plan: DistributionPlan):
    """Open, unmerged households of the plan's locations (or of the site's governorate)."""
    qs = Household.objects.filter(
        status=Household.Status.OPEN,
        merged_into__isnull=True,
        governorate_id=plan.site.governorate_id,
    )
    location_ids = list(plan.locations.values_list("pk", flat=True))
    if location_ids:
        qs = qs.filter(location_id__in=location_ids)
    return qs


def _already(plan: DistributionPlan, ids: list[int]) -> dict[int, str]:
    """Households excluded by history: received, a duplicate received, entitled elsewhere."""
    groups = duplicate_group(ids)
    everyone = set().union(*groups.values()) if groups else set()
    received = set(
        Distribution.objects.filter(
            household_id__in=everyone,
            item=plan.item,
            period=plan.period,
        ).values_list("household_id", flat=True)
    )
    entitled = set(
        Entitlement.objects.filter(
            household_id__in=everyone,
            item=plan.item,
            period=plan.period,
        )
        .exclude(plan=plan)
        .values_list("household_id", flat=True)
    )
    out = {}
    for pk in ids:
        group = groups.get(pk, {pk})
        if pk in received:
            out[pk] = Reason.RECEIVED
        elif group & received:
            out[pk] = Reason.DUPLICATE
        elif group & entitled:
            out[pk] = Reason.ENTITLED
    return out


def start_optimise(user, plan: DistributionPlan):
    """Queue the optimisation as a background job (its page shows a progress bar) after
    the same checks the optimisation itself makes, so a refusal is immediate."""
    access.check(user, "distribution.plan", plan.site.governorate_id)
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("An approved or closed plan cannot be changed."), code="not_editable"
        )
    return start_job(
        OPTIMISE_JOB,
        {"plan": plan.pk, "language": get_language()},
        user,
        label=Message(gettext_noop("Optimise the plan %(name)s"), name=plan.name),
        governorate=plan.site.governorate,
    )


def _plan_to_optimise(user, plan: DistributionPlan) -> DistributionPlan:
    """The plan, locked for the optimisation, once the user may change it."""
    plan = (
        DistributionPlan.objects.select_for_update().select_related("site", "item").get(pk=plan.pk)
    )
    access.check(user, "distribution.plan", plan.site.governorate_id)
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("An approved or closed plan cannot be changed."), code="not_editable"
        )
    return plan


def _candidate_rows(plan: DistributionPlan) -> tuple[list[PlanHousehold], list[PlanHousehold]]:
    """Every eligible household's row (overrides made earlier carried over), and those of
    them the optimiser chooses among: not excluded by history or the minimum score."""
    overrides = {
        row["household_id"]: row
        for row in plan.candidates.exclude(override="").values(
            "household_id", "override", "override_reason", "overridden_by_id"
        )
    }
    households = list(eligible_households(plan).values_list("pk", "vulnerability_score"))
    history = _already(plan, [pk for pk, _score in households])
    rows: list[PlanHousehold] = []
    candidates: list[PlanHousehold] = []
    for pk, score in households:
        row = PlanHousehold(plan=plan, household_id=pk, score=score)
        if pk in overrides:
            o = overrides[pk]
            row.override, row.override_reason = o["override"], o["override_reason"]
            row.overridden_by_id = o["overridden_by_id"]
        if pk in history:
            # One item per household per period: no override serves a family twice.
            row.eligible, row.reason = False, history[pk]
        elif score < plan.min_score and row.override != "in":
            row.eligible, row.reason = False, Reason.BELOW_MIN
        else:
            candidates.append(row)
        rows.append(row)
    return rows, candidates


def _build_problem(plan: DistributionPlan, candidates: list[PlanHousehold], stock: int) -> Problem:
    """The plan as the optimiser's problem: one site, one item; put in by a planner or at
    the priority floor is forced, taken out by a planner is excluded."""
    item = plan.item
    n = len(candidates)
    floor = plan.priority_floor
    forced = np.asarray(
        [
            r.override == "in" or (floor is not None and r.score >= floor and r.override != "out")
            for r in candidates
        ],
        dtype=bool,
    )
    return Problem(
        household=np.asarray([r.household_id for r in candidates], dtype=np.int64),
        site=np.zeros(n, dtype=np.int64),
        item=np.zeros(n, dtype=np.int64),
        score=np.asarray([r.score for r in candidates], dtype=float),
        stock={(0, 0): stock},
        item_kg=np.asarray([float(item.weight_kg)]),
        item_m3=np.asarray([float(item.volume_m3)]),
        cap_kg={0: float(plan.capacity_kg)} if plan.capacity_kg is not None else {},
        cap_m3={0: float(plan.capacity_m3)} if plan.capacity_m3 is not None else {},
        forced=forced,
        excluded=np.asarray([r.override == "out" for r in candidates], dtype=bool),
        site_labels=[plan.site.code],
        item_labels=[item.code],
    )


def _record_infeasible(plan: DistributionPlan, candidates: list[PlanHousehold], solution) -> None:
    """Nobody is selected; the plan names the binding constraint in words."""
    plan.status = Status.INFEASIBLE
    plan.binding = solution.infeasible.constraint.kind
    plan.infeasible_reason = infeasible_sentence(plan, solution.infeasible)
    plan.selected_count, plan.objective = 0, None
    for row in candidates:
        row.selected, row.reason = False, Reason.PENDING


def _left_out_reason(solution, k: int) -> Reason:
    """The first named constraint that adding candidate ``k`` would break."""
    blocking = [c.kind for c in solution.blocking.get(k, [])]
    return next(
        (Reason(kind) for kind in ("stock", "weight", "volume") if kind in blocking),
        Reason.STOCK,
    )


def _record_selection(
    plan: DistributionPlan, candidates: list[PlanHousehold], forced: np.ndarray, solution
) -> None:
    """Who is in and why (override, priority floor, score), who is out and what blocked
    them; the plan keeps the figures its explanations quote."""
    plan.status = Status.OPTIMISED
    kinds = set()
    for k, row in enumerate(candidates):
        row.selected = bool(solution.selected[k])
        if row.selected:
            row.reason = (
                Reason.OVERRIDE_IN
                if row.override == "in"
                else Reason.PRIORITY
                if forced[k]
                else Reason.SELECTED
            )
        elif row.override == "out":
            row.reason = Reason.OVERRIDE_OUT
        else:
            row.reason = _left_out_reason(solution, k)
            kinds.add(row.reason)
    plan.selected_count = solution.count
    plan.objective = solution.objective
    plan.gap = solution.gap
    plan.cutoff_score = solution.cutoff.get((0, 0))
    plan.binding = next((k for k in ("stock", "weight", "volume") if k in kinds), "")


def _record_solution(plan: DistributionPlan, candidates, problem: Problem, solution, stock: int):
    """The plan's figures reset, then filled from the solution."""
    plan.stock_available = stock
    plan.eligible_count = len(candidates)
    plan.optimised_at = timezone.now()
    plan.cutoff_score = None
    plan.gap = None
    plan.binding = ""
    plan.infeasible_reason = ""
    if solution.status == "infeasible":
        _record_infeasible(plan, candidates, solution)
    else:
        _record_selection(plan, candidates, problem.forced, solution)


def _audit_optimise(user, plan: DistributionPlan, stock: int) -> None:
    record_change(
        user,
        plan,
        "optimise",
        {
            "status": [None, plan.status],
            "selected": [None, plan.selected_count],
            "eligible": [None, plan.eligible_count],
            "stock": [None, stock],
            "binding": [None, plan.binding],
            "gap": [None, plan.gap],
        },
    )


@transaction.atomic
def optimise_plan(
    user, plan: DistributionPlan, progress: Progress | None = None
) -> DistributionPlan:
    """Run the optimiser over the eligible households and store who is in and why.

    Overrides made earlier are kept and applied again. An impossible combination (the
    households that must be served do not fit) marks the plan infeasible with the
    binding constraint in words; nobody is selected then. ``progress(done, total,
    message)`` follows the steps (a background job's progress bar).
    """
    report = progress or (lambda done, total, message: None)
    plan = _plan_to_optimise(user, plan)
    report(0, 4, _("reading the eligible households"))
    rows, candidates = _candidate_rows(plan)
    stock = balance_of(plan.site, plan.item)
    problem = _build_problem(plan, candidates, stock)
    report(1, 4, _("optimising"))
    solution = solve(problem)
    report(2, 4, _("recording who is in and why"))
    _record_solution(plan, candidates, problem, solution, stock)
    plan.candidates.all().delete()
    PlanHousehold.objects.bulk_create(rows, batch_size=2000)
    plan.save()
    report(3, 4, _("recording who is in and why"))
    _audit_optimise(user, plan, stock)
    report(4, 4, "")
    return plan


def infeasible_sentence(plan: DistributionPlan, infeasible) -> str:
    """The binding constraint in words, with what was needed against what there is."""
    if infeasible.conflict:
        return _("A household is both put in and taken out by overrides.")
    c = infeasible.constraint
    values = {
        "needed": f"{infeasible.needed:g}",
        "capacity": f"{c.capacity:g}",
        "item": plan.item.code,
        "site": plan.site.code,
    }
    if c.kind == "stock":
        return (
            _(
                "Stock of %(item)s at %(site)s: the households that must be served need "
                "%(needed)s, only %(capacity)s on hand."
            )
            % values
        )
    if c.kind == "weight":
        return (
            _(
                "Transport weight: the households that must be served need %(needed)s kg, "
                "the trucks carry %(capacity)s kg."
            )
            % values
        )
    if c.kind == "volume":
        return (
            _(
                "Transport volume: the households that must be served need %(needed)s m³, "
                "the trucks carry %(capacity)s m³."
            )
            % values
        )
    return _("Items per household: %(needed)s needed, %(capacity)s allowed.") % values


def explain(plan: DistributionPlan, row: PlanHousehold) -> str:
    """Why this household is in or out of the plan, as one sentence."""
    values = {
        "score": row.score,
        "cutoff": f"{plan.cutoff_score:g}" if plan.cutoff_score is not None else "—",
        "floor": plan.priority_floor,
        "min": plan.min_score,
        "stock": plan.stock_available,
        "kg": plan.capacity_kg,
        "m3": plan.capacity_m3,
        "reason": row.override_reason,
    }
    r = row.reason
    if r == Reason.SELECTED:
        return _("In: score %(score)s, at or above the cut-off score %(cutoff)s.") % values
    if r == Reason.PRIORITY:
        return _("In: score %(score)s is at or above the priority floor %(floor)s.") % values
    if r == Reason.OVERRIDE_IN:
        return _("In: put in by a planner (%(reason)s).") % values
    if r == Reason.OVERRIDE_OUT:
        return _("Out: taken out by a planner (%(reason)s).") % values
    if r == Reason.STOCK:
        return (
            _(
                "Out: score %(score)s is below the cut-off score %(cutoff)s: the stock "
                "(%(stock)s) ran out."
            )
            % values
        )
    if r == Reason.WEIGHT:
        return (
            _(
                "Out: score %(score)s is below the cut-off score %(cutoff)s: the transport "
                "capacity (%(kg)s kg) is full."
            )
            % values
        )
    if r == Reason.VOLUME:
        return (
            _(
                "Out: score %(score)s is below the cut-off score %(cutoff)s: the transport "
                "capacity (%(m3)s m³) is full."
            )
            % values
        )
    if r == Reason.RECEIVED:
        return _("Out: already received this item in the period.")
    if r == Reason.DUPLICATE:
        return _(
            "Out: a household confirmed as its duplicate already received this item in the period."
        )
    if r == Reason.ENTITLED:
        return _("Out: already entitled to this item in the period by another plan.")
    if r == Reason.BELOW_MIN:
        return _("Out: score %(score)s is below the plan's minimum score %(min)s.") % values
    if r == Reason.CLOSED:
        return _("Out: the registration is closed or merged.")
    return _("Not optimised yet.")


@transaction.atomic
def override_household(
    user, plan: DistributionPlan, household: Household, direction: str, reason: str
) -> DistributionPlan:
    """A planner puts a household in or takes it out ("" clears), with a reason; the plan
    is optimised again around the decision and the decision is in the change history."""
    access.check(user, "distribution.plan", plan.site.governorate_id)
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("An approved or closed plan cannot be changed."), code="not_editable"
        )
    if direction not in ("in", "out", ""):
        raise ValidationError({"direction": _("Choose in or out.")})
    if direction and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the override.")})
    row = plan.candidates.filter(household=household).first()
    if row is None:
        raise ValidationError(
            _("This household is not among the plan's households."), code="not_candidate"
        )
    before = [row.override, row.override_reason]
    row.override = direction
    row.override_reason = reason.strip() if direction else ""
    row.overridden_by = user if direction else None
    row.save(update_fields=["override", "override_reason", "overridden_by"])
    record_change(
        user,
        plan,
        "override",
        {"household": [None, household.pk], "override": [before, [direction, row.override_reason]]},
    )
    return optimise_plan(user, plan)


@transaction.atomic
def approve_plan(user, plan: DistributionPlan) -> DistributionPlan:
    """Grant the selected households their entitlement (unique per household, item, period)."""
    plan = DistributionPlan.objects.select_for_update().get(pk=plan.pk)
    access.check(user, "distribution.approve", plan.site.governorate_id)
    if plan.status != Status.OPTIMISED:
        raise ValidationError(_("Only an optimised plan can be approved."), code="not_optimised")
    selected = list(plan.candidates.filter(selected=True).values_list("household_id", flat=True))
    try:
        with transaction.atomic():
            Entitlement.objects.bulk_create(
                [
                    Entitlement(
                        household_id=pk, item_id=plan.item_id, period=plan.period, plan=plan
                    )
                    for pk in selected
                ],
                batch_size=2000,
            )
    except IntegrityError:
        raise ValidationError(
            _("Another plan entitled some of these households meanwhile: optimise the plan again."),
            code="conflict",
        ) from None
    plan.status = Status.APPROVED
    plan.approved_at, plan.approved_by = timezone.now(), user
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    record_change(
        user,
        plan,
        "approve",
        {"status": ["optimised", "approved"], "entitlements": [None, len(selected)]},
    )
    return plan


@transaction.atomic
def close_plan(user, plan: DistributionPlan) -> DistributionPlan:
    access.check(user, "distribution.approve", plan.site.governorate_id)
    if plan.status != Status.APPROVED:
        raise ValidationError(_("Only an approved plan can be closed."), code="not_approved")
    plan.status = Status.CLOSED
    plan.save(update_fields=["status"])
    record_change(user, plan, "close", {"status": ["approved", "closed"]})
    return plan
