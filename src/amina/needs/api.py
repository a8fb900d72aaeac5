"""Needs through the API: assessments and latest severity (location detail, scoped) and the
MCOF reference (every authenticated user)."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from amina.accounts import access
from amina.accounts.api_base import ScopedReadOnlyViewSet
from amina.geo.api import LocationKeyField
from amina.geo.api_filters import GovernorateFilter
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, FlagFilter, IdFilter, cleaned_filters, filters
from amina.needs.exports import summary_rows
from amina.needs.models import NeedsAssessment, Phase, PriorityNeed, Sector, SectorSeverity
from amina.needs.queries import latest_assessments


class MCOFSectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name_en", "name_ar", "description_en", "description_ar"]


class MCOFPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "code", "name_en", "name_ar", "description_en", "description_ar", "order"]


class NeedsSeveritySerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = SectorSeverity
        fields = ["sector", "severity"]


class NeedsPrioritySerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = PriorityNeed
        fields = ["rank", "sector", "detail"]


class NeedsAssessmentSerializer(serializers.ModelSerializer):
    location = LocationKeyField(read_only=True)  # the stable location code
    location_pcode = serializers.CharField(source="location.pcode", read_only=True, allow_null=True)
    location_name_en = serializers.CharField(source="location.name_en", read_only=True)
    location_name_ar = serializers.CharField(source="location.name_ar", read_only=True)
    governorate = serializers.CharField(source="location.governorate.pcode", read_only=True)
    phase = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)
    severities = NeedsSeveritySerializer(many=True, read_only=True)
    priorities = NeedsPrioritySerializer(many=True, read_only=True)
    instance_id = serializers.SerializerMethodField()

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "location",
            "location_pcode",
            "location_name_en",
            "location_name_ar",
            "governorate",
            "assessed_on",
            "team",
            "key_informants_count",
            "key_informants_description",
            "population_individuals",
            "population_source",
            "population_as_of",
            "access_constraints",
            "notes",
            "phase",
            "severities",
            "priorities",
            "instance_id",
            "created_at",
        ]

    def get_instance_id(self, obj) -> str | None:
        submission = getattr(obj, "submission", None)
        return submission.instance_id if submission else None


class NeedsAssessmentFilter(FilterSet):
    governorate = GovernorateFilter("location__governorate")
    latest = FlagFilter(method="filter_latest", help_text="only the latest of each location")
    since = filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    until = filters.DateFilter(field_name="assessed_on", lookup_expr="lte")

    class Meta:
        model = NeedsAssessment
        fields = ["governorate", "latest", "since", "until"]

    def filter_latest(self, qs, name, value):
        latest = latest_assessments().values("pk")
        return qs.filter(pk__in=latest) if value else qs


class NeedsAssessmentViewSet(ScopedReadOnlyViewSet):
    """Needs assessments in the caller's governorates (``?governorate=PCODE``,
    ``?latest=true`` for the latest of each location)."""

    serializer_class = NeedsAssessmentSerializer
    filterset_class = NeedsAssessmentFilter
    queryset = NeedsAssessment.objects.select_related(
        "location__governorate", "phase", "submission"
    ).prefetch_related("severities__sector", "priorities__sector")


class NeedsLatestSeveritySerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="assessment.location.code", read_only=True)
    location_pcode = serializers.CharField(
        source="assessment.location.pcode", read_only=True, allow_null=True
    )
    governorate = serializers.CharField(
        source="assessment.location.governorate.pcode", read_only=True
    )
    sector = serializers.IntegerField(source="sector.code", read_only=True)
    assessed_on = serializers.DateField(source="assessment.assessed_on", read_only=True)
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)

    class Meta:
        model = SectorSeverity
        fields = [
            "location",
            "location_pcode",
            "governorate",
            "sector",
            "severity",
            "assessed_on",
            "assessment",
        ]


class NeedsSeverityFilter(FilterSet):
    governorate = GovernorateFilter("assessment__location__governorate")
    sector = IdFilter(field_name="sector__code", help_text="MCOF sector code")
    min = IdFilter(field_name="severity", lookup_expr="gte", help_text="lowest severity (1 to 5)")

    class Meta:
        model = SectorSeverity
        fields = ["governorate", "sector", "min"]


class NeedsSeverityViewSet(ScopedReadOnlyViewSet):
    """Severity per location and sector from each location's latest assessment
    (``?governorate=PCODE``, ``?sector=N``, ``?min=4``)."""

    serializer_class = NeedsLatestSeveritySerializer
    filterset_class = NeedsSeverityFilter
    queryset = SectorSeverity.objects.select_related(
        "assessment__location__governorate", "sector"
    ).order_by("assessment__location_id", "sector__code")

    def get_queryset(self):
        return super().get_queryset().filter(assessment__in=latest_assessments().values("pk"))


class MCOFSectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The MCOF sectors of assistance (reference data)."""

    serializer_class = MCOFSectorSerializer
    queryset = Sector.objects.order_by("code")
    permission_classes = [IsAuthenticated]
    lookup_field = "code"


class MCOFPhaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The MCOF phases (reference data)."""

    serializer_class = MCOFPhaseSerializer
    queryset = Phase.objects.order_by("order")
    permission_classes = [IsAuthenticated]
    lookup_field = "code"


router.register("needs/assessments", NeedsAssessmentViewSet, basename="needs-assessment")
router.register("needs/severity", NeedsSeverityViewSet, basename="needs-severity")
router.register("needs/sectors", MCOFSectorViewSet, basename="needs-sector")
router.register("needs/phases", MCOFPhaseViewSet, basename="needs-phase")


class NeedsSummarySerializer(serializers.Serializer):
    governorate = serializers.CharField(source="governorate_pcode")
    governorate_name_en = serializers.CharField(source="governorate")
    sector = serializers.IntegerField(source="sector_code")
    locations = serializers.IntegerField(help_text="locations whose latest assessment rated it")
    severe = serializers.IntegerField(help_text="of which rated 4 or 5")
    max_severity = serializers.IntegerField()
    in_need = serializers.IntegerField(help_text="people in need (rule in the user guide)")


class NeedsSummaryFilter(FilterSet):
    """No model: the summary is computed per governorate and sector."""

    governorate = GovernorateFilter()


class NeedsSummaryViewSet(viewsets.GenericViewSet):
    """Per governorate and sector: locations assessed, with severe needs, highest severity
    and people in need — the aggregate every role may read for its governorates,
    partners included (``?governorate=PCODE``)."""

    serializer_class = NeedsSummarySerializer
    filterset_class = NeedsSummaryFilter
    permission_classes = [IsAuthenticated]

    def get_queryset(self):  # aggregates are computed, not a queryset; for the schema only
        return Sector.objects.none()

    def list(self, request):
        ids = access.governorate_ids(request.user)
        if gov := cleaned_filters(self).get("governorate"):
            ids = ids & {gov.pk}
        rows = summary_rows(ids)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


router.register("needs/summary", NeedsSummaryViewSet, basename="needs-summary")
