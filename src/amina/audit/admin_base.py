"""The admin base: every save and delete writes the change history in the same transaction."""

from django.contrib import admin
from django.db import transaction

from amina.audit.services import diff, record_change, snapshot
from amina.lib.forms import ModelForm

#: Never copied into the change history (a password hash is a secret, a login time noise).
SECRET_FIELDS = ("password", "last_login")


def _snapshot(obj) -> dict:
    return snapshot(obj, exclude=SECRET_FIELDS) if obj is not None and obj.pk else {}


class AuditedAdmin(admin.ModelAdmin):
    """Records one change row per saved object, including its many-to-many fields and the
    rows of its inlines (such as a place's spellings), with the admin user as the actor.

    The admin's change view already runs in one transaction, so the history and the
    change commit together.
    """

    form = ModelForm

    def save_model(self, request, obj, form, change):
        before = _snapshot(type(obj)._default_manager.filter(pk=obj.pk).first()) if change else {}
        request._amina_audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_amina_audit_before", {})
        record_change(
            request.user, obj, "update" if change else "create", diff(before, _snapshot(obj))
        )

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            # The forms' instances already hold the new values: read the old ones.
            pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
            before = {o.pk: _snapshot(o) for o in formset.model._default_manager.filter(pk__in=pks)}
            for deleted in formset.deleted_forms:
                if deleted.instance.pk:
                    record_change(
                        request.user,
                        deleted.instance,
                        "delete",
                        diff(before.get(deleted.instance.pk, {}), {}),
                    )
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                record_change(request.user, obj, "create", diff({}, _snapshot(obj)))
            for obj, _fields in formset.changed_objects:
                record_change(
                    request.user, obj, "update", diff(before.get(obj.pk, {}), _snapshot(obj))
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_change(request.user, obj, "delete", diff(_snapshot(obj), {}))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record_change(request.user, obj, "delete", diff(_snapshot(obj), {}))
            super().delete_queryset(request, queryset)
