"""The REST API under /api/v1/: every app's ``api`` module registers on one router."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from amina.core.api import router

for config in apps.get_app_configs():
    if config.name.startswith("amina."):
        try:
            import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise

urlpatterns = [
    path("auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    # The split view serves its start-up script from this URL (?script), not inline, so
    # Swagger UI runs under the Content Security Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("", include(router.urls)),
]
