"""API: the library (scoped as in the UI) and the open datasets."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from amina.accounts import access
from amina.core.api import router
from amina.reports import datasets as datasets_module
from amina.reports import queries
from amina.reports.models import Publication


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


class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published products in the user's scope.

    Filters: ``?governorate=PCODE&sector=N&kind=flash|export|map&since=DATE&until=DATE``.
    """

    serializer_class = PublicationSerializer
    queryset = Publication.objects.none()

    def get_queryset(self):
        qs = queries.publications_for(self.request.user).prefetch_related("governorates", "sectors")
        params = self.request.query_params
        if gov := params.get("governorate"):
            qs = qs.filter(governorates__pcode=gov)
        if sector := params.get("sector"):
            qs = qs.filter(sectors__code=sector) if sector.isdigit() else qs.none()
        if kind := params.get("kind"):
            qs = qs.filter(kind=kind)
        if since := params.get("since"):
            qs = qs.filter(date__gte=since)
        if until := params.get("until"):
            qs = qs.filter(date__lte=until)
        return qs.distinct()

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        publication = queries.publications_for(request.user).defer(None).filter(pk=pk).first()
        if publication is None:
            raise NotFound
        response = HttpResponse(bytes(publication.content), content_type=publication.content_type)
        response["Content-Disposition"] = f'attachment; filename="{publication.filename}"'
        return response


class DatasetViewSet(viewsets.ViewSet):
    """The open datasets; ``/reports/datasets/NAME/?file=hxl|csv|xlsx`` downloads one,
    without ``file`` it lists its rows as JSON. Small cells are withheld (null)."""

    @extend_schema(operation_id="reports_datasets_list", responses=OpenApiTypes.OBJECT)
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
                            {"key": c.key, "header": c.header, "hxl": c.hxl} for c in d.columns
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
                enum=["hxl", "csv", "xlsx"],
                required=False,
                description="download the file instead of the rows",
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        dataset = datasets_module.DATASETS.get(pk)
        if dataset is None:
            raise NotFound
        if dataset.detail and not access.sees_detail(request.user):
            raise PermissionDenied
        ids = access.governorate_filter(request.user)
        scope = None if ids is None else sorted(ids)
        fmt = request.query_params.get("file", "")
        try:
            if fmt in ("hxl", "csv", "xlsx"):
                from amina.core.downloads import file_response

                return file_response(datasets_module.render(pk, fmt, scope), fmt, pk)
            return Response({"name": pk, "results": datasets_module.rows(pk, scope), "next": None})
        except datasets_module.Unavailable as exc:
            raise NotFound(str(exc)) from None


router.register("reports/publications", PublicationViewSet, basename="reports-publication")
router.register("reports/datasets", DatasetViewSet, basename="reports-dataset")
