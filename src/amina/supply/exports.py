"""Stock and distribution tables (CSV, XLSX, HXL, GeoJSON) for the web, the API and the CLI.

``user`` None is the command line (run by whoever administers the server): every
governorate. Distributions name households by registration number and place, so that
export needs a purpose, which goes to the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access
from amina.lib.exports import ExportColumn, point, write_table
from amina.registry.models import Household
from amina.supply.models import Distribution, Warehouse
from amina.supply.services.pipeline import stock_rows

#: Quantities of items are not money: HXL's ``#value`` is a monetary value, so they
#: take our own ``#x_quantity``.
STOCK_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("warehouse", "Warehouse", "#loc+name+warehouse"),
    ExportColumn("warehouse_code", "Warehouse code", "#loc+code+warehouse"),
    ExportColumn("warehouse_kind", "Warehouse kind", "#loc+type"),
    ExportColumn("item_code", "Item code", "#item+code"),
    ExportColumn("item", "Item", "#item+name"),
    ExportColumn("unit", "Unit", "#item+unit"),
    ExportColumn("on_hand", "On hand", "#x_quantity+stock+onhand+num"),
    ExportColumn("in_transit", "In transit", "#x_quantity+stock+transit+num"),
    ExportColumn("updated", "Updated", "#date+reported"),
]

#: One row per household and item delivered. The household's columns (reference, size,
#: vulnerability) are personal: no hashtag, never in GeoJSON. The entitlement period is
#: a label such as ``2015-winter``, not a date, so it is ``#x_period``, not ``#date``.
DISTRIBUTION_COLUMNS = [
    ExportColumn("date", "Date", "#date+distributed"),
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("location", "Location", "#loc+name"),
    ExportColumn("location_code", "Location code", "#loc+code"),
    ExportColumn("site", "Site", "#loc+name+site"),
    ExportColumn("household_ref", "Household reference", personal=True),
    ExportColumn("household_size", "Household size", personal=True),
    ExportColumn("vulnerability_score", "Vulnerability score", personal=True),
    ExportColumn("item_code", "Item code", "#item+code"),
    ExportColumn("item", "Item", "#item+name"),
    ExportColumn("quantity", "Quantity", "#x_quantity+distributed+num"),
    ExportColumn("period", "Entitlement period", "#x_period"),
    ExportColumn("plan", "Plan", "#activity+name"),
    ExportColumn("method", "How recorded", "#meta+method"),
]
#: GeoJSON of distributions is an aggregate: per location and item, no household.
DISTRIBUTION_MAP_COLUMNS = [
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("location", "Location", "#loc+name"),
    ExportColumn("location_code", "Location code", "#loc+code"),
    ExportColumn("item_code", "Item code", "#item+code"),
    ExportColumn("item", "Item", "#item+name"),
    ExportColumn("households", "Households served", "#reached+hh"),
    ExportColumn("quantity", "Quantity", "#x_quantity+distributed+num"),
]


def _warehouse_points(codes) -> dict[str, dict | None]:
    """Each warehouse's point: its location's, else its governorate's centre."""
    points = {}
    for w in Warehouse.objects.filter(code__in=set(codes)).select_related(
        "location", "governorate"
    ):
        place = w.location if w.location_id and w.location.centroid_lat is not None else None
        place = place or w.governorate
        points[w.code] = point(place.centroid_lat, place.centroid_lon)
    return points


def export_stock(user, fmt: str, governorates=()) -> bytes:
    if user is not None and not access.sees_detail(user):
        raise PermissionDenied
    rows = stock_rows(user, governorates)
    points = _warehouse_points(r["warehouse_code"] for r in rows) if fmt == "geojson" else {}
    return write_table(
        rows,
        STOCK_COLUMNS,
        fmt,
        title="stock",
        geometry=lambda r: points.get(r["warehouse_code"]),
    )


def _distribution_map(rows: list[dict]) -> bytes:
    cells: dict[tuple, dict] = {}
    for r in rows:
        key = (r["location_code"], r["item_code"])
        cell = cells.setdefault(
            key,
            {
                **{k: r[k] for k in ("governorate_pcode", "location", "location_code")},
                **{k: r[k] for k in ("item_code", "item", "_lat", "_lon")},
                "households": set(),
                "quantity": 0,
            },
        )
        cell["households"].add(r["household_ref"])
        cell["quantity"] += r["quantity"]
    out = [
        {**c, "households": len(c["households"])}
        for _key, c in sorted(cells.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    return write_table(
        out,
        DISTRIBUTION_MAP_COLUMNS,
        "geojson",
        title="distributions",
        geometry=lambda r: point(r["_lat"], r["_lon"]),
    )


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
                "location_code": loc.code,
                "_lat": loc.centroid_lat,
                "_lon": loc.centroid_lon,
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
    if fmt == "geojson":  # counts per location and item: nobody's data, nothing to log
        return _distribution_map(rows)
    log_access(
        user,
        Household,
        [d["household_ref"] for d in rows],
        "export",
        purpose=purpose.strip(),
        channel=channel,
    )
    return write_table(rows, DISTRIBUTION_COLUMNS, fmt, title="distributions")
