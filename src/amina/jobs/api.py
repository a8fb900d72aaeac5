from rest_framework import serializers, viewsets

from amina.core.api import router
from amina.jobs.models import Job
from amina.jobs.views import visible_jobs


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    created_by = serializers.StringRelatedField()

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
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Jobs the caller started (admins: all), with their progress."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()  # typed for the schema; get_queryset scopes it

    def get_queryset(self):
        return visible_jobs(self.request.user)


router.register("jobs", JobViewSet, basename="job")
