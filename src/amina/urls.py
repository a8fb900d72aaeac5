from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("amina.core.urls")),
    path("accounts/", include("amina.accounts.urls")),
    path("geo/", include("amina.geo.urls")),
    path("jobs/", include("amina.jobs.urls")),
    path("audit/", include("amina.audit.urls")),
    path("tracking/", include("amina.tracking.urls")),
    path("registry/", include("amina.registry.urls")),
    path("needs/", include("amina.needs.urls")),
    path("supply/", include("amina.supply.urls")),
    path("coordination/", include("amina.coordination.urls")),
    path("reports/", include("amina.reports.urls")),
    path("notifications/", include("amina.notices.urls")),
    path("api/v1/", include("amina.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

# A lost database met outside a view (session, user) answers 503, not a bare 500.
handler500 = "amina.core.errors.server_error"
# 403 and 404 are pages of Amina, with the menu, in the user's language (issue 16).
handler403 = "amina.core.errors.permission_denied"
handler404 = "amina.core.errors.page_not_found"
