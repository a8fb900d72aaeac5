from rest_framework import serializers, viewsets

from amina.audit.models import AccessLog, ChangeLog
from amina.core.api import IsAminaAdmin, router


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


class ChangeLogViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChangeLogSerializer
    permission_classes = [IsAminaAdmin]
    queryset = ChangeLog.objects.all()


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccessLogSerializer
    permission_classes = [IsAminaAdmin]
    queryset = AccessLog.objects.all()


router.register("audit/changes", ChangeLogViewSet, basename="changelog")
router.register("audit/access", AccessLogViewSet, basename="accesslog")
