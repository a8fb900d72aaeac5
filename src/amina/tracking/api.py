"""The API of displacement tracking: rounds, assessments, per-governorate summaries,
movements and alerts — scoped exactly as the pages (``amina.accounts.access``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from amina.accounts import access
from amina.core.api import ScopedReadOnlyViewSet, router
from amina.tracking.exports import summary_rows
from amina.tracking.models import Alert, LocationAssessment, MovementEvent, Round
from amina.tracking.services.alerts import readable_alerts

FILTERS = [
    OpenApiParameter("round", str, description="round code (default: all rounds)"),
    OpenApiParameter("governorate", str, description="governorate p-code"),
    OpenApiParameter("district", str, description="district p-code"),
]


class TrackingRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "code", "date", "kind", "multiplier", "camp_multiplier"]


class LocationAssessmentSerializer(serializers.ModelSerializer):
    round = serializers.SlugRelatedField(read_only=True, slug_field="code")
    location_name = serializers.CharField(source="location.name_en", read_only=True)
    location_code = serializers.SerializerMethodField()
    governorate = serializers.CharField(source="location.governorate.pcode", read_only=True)
    district = serializers.SerializerMethodField()
    by_origin = serializers.SerializerMethodField()
    by_shelter = serializers.SerializerMethodField()
    by_period = serializers.SerializerMethodField()

    class Meta:
        model = LocationAssessment
        fields = [
            "id",
            "round",
            "location",
            "location_name",
            "location_code",
            "governorate",
            "district",
            "date",
            "families",
            "individuals",
            "returnee_families",
            "returnee_individuals",
            "partial",
            "source",
            "by_origin",
            "by_shelter",
            "by_period",
        ]

    def get_location_code(self, obj) -> str:
        return obj.location.pcode or obj.location.dtm_place_id or ""

    def get_district(self, obj) -> str | None:
        return obj.location.district.pcode if obj.location.district_id else None

    def get_by_origin(self, obj) -> dict[str, int]:
        return {o.governorate.pcode: o.families for o in obj.origins.all()}

    def get_by_shelter(self, obj) -> dict[str, int]:
        return {s.shelter_type.code: s.families for s in obj.shelters.all()}

    def get_by_period(self, obj) -> dict[str, int]:
        return {p.period.code: p.families for p in obj.periods.all()}


class GovernorateSummarySerializer(serializers.Serializer):
    governorate = serializers.CharField()
    governorate_pcode = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    idp_families = serializers.IntegerField()
    idp_individuals = serializers.IntegerField()
    returnee_families = serializers.IntegerField()
    returnee_individuals = serializers.IntegerField()
    locations = serializers.IntegerField()
    share = serializers.FloatField()


class MovementEventSerializer(serializers.ModelSerializer):
    location_name = serializers.CharField(source="location.name_en", read_only=True)
    governorate = serializers.CharField(source="location.governorate.pcode", read_only=True)
    origin = serializers.SlugRelatedField(read_only=True, slug_field="pcode")

    class Meta:
        model = MovementEvent
        fields = [
            "id",
            "location",
            "location_name",
            "governorate",
            "date",
            "direction",
            "families",
            "individuals",
            "origin",
        ]


class InfluxAlertSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.name", read_only=True)
    governorate = serializers.SlugRelatedField(read_only=True, slug_field="pcode")

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "governorate",
            "fired_at",
            "window_start",
            "window_end",
            "arrivals",
            "baseline",
        ]


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment rounds (not scoped: a round is a date and a method, not data)."""

    serializer_class = TrackingRoundSerializer
    queryset = Round.objects.order_by("date", "pk")
    lookup_field = "code"


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class AssessmentViewSet(ScopedReadOnlyViewSet):
    """Location assessments in the caller's governorates (not for partners)."""

    serializer_class = LocationAssessmentSerializer
    queryset = (
        LocationAssessment.objects.select_related(
            "round",
            "location__governorate",
            "location__district",
        )
        .prefetch_related("origins__governorate", "shelters__shelter_type", "periods__period")
        .order_by("round__date", "location_id")
    )

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if code := params.get("round"):
            qs = qs.filter(round__code=code)
        if pcode := params.get("governorate"):
            qs = qs.filter(location__governorate__pcode=pcode)
        if pcode := params.get("district"):
            qs = qs.filter(location__district__pcode=pcode)
        return qs


@extend_schema_view(list=extend_schema(parameters=FILTERS[:2]))
class SummaryViewSet(viewsets.GenericViewSet):
    """Per-governorate totals of a round, or of the latest estimate, in the caller's scope."""

    serializer_class = GovernorateSummarySerializer

    def list(self, request):
        params = request.query_params
        try:
            rows = summary_rows(
                request.user,
                params.get("round") or None,
                [params["governorate"]] if params.get("governorate") else [],
            )
        except PermissionDenied:
            raise ApiPermissionDenied from None
        except Exception as exc:
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                raise ApiValidationError(exc.messages) from None
            raise
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MovementViewSet(ScopedReadOnlyViewSet):
    serializer_class = MovementEventSerializer
    queryset = MovementEvent.objects.select_related("location__governorate", "origin")


class AlertViewSet(ScopedReadOnlyViewSet):
    """Influx alerts of the caller's governorates (aggregates: partners see them too)."""

    detail_level = False
    serializer_class = InfluxAlertSerializer
    queryset = Alert.objects.select_related("rule", "governorate")

    def get_queryset(self):
        # partners get governorate-wide alerts only: a location's alert is detail
        return readable_alerts(self.request.user).select_related("rule", "governorate")


router.register("tracking/rounds", RoundViewSet, basename="tracking-round")
router.register("tracking/assessments", AssessmentViewSet, basename="tracking-assessment")
router.register("tracking/summaries", SummaryViewSet, basename="tracking-summary")
router.register("tracking/movements", MovementViewSet, basename="tracking-movement")
router.register("tracking/alerts", AlertViewSet, basename="tracking-alert")

__all__ = ["access"]
