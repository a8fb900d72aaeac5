"""What every API view shares: one router, and read views scoped by the access policy."""

from rest_framework import permissions, viewsets
from rest_framework.routers import DefaultRouter

from amina.accounts import access

router = DefaultRouter()


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail route whose queryset always passes through ``access.scoped``.

    ``detail_level`` False opens the view to partners (aggregates); True keeps it to
    the roles that see location-level records.
    """

    detail_level = True

    def get_queryset(self):
        return access.scoped(self.request.user, super().get_queryset(), detail=self.detail_level)


class IsAminaAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        return access.is_admin(request.user)
