from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.reports.models import Publication, Report, Schedule


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["title", "kind", "round_code", "language", "status", "version", "author"]
    list_filter = ["kind", "status", "language"]
    readonly_fields = ["version", "status", "author"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Published versions are frozen: the admin reads them, never edits them."""

    list_display = ["title", "kind", "version", "language", "date", "published_at"]
    list_filter = ["kind", "language"]
    exclude = ["content"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Schedule)
class ScheduleAdmin(AuditedAdmin):
    list_display = ["title", "frequency", "next_run", "active", "owner", "last_result"]
    list_filter = ["frequency", "active"]
