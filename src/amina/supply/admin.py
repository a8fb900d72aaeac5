"""Admin: catalogue and warehouses with audit; the ledger read-only (never edited)."""

from django.contrib import admin

from amina.audit.admin_base import AuditedAdmin
from amina.supply.models import Item, KitComponent, StockBalance, StockMovement, Warehouse


class KitComponentInline(admin.TabularInline):
    model = KitComponent
    fk_name = "kit"
    extra = 0


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name_en",
        "name_ar",
        "unit",
        "weight_kg",
        "volume_m3",
        "is_kit",
        "active",
    ]
    search_fields = ["code", "name_en", "name_ar"]
    inlines = [KitComponentInline]


@admin.register(Warehouse)
class WarehouseAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "kind", "governorate", "active"]
    list_filter = ["kind", "governorate"]
    search_fields = ["code", "name_en", "name_ar"]
    raw_id_fields = ["location"]
    filter_horizontal = ["managers"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger and balances change only through the services: the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "warehouse", "item", "kind", "quantity", "created_by"]
    list_filter = ["kind"]
    search_fields = ["reference", "donor", "warehouse__code", "item__code"]


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ["warehouse", "item", "quantity", "updated_at"]
