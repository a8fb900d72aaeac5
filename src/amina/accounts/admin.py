from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from amina.accounts.models import Organisation, Role, User
from amina.audit.admin_base import AuditedAdmin


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name_en", "name_ar", "acronym", "kind", "governorate"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ar", "acronym"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, AuditedAdmin):
    form = BaseUserAdmin.form
    list_display = [
        "username",
        "role",
        "organisation",
        "national_scope",
        "can_view_personal_data",
        "is_active",
    ]
    list_filter = ["role", "national_scope", "can_view_personal_data", "is_active"]
    filter_horizontal = ["governorates", "groups", "user_permissions"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "organisation",
                    "national_scope",
                    "governorates",
                    "can_view_personal_data",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        """The admin role opens the admin site; leaving it closes it (as ``create_user`` does)."""
        if obj.role == Role.ADMIN:
            obj.is_staff = obj.is_superuser = True
        elif change and "role" in form.changed_data and form.initial.get("role") == Role.ADMIN:
            obj.is_staff = obj.is_superuser = False
        super().save_model(request, obj, form, change)

    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "organisation",
                    "national_scope",
                    "governorates",
                    "can_view_personal_data",
                )
            },
        ),
    )
