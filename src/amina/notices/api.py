"""API of notifications: one's own only; POST ``…/read/`` marks them read.

The route keeps the path it had when notifications lived in coordination
(``/api/v1/coordination/notifications/``), so API clients need no change.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from amina.lib.api import router
from amina.lib.api_filters import FilterSet, FlagFilter
from amina.notices.models import Notification
from amina.notices.services import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(slug_field="pcode", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "governorate", "created_at", "read_at"]


class NotificationFilter(FilterSet):
    unread = FlagFilter(field_name="read_at", lookup_expr="isnull", help_text="not read yet")

    class Meta:
        model = Notification
        fields = ["unread"]


class MarkReadInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="the notifications to mark read; left out: every unread one",
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many were unread and are read now")


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """One's own notifications only; POST …/read/ marks them read."""

    serializer_class = NotificationSerializer
    required_actions = {"read": "account.self"}
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).select_related(
            "governorate"
        )

    @extend_schema(request=MarkReadInput, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def read(self, request):
        data = MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"marked": mark_read(request.user, data.validated_data["ids"])})


router.register(
    "coordination/notifications", NotificationViewSet, basename="coordination-notification"
)
