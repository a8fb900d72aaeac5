"""API: the library (scoped as in the UI) and the open datasets."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from amina.accounts import access
from amina.geo.api_filters import GovernorateFilter
from amina.lib import api_errors
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, IdFilter, filters
from amina.lib.exports import CONTENT_TYPES
from amina.reports import datasets as datasets_module
from amina.reports import queries
from amina.reports.models import Publication

# A dataset whose source capability is not installed answers 404 with the reason.
api_errors.register(datasets_module.Unavailable, 404, "unavailable")

#: What a publication can be: a flash report, an exported dataset, a map.
PUBLICATION_MEDIA_TYPES = [
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/geo+json",
    "image/svg+xml",
]
DATASET_FORMATS = ["hxl", "csv", "xlsx"]


class PublicationSerializer(serializers.ModelSerializer):
    governorates = serializers.SlugRelatedField(slug_field="pcode", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "kind",
            "title",
            "version",
            "language",
            "national",
            "governorates",
            "sectors",
            "date",
            "round_code",
            "summary",
            "filename",
            "content_type",
            "size",
            "sha256",
            "published_at",
            "report",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("reports:publication-download", args=[obj.pk])


class PublicationFilter(FilterSet):
    governorate = GovernorateFilter("governorates", distinct=True)
    sector = IdFilter(field_name="sectors__code", distinct=True, help_text="MCOF sector code")
    kind = filters.ChoiceFilter(choices=Publication.Kind.choices)
    since = filters.DateFilter(field_name="date", lookup_expr="gte", help_text="dated on or after")
    until = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="dated on or before")

    class Meta:
        model = Publication
        fields = ["governorate", "sector", "kind", "since", "until"]


class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published products in the user's scope, newest first."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    queryset = Publication.objects.none()

    def get_queryset(self):
        return queries.publications_for(self.request.user).prefetch_related(
            "governorates", "sectors"
        )

    @extend_schema(
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="the product's file")
            for media in PUBLICATION_MEDIA_TYPES
        },
        parameters=[],
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def download(self, request, pk=None):
        publication = get_object_or_404(queries.publications_for(request.user).defer(None), pk=pk)
        response = HttpResponse(bytes(publication.content), content_type=publication.content_type)
        response["Content-Disposition"] = f'attachment; filename="{publication.filename}"'
        return response


class DatasetColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField()
    hxl = serializers.CharField(allow_blank=True)


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = DatasetColumnSerializer(many=True)
    url = serializers.URLField()


@extend_schema_serializer(many=False)  # one object with its results, not a list of them
class DatasetListSerializer(serializers.Serializer):
    results = DatasetSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="always null: one page")


class DatasetRowsSerializer(serializers.Serializer):
    name = serializers.CharField()
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text="one object per row, keyed by the columns' keys; a withheld small cell is null",
    )
    next = serializers.CharField(allow_null=True, help_text="always null: one page")


class DatasetQuery(serializers.Serializer):
    file = serializers.ChoiceField(choices=DATASET_FORMATS, required=False)


class DatasetViewSet(viewsets.ViewSet):
    """The open datasets; ``/reports/datasets/NAME/?file=hxl|csv|xlsx`` downloads one,
    without ``file`` it lists its rows as JSON. Small cells are withheld (null)."""

    @extend_schema(operation_id="reports_datasets_list", responses=DatasetListSerializer)
    def list(self, request):
        shown = [
            d
            for d in datasets_module.DATASETS.values()
            if not d.detail or access.sees_detail(request.user)
        ]
        return Response(
            {
                "results": [
                    {
                        "name": d.name,
                        "title": str(d.title),
                        "description": str(d.description),
                        "columns": [
                            {"key": c.key, "header": c.header, "hxl": c.hxl or ""}
                            for c in d.columns
                        ],
                        "url": request.build_absolute_uri(f"{request.path}{d.name}/"),
                    }
                    for d in shown
                ],
                "next": None,
            }
        )

    @extend_schema(
        operation_id="reports_datasets_rows",
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="the dataset's name"),
            OpenApiParameter(
                "file",
                str,
                enum=DATASET_FORMATS,
                required=False,
                description="download the file (HXL and CSV as text/csv) instead of the rows",
            ),
        ],
        responses={
            (200, "application/json"): DatasetRowsSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV or HXL"),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX"),
        },
    )
    def retrieve(self, request, pk=None):
        dataset = datasets_module.DATASETS.get(pk)
        if dataset is None:
            raise NotFound
        if dataset.detail and not access.sees_detail(request.user):
            raise PermissionDenied
        query = DatasetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        ids = access.governorate_filter(request.user)
        scope = None if ids is None else sorted(ids)
        fmt = query.validated_data.get("file")
        if fmt:
            from amina.lib.downloads import file_response

            return file_response(datasets_module.render(pk, fmt, scope), fmt, pk)
        return Response({"name": pk, "results": datasets_module.rows(pk, scope), "next": None})


router.register("reports/publications", PublicationViewSet, basename="reports-publication")
router.register("reports/datasets", DatasetViewSet, basename="reports-dataset")
