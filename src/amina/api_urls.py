"""The REST API under /api/v1/: every app's ``api`` module registers on one router."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from amina.accounts.token_api import ObtainToken
from amina.core.discovery import app_modules
from amina.lib.api import router

app_modules("api")  # each app's api module registers its viewsets on the router

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    # The split view serves its start-up script from this URL (?script), not inline, so
    # Swagger UI runs under the Content Security Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    # an address no route matches answers JSON too: amina.core.errors.page_not_found
    path("", include(router.urls)),
]
