"""Administrators correct the MCOF reference (names and descriptions in both languages)."""

from django.contrib import admin

from amina.core.admin import AuditedAdmin
from amina.needs.models import Phase, Sector


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["name_en", "name_ar"]


@admin.register(Phase)
class PhaseAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar", "order"]
