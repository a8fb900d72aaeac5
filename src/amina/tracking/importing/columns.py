"""What a DTM master list looks like: its sheets, its columns under every name DTM has
published them, the breakdown columns (one per governorate of origin, shelter type and
displacement period, named from the reference data), and the date in its title."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from amina.geo.models import Governorate, PlaceAlias
from amina.lib import tabular
from amina.lib.arabic import to_western_digits
from amina.tracking.models import DisplacementPeriod, ShelterType

SHEETS = ("DTM DATASET", "Master List", "Dataset")
#: A master list has a row per location: thousands, never hundreds of thousands.
MAX_ROWS = 200_000
BASE_COLUMNS = [
    tabular.Column(
        "place_id",
        (
            "Place id",
            "Place ID",
            "Location ID",
            "Location id",
            "PlaceID",
            "رقم الموقع",
            "معرف الموقع",
        ),
    ),
    tabular.Column("governorate", ("Governorate", "Governorate name", "المحافظة"), required=True),
    tabular.Column("district", ("District", "District name", "القضاء")),
    tabular.Column(
        "name_en",
        (
            "Location name in English",
            "Location Name",
            "Location name",
            "Location",
            "Location name (English)",
            "اسم الموقع بالانكليزية",
            "اسم الموقع بالإنجليزية",
        ),
    ),
    tabular.Column(
        "name_ar",
        (
            "Location name in Arabic",
            "Location name (Arabic)",
            "اسم الموقع",
            "اسم الموقع بالعربية",
            "اسم الموقع بالعربي",
        ),
    ),
    tabular.Column("latitude", ("Latitude", "Lat", "خط العرض")),
    tabular.Column("longitude", ("Longitude", "Long", "Lon", "خط الطول")),
    tabular.Column(
        "families",
        (
            "Families",
            "IDPs Families",
            "IDP Families",
            "Households",
            "IDP Households",
            "Returnee Families",
            "Returnees Families",
            "العوائل",
            "عدد العوائل",
            "الأسر",
            "عدد الأسر",
            "العوائل النازحة",
        ),
        required=True,
    ),
    tabular.Column(
        "individuals",
        (
            "Individuals",
            "IDPs Individuals",
            "IDP Individuals",
            "IDPs",
            "Returnee Individuals",
            "Returnees Individuals",
            "Returnees",
            "الأفراد",
            "عدد الأفراد",
            "الافراد",
        ),
    ),
]

#: The three breakdowns, in the order their columns are read and their sums checked.
BREAKDOWNS = ("origin", "shelter", "period")


@dataclass
class GroupColumns:
    """The breakdown columns: ``columns`` to look for, and for each breakdown the column
    name (``origin:<id>``, ``shelter:<id>``, ``period:<id>``) → the referenced row's id."""

    columns: list[tabular.Column] = field(default_factory=list)
    ids: dict[str, dict[str, int]] = field(
        default_factory=lambda: {which: {} for which in BREAKDOWNS}
    )

    def add(self, which: str, pk: int, headers) -> None:
        name = f"{which}:{pk}"
        self.ids[which][name] = pk
        self.columns.append(tabular.Column(name, tuple(filter(None, headers))))


def group_columns() -> GroupColumns:
    """Columns of the three breakdowns, under the names DTM and the reference data use."""
    groups = GroupColumns()
    aliases: dict[int, list[str]] = {}
    for gid, name in PlaceAlias.objects.filter(governorate__isnull=False).values_list(
        "governorate_id", "name"
    ):
        aliases.setdefault(gid, []).append(name)
    for gov in Governorate.objects.all():
        groups.add(
            "origin", gov.pk, (gov.name_dtm, gov.name_en, gov.name_ar, *aliases.get(gov.pk, ()))
        )
    for shelter in ShelterType.objects.all():
        groups.add("shelter", shelter.pk, (shelter.dtm_column, shelter.name_en, shelter.name_ar))
    for period in DisplacementPeriod.objects.all():
        groups.add("period", period.pk, (period.dtm_column, period.name_en, period.name_ar))
    return groups


_TITLE_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def date_in(text: str) -> datetime.date | None:
    """A date written in a DTM title or file name ("Master List 2-2-2017", "2017-2-2")."""
    match = _TITLE_DATE.search(to_western_digits(str(text or "")))
    if not match:
        return None
    try:
        if match.group(1):
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return datetime.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
    except ValueError:
        return None


def title_date(source, table: tabular.Table, filename) -> datetime.date | None:
    """The list's date from its title (the rows above the header) or its file name."""
    name = filename or (Path(source).name if isinstance(source, str | Path) else "")
    for row in table.above[:3]:
        for cell in row:
            if cell not in ("", None) and (found := date_in(cell)) is not None:
                return found
    return date_in(name)


def round_code_from(filename: str) -> str | None:
    """``R64`` from "Round64_Master_List…", ``R21`` from "dtm-master-list-round21.csv"."""
    match = re.search(r"round[\s_-]*(\d+)", filename, re.IGNORECASE)
    return f"R{int(match.group(1))}" if match else None
