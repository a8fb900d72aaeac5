from rest_framework import serializers, viewsets

from amina.accounts.api_base import IsAminaAdmin
from amina.accounts.models import Organisation, User
from amina.geo.api_filters import GovernorateFilter
from amina.lib.api import router
from amina.lib.api_filters import FilterSet


class OrganisationSerializer(serializers.ModelSerializer):
    governorate = serializers.SlugRelatedField(read_only=True, slug_field="pcode", allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name_en", "name_ar", "acronym", "kind", "governorate"]


class UserSerializer(serializers.ModelSerializer):
    organisation = serializers.StringRelatedField(allow_null=True)
    governorates = serializers.SlugRelatedField(many=True, read_only=True, slug_field="pcode")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "organisation",
            "national_scope",
            "governorates",
            "can_view_personal_data",
            "is_active",
            "last_login",
        ]


class OrganisationFilter(FilterSet):
    governorate = GovernorateFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "governorate"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations are public within the system: everyone logged in may list them."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.select_related("governorate")


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users, for admins only."""

    serializer_class = UserSerializer
    permission_classes = [IsAminaAdmin]
    queryset = (
        User.objects.select_related("organisation")
        .prefetch_related("governorates")
        .order_by("username")
    )


router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
