"""Distribution plans, their candidate households, entitlements and distributions.

One kit per household per entitlement period is a database rule twice over: an
``Entitlement`` and a ``Distribution`` are unique per household × item × period. A
family registered twice (a confirmed duplicate) is caught by the services, which look at
the whole duplicate group before they entitle or serve anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Distribution", "DistributionPlan", "Entitlement", "PlanHousehold"]


class DistributionPlan(models.Model):
    """Who at a site receives an item in a period, as proposed by the optimiser."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPTIMISED = "optimised", _("optimised")
        INFEASIBLE = "infeasible", _("infeasible")
        APPROVED = "approved", _("approved")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=160)
    site = models.ForeignKey(
        "supply.Warehouse",
        models.PROTECT,
        related_name="plans",
        verbose_name=_("distribution site"),
    )
    item = models.ForeignKey(
        "supply.Item", models.PROTECT, related_name="plans", verbose_name=_("item or kit")
    )
    period = models.CharField(
        _("entitlement period"),
        max_length=20,
        help_text=_("For example 2015-winter or 2015-09: one item per household per period."),
    )
    locations = models.ManyToManyField(
        "geo.Location", blank=True, related_name="+", verbose_name=_("households living in")
    )
    min_score = models.PositiveSmallIntegerField(_("minimum vulnerability score"), default=0)
    priority_floor = models.PositiveSmallIntegerField(
        _("priority floor"),
        null=True,
        blank=True,
        help_text=_("Every household scoring at least this must be served."),
    )
    capacity_kg = models.DecimalField(
        _("transport capacity (kg)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    capacity_m3 = models.DecimalField(
        _("transport capacity (m³)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    need_identified_on = models.DateField(_("need identified on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    stock_available = models.PositiveIntegerField(
        _("stock available when optimised"), null=True, blank=True
    )
    eligible_count = models.PositiveIntegerField(_("eligible households"), default=0)
    selected_count = models.PositiveIntegerField(_("selected households"), default=0)
    objective = models.FloatField(_("vulnerability-weighted coverage"), null=True, blank=True)
    cutoff_score = models.FloatField(_("cut-off score"), null=True, blank=True)
    gap = models.FloatField(
        _("distance to the optimum"),
        null=True,
        blank=True,
        help_text=_(
            "At most this share of the best possible coverage is missing, as proven by the "
            "optimiser's bound (0 = optimal)."
        ),
    )
    binding = models.CharField(_("binding constraint"), max_length=20, blank=True)
    infeasible_reason = models.TextField(_("why the plan is infeasible"), blank=True)
    optimised_at = models.DateTimeField(_("optimised"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_field = "site__governorate"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("distribution plan")
        verbose_name_plural = _("distribution plans")

    def __str__(self) -> str:
        return self.name

    @property
    def gap_percent(self) -> str:
        """The proven distance to the optimum in percent, to two decimals ("0" if optimal)."""
        if self.gap is None:
            return ""
        percent = round(self.gap * 100, 2)
        return "0" if percent == 0 and self.gap <= 0 else f"{max(percent, 0.01):g}"

    @property
    def binding_label(self) -> str:
        """The constraint that left households out, in the reader's language."""
        labels = dict(PlanHousehold.Reason.choices)
        return labels.get(self.binding, self.binding)


class PlanHousehold(models.Model):
    """One household considered by a plan: in or out, and why (a reason code + figures)."""

    class Reason(models.TextChoices):
        SELECTED = "selected", _("selected")
        PRIORITY = "priority", _("above the priority floor")
        OVERRIDE_IN = "override_in", _("put in by a planner")
        OVERRIDE_OUT = "override_out", _("taken out by a planner")
        STOCK = "stock", _("stock ran out")
        WEIGHT = "weight", _("transport weight reached")
        VOLUME = "volume", _("transport volume reached")
        RECEIVED = "received", _("already received in the period")
        DUPLICATE = "duplicate", _("a confirmed duplicate already received")
        ENTITLED = "entitled", _("already entitled in another plan")
        BELOW_MIN = "below_min", _("below the minimum score")
        CLOSED = "closed", _("registration closed or merged")
        PENDING = "pending", _("not optimised yet")

    plan = models.ForeignKey(
        DistributionPlan, models.CASCADE, related_name="candidates", verbose_name=_("plan")
    )
    household = models.ForeignKey(
        "registry.Household", models.PROTECT, related_name="+", verbose_name=_("household")
    )
    score = models.PositiveSmallIntegerField(_("vulnerability score"))
    eligible = models.BooleanField(_("eligible"), default=True)
    selected = models.BooleanField(_("selected"), default=False)
    reason = models.CharField(
        _("reason"), max_length=14, choices=Reason.choices, default=Reason.PENDING
    )
    override = models.CharField(
        _("override"), max_length=3, blank=True, choices=[("in", _("in")), ("out", _("out"))]
    )
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )

    scope_field = "plan__site__governorate"

    class Meta:
        ordering = ["plan", "-score", "household_id"]
        verbose_name = _("plan household")
        verbose_name_plural = _("plan households")
        constraints = [
            models.UniqueConstraint(fields=["plan", "household"], name="plan_household_once"),
            models.CheckConstraint(
                name="plan_override_has_reason",
                condition=Q(override="") | ~Q(override_reason=""),
            ),
            models.CheckConstraint(
                name="plan_selected_is_eligible", condition=Q(selected=False) | Q(eligible=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.household_id}"


class Entitlement(models.Model):
    """A household's right to one item in one period, granted by an approved plan."""

    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        related_name="entitlements",
        verbose_name=_("household"),
    )
    item = models.ForeignKey(
        "supply.Item", models.PROTECT, related_name="entitlements", verbose_name=_("item")
    )
    period = models.CharField(_("entitlement period"), max_length=20)
    plan = models.ForeignKey(
        DistributionPlan, models.PROTECT, related_name="entitlements", verbose_name=_("plan")
    )
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    scope_field = "household__governorate"

    class Meta:
        ordering = ["plan", "household_id"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "item", "period"], name="entitlement_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.item_id} {self.period}"


class Distribution(models.Model):
    """Proof of delivery: this household received this item, then, there, from this officer."""

    class Method(models.TextChoices):
        LIST = "list", _("ticked on the list")
        SCAN = "scan", _("registration number scanned or typed")

    entitlement = models.OneToOneField(
        Entitlement, models.PROTECT, related_name="distribution", verbose_name=_("entitlement")
    )
    household = models.ForeignKey(
        "registry.Household",
        models.PROTECT,
        related_name="distributions",
        verbose_name=_("household"),
    )
    item = models.ForeignKey(
        "supply.Item", models.PROTECT, related_name="distributions", verbose_name=_("item")
    )
    period = models.CharField(_("entitlement period"), max_length=20)
    plan = models.ForeignKey(
        DistributionPlan, models.PROTECT, related_name="distributions", verbose_name=_("plan")
    )
    site = models.ForeignKey(
        "supply.Warehouse", models.PROTECT, related_name="distributions", verbose_name=_("site")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    method = models.CharField(_("how recorded"), max_length=6, choices=Method.choices)
    movement = models.OneToOneField(
        "supply.StockMovement",
        models.PROTECT,
        related_name="distribution",
        verbose_name=_("ledger entry"),
    )
    distributed_at = models.DateTimeField(_("distributed"), auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    scope_field = "site__governorate"

    class Meta:
        ordering = ["-distributed_at", "-pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "item", "period"], name="distribution_once_per_period"
            ),
            models.CheckConstraint(name="distribution_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.item_id} {self.period}"
