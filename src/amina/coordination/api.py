"""API of coordination: every list scoped exactly as the pages are.

4W activities can be created and changed through the API by those who may report them
(a partner only for its own organisation); the rest is read-only here.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from amina.accounts import access
from amina.accounts.models import Organisation
from amina.audit.services import log_access
from amina.coordination import queries
from amina.coordination.models import (
    ActionPoint,
    Activity,
    Contact,
    Meeting,
    Participant,
    ResponsePlan,
    Training,
)
from amina.coordination.services.activities import save_activity
from amina.coordination.services.contacts import mask
from amina.geo.api import LocationKeyField
from amina.geo.api_filters import GovernorateFilter
from amina.geo.models import District, Governorate, Location
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, FlagFilter, IdFilter, filters
from amina.needs.models import Sector


class ActivitySerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name_en", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    governorate = serializers.SlugRelatedField(
        slug_field="pcode", queryset=Governorate.objects.all()
    )
    district = serializers.SlugRelatedField(
        slug_field="pcode", queryset=District.objects.all(), required=False, allow_null=True
    )
    location = LocationKeyField(
        queryset=Location.objects.all(), required=False, allow_null=True
    )  # the stable location code, as in the 4W exports (an old numeric id still works)

    class Meta:
        model = Activity
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "sector",
            "activity_type",
            "description",
            "governorate",
            "district",
            "location",
            "start_date",
            "end_date",
            "status",
            "girls",
            "boys",
            "women",
            "men",
            "elderly_women",
            "elderly_men",
            "female_other",
            "male_other",
            "reached_other",
            "people_reached",
            "distribution_ref",
            "reported_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["people_reached", "reported_by", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # The location code names a place: only for roles that see location-level records
        # (partners read the 4W by governorate and district).
        if request is not None and not access.sees_detail(request.user):
            data["location"] = None
        return data


class ActivityFilter(FilterSet):
    governorate = GovernorateFilter()
    sector = IdFilter(field_name="sector__code", help_text="MCOF sector code")
    status = filters.ChoiceFilter(choices=Activity.Status.choices)
    organisation = IdFilter(field_name="organisation__id", help_text="organisation id")

    class Meta:
        model = Activity
        fields = ["governorate", "sector", "status", "organisation"]


class ActivitySummarySerializer(serializers.Serializer):
    people_reached_by_sector = serializers.DictField(
        child=serializers.IntegerField(), help_text="people reached, keyed by MCOF sector code"
    )
    duplications = serializers.IntegerField(
        help_text="places where two or more organisations report the same sector"
    )


class ActivityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """4W activities in the caller's governorates (partners included: the 4W is shared)."""

    serializer_class = ActivitySerializer
    required_actions = dict.fromkeys(("create", "update", "partial_update"), "activity.report")
    filterset_class = ActivityFilter
    queryset = Activity.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return access.scoped(self.request.user, Activity, detail=False).select_related(
            "organisation", "sector", "governorate", "district", "location"
        )

    def write_scope(self, activity) -> dict:
        """A stored activity is checked before the body (``ActionPermission``)."""
        return {"governorate": activity.governorate_id, "organisation": activity.organisation_id}

    def _save(self, serializer, instance=None):
        activity = instance or Activity()
        for key, value in serializer.validated_data.items():
            setattr(activity, key, value)
        try:
            save_activity(self.request.user, activity)
        except PermissionDenied:
            raise ApiPermissionDenied(
                "you may not report this organisation's activities in this governorate"
            ) from None
        serializer.instance = activity

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(responses=ActivitySummarySerializer)
    @action(detail=False, filterset_class=None, pagination_class=None)
    def summary(self, request):
        """People reached per MCOF sector, and present (location, sector) pairs count."""
        ids = access.governorate_filter(request.user)
        return Response(
            {
                "people_reached_by_sector": queries.people_reached(ids),
                "duplications": len(queries.duplication(ids)),
            }
        )


class TargetProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    sector = serializers.IntegerField(source="target.sector.code")
    governorate = serializers.CharField(source="target.governorate.pcode", allow_null=True)
    measure = serializers.CharField(source="target.measure")
    quantity = serializers.IntegerField(source="target.quantity")
    deadline = serializers.DateField(source="target.deadline")
    lead = serializers.CharField(source="target.lead", allow_null=True)
    achieved = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    lagging = serializers.BooleanField()


class ObjectiveSerializer(serializers.Serializer):
    phase = serializers.CharField()
    sector = serializers.IntegerField()
    text = serializers.CharField()


class ResponsePlanSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(
        slug_field="pcode", read_only=True, allow_null=True, help_text="null: a national plan"
    )
    objectives = serializers.SerializerMethodField()

    class Meta:
        model = ResponsePlan
        fields = ["id", "title", "governorate", "start_date", "end_date", "objectives"]

    @extend_schema_field(ObjectiveSerializer(many=True))
    def get_objectives(self, plan) -> list[dict]:
        return [
            {"phase": o.phase.code, "sector": o.sector.code, "text": o.text}
            for o in plan.objectives.all()
        ]


class ResponsePlanFilter(FilterSet):
    governorate = GovernorateFilter()

    class Meta:
        model = ResponsePlan
        fields = ["governorate"]


class ResponsePlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResponsePlanSerializer
    filterset_class = ResponsePlanFilter
    queryset = ResponsePlan.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            access.scoped(
                self.request.user, ResponsePlan.objects.all(), detail=False, national_records=True
            )
            .select_related("governorate")
            .prefetch_related("objectives__phase", "objectives__sector")
        )

    @extend_schema(responses=TargetProgressSerializer(many=True))
    @action(detail=True, filterset_class=None, pagination_class=None)
    def progress(self, request, pk=None):
        plan = self.get_object()
        return Response(TargetProgressSerializer(queries.plan_progress(plan), many=True).data)


class ActionPointSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionPoint
        fields = ["id", "meeting", "text", "owner", "due_date", "status", "overdue"]

    def get_overdue(self, point) -> bool:
        return point.is_overdue(timezone.localdate())


class MeetingSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(
        slug_field="pcode", read_only=True, allow_null=True, help_text="null: a national meeting"
    )
    organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    action_points = ActionPointSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "date",
            "governorate",
            "place",
            "chair",
            "agenda",
            "decisions",
            "organisations",
            "action_points",
        ]


class MeetingFilter(FilterSet):
    governorate = GovernorateFilter()
    since = filters.DateFilter(field_name="date", lookup_expr="gte", help_text="on or after")
    until = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="on or before")

    class Meta:
        model = Meeting
        fields = ["governorate", "since", "until"]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    queryset = Meeting.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            access.scoped(
                self.request.user, Meeting.objects.all(), detail=True, national_records=True
            )
            .select_related("governorate")
            .prefetch_related("organisations", "action_points__owner")
        )


class ActionPointFilter(FilterSet):
    overdue = FlagFilter(method="filter_overdue", help_text="open and past their due date")
    status = filters.ChoiceFilter(choices=ActionPoint.Status.choices)

    class Meta:
        model = ActionPoint
        fields = ["overdue", "status"]

    def filter_overdue(self, qs, name, value):
        overdue = {"status": ActionPoint.Status.OPEN, "due_date__lt": timezone.localdate()}
        return qs.filter(**overdue) if value else qs.exclude(**overdue)


class ActionPointViewSet(viewsets.ReadOnlyModelViewSet):
    """Action points of the meetings one may read, and one's own wherever they are."""

    serializer_class = ActionPointSerializer
    filterset_class = ActionPointFilter
    queryset = ActionPoint.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        from django.db.models import Q

        user = self.request.user
        meetings = access.scoped(user, Meeting.objects.all(), detail=True, national_records=True)
        return ActionPoint.objects.filter(Q(owner=user) | Q(meeting__in=meetings)).select_related(
            "owner"
        )


class ContactSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name_en", read_only=True)
    governorate = serializers.SlugRelatedField(
        slug_field="pcode", read_only=True, allow_null=True, help_text="null: a national contact"
    )
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "organisation", "governorate", "sectors", "phone", "email"]

    def _full(self) -> bool:
        return access.can_view_personal_data(self.context["request"].user)

    def get_phone(self, contact) -> str:
        return contact.phone if self._full() else mask(contact.phone)

    def get_email(self, contact) -> str:
        return contact.email if self._full() else mask(contact.email)


class ContactFilter(FilterSet):
    governorate = GovernorateFilter()
    sector = IdFilter(field_name="sectors__code", distinct=True)

    class Meta:
        model = Contact
        fields = ["governorate", "sector"]


class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    """Focal points; phones and e-mails masked without the personal-data permission."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    queryset = Contact.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            access.scoped(
                self.request.user, Contact.objects.all(), detail=False, national_records=True
            )
            .select_related("organisation", "governorate")
            .prefetch_related("sectors")
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            response.status_code == 200
            and access.can_view_personal_data(request.user)
            and isinstance(response.data, dict)
        ):
            rows = response.data.get("results", [response.data])
            ids = [r["id"] for r in rows if isinstance(r, dict) and "id" in r]
            if ids:
                log_access(
                    request.user, Contact, ids, "view", purpose="contacts API", channel="api"
                )
        return response


class TrainingSerializer(serializers.ModelSerializer):
    organiser = serializers.CharField(source="organiser.name_en", read_only=True)
    governorate = serializers.SlugRelatedField(slug_field="pcode", read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    participants = serializers.IntegerField(source="n_participants", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "title_ar",
            "start_date",
            "end_date",
            "place",
            "governorate",
            "organiser",
            "sectors",
            "topics",
            "trainers",
            "max_score",
            "participants",
        ]


class TrainingFilter(FilterSet):
    governorate = GovernorateFilter()
    sector = IdFilter(field_name="sectors__code", distinct=True)
    since = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    until = filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Training
        fields = ["governorate", "sector", "since", "until"]


class TrainingStatisticsSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    female = serializers.IntegerField()
    male = serializers.IntegerField()
    by_institution_kind = serializers.DictField(
        child=serializers.IntegerField(), help_text="participants per kind of organisation"
    )
    trainings = serializers.IntegerField()


class TrainingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    queryset = Training.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        from django.db.models import Count

        return (
            access.scoped(self.request.user, Training, detail=False)
            .select_related("organiser", "governorate")
            .prefetch_related("sectors")
            .annotate(n_participants=Count("participants"))
            .order_by("-start_date", "-pk")
        )

    @extend_schema(responses=TrainingStatisticsSerializer)
    @action(detail=False, filterset_class=None, pagination_class=None)
    def statistics(self, request):
        ids = access.governorate_filter(request.user)
        return Response(queries.training_summary(ids))


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name_en", read_only=True)
    governorate = serializers.SlugRelatedField(slug_field="pcode", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "training",
            "name",
            "name_ar",
            "title",
            "organisation",
            "governorate",
            "sex",
            "pre_score",
            "post_score",
        ]


class ParticipantFilter(FilterSet):
    training = IdFilter(field_name="training__id", help_text="the training's id")

    class Meta:
        model = Participant
        fields = ["training"]


class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    """Participants are people: detail roles in scope with the personal-data permission
    only, and every read is logged."""

    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    queryset = Participant.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if not access.can_view_personal_data(self.request.user):
            return Participant.objects.none()
        return access.scoped(self.request.user, Participant).select_related(
            "organisation", "governorate"
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and isinstance(response.data, dict):
            rows = response.data.get("results", [response.data])
            ids = [r["id"] for r in rows if isinstance(r, dict) and "id" in r]
            if ids:
                log_access(
                    request.user,
                    Participant,
                    ids,
                    "view",
                    purpose="participants API",
                    channel="api",
                )
        return response


router.register("coordination/activities", ActivityViewSet, basename="coordination-activity")
router.register("coordination/plans", ResponsePlanViewSet, basename="coordination-plan")
router.register("coordination/meetings", MeetingViewSet, basename="coordination-meeting")
router.register(
    "coordination/action-points", ActionPointViewSet, basename="coordination-action-point"
)
router.register("coordination/contacts", ContactViewSet, basename="coordination-contact")
router.register("coordination/trainings", TrainingViewSet, basename="coordination-training")
router.register(
    "coordination/participants", ParticipantViewSet, basename="coordination-participant"
)
