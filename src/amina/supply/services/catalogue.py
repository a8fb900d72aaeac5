"""Items and warehouses: reference data kept by administrators and logistics officers."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.supply.models import Item, KitComponent, Warehouse


@transaction.atomic
def save_item(user, item: Item, components: Iterable[tuple[Item, int]] | None = None) -> Item:
    """Create or update a catalogue item; a kit's components replace the previous list."""
    access.check(user, "item.manage")
    before = snapshot(Item.objects.get(pk=item.pk)) if item.pk else {}
    item.full_clean()
    item.save()
    if components is not None:
        components = list(components)
        if components and not item.is_kit:
            raise ValidationError({"is_kit": _("Only a kit has components.")})
        for component, _qty in components:
            if component.pk == item.pk:
                raise ValidationError({"components": _("A kit cannot contain itself.")})
            if component.is_kit:
                raise ValidationError({"components": _("A kit cannot contain another kit.")})
        item.components.all().delete()
        KitComponent.objects.bulk_create(
            [KitComponent(kit=item, component=c, quantity=q) for c, q in components]
        )
    record_change(user, item, "update" if before else "create", diff(before, snapshot(item)))
    return item


@transaction.atomic
def save_warehouse(user, warehouse: Warehouse, managers: Iterable | None = None) -> Warehouse:
    """Create or update a warehouse in a governorate the user may act on."""
    access.check(user, "warehouse.manage", warehouse.governorate_id)
    if warehouse.location_id and warehouse.location.governorate_id != warehouse.governorate_id:
        raise ValidationError(
            {"location": _("The location is not in the warehouse's governorate.")}
        )
    before = snapshot(Warehouse.objects.get(pk=warehouse.pk)) if warehouse.pk else {}
    warehouse.full_clean()
    warehouse.save()
    if managers is not None:
        warehouse.managers.set(managers)
    record_change(
        user, warehouse, "update" if before else "create", diff(before, snapshot(warehouse))
    )
    return warehouse
