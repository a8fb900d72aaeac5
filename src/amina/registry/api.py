"""API of the registry, scoped and masked exactly like the pages.

``registry/households`` (list, detail, ``?q=`` search with the personal-data
permission) and ``registry/duplicates``. Personal values go through the same
``queries.masked``; every response that shows them is logged with ``log_access``.
"""

from __future__ import annotations

from rest_framework import serializers

from amina.accounts import access
from amina.accounts.api_base import ScopedReadOnlyViewSet
from amina.audit.services import log_access
from amina.geo.api import LocationKeyField
from amina.geo.api_filters import GovernorateFilter
from amina.lib.api import router
from amina.lib.api_filters import FilterSet, filters
from amina.registry import queries
from amina.registry.models import DuplicateCandidate, Household, Member


class MemberSerializer(serializers.ModelSerializer):
    name_ar = serializers.SerializerMethodField()
    name_latin = serializers.SerializerMethodField()
    document_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "member_no",
            "is_head",
            "relationship",
            "name_ar",
            "name_latin",
            "sex",
            "birth_date",
            "birth_year",
            "document_type",
            "document_number",
            "phone",
            "disability",
            "chronic_illness",
        ]

    def _show(self, value, kind):
        return value if self.context.get("personal") else queries.masked(value, kind)

    def get_name_ar(self, m) -> str:
        return self._show(m.full_name_ar, "name")

    def get_name_latin(self, m) -> str:
        return self._show(m.name_latin, "name")

    def get_document_number(self, m) -> str:
        return self._show(m.document_number, "document")

    def get_phone(self, m) -> str:
        return self._show(m.phone, "phone")

    def get_birth_date(self, m) -> str | None:
        return m.birth_date.isoformat() if self.context.get("personal") and m.birth_date else None


class HouseholdSerializer(serializers.ModelSerializer):
    location = LocationKeyField(read_only=True)  # the stable location code
    governorate = serializers.SlugRelatedField(read_only=True, slug_field="pcode")
    origin_governorate = serializers.SlugRelatedField(
        read_only=True, slug_field="pcode", allow_null=True
    )
    shelter = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)
    merged_into = serializers.SlugRelatedField(
        read_only=True, slug_field="household_ref", allow_null=True
    )
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_ref",
            "location",
            "governorate",
            "origin_governorate",
            "displacement_date",
            "shelter",
            "size",
            "status",
            "close_reason",
            "closed_at",
            "consent",
            "vulnerability_score",
            "vulnerability_reasons",
            "registration_date",
            "merged_into",
            "members",
        ]


class HouseholdFilter(FilterSet):
    q = filters.CharFilter(
        method="search",
        help_text="search names, documents, phones and references (personal-data permission)",
    )
    governorate = GovernorateFilter()
    status = filters.ChoiceFilter(choices=Household.Status.choices)

    class Meta:
        model = Household
        fields = ["q", "governorate", "status"]

    def search(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        user = self.request.user
        access.require_personal_data(user)
        return (
            queries.search(user, q)
            .filter(pk__in=qs.values("pk"))
            .order_by("pk")
            .select_related("governorate", "location")
            .prefetch_related("members")
        )


class HouseholdViewSet(ScopedReadOnlyViewSet):
    """Households in the caller's scope; names, documents and phones are masked without
    the personal-data permission, and every response showing them is logged."""

    queryset = (
        Household.objects.select_related(
            "governorate", "location", "origin_governorate", "shelter", "merged_into"
        )
        .prefetch_related("members")
        .order_by("pk")
    )
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "personal": access.can_view_personal_data(self.request.user),
        }

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and access.can_view_personal_data(request.user):
            data = response.data if isinstance(response.data, dict) else {}
            rows = data.get("results", [data] if "household_ref" in data else [])
            ids = [r["id"] for r in rows if isinstance(r, dict) and "id" in r]
            if ids:
                log_access(
                    request.user,
                    Household,
                    ids,
                    "search" if request.query_params.get("q") else "view",
                    purpose="API",
                    channel="api",
                )
        return response


class DuplicateSerializer(serializers.ModelSerializer):
    household_a = serializers.SlugRelatedField(read_only=True, slug_field="household_ref")
    household_b = serializers.SlugRelatedField(read_only=True, slug_field="household_ref")
    kind = serializers.ChoiceField(
        choices=DuplicateCandidate.Kind.choices,
        read_only=True,
        help_text="What the pair is. same_head: the two registrations' heads of household "
        "are one person, and probability is the model's match probability. other_head: the "
        "same family (at least two children in common by first name, year of birth and "
        "father's name) registered under another head, e.g. the wife while the husband is "
        "missing; probability is then the share of children in common, not a model "
        "probability.",
    )

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id",
            "household_a",
            "household_b",
            "kind",
            "cluster",
            "probability",
            "agreeing",
            "disagreeing",
            "decision",
            "decided_at",
        ]


class DuplicateFilter(FilterSet):
    class Meta:
        model = DuplicateCandidate
        fields = ["decision"]


class DuplicateViewSet(ScopedReadOnlyViewSet):
    filterset_class = DuplicateFilter
    queryset = DuplicateCandidate.objects.select_related("household_a", "household_b")
    serializer_class = DuplicateSerializer


router.register("registry/households", HouseholdViewSet, basename="registry-household")
router.register("registry/duplicates", DuplicateViewSet, basename="registry-duplicate")
