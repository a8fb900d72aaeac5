"""The API of displacement tracking: rounds, assessments, per-governorate summaries,
movements and alerts — scoped exactly as the pages (``amina.accounts.access``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from amina.accounts import access
from amina.accounts.api_base import ScopedReadOnlyViewSet
from amina.geo.api_filters import GovernorateFilter
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, cleaned_filters, filters
from amina.tracking.exports import summary_rows
from amina.tracking.models import Alert, LocationAssessment, MovementEvent, Round
from amina.tracking.queries import resolve_round
from amina.tracking.services.alerts import readable_alerts


class AssessmentFilter(FilterSet):
    round = filters.CharFilter(
        field_name="round__code", help_text="round code (default: all rounds)"
    )
    governorate = GovernorateFilter("location__governorate")
    district = filters.CharFilter(
        field_name="location__district__pcode", help_text="district p-code"
    )

    class Meta:
        model = LocationAssessment
        fields = ["round", "governorate", "district"]


class RoundField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = resolve_round(value)
        if found is None:
            raise forms.ValidationError(
                _("unknown round %(code)s"), code="unknown", params={"code": value}
            )
        return found


class RoundFilter(filters.CharFilter):
    field_class = RoundField


class SummaryFilter(FilterSet):
    """No model: the summaries are computed per governorate, not filtered from a table."""

    round = RoundFilter(help_text="round code (default: the latest estimate)")
    governorate = GovernorateFilter(
        help_text="governorate (p-code, ISO code or name); one outside your scope is refused"
    )


class MovementFilter(FilterSet):
    governorate = GovernorateFilter("location__governorate")
    since = filters.DateFilter(field_name="date", lookup_expr="gte", help_text="on or after")
    until = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="on or before")

    class Meta:
        model = MovementEvent
        fields = ["governorate", "direction", "since", "until"]


class AlertFilter(FilterSet):
    governorate = GovernorateFilter()

    class Meta:
        model = Alert
        fields = ["governorate"]


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
        return obj.location.code or ""

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
    origin = serializers.SlugRelatedField(read_only=True, slug_field="pcode", allow_null=True)

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


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """Location assessments in the caller's governorates (not for partners)."""

    serializer_class = LocationAssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = (
        LocationAssessment.objects.select_related(
            "round",
            "location__governorate",
            "location__district",
        )
        .prefetch_related("origins__governorate", "shelters__shelter_type", "periods__period")
        .order_by("round__date", "location_id")
    )


class SummaryViewSet(viewsets.GenericViewSet):
    """Per-governorate totals of a round, or of the latest estimate, in the caller's scope."""

    serializer_class = GovernorateSummarySerializer
    filterset_class = SummaryFilter
    queryset = Round.objects.none()  # the rows are computed; for the schema and filters only

    def list(self, request):
        wanted = cleaned_filters(self)
        gov = wanted.get("governorate")
        round_ = wanted.get("round")
        rows = summary_rows(
            request.user, round_.code if round_ else None, [gov.pcode] if gov else []
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MovementViewSet(ScopedReadOnlyViewSet):
    serializer_class = MovementEventSerializer
    filterset_class = MovementFilter
    queryset = MovementEvent.objects.select_related("location__governorate", "origin")


class AlertViewSet(ScopedReadOnlyViewSet):
    """Influx alerts of the caller's governorates (aggregates: partners see them too)."""

    detail_level = False
    serializer_class = InfluxAlertSerializer
    filterset_class = AlertFilter
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
