from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.geo.models import District, Governorate, Location, PlaceAlias, SubDistrict


class AliasInline(admin.TabularInline):
    model = PlaceAlias
    extra = 1
    fields = ["name", "source"]


@admin.register(Governorate)
class GovernorateAdmin(AuditedAdmin):
    list_display = ["pcode", "name_en", "name_ar", "iso_code", "pcode_2014", "kurdistan_region"]
    search_fields = ["pcode", "name_en", "name_ar", "name_dtm"]

    inlines = [AliasInline]


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["pcode", "name_en", "name_ar", "governorate"]
    list_filter = ["governorate"]
    search_fields = ["pcode", "name_en", "name_ar"]

    inlines = [AliasInline]


@admin.register(SubDistrict)
class SubDistrictAdmin(AuditedAdmin):
    list_display = ["pcode", "name_en", "name_ar", "district"]
    search_fields = ["pcode", "name_en", "name_ar"]
    autocomplete_fields = ["district"]


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = [
        "name_en",
        "name_ar",
        "kind",
        "governorate",
        "district",
        "code",
        "dtm_place_id",
        "needs_review",
    ]
    list_filter = ["needs_review", "kind", "governorate"]
    search_fields = ["name_en", "name_ar", "code", "pcode", "dtm_place_id"]
    readonly_fields = ["code"]
    autocomplete_fields = ["district", "sub_district"]
    inlines = [AliasInline]


@admin.register(PlaceAlias)
class PlaceAliasAdmin(AuditedAdmin):
    list_display = ["name", "target", "source"]
    list_filter = ["source"]
    search_fields = ["name"]
    autocomplete_fields = ["governorate", "district", "location"]
