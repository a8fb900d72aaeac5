from django.contrib import admin

from amina.audit.models import AccessLog, ChangeLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is read-only, for admins too."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["actor_name", "object_repr", "object_id"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "model", "count", "purpose", "channel"]
    list_filter = ["action", "model", "channel"]
