"""Proof of delivery: a household receives its entitlement, and the ledger moves with it.

Before anything is handed over, the whole duplicate group of the household (families
confirmed as the same, ``registry.queries.duplicate_group``) is checked: a family
registered twice is served once per period. The distribution entry in the ledger and
the ``Distribution`` row are written in one transaction; the unique key per household,
item and period refuses a second hand-over even if two officers tick the same name at
the same moment.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access, record_change
from amina.lib.arabic import to_western_digits
from amina.registry.models import Household, Member
from amina.registry.queries import duplicate_group
from amina.supply.models import Distribution, DistributionPlan, Entitlement, StockMovement
from amina.supply.services.ledger import post


class DistributionRefused(ValidationError):
    """The hand-over is stopped; the message says why (never a name or document)."""


def find_household(plan: DistributionPlan, reference: str) -> Household:
    ref = to_western_digits(reference or "").strip().upper()
    if not ref:
        raise DistributionRefused(_("Type or scan the registration number."), code="empty")
    # Only households of the site's governorate: a number from elsewhere reveals nothing.
    household = Household.objects.filter(
        household_ref__iexact=ref, governorate_id=plan.site.governorate_id
    ).first()
    if household is None:
        raise DistributionRefused(_("No household has this registration number."), code="unknown")
    return household


def refusal(plan: DistributionPlan, household: Household) -> str | None:
    """Why this household may not receive the plan's item now, or None."""
    group = duplicate_group([household.pk]).get(household.pk, {household.pk})
    earlier = (
        Distribution.objects.filter(household_id__in=group, item=plan.item, period=plan.period)
        .select_related("site", "household")
        .first()
    )
    if earlier is not None:
        values = {
            "item": plan.item.name,
            "date": date_format(earlier.distributed_at.date()),
            "site": earlier.site.name,
            "ref": earlier.household.household_ref,
        }
        if earlier.household_id == household.pk:
            return _("Already received %(item)s in this period, on %(date)s at %(site)s.") % values
        return (
            _(
                "Its confirmed duplicate %(ref)s already received %(item)s in this period, on "
                "%(date)s at %(site)s."
            )
            % values
        )
    if household.status != Household.Status.OPEN:
        return _("This registration is closed.")
    if household.merged_into_id:
        return _("This registration was merged into %(ref)s: serve that household.") % {
            "ref": household.merged_into.household_ref
        }
    if not Entitlement.objects.filter(plan=plan, household=household).exists():
        return _("This household is not on the list of this plan.")
    return None


@transaction.atomic
def record_distribution(
    user, plan: DistributionPlan, household: Household, *, method: str = Distribution.Method.LIST
) -> Distribution:
    """Hand over the plan's item to an entitled household and take it from the site's stock."""
    plan = DistributionPlan.objects.select_related("site", "item").get(pk=plan.pk)
    access.check(user, "distribution.record", plan.site.governorate_id)
    if plan.status != DistributionPlan.Status.APPROVED:
        raise DistributionRefused(
            _("Distributions are recorded against an approved plan."), code="not_approved"
        )
    reason = refusal(plan, household)
    if reason:
        raise DistributionRefused(reason, code="refused")
    entitlement = Entitlement.objects.get(plan=plan, household=household)
    movement = post(
        user,
        warehouse=plan.site,
        item=plan.item,
        kind=StockMovement.Kind.DISTRIBUTION,
        quantity=-1,
        reference=household.household_ref,
        audit=False,
    )
    try:
        with transaction.atomic():
            distribution = Distribution.objects.create(
                entitlement=entitlement,
                household=household,
                item=plan.item,
                period=plan.period,
                plan=plan,
                site=plan.site,
                quantity=1,
                method=method,
                movement=movement,
                recorded_by=user,
            )
    except IntegrityError:
        raise DistributionRefused(
            _("Already received %(item)s in this period.") % {"item": plan.item.code},
            code="refused",
        ) from None
    record_change(
        user,
        distribution,
        "create",
        {"plan": [None, plan.pk], "household": [None, household.pk]},
        label=f"distribution {plan.item.code} {plan.period}",
    )
    return distribution


def record_by_reference(user, plan: DistributionPlan, reference: str) -> Distribution:
    """Scan or type the registration number (household_ref)."""
    return record_distribution(
        user, plan, find_household(plan, reference), method=Distribution.Method.SCAN
    )


def distribution_list(
    user, plan: DistributionPlan, *, purpose: str, channel: str = "web"
) -> list[dict]:
    """The list to tick off at the site: names and documents, so the permission and the
    purpose are required and the read is logged."""
    access.check(user, "distribution.record", plan.site.governorate_id)
    access.require_personal_data(user)
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say why you need the list with names.")})
    entitlements = list(
        plan.entitlements.select_related("household").order_by("household__household_ref")
    )
    ids = [e.household_id for e in entitlements]
    heads = {m.household_id: m for m in Member.objects.filter(household_id__in=ids, is_head=True)}
    served = dict(
        Distribution.objects.filter(plan=plan).values_list("household_id", "distributed_at")
    )
    log_access(user, Household, ids, "view", purpose=purpose.strip(), channel=channel)
    rows = []
    for n, e in enumerate(entitlements, start=1):
        head = heads.get(e.household_id)
        rows.append(
            {
                "n": n,
                "household_id": e.household_id,
                "ref": e.household.household_ref,
                "name_ar": head.full_name_ar if head else "",
                "name_latin": head.name_latin if head else "",
                "document": head.document_number if head else "",
                "size": e.household.size,
                "score": e.household.vulnerability_score,
                "received_at": served.get(e.household_id),
            }
        )
    return rows
