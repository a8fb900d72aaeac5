from rest_framework import serializers, viewsets

from amina.jobs.models import Job
from amina.jobs.recovery import reclaim_for_page
from amina.jobs.views import visible_jobs
from amina.lib.api import router
from amina.lib.api_filters import FilterSet


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    created_by = serializers.StringRelatedField(allow_null=True)
    error = serializers.CharField(
        source="error_message",
        read_only=True,
        help_text="Why the job failed, in the language of the request.",
    )
    error_code = serializers.CharField(
        read_only=True,
        help_text="Set when the jobs system recorded the failure itself: 'worker-stopped', "
        "'worker-stopped-retrying' (queued again), 'worker-stopped-gave-up', 'database-busy'; "
        "empty otherwise.",
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "status",
            "done",
            "total",
            "percent",
            "message",
            "result",
            "error",
            "error_code",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobFilter(FilterSet):
    class Meta:
        model = Job
        fields = ["status", "kind"]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Jobs the caller started (admins: all), with their progress."""

    serializer_class = JobSerializer
    filterset_class = JobFilter
    queryset = Job.objects.none()  # typed for the schema; get_queryset scopes it

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            reclaim_for_page()
        return visible_jobs(self.request.user)


router.register("jobs", JobViewSet, basename="job")
