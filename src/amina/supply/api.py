"""Supply API: catalogue, warehouses, ledger, balances, waybills, plans, distributions.

Reads pass through the access policy exactly as the pages do; writes call the same
services (a refused write answers 400 with the reason, or 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from amina.accounts import access
from amina.core.api import ScopedReadOnlyViewSet, router
from amina.supply import services
from amina.supply.models import (
    Distribution,
    DistributionPlan,
    Item,
    PlanHousehold,
    StockBalance,
    StockMovement,
    Warehouse,
    Waybill,
    WaybillLine,
)
from amina.supply.services import distributions as dist_service
from amina.supply.services import planning
from amina.supply.services.waybills import visible_waybills


def _call(func, *args, **kwargs):
    """Run a service; its refusals become API errors (400 with the reason, or 403)."""
    try:
        return func(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied() from exc
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise DRFValidationError(detail) from exc


class KitComponentSerializer(serializers.Serializer):
    component = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.IntegerField(min_value=1)


class ItemSerializer(serializers.ModelSerializer):
    components = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "name_en",
            "name_ar",
            "unit",
            "weight_kg",
            "volume_m3",
            "is_kit",
            "low_stock_level",
            "active",
            "components",
        ]

    def get_components(self, item) -> list[dict]:
        return [
            {"component": c.component.code, "quantity": c.quantity} for c in item.components.all()
        ]


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: read by every role that sees detail; written by logistics and admins.
    Send ``components`` as ``[{"component": code, "quantity": n}]`` for a kit."""

    serializer_class = ItemSerializer
    required_actions = dict.fromkeys(("create", "update", "partial_update"), "item.manage")
    lookup_field = "code"

    def get_queryset(self):
        if not access.sees_detail(self.request.user):
            return Item.objects.none()
        return Item.objects.prefetch_related("components__component")

    def _save(self, serializer):
        components = self.request.data.get("components")
        parsed = None
        if components is not None:
            many = KitComponentSerializer(data=components, many=True)
            many.is_valid(raise_exception=True)
            parsed = [(c["component"], c["quantity"]) for c in many.validated_data]
        item = (
            Item(**serializer.validated_data)
            if serializer.instance is None
            else serializer.instance
        )
        for key, value in serializer.validated_data.items():
            setattr(item, key, value)
        serializer.instance = _call(services.save_item, self.request.user, item, parsed)

    perform_create = _save
    perform_update = _save


class WarehouseSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(slug_field="pcode", read_only=True)
    managers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "code",
            "name_en",
            "name_ar",
            "kind",
            "governorate",
            "location",
            "capacity_m3",
            "managers",
            "active",
        ]


class WarehouseViewSet(ScopedReadOnlyViewSet):
    serializer_class = WarehouseSerializer
    queryset = Warehouse.objects.select_related("governorate").prefetch_related("managers")


class MovementSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    waybill = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "warehouse",
            "item",
            "kind",
            "quantity",
            "donor",
            "reference",
            "reason",
            "waybill",
            "reverses",
            "created_by",
            "created_at",
        ]


class MovementInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["receipt", "loss", "adjustment"])
    warehouse = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.IntegerField(
        help_text="receipt/loss: how many (positive); adjustment: the quantity counted"
    )
    donor = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MovementViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """The ledger. POST records a receipt, a loss or an adjustment after a count;
    POST ``{id}/reverse/`` with a ``reason`` reverses an entry. Nothing is ever edited."""

    serializer_class = MovementSerializer
    required_actions = {"create": "stock.move", "reverse": "stock.move"}
    queryset = StockMovement.objects.select_related("warehouse", "item", "created_by", "waybill")

    def get_serializer_class(self):
        return MovementInput if self.action == "create" else MovementSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if code := params.get("warehouse"):
            qs = qs.filter(warehouse__code=code)
        if code := params.get("item"):
            qs = qs.filter(item__code=code)
        if kind := params.get("kind"):
            qs = qs.filter(kind=kind)
        return qs

    def create(self, request, *args, **kwargs):
        data = MovementInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user, warehouse = request.user, d["warehouse"]
        if not access.scoped(user, Warehouse).filter(pk=warehouse.pk).exists():
            raise PermissionDenied()
        if d["kind"] == "receipt":
            movement = _call(
                services.record_receipt,
                user,
                warehouse,
                d["item"],
                d["quantity"],
                donor=d["donor"],
                reference=d["reference"],
                reason=d["reason"],
            )
        elif d["kind"] == "loss":
            movement = _call(
                services.record_loss, user, warehouse, d["item"], d["quantity"], reason=d["reason"]
            )
        else:
            movement = _call(
                services.adjust_after_count,
                user,
                warehouse,
                d["item"],
                d["quantity"],
                reason=d["reason"],
            )
            if movement is None:
                return Response(
                    {"detail": "the count matches the balance; nothing recorded"},
                    status=status.HTTP_200_OK,
                )
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        movement = self.get_object()
        reversal = _call(
            services.reverse_movement,
            request.user,
            movement,
            reason=str(request.data.get("reason", "")),
        )
        return Response(MovementSerializer(reversal).data, status=status.HTTP_201_CREATED)


class BalanceSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    governorate = serializers.CharField(source="warehouse.governorate.pcode", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = StockBalance
        fields = ["id", "warehouse", "governorate", "item", "quantity", "updated_at"]


class BalanceViewSet(ScopedReadOnlyViewSet):
    serializer_class = BalanceSerializer
    queryset = StockBalance.objects.select_related("warehouse__governorate", "item")

    def get_queryset(self):
        qs = super().get_queryset()
        if code := self.request.query_params.get("warehouse"):
            qs = qs.filter(warehouse__code=code)
        if code := self.request.query_params.get("item"):
            qs = qs.filter(item__code=code)
        return qs


class WaybillLineSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WaybillLine
        fields = [
            "id",
            "item",
            "quantity",
            "quantity_received",
            "quantity_damaged",
            "shortfall",
            "remark",
        ]


class WaybillSerializer(serializers.ModelSerializer):
    origin = serializers.SlugRelatedField(slug_field="code", read_only=True)
    destination = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = WaybillLineSerializer(many=True, read_only=True)
    lead_time_hours = serializers.SerializerMethodField()

    class Meta:
        model = Waybill
        fields = [
            "id",
            "number",
            "origin",
            "destination",
            "status",
            "transporter",
            "vehicle",
            "driver",
            "notes",
            "planned_at",
            "dispatched_at",
            "received_at",
            "closed_at",
            "lead_time_hours",
            "lines",
        ]

    def get_lead_time_hours(self, waybill) -> float | None:
        lead = waybill.lead_time
        return round(lead.total_seconds() / 3600, 1) if lead else None


class LineInput(serializers.Serializer):
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.IntegerField(min_value=1)


class WaybillInput(serializers.Serializer):
    origin = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())
    destination = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())
    lines = LineInput(many=True)
    transporter = serializers.CharField(required=False, allow_blank=True, default="")
    vehicle = serializers.CharField(required=False, allow_blank=True, default="")
    driver = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReceivedInput(serializers.Serializer):
    line = serializers.IntegerField()
    received = serializers.IntegerField(min_value=0)
    damaged = serializers.IntegerField(min_value=0, default=0)
    remark = serializers.CharField(required=False, allow_blank=True, default="")


class WaybillViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Waybills of both ends' governorates. POST plans one; ``{id}/dispatch/``,
    ``{id}/receive/`` (``{"lines": [{"line", "received", "damaged"}]}``; a line left out
    arrived in full), ``{id}/close/``, ``{id}/cancel/`` move it along."""

    serializer_class = WaybillSerializer
    required_actions = {
        "create": "waybill.dispatch",
        "dispatch_goods": "waybill.dispatch",
        "cancel": "waybill.dispatch",
        "receive": "waybill.receive",
        "close": "waybill.receive",
    }

    def get_queryset(self):
        qs = visible_waybills(self.request.user).select_related("origin", "destination")
        if s := self.request.query_params.get("status"):
            qs = qs.filter(status=s)
        return qs.prefetch_related("lines__item")

    def get_serializer_class(self):
        return WaybillInput if self.action == "create" else WaybillSerializer

    def create(self, request, *args, **kwargs):
        data = WaybillInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if not access.scoped(request.user, Warehouse).filter(pk=d["origin"].pk).exists():
            raise PermissionDenied()
        waybill = _call(
            services.plan_waybill,
            request.user,
            d["origin"],
            d["destination"],
            [(line["item"], line["quantity"]) for line in d["lines"]],
            transporter=d["transporter"],
            vehicle=d["vehicle"],
            driver=d["driver"],
            notes=d["notes"],
        )
        return Response(WaybillSerializer(waybill).data, status=status.HTTP_201_CREATED)

    def _step(self, func, *args, **kwargs):
        waybill = _call(func, self.request.user, self.get_object(), *args, **kwargs)
        return Response(WaybillSerializer(waybill).data)

    # ``dispatch`` is a reserved method name on DRF views; the route keeps the domain's word.
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_goods(self, request, pk=None):
        return self._step(services.dispatch_waybill)

    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        lines = ReceivedInput(data=request.data.get("lines", []), many=True)
        lines.is_valid(raise_exception=True)
        received = {x["line"]: (x["received"], x["damaged"]) for x in lines.validated_data}
        remarks = {x["line"]: x["remark"] for x in lines.validated_data}
        return self._step(services.receive_waybill, received, remarks=remarks)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(services.close_waybill)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(services.cancel_waybill)


class PlanSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DistributionPlan
        fields = [
            "id",
            "name",
            "site",
            "item",
            "period",
            "min_score",
            "priority_floor",
            "capacity_kg",
            "capacity_m3",
            "need_identified_on",
            "status",
            "stock_available",
            "eligible_count",
            "selected_count",
            "objective",
            "cutoff_score",
            "binding",
            "infeasible_reason",
            "optimised_at",
            "approved_at",
            "created_at",
        ]


class PlanInput(serializers.Serializer):
    name = serializers.CharField()
    site = serializers.SlugRelatedField(slug_field="code", queryset=Warehouse.objects.all())
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    period = serializers.CharField()
    need_identified_on = serializers.DateField(required=False, allow_null=True, default=None)
    min_score = serializers.IntegerField(min_value=0, default=0)
    priority_floor = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    capacity_kg = serializers.DecimalField(
        max_digits=10, decimal_places=1, required=False, allow_null=True, default=None
    )
    capacity_m3 = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )


class CandidateSerializer(serializers.ModelSerializer):
    household_ref = serializers.CharField(source="household.household_ref", read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = PlanHousehold
        fields = [
            "household",
            "household_ref",
            "score",
            "eligible",
            "selected",
            "reason",
            "override",
            "override_reason",
            "explanation",
        ]

    def get_explanation(self, row) -> str:
        return planning.explain(self.context["plan"], row)


class PlanViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Distribution plans. POST creates and optimises one; ``{id}/households/`` lists every
    household considered with why it is in or out; ``{id}/override/`` (``household``,
    ``direction`` in|out|"", ``reason``), ``{id}/optimise/``, ``{id}/approve/``."""

    serializer_class = PlanSerializer
    required_actions = {
        "create": "distribution.plan",
        "optimise": "distribution.plan",
        "override": "distribution.plan",
        "approve": "distribution.approve",
    }
    queryset = DistributionPlan.objects.select_related("site", "item")

    def get_serializer_class(self):
        return PlanInput if self.action == "create" else PlanSerializer

    def create(self, request, *args, **kwargs):
        data = PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        plan = _call(planning.create_plan, request.user, **d)
        plan = _call(planning.optimise_plan, request.user, plan)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def households(self, request, pk=None):
        plan = self.get_object()
        qs = plan.candidates.select_related("household")
        if (sel := request.query_params.get("selected")) in ("true", "false"):
            qs = qs.filter(selected=sel == "true")
        page = self.paginate_queryset(qs)
        data = CandidateSerializer(page, many=True, context={"plan": plan}).data
        return self.get_paginated_response(data)

    @action(detail=True, methods=["post"])
    def optimise(self, request, pk=None):
        return Response(
            PlanSerializer(_call(planning.optimise_plan, request.user, self.get_object())).data
        )

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(
            PlanSerializer(_call(planning.approve_plan, request.user, self.get_object())).data
        )

    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        plan = self.get_object()
        row = plan.candidates.filter(household_id=request.data.get("household")).first()
        if row is None:
            raise DRFValidationError({"household": "not among the plan's households"})
        plan = _call(
            planning.override_household,
            request.user,
            plan,
            row.household,
            str(request.data.get("direction", "")),
            str(request.data.get("reason", "")),
        )
        return Response(PlanSerializer(plan).data)


class DistributionSerializer(serializers.ModelSerializer):
    household_ref = serializers.CharField(source="household.household_ref", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Distribution
        fields = [
            "id",
            "household_ref",
            "item",
            "period",
            "plan",
            "site",
            "quantity",
            "method",
            "distributed_at",
            "movement",
        ]


class DistributionInput(serializers.Serializer):
    plan = serializers.IntegerField()
    household_ref = serializers.CharField()


class DistributionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Proof of delivery. POST ``{"plan": id, "household_ref": "…"}`` records a hand-over
    (refused with the reason if the household or a confirmed duplicate already received)."""

    serializer_class = DistributionSerializer
    required_actions = {"create": "distribution.record"}
    queryset = Distribution.objects.select_related("household", "item", "site")

    def get_serializer_class(self):
        return DistributionInput if self.action == "create" else DistributionSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if plan := self.request.query_params.get("plan"):
            qs = qs.filter(plan_id=plan) if plan.isdigit() else qs.none()
        return qs

    def create(self, request, *args, **kwargs):
        data = DistributionInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = (
            access.scoped(request.user, DistributionPlan)
            .filter(pk=data.validated_data["plan"])
            .first()
        )
        if plan is None:
            raise DRFValidationError({"plan": "no such plan in your scope"})
        distribution = _call(
            dist_service.record_by_reference,
            request.user,
            plan,
            data.validated_data["household_ref"],
        )
        return Response(DistributionSerializer(distribution).data, status=status.HTTP_201_CREATED)


router.register("supply/items", ItemViewSet, basename="supply-item")
router.register("supply/warehouses", WarehouseViewSet, basename="supply-warehouse")
router.register("supply/movements", MovementViewSet, basename="supply-movement")
router.register("supply/balances", BalanceViewSet, basename="supply-balance")
router.register("supply/waybills", WaybillViewSet, basename="supply-waybill")
router.register("supply/plans", PlanViewSet, basename="supply-plan")
router.register("supply/distributions", DistributionViewSet, basename="supply-distribution")
