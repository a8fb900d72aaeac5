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


_BACKEND_LIMITS = {2**15 - 1, -(2**15), 2**31 - 1, -(2**31), 2**63 - 1, -(2**63)}


def drop_database_integer_ranges(result, generator, request, public):
    """Remove integer bounds that come from the database backend, not from the model.

    DRF derives ``maximum``/``minimum`` (and so ``format: int64``) of integer fields from
    the connected database's column ranges, which differ between SQLite and PostgreSQL;
    the published contract must not depend on where it was generated.
    """

    def walk(node):
        if isinstance(node, dict):
            for key in ("maximum", "minimum"):
                if node.get(key) in _BACKEND_LIMITS:
                    del node[key]
            if node.get("type") == "integer":
                node.pop("format", None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
