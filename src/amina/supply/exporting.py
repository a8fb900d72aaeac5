"""Stock and distribution tables (CSV, XLSX, HXL) for the web, the API and the CLI.

``user`` None is the command line (run by whoever administers the server): every
governorate. Distributions name households by registration number and place, so that
export needs a purpose, which goes to the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access
from amina.core.exports import ExportColumn, write_table
from amina.registry.models import Household
from amina.supply.models import Distribution
from amina.supply.services.pipeline import stock_rows

STOCK_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("warehouse", "Warehouse", "#loc+name+warehouse"),
    ExportColumn("warehouse_code", "Warehouse code", "#loc+code+warehouse"),
    ExportColumn("warehouse_kind", "Warehouse kind", "#loc+type"),
    ExportColumn("item_code", "Item code", "#item+code"),
    ExportColumn("item", "Item", "#item+name"),
    ExportColumn("unit", "Unit", "#item+unit"),
    ExportColumn("on_hand", "On hand", "#value+stock+onhand"),
    ExportColumn("in_transit", "In transit", "#value+stock+transit"),
    ExportColumn("updated", "Updated", "#date+reported"),
]

DISTRIBUTION_COLUMNS = [
    ExportColumn("date", "Date", "#date+distributed"),
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("location", "Location", "#loc+name"),
    ExportColumn("location_pcode", "Location p-code", "#loc+code"),
    ExportColumn("site", "Site", "#loc+name+site"),
    ExportColumn("household_ref", "Household reference", "#beneficiary+id"),
    ExportColumn("household_size", "Household size", "#affected+ind"),
    ExportColumn("vulnerability_score", "Vulnerability score", "#severity+vulnerability"),
    ExportColumn("item_code", "Item code", "#item+code"),
    ExportColumn("item", "Item", "#item+name"),
    ExportColumn("quantity", "Quantity", "#value+distributed"),
    ExportColumn("period", "Entitlement period", "#date+period"),
    ExportColumn("plan", "Plan", "#activity+name"),
    ExportColumn("method", "How recorded", "#meta+method"),
]


def export_stock(user, fmt: str, governorates=()) -> bytes:
    if user is not None and not access.sees_detail(user):
        raise PermissionDenied
    return write_table(stock_rows(user, governorates), STOCK_COLUMNS, fmt, title="stock")


def export_distributions(
    user, fmt: str, *, purpose: str, governorates=(), channel: str = "web"
) -> bytes:
    if not purpose.strip():
        raise ValidationError(_("Say why you export distributions (the purpose is logged)."))
    qs = Distribution.objects.select_related(
        "household__location", "site__governorate", "item", "plan"
    )
    if user is not None:
        if not access.sees_detail(user):
            raise PermissionDenied
        qs = access.scoped(user, qs)
    if governorates:
        qs = qs.filter(site__governorate__pcode__in=list(governorates))
    rows = []
    for d in qs.order_by("distributed_at", "pk"):
        loc = d.household.location
        rows.append(
            {
                "date": d.distributed_at.date(),
                "governorate": d.site.governorate.name_en,
                "governorate_pcode": d.site.governorate.pcode,
                "location": loc.name_en,
                "location_pcode": loc.pcode or "",
                "site": d.site.name_en,
                "household_ref": d.household.household_ref,
                "household_size": d.household.size,
                "vulnerability_score": d.household.vulnerability_score,
                "item_code": d.item.code,
                "item": d.item.name_en,
                "quantity": d.quantity,
                "period": d.period,
                "plan": d.plan.name,
                "method": d.method,
            }
        )
    log_access(
        user,
        Household,
        [d["household_ref"] for d in rows],
        "export",
        purpose=purpose.strip(),
        channel=channel,
    )
    return write_table(rows, DISTRIBUTION_COLUMNS, fmt, title="distributions")
