from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from amina.accounts.models import Organisation, User
from amina.core.admin import AuditedAdmin


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name_en", "name_ar", "acronym", "kind", "governorate"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ar", "acronym"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, AuditedAdmin):
    form = BaseUserAdmin.form
    list_display = ["username", "role", "organisation", "national_scope",
                    "can_view_personal_data", "is_active"]
    list_filter = ["role", "national_scope", "can_view_personal_data", "is_active"]
    filter_horizontal = ["governorates", "groups", "user_permissions"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ("role", "organisation", "national_scope",
                                          "governorates", "can_view_personal_data")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and scope"), {"fields": ("role", "organisation", "national_scope",
                                          "governorates", "can_view_personal_data")}),
    )
