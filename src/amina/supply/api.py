"""Supply API: catalogue, warehouses, ledger, balances, waybills, plans, distributions.

Reads pass through the access policy exactly as the pages do; writes call the same
services, whose refusals the API's exception handler turns into 400 (with the reason) or
403. A warehouse or plan named in a body is looked up in the caller's scope only, so one
outside it is refused like one that does not exist.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from amina.accounts import access
from amina.accounts.api_base import ScopedReadOnlyViewSet, ScopedSlugRelatedField
from amina.geo.api_filters import GovernorateFilter
from amina.lib.api import NonNegativeDecimalField, router
from amina.lib.api_filters import FilterSet, FlagFilter, IdFilter, filters
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


class KitComponentSerializer(serializers.Serializer):
    component = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.IntegerField(min_value=1)


class ItemSerializer(serializers.ModelSerializer):
    weight_kg = NonNegativeDecimalField(max_digits=9, decimal_places=3, label=_("weight (kg)"))
    volume_m3 = NonNegativeDecimalField(max_digits=9, decimal_places=4, label=_("volume (m³)"))
    components = KitComponentSerializer(
        many=True,
        required=False,
        help_text="a kit's components (item code and quantity); sent, they replace the list",
    )

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


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: read by every role that sees detail; written by logistics and admins.
    Send ``components`` as ``[{"component": code, "quantity": n}]`` for a kit."""

    serializer_class = ItemSerializer
    required_actions = dict.fromkeys(("create", "update", "partial_update"), "item.manage")
    lookup_field = "code"
    queryset = Item.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if not access.sees_detail(self.request.user):
            return Item.objects.none()
        return Item.objects.prefetch_related("components__component")

    def _save(self, serializer):
        data = dict(serializer.validated_data)
        components = data.pop("components", None)
        parsed = (
            None if components is None else [(c["component"], c["quantity"]) for c in components]
        )
        item = serializer.instance or Item()
        for key, value in data.items():
            setattr(item, key, value)
        serializer.instance = services.save_item(self.request.user, item, parsed)

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


class WarehouseFilter(FilterSet):
    governorate = GovernorateFilter()
    kind = filters.ChoiceFilter(choices=Warehouse.Kind.choices)

    class Meta:
        model = Warehouse
        fields = ["governorate", "kind"]


class WarehouseViewSet(ScopedReadOnlyViewSet):
    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilter
    queryset = Warehouse.objects.select_related("governorate").prefetch_related("managers")


class MovementSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    waybill = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

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
    warehouse = ScopedSlugRelatedField(Warehouse, slug_field="code")
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.IntegerField(
        help_text="receipt/loss: how many (positive); adjustment: the quantity counted"
    )
    donor = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NothingRecordedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ReverseInput(serializers.Serializer):
    reason = serializers.CharField(help_text="why the entry is reversed")


class MovementFilter(FilterSet):
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="warehouse code")
    item = filters.CharFilter(field_name="item__code", help_text="item code")
    kind = filters.ChoiceFilter(choices=StockMovement.Kind.choices)

    class Meta:
        model = StockMovement
        fields = ["warehouse", "item", "kind"]


class MovementViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """The ledger. POST records a receipt, a loss or an adjustment after a count;
    POST ``{id}/reverse/`` with a ``reason`` reverses an entry. Nothing is ever edited."""

    serializer_class = MovementSerializer
    required_actions = {"create": "stock.move", "reverse": "stock.move"}
    filterset_class = MovementFilter
    queryset = StockMovement.objects.select_related("warehouse", "item", "created_by", "waybill")

    def get_serializer_class(self):
        return {"create": MovementInput, "reverse": ReverseInput}.get(
            self.action, MovementSerializer
        )

    @extend_schema(
        request=MovementInput,
        responses={
            201: MovementSerializer,
            200: OpenApiResponse(
                NothingRecordedSerializer,
                description="an adjustment whose count matches the balance: nothing recorded",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user, warehouse = request.user, d["warehouse"]
        if d["kind"] == "receipt":
            movement = services.record_receipt(
                user,
                warehouse,
                d["item"],
                d["quantity"],
                donor=d["donor"],
                reference=d["reference"],
                reason=d["reason"],
            )
        elif d["kind"] == "loss":
            movement = services.record_loss(
                user, warehouse, d["item"], d["quantity"], reason=d["reason"]
            )
        else:
            movement = services.adjust_after_count(
                user, warehouse, d["item"], d["quantity"], reason=d["reason"]
            )
            if movement is None:
                return Response(
                    {"detail": "the count matches the balance; nothing recorded"},
                    status=status.HTTP_200_OK,
                )
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReverseInput, responses={201: MovementSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        movement = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.reverse_movement(
            request.user, movement, reason=data.validated_data["reason"]
        )
        return Response(MovementSerializer(reversal).data, status=status.HTTP_201_CREATED)


class BalanceSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    governorate = serializers.CharField(source="warehouse.governorate.pcode", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = StockBalance
        fields = ["id", "warehouse", "governorate", "item", "quantity", "updated_at"]


class BalanceFilter(FilterSet):
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="warehouse code")
    item = filters.CharFilter(field_name="item__code", help_text="item code")
    governorate = GovernorateFilter("warehouse__governorate")

    class Meta:
        model = StockBalance
        fields = ["warehouse", "item", "governorate"]


class BalanceViewSet(ScopedReadOnlyViewSet):
    serializer_class = BalanceSerializer
    filterset_class = BalanceFilter
    queryset = StockBalance.objects.select_related("warehouse__governorate", "item")


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
    origin = ScopedSlugRelatedField(
        Warehouse, slug_field="code", help_text="a warehouse of yours, by code"
    )
    destination = serializers.SlugRelatedField(
        slug_field="code", queryset=Warehouse.objects.all(), help_text="any warehouse, by code"
    )
    lines = LineInput(many=True)
    transporter = serializers.CharField(required=False, allow_blank=True, default="")
    vehicle = serializers.CharField(required=False, allow_blank=True, default="")
    driver = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReceivedInput(serializers.Serializer):
    line = serializers.IntegerField(help_text="the waybill line's id")
    received = serializers.IntegerField(min_value=0)
    damaged = serializers.IntegerField(min_value=0, default=0)
    remark = serializers.CharField(required=False, allow_blank=True, default="")


class ReceiveInput(serializers.Serializer):
    lines = ReceivedInput(
        many=True, required=False, default=list, help_text="a line left out arrived in full"
    )


class WaybillFilter(FilterSet):
    status = filters.ChoiceFilter(choices=Waybill.Status.choices)

    class Meta:
        model = Waybill
        fields = ["status"]


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
    filterset_class = WaybillFilter
    queryset = Waybill.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            visible_waybills(self.request.user)
            .select_related("origin", "destination")
            .prefetch_related("lines__item")
        )

    def get_serializer_class(self):
        return {"create": WaybillInput, "receive": ReceiveInput}.get(self.action, WaybillSerializer)

    @extend_schema(request=WaybillInput, responses={201: WaybillSerializer})
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        waybill = services.plan_waybill(
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
        waybill = func(self.request.user, self.get_object(), *args, **kwargs)
        return Response(WaybillSerializer(waybill).data)

    # ``dispatch`` is a reserved method name on DRF views; the route keeps the domain's word.
    @extend_schema(request=None, responses=WaybillSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_goods(self, request, pk=None):
        return self._step(services.dispatch_waybill)

    @extend_schema(request=ReceiveInput, responses=WaybillSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        waybill = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = data.validated_data["lines"]
        received = {x["line"]: (x["received"], x["damaged"]) for x in lines}
        remarks = {x["line"]: x["remark"] for x in lines}
        waybill = services.receive_waybill(request.user, waybill, received, remarks=remarks)
        return Response(WaybillSerializer(waybill).data)

    @extend_schema(request=None, responses=WaybillSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(services.close_waybill)

    @extend_schema(request=None, responses=WaybillSerializer)
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
    site = ScopedSlugRelatedField(
        Warehouse, slug_field="code", help_text="the distribution site's warehouse code"
    )
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    period = serializers.CharField()
    need_identified_on = serializers.DateField(required=False, allow_null=True, default=None)
    min_score = serializers.IntegerField(min_value=0, default=0)
    priority_floor = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    capacity_kg = NonNegativeDecimalField(
        max_digits=10,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
    )
    capacity_m3 = NonNegativeDecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
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


class OverrideInput(serializers.Serializer):
    household = serializers.IntegerField(help_text="the household's id, from households/")
    direction = serializers.ChoiceField(
        choices=["in", "out", ""], default="", help_text='in, out, or "" to clear'
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlanFilter(FilterSet):
    status = filters.ChoiceFilter(choices=DistributionPlan.Status.choices)
    site = filters.CharFilter(field_name="site__code", help_text="the site's warehouse code")

    class Meta:
        model = DistributionPlan
        fields = ["status", "site"]


class CandidateFilter(FilterSet):
    """No model: the route's view is the plans', whose model is not the households'."""

    selected = FlagFilter(help_text="only the households in (true) or out (false)")


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
    filterset_class = PlanFilter
    queryset = DistributionPlan.objects.select_related("site", "item")

    def get_serializer_class(self):
        return {"create": PlanInput, "override": OverrideInput}.get(self.action, PlanSerializer)

    @extend_schema(request=PlanInput, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = planning.create_plan(request.user, **data.validated_data)
        plan = planning.optimise_plan(request.user, plan)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=CandidateFilter)
    def households(self, request, pk=None):
        # the plan is looked up without the plan filters: this route filters its households
        plan = get_object_or_404(access.scoped(request.user, DistributionPlan), pk=pk)
        qs = self.filter_queryset(
            plan.candidates.select_related("household").order_by("-score", "household_id")
        )
        page = self.paginate_queryset(qs)
        data = CandidateSerializer(page, many=True, context={"plan": plan}).data
        return self.get_paginated_response(data)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def optimise(self, request, pk=None):
        return Response(
            PlanSerializer(planning.optimise_plan(request.user, self.get_object())).data
        )

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(PlanSerializer(planning.approve_plan(request.user, self.get_object())).data)

    @extend_schema(request=OverrideInput, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        plan = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        row = (
            plan.candidates.select_related("household").filter(household_id=d["household"]).first()
        )
        if row is None:
            raise DRFValidationError(
                {"household": ["not among the plan's households"]}, code="does_not_exist"
            )
        plan = planning.override_household(
            request.user, plan, row.household, d["direction"], d["reason"]
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
    plan = serializers.IntegerField(help_text="the plan's id")
    household_ref = serializers.CharField()


class DistributionFilter(FilterSet):
    plan = IdFilter(field_name="plan__id", help_text="the plan's id")
    item = filters.CharFilter(field_name="item__code", help_text="item code")

    class Meta:
        model = Distribution
        fields = ["plan", "item"]


class DistributionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Proof of delivery. POST ``{"plan": id, "household_ref": "…"}`` records a hand-over
    (refused with the reason if the household or a confirmed duplicate already received)."""

    serializer_class = DistributionSerializer
    required_actions = {"create": "distribution.record"}
    filterset_class = DistributionFilter
    queryset = Distribution.objects.select_related("household", "item", "site")

    def get_serializer_class(self):
        return DistributionInput if self.action == "create" else DistributionSerializer

    @extend_schema(request=DistributionInput, responses={201: DistributionSerializer})
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = (
            access.scoped(request.user, DistributionPlan)
            .filter(pk=data.validated_data["plan"])
            .first()
        )
        if plan is None:
            raise DRFValidationError(
                {"plan": ["no such plan in your scope"]}, code="does_not_exist"
            )
        distribution = dist_service.record_by_reference(
            request.user, plan, data.validated_data["household_ref"]
        )
        return Response(DistributionSerializer(distribution).data, status=status.HTTP_201_CREATED)


router.register("supply/items", ItemViewSet, basename="supply-item")
router.register("supply/warehouses", WarehouseViewSet, basename="supply-warehouse")
router.register("supply/movements", MovementViewSet, basename="supply-movement")
router.register("supply/balances", BalanceViewSet, basename="supply-balance")
router.register("supply/waybills", WaybillViewSet, basename="supply-waybill")
router.register("supply/plans", PlanViewSet, basename="supply-plan")
router.register("supply/distributions", DistributionViewSet, basename="supply-distribution")
