"""Loading the reference geography from the project's own fixtures.

Used by the data migration (with historical models) and by tests that flush the
database (with the real ones), so both load exactly the same rows.
"""

import csv
from pathlib import Path

from amina.geo.names import place_key

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _kurdish(Model, row: dict, **more: str) -> dict:  # noqa: N803
    """The Kurdish columns of a fixture row, for a model that has them: the migrations that
    ran before Kurdish was added call this loader with models that have none."""
    fields = {f.name for f in Model._meta.get_fields()}
    values = {"name_ckb": (row.get("name_ckb") or "").strip(), **more}
    return {k: v for k, v in values.items() if k in fields}


def _float(value):
    return float(value) if value not in (None, "") else None


def load_reference_geography(Governorate, District, PlaceAlias) -> None:  # noqa: N803
    """Create or update the 18 governorates (with spellings) and the 101 COD districts, with
    their Kurdish names where the fixtures have one."""
    with open(FIXTURES / "governorates.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            gov, _ = Governorate.objects.update_or_create(
                pcode=row["pcode"],
                defaults={
                    "iso_code": row["iso_3166_2"] or None,
                    "pcode_2014": row["pcode_2014"] or None,
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                    "name_dtm": row["name_dtm"],
                    "kurdistan_region": row["kurdistan_region"] == "yes",
                    "centroid_lat": _float(row["centroid_lat"]),
                    "centroid_lon": _float(row["centroid_lon"]),
                    **_kurdish(Governorate, row),
                },
            )
            for name in [v.strip() for v in row["spelling_variants"].split(";") if v.strip()]:
                PlaceAlias.objects.get_or_create(
                    governorate=gov,
                    name=name,
                    defaults={"key": place_key(name), "source": "reference"},
                )
    govs = {g.pcode: g for g in Governorate.objects.all()}
    with open(FIXTURES / "districts.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            District.objects.update_or_create(
                pcode=row["pcode"],
                defaults={
                    "governorate": govs[row["governorate_pcode"]],
                    "name_en": row["name_en"].strip(),
                    "name_ar": row["name_ar"].strip(),
                    "centroid_lat": _float(row["centroid_lat"]),
                    "centroid_lon": _float(row["centroid_lon"]),
                    **_kurdish(District, row),
                },
            )
