from rest_framework import serializers, viewsets

from amina.accounts.api_base import IsAminaAdmin
from amina.audit.models import AccessLog, ChangeLog
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, filters


class ChangeLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeLog
        fields = [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "model",
            "object_id",
            "object_repr",
            "diff",
        ]


class AccessLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "model",
            "object_ids",
            "count",
            "purpose",
            "channel",
        ]


class ChangeLogFilter(FilterSet):
    since = filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = ChangeLog
        fields = ["model", "object_id", "actor_id", "action", "since", "until"]


class AccessLogFilter(FilterSet):
    since = filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AccessLog
        fields = ["model", "actor_id", "action", "channel", "since", "until"]


class ChangeLogViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChangeLogSerializer
    filterset_class = ChangeLogFilter
    permission_classes = [IsAminaAdmin]
    queryset = ChangeLog.objects.all()


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilter
    permission_classes = [IsAminaAdmin]
    queryset = AccessLog.objects.all()


router.register("audit/changes", ChangeLogViewSet, basename="changelog")
router.register("audit/access", AccessLogViewSet, basename="accesslog")
