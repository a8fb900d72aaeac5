from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.tracking.models import (
    Alert,
    AlertRule,
    DisplacementPeriod,
    DtmUpload,
    LocationAssessment,
    MovementEvent,
    Round,
    ShelterType,
)


@admin.register(ShelterType)
class ShelterTypeAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar", "group", "dtm_column", "order"]


@admin.register(DisplacementPeriod)
class DisplacementPeriodAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar", "starts", "dtm_column"]


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    list_display = ["code", "date", "kind", "multiplier", "camp_multiplier"]
    list_filter = ["kind"]


@admin.register(LocationAssessment)
class LocationAssessmentAdmin(AuditedAdmin):
    list_display = ["round", "location", "families", "individuals", "returnee_families", "source"]
    list_filter = ["round", "source"]
    raw_id_fields = ["location", "created_by"]
    list_select_related = ["round", "location"]


@admin.register(MovementEvent)
class MovementEventAdmin(AuditedAdmin):
    list_display = ["date", "location", "direction", "families", "individuals"]
    raw_id_fields = ["location", "created_by"]


@admin.register(AlertRule)
class AlertRuleAdmin(AuditedAdmin):
    list_display = ["name", "governorate", "location", "mode", "threshold", "period_days", "active"]
    raw_id_fields = ["location"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["rule", "governorate", "fired_at", "arrivals", "baseline"]
    readonly_fields = [
        "rule",
        "episode",
        "governorate",
        "window_start",
        "window_end",
        "arrivals",
        "baseline",
        "recipients",
    ]

    def has_add_permission(self, request) -> bool:
        """Alerts are fired by their rules; every field is read-only, so one typed here
        would be empty and fail to save."""
        return False


@admin.register(DtmUpload)
class DtmUploadAdmin(admin.ModelAdmin):
    list_display = ["filename", "round_code", "kind", "status", "created_at"]
    readonly_fields = ["report"]
