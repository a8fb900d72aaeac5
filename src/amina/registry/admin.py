from django.contrib import admin
from django.db import transaction

from amina.audit.admin_base import AuditedAdmin
from amina.registry import vulnerability
from amina.registry.models import VulnerabilityWeight


@admin.register(VulnerabilityWeight)
class VulnerabilityWeightAdmin(AuditedAdmin):
    """Weights are reference data an admin edits; every save recomputes the scores.

    Households themselves are not in the admin: they are personal data, read through the
    registry's scoped and logged pages only."""

    list_display = ["criterion", "weight", "updated_at"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            vulnerability.recompute_all()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            vulnerability.recompute_all()
