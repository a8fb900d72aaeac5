"""Open data: aggregated datasets in HXL, CSV and XLSX, ready for HDX.

Only aggregates leave through here (counts per place and per sector, never a household or
a person), and every count goes through ``disclosure`` first. The displacement datasets
at the three levels are protected *together* (national → governorate → district →
location), so a figure withheld at one level cannot be recovered from another level.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from amina.geo.models import Governorate, Location
from amina.lib.exports import ExportColumn, write_table
from amina.needs import queries as needs_queries
from amina.reports import disclosure
from amina.reports.figures import Totals
from amina.tracking import queries as tracking_queries

ATTRIBUTES = (("idp_families", "idp_individuals"), ("returnee_families", "returnee_individuals"))


@dataclass
class Dataset:
    name: str
    title: object
    description: object
    detail: bool  # location-level: only for roles that see detail
    columns: list[ExportColumn] = field(default_factory=list)


GEO_COLUMNS = {
    "governorate": [
        ExportColumn("adm1_name", "Governorate", "#adm1+name"),
        ExportColumn("adm1_name_ar", "Governorate (Arabic)", "#adm1+name+i_ar"),
        ExportColumn("adm1_code", "Governorate p-code", "#adm1+code"),
    ],
    "district": [
        ExportColumn("adm2_name", "District", "#adm2+name"),
        ExportColumn("adm2_code", "District p-code", "#adm2+code"),
    ],
    "location": [
        ExportColumn("loc_name", "Location", "#loc+name"),
        ExportColumn("loc_name_ar", "Location (Arabic)", "#loc+name+i_ar"),
        ExportColumn("loc_code", "Location code", "#loc+code"),
        ExportColumn("lat", "Latitude", "#geo+lat"),
        ExportColumn("lon", "Longitude", "#geo+lon"),
    ],
}
FIGURE_COLUMNS = [
    ExportColumn("date", "Date", "#date+reported"),
    ExportColumn("idp_families", "IDP families", "#affected+idps+hh"),
    ExportColumn("idp_individuals", "IDP individuals", "#affected+idps+ind"),
    ExportColumn("returnee_families", "Returnee families", "#affected+returnees+hh"),
    ExportColumn("returnee_individuals", "Returnee individuals", "#affected+returnees+ind"),
]

DATASETS = {
    "displacement-governorates": Dataset(
        "displacement-governorates",
        _("Displacement by governorate"),
        _("IDP and returnee families and individuals per governorate (latest assessment)."),
        False,
        GEO_COLUMNS["governorate"] + FIGURE_COLUMNS,
    ),
    "displacement-districts": Dataset(
        "displacement-districts",
        _("Displacement by district"),
        _("IDP and returnee families and individuals per district (latest assessment)."),
        False,
        GEO_COLUMNS["governorate"] + GEO_COLUMNS["district"] + FIGURE_COLUMNS,
    ),
    "displacement-locations": Dataset(
        "displacement-locations",
        _("Displacement by location"),
        _("IDP and returnee families and individuals per location (latest assessment)."),
        True,
        GEO_COLUMNS["governorate"]
        + GEO_COLUMNS["district"]
        + GEO_COLUMNS["location"]
        + FIGURE_COLUMNS,
    ),
    "needs-sectors": Dataset(
        "needs-sectors",
        _("Priority needs by sector"),
        _(
            "Per governorate, how many assessed locations name each sector "
            "among their priority needs."
        ),
        False,
        GEO_COLUMNS["governorate"]
        + [
            ExportColumn("sector", "Sector", "#sector"),
            ExportColumn("locations", "Locations naming it", "#indicator+locations+num"),
        ],
    ),
}


class Unavailable(ValueError):
    """A dataset that cannot be produced. Nothing raises it any more (the sources are
    imported directly, and a dataset with no data yet is an empty table); kept only while
    ``reports.api`` registers it as an API error."""


def rows(name: str, governorate_ids: list[int] | None) -> list[dict]:
    """The dataset's rows for the governorates given (already scoped; ``None`` = all)."""
    if name.startswith("displacement-"):
        return displacement_rows(name.removeprefix("displacement-"), governorate_ids)
    if name == "needs-sectors":
        return needs_rows(governorate_ids)
    raise KeyError(name)


def render(name: str, fmt: str, governorate_ids: list[int] | None) -> bytes:
    dataset = DATASETS[name]
    return write_table(rows(name, governorate_ids), dataset.columns, fmt, title=name)


def _location_figures(governorate_ids) -> dict[int, tuple[Totals, date | None]]:
    """Per location id: its latest figures and the date they are as of."""
    found = tracking_queries.latest_location_figures(governorate_ids=governorate_ids)
    return {pk: (Totals.of(f), f.as_of) for pk, f in found.items()}


def displacement_rows(level: str, governorate_ids) -> list[dict]:
    """The rows of one displacement dataset (``level``: governorates, districts or
    locations), every level protected together."""
    figures = _location_figures(governorate_ids)
    locations = {
        loc.pk: loc
        for loc in Location.objects.filter(pk__in=list(figures)).select_related(
            "governorate", "district"
        )
    }
    tree = _figure_tree(figures, locations)
    lines = disclosure.tree_lines({k: sorted(v, key=str) for k, v in tree.children.items()})
    masks = {
        families: disclosure.protect(
            {k: getattr(v, families) for k, v in tree.values.items()}, lines
        )
        for families, _individuals in ATTRIBUTES
    }
    places = _Places(
        locations,
        {g.pk: g for g in Governorate.objects.all()},
        {loc.district_id: loc.district for loc in locations.values() if loc.district_id},
    )
    out = [
        _dataset_row(key, totals, tree.dates.get(key), places, masks)
        for key, totals in tree.values.items()
        if key[0] == level.rstrip("s")
    ]
    out.sort(key=lambda r: (r["adm1_code"], r.get("adm2_code") or "", str(r.get("loc_code", ""))))
    return out


@dataclass
class _FigureTree:
    """Every published figure keyed by (level, id), its date, and each key's children."""

    values: dict[tuple, Totals] = field(default_factory=lambda: defaultdict(Totals))
    dates: dict[tuple, date] = field(default_factory=dict)
    children: dict[tuple, set] = field(default_factory=lambda: defaultdict(set))


@dataclass
class _Places:
    locations: dict
    governorates: dict
    districts: dict


def _figure_tree(figures: dict, locations: dict) -> _FigureTree:
    """Sum each location's figures into its district, governorate and the country."""
    tree = _FigureTree()
    national = ("national", 0)
    for pk, (totals, when) in figures.items():
        loc = locations.get(pk)
        if loc is None:
            continue
        gov = ("governorate", loc.governorate_id)
        parent = ("district", loc.district_id) if loc.district_id else gov
        chain = [("location", pk), parent] + ([gov] if parent != gov else []) + [national]
        for lower, upper in zip(chain, chain[1:], strict=False):
            tree.children[upper].add(lower)
        for key in chain:
            tree.values[key] = tree.values[key] + totals
            if when and (key not in tree.dates or when > tree.dates[key]):
                tree.dates[key] = when
    return tree


def _dataset_row(key: tuple, totals: Totals, when, places: _Places, masks: dict) -> dict:
    """One published row: the place's names and codes, then its figures (withheld ones
    empty)."""
    row = {"date": when}
    if key[0] == "location":
        loc = places.locations[key[1]]
        gov, district = loc.governorate, loc.district
        row.update(
            loc_name=loc.name_en,
            loc_name_ar=loc.name_ar,
            loc_code=loc.code,
            lat=loc.centroid_lat,
            lon=loc.centroid_lon,
        )
    elif key[0] == "district":
        district = places.districts[key[1]]
        gov = places.governorates[district.governorate_id]
    else:
        gov, district = places.governorates[key[1]], None
    row.update(
        adm1_name=gov.name_en,
        adm1_name_ar=gov.name_ar,
        adm1_code=gov.pcode,
        adm2_name=district.name_en if district else "",
        adm2_code=district.pcode if district else "",
    )
    for families, individuals in ATTRIBUTES:
        hidden = key in masks[families]
        row[families] = None if hidden else getattr(totals, families)
        row[individuals] = None if hidden else getattr(totals, individuals)
    return row


def needs_rows(governorate_ids) -> list[dict]:
    """Governorate × sector counts, protected as a two-way table with its margins."""
    govs = list(
        Governorate.objects.filter(pk__in=governorate_ids)
        if governorate_ids is not None
        else Governorate.objects.all()
    )
    table: dict[tuple, int] = {}
    sectors: set[str] = set()
    for gov in govs:
        for sector, value in needs_queries.top_priority_needs([gov.pk], limit=50):
            table[(gov.pcode, sector.name)] = value
            sectors.add(sector.name)
    values = {(g.pcode, s): table.get((g.pcode, s), 0) for g in govs for s in sectors}
    for g in govs:
        values[(g.pcode, "total")] = sum(values[(g.pcode, s)] for s in sectors)
    for s in sectors:
        values[("total", s)] = sum(values[(g.pcode, s)] for g in govs)
    values[("total", "total")] = sum(values[("total", s)] for s in sectors)
    withheld = disclosure.protect(
        values, disclosure.two_way_lines([g.pcode for g in govs], sorted(sectors))
    )
    out = []
    for gov in govs:
        for sector in sorted(sectors):
            value = values[(gov.pcode, sector)]
            if value == 0:
                continue
            out.append(
                {
                    "adm1_name": gov.name_en,
                    "adm1_name_ar": gov.name_ar,
                    "adm1_code": gov.pcode,
                    "sector": sector,
                    "locations": None if (gov.pcode, sector) in withheld else value,
                }
            )
    return out


def governorate_map(
    governorate_ids: list[int] | None, language: str = "en"
) -> tuple[bytes, object]:
    """A standalone SVG map of IDP individuals by governorate at the latest round (small
    governorates withheld as in every product), and the round it shows."""
    from django.utils import translation

    from amina.reports import figures, rendering

    rnd = figures.find_round(None)
    with translation.override(language):
        governorates = (
            None
            if governorate_ids is None
            else list(Governorate.objects.filter(pk__in=governorate_ids))
        )
        figs = figures.compute(rnd, governorates, optional=False)
        withheld = {r.pcode for r in figs.governorates if r.shown_families is None}
        figs.map_values = {k: (0 if k in withheld else v) for k, v in figs.map_values.items()}
        if governorates is not None:
            figs.map_values = {k: v for k, v in figs.map_values.items() if k in figs.pcodes}
        title = f"{rendering.headline(figs)} ({figs.round.code})"
        body = str(rendering.map_svg(figs, width=600, height=560))
    svg = body.replace(
        'role="img">',
        f'role="img"><title>{title.replace("&", "&amp;").replace("<", "&lt;")}</title>',
        1,
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg).encode("utf-8"), figs.round
