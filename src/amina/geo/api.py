from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from amina.accounts import access
from amina.accounts.api_base import ScopedReadOnlyViewSet
from amina.geo.api_filters import GovernorateFilter
from amina.geo.models import Boundary, District, Governorate, Location, PlaceAlias, SubDistrict
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, filters


class GovernorateSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Governorate
        fields = [
            "id",
            "pcode",
            "pcode_2014",
            "iso_code",
            "name_en",
            "name_ar",
            "name_dtm",
            "kurdistan_region",
            "centroid_lat",
            "centroid_lon",
            "aliases",
        ]


class DistrictSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(read_only=True, slug_field="pcode")

    class Meta:
        model = District
        fields = [
            "id",
            "pcode",
            "governorate",
            "name_en",
            "name_ar",
            "centroid_lat",
            "centroid_lon",
        ]


class SubDistrictSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(read_only=True, slug_field="pcode")

    class Meta:
        model = SubDistrict
        fields = ["id", "pcode", "district", "name_en", "name_ar", "centroid_lat", "centroid_lon"]


@extend_schema_field(OpenApiTypes.STR)
class LocationKeyField(serializers.RelatedField):
    """A location in the API: its stable code (``geo.codes``: the DTM place id, or
    ``IQG04-L000123``), the same key as in exports and forms. A request may still give the
    old numeric id: a number that is no location's code is read as one (deprecated)."""

    default_error_messages = {"does_not_exist": _("No location has the code %(value)s.")}

    def to_representation(self, value) -> str:
        return value.code

    def to_internal_value(self, data):
        text = str(data).strip()
        found = self.get_queryset().filter(code=text).first()
        if found is None and text.isdigit():
            found = self.get_queryset().filter(pk=int(text)).first()
        if found is None:
            self.fail("does_not_exist", value=text)
        return found


class LocationSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(read_only=True, slug_field="pcode")
    district = serializers.SlugRelatedField(read_only=True, slug_field="pcode", allow_null=True)
    sub_district = serializers.SlugRelatedField(read_only=True, slug_field="pcode", allow_null=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "code",
            "pcode",
            "dtm_place_id",
            "name_en",
            "name_ar",
            "kind",
            "governorate",
            "district",
            "sub_district",
            "centroid_lat",
            "centroid_lon",
            "needs_review",
        ]


class GovernorateViewSet(viewsets.ReadOnlyModelViewSet):
    """The governorates in the caller's scope (every role sees its own)."""

    serializer_class = GovernorateSerializer
    lookup_field = "pcode"

    def get_queryset(self):
        return access.governorates_in_scope(self.request.user).prefetch_related("aliases")


class DistrictFilter(FilterSet):
    governorate = GovernorateFilter()

    class Meta:
        model = District
        fields = ["governorate"]


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter
    lookup_field = "pcode"
    queryset = District.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return District.objects.select_related("governorate").filter(
            governorate__in=access.governorates_in_scope(self.request.user)
        )


class SubDistrictFilter(FilterSet):
    governorate = GovernorateFilter("district__governorate")
    district = filters.CharFilter(field_name="district__pcode", help_text="district p-code")

    class Meta:
        model = SubDistrict
        fields = ["governorate", "district"]


class SubDistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubDistrictSerializer
    filterset_class = SubDistrictFilter
    lookup_field = "pcode"
    queryset = SubDistrict.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return SubDistrict.objects.select_related("district").filter(
            district__governorate__in=access.governorates_in_scope(self.request.user)
        )


class LocationFilter(FilterSet):
    governorate = GovernorateFilter()
    district = filters.CharFilter(field_name="district__pcode", help_text="district p-code")

    class Meta:
        model = Location
        fields = ["governorate", "district", "kind"]


class LocationViewSet(ScopedReadOnlyViewSet):
    """Locations: detail-level, so partners see none and officers only their governorates."""

    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    queryset = Location.objects.select_related("governorate", "district", "sub_district")
    # The key is the stable code (``/geo/locations/IQG04-L000123/``); an old numeric id
    # still answers when no location has it as its code (docs/api.md).
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_object(self):
        key = str(self.kwargs[self.lookup_field])
        locations = self.filter_queryset(self.get_queryset())
        found = locations.filter(code=key).first()
        if found is None and key.isdigit():
            found = locations.filter(pk=int(key)).first()
        if found is None:
            raise Http404
        self.check_object_permissions(self.request, found)
        return found


class PlaceAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceAlias
        fields = ["id", "name", "source", "governorate", "district", "location"]


router.register("geo/governorates", GovernorateViewSet, basename="governorate")
router.register("geo/districts", DistrictViewSet, basename="district")
router.register("geo/sub-districts", SubDistrictViewSet, basename="subdistrict")
router.register("geo/locations", LocationViewSet, basename="location")


class BoundarySerializer(serializers.ModelSerializer):
    level = serializers.SerializerMethodField()
    pcode = serializers.SerializerMethodField()

    class Meta:
        model = Boundary
        fields = ["level", "pcode", "vertices", "imported_at", "geometry"]

    def get_level(self, obj) -> str:
        return "governorate" if obj.governorate_id else "district"

    def get_pcode(self, obj) -> str:
        return (obj.governorate or obj.district).pcode


class BoundaryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Official outlines (simplified GeoJSON geometries) of the governorates in scope, or
    with ``?level=district`` of their districts (``&governorate=PCODE`` for one). Served
    apart from the place lists, which never carry them."""

    serializer_class = BoundarySerializer
    queryset = Boundary.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        params = self.request.query_params
        scope = access.governorates_in_scope(self.request.user)
        if params.get("level") == "district":
            qs = Boundary.objects.filter(district__governorate__in=scope).select_related("district")
            if gov := params.get("governorate"):
                qs = qs.filter(district__governorate__pcode=gov)
        else:
            qs = Boundary.objects.filter(governorate__in=scope).select_related("governorate")
            if gov := params.get("governorate"):
                qs = qs.filter(governorate__pcode=gov)
        return qs.order_by("pk")


router.register("geo/boundaries", BoundaryViewSet, basename="boundary")
