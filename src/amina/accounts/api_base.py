"""The base of every app's API views: read views and references scoped by the access
policy, and the permission of admin-only resources.

They live in accounts (a platform app) because they depend on ``amina.accounts.access``;
the router they are registered on is ``amina.lib.api.router``.
"""

from rest_framework import permissions, serializers, viewsets

from amina.accounts import access


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail route whose queryset always passes through ``access.scoped``.

    ``detail_level`` False opens the view to partners (aggregates); True keeps it to
    the roles that see location-level records.
    """

    detail_level = True

    def get_queryset(self):
        return access.scoped(self.request.user, super().get_queryset(), detail=self.detail_level)


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A reference by code to a scoped record (a warehouse, a plan …) in a request body.

    The choices are the caller's scope, so a record outside it is refused exactly like one
    that does not exist: codes cannot be enumerated by comparing the answers.
    """

    def __init__(self, model, *, detail: bool = True, **kwargs):
        self.scope_model, self.detail = model, detail
        kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return access.scoped(user, self.scope_model, detail=self.detail)


class IsAminaAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        return access.is_admin(request.user)
