"""Administrators correct the MCOF reference (names and descriptions in both languages) and
can remove a mistaken assessment; every change is recorded in the history."""

from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.needs.models import NeedsAssessment, Phase, PriorityNeed, Sector, SectorSeverity


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["name_en", "name_ar"]


@admin.register(Phase)
class PhaseAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar", "order"]


class SeverityInline(admin.TabularInline):
    model = SectorSeverity
    extra = 0


class PriorityInline(admin.TabularInline):
    model = PriorityNeed
    extra = 0
    max_num = 3


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(AuditedAdmin):
    list_display = ["location", "assessed_on", "team", "population_individuals"]
    list_filter = ["location__governorate", "phase"]
    search_fields = ["location__name_en", "location__name_ar", "team"]
    date_hierarchy = "assessed_on"
    raw_id_fields = ["location", "assessed_by"]
    readonly_fields = ["created_at"]
    inlines = [SeverityInline, PriorityInline]
