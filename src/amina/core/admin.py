"""The admin base: every save and delete writes the change history in the same transaction."""

from django.contrib import admin
from django.db import transaction

from amina.audit.services import diff, record_change, snapshot
from amina.core.forms import ModelForm


class AuditedAdmin(admin.ModelAdmin):
    form = ModelForm

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
            super().save_model(request, obj, form, change)
            record_change(request.user, obj, "update" if change else "create",
                          diff(before, snapshot(obj)))

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_change(request.user, obj, "delete", diff(snapshot(obj), {}))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record_change(request.user, obj, "delete", diff(snapshot(obj), {}))
            super().delete_queryset(request, queryset)
