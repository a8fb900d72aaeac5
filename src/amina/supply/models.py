"""Supply: the item catalogue, warehouses, the stock ledger and waybills.

The ledger (``StockMovement``) is append-only: a row is never updated or deleted, a
mistake is corrected by a reversing entry. ``StockBalance`` is the ledger summed per
warehouse and item, maintained in the same transaction as each entry, and its CHECK
(quantity >= 0) makes "stock never goes negative" a database invariant that also holds
when several officers dispatch the same stock at once. Distribution plans and
distributions live in ``amina.supply.plan_models`` (they need the household registry).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised


class AppendOnlyError(ValidationError):
    """Raised when code tries to change or delete a ledger entry."""


class Item(models.Model):
    """A catalogue item (blanket, hygiene kit, tent …); a kit lists its components."""

    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        KIT = "kit", _("kit")
        SET = "set", _("set")
        BOX = "box", _("box")
        LITRE = "litre", _("litre")
        KG = "kg", _("kilogram")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=120, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=9, decimal_places=3)
    volume_m3 = models.DecimalField(_("volume (m³)"), max_digits=9, decimal_places=4)
    is_kit = models.BooleanField(_("kit"), default=False)
    low_stock_level = models.PositiveIntegerField(
        _("low-stock level"),
        default=0,
        help_text=_("Warehouse managers are alerted when a balance falls below this."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(name="item_weight_positive", condition=Q(weight_kg__gt=0)),
            models.CheckConstraint(name="item_volume_positive", condition=Q(volume_m3__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name  # a code is not a name: pages show the code apart where needed

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)


class KitComponent(models.Model):
    kit = models.ForeignKey(Item, models.CASCADE, related_name="components", verbose_name=_("kit"))
    component = models.ForeignKey(
        Item, models.PROTECT, related_name="in_kits", verbose_name=_("component")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["kit", "component"]
        verbose_name = _("kit component")
        verbose_name_plural = _("kit components")
        constraints = [
            models.UniqueConstraint(fields=["kit", "component"], name="kit_component_once"),
            models.CheckConstraint(name="kit_component_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(
                name="kit_not_own_component", condition=~Q(kit=models.F("component"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.component.code}"


class Warehouse(models.Model):
    """A main warehouse, a governorate hub or a distribution site.

    Scope follows the governorate: logistics users act on the warehouses of their
    governorates (``amina.accounts.access``); ``managers`` are the people answerable for
    the warehouse and receive its low-stock alerts.
    """

    class Kind(models.TextChoices):
        MAIN = "main", _("main warehouse")
        HUB = "hub", _("hub")
        SITE = "site", _("distribution site")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_ar = models.CharField(_("name (Arabic)"), max_length=160)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=160, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    governorate = models.ForeignKey(
        "geo.Governorate", models.PROTECT, related_name="warehouses", verbose_name=_("governorate")
    )
    location = models.ForeignKey(
        "geo.Location",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="warehouses",
        verbose_name=_("location"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_warehouses",
        verbose_name=_("managers"),
    )
    capacity_m3 = models.DecimalField(
        _("storage capacity (m³)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    scope_field = "governorate"

    class Meta:
        ordering = ["governorate__pcode", "kind", "code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")

    def __str__(self) -> str:
        return self.name  # a code is not a name: pages show the code apart where needed

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)


class Waybill(models.Model):
    """A consignment from one warehouse to another: planned → dispatched → received → closed."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DISPATCHED = "dispatched", _("dispatched")
        RECEIVED = "received", _("received")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("waybill number"), max_length=30, unique=True)
    origin = models.ForeignKey(
        Warehouse, models.PROTECT, related_name="waybills_out", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Warehouse, models.PROTECT, related_name="waybills_in", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    transporter = models.CharField(_("transporter"), max_length=120, blank=True)
    vehicle = models.CharField(_("vehicle"), max_length=60, blank=True)
    driver = models.CharField(_("driver"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    planned_at = models.DateTimeField(_("planned"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )

    # Seen by the users of either end: both governorates follow the consignment.
    scope_field = "origin__governorate"

    class Meta:
        ordering = ["-planned_at", "-pk"]
        verbose_name = _("waybill")
        verbose_name_plural = _("waybills")
        constraints = [
            models.CheckConstraint(
                name="waybill_two_warehouses", condition=~Q(origin=models.F("destination"))
            ),
            models.CheckConstraint(
                name="waybill_dates_follow_status",
                condition=(
                    (Q(status="planned") | Q(status="cancelled") | Q(dispatched_at__isnull=False))
                    & (~Q(status__in=["received", "closed"]) | Q(received_at__isnull=False))
                    & (~Q(status="closed") | Q(closed_at__isnull=False))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def lead_time(self):
        """Dispatch to receipt: how long the goods were on the road."""
        if self.dispatched_at and self.received_at:
            return self.received_at - self.dispatched_at
        return None

    @property
    def total_lead_time(self):
        """Planning to receipt: how long the destination waited."""
        if self.received_at:
            return self.received_at - self.planned_at
        return None


class WaybillLine(models.Model):
    waybill = models.ForeignKey(
        Waybill, models.CASCADE, related_name="lines", verbose_name=_("waybill")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity dispatched"))
    quantity_received = models.PositiveIntegerField(
        _("quantity received in good condition"), null=True, blank=True
    )
    quantity_damaged = models.PositiveIntegerField(_("quantity damaged"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        ordering = ["waybill", "item__code"]
        verbose_name = _("waybill line")
        verbose_name_plural = _("waybill lines")
        constraints = [
            models.UniqueConstraint(fields=["waybill", "item"], name="waybill_item_once"),
            models.CheckConstraint(name="waybill_line_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(
                name="waybill_line_received_within_dispatched",
                condition=Q(quantity_received__isnull=True)
                | Q(
                    quantity__gte=models.F("quantity_received")
                    + models.functions.Coalesce("quantity_damaged", 0)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item_id}"

    @property
    def shortfall(self) -> int | None:
        """Dispatched but neither received nor reported damaged: lost on the road."""
        if self.quantity_received is None:
            return None
        return self.quantity - self.quantity_received - (self.quantity_damaged or 0)


class StockMovement(models.Model):
    """One entry of the append-only stock ledger: a signed quantity at a warehouse.

    Receipts, receipts of a dispatch and positive adjustments add stock; dispatches,
    distributions, losses and negative adjustments take it away; a reversal undoes exactly
    one earlier entry (at most once, a unique key) and is the only way to correct one.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        DISPATCH = "dispatch", _("dispatch")
        DISPATCH_RECEIPT = "dispatch_receipt", _("receipt of a dispatch")
        DISTRIBUTION = "distribution", _("distribution")
        LOSS = "loss", _("loss or damage")
        ADJUSTMENT = "adjustment", _("adjustment after a count")
        REVERSAL = "reversal", _("reversal")

    INCOMING = frozenset({Kind.RECEIPT, Kind.DISPATCH_RECEIPT})
    OUTGOING = frozenset({Kind.DISPATCH, Kind.DISTRIBUTION, Kind.LOSS})

    warehouse = models.ForeignKey(
        Warehouse, models.PROTECT, related_name="movements", verbose_name=_("warehouse")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="movements", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive in, negative out."))
    donor = models.CharField(_("donor"), max_length=160, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    waybill = models.ForeignKey(
        Waybill,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("waybill"),
    )
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    scope_field = "warehouse__governorate"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["warehouse", "item"])]
        constraints = [
            models.CheckConstraint(name="movement_not_zero", condition=~Q(quantity=0)),
            models.CheckConstraint(
                name="movement_sign_follows_kind",
                condition=(
                    (Q(kind__in=["receipt", "dispatch_receipt"]) & Q(quantity__gt=0))
                    | (Q(kind__in=["dispatch", "distribution", "loss"]) & Q(quantity__lt=0))
                    | Q(kind__in=["adjustment", "reversal"])
                ),
            ),
            models.CheckConstraint(
                name="movement_reversal_points_back",
                condition=(Q(kind="reversal") & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
            ),
            models.CheckConstraint(
                name="movement_dispatch_has_waybill",
                condition=~Q(kind__in=["dispatch", "dispatch_receipt"]) | Q(waybill__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} {self.item_id}@{self.warehouse_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("Stock movements are never changed: record a reversal."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Stock movements are never deleted: record a reversal."))


class StockBalance(models.Model):
    """The ledger summed per warehouse and item, kept in the same transaction as each entry."""

    warehouse = models.ForeignKey(
        Warehouse, models.PROTECT, related_name="balances", verbose_name=_("warehouse")
    )
    item = models.ForeignKey(Item, models.PROTECT, related_name="balances", verbose_name=_("item"))
    quantity = models.IntegerField(_("on hand"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_field = "warehouse__governorate"

    class Meta:
        ordering = ["warehouse", "item"]
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item"], name="balance_once"),
            models.CheckConstraint(name="balance_never_negative", condition=Q(quantity__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.warehouse_id}: {self.quantity}"


from amina.supply.plan_models import *  # noqa: E402, F403  (plans need the registry app)
