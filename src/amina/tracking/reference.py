"""Loading DTM shelter types and displacement periods from the project's fixtures."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _kurdish(Model, row: dict, **more: str) -> dict:  # noqa: N803
    """The Kurdish columns of a fixture row, for a model that has them: the migrations that
    ran before Kurdish was added call this loader with models that have none."""
    fields = {f.name for f in Model._meta.get_fields()}
    values = {"name_ckb": (row.get("name_ckb") or "").strip(), **more}
    return {k: v for k, v in values.items() if k in fields}


def load_tracking_reference(ShelterType, DisplacementPeriod) -> None:  # noqa: N803
    with open(FIXTURES / "dtm_shelter_types.csv", encoding="utf-8") as fh:
        for order, row in enumerate(csv.DictReader(fh)):
            ShelterType.objects.update_or_create(
                code=row["code"],
                defaults={
                    "dtm_column": row["dtm_column"],
                    "group": row["group"],
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                    "order": order,
                    **_kurdish(ShelterType, row),
                },
            )
    with open(FIXTURES / "dtm_displacement_periods.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            DisplacementPeriod.objects.update_or_create(
                code=row["code"],
                defaults={
                    "dtm_column": row["dtm_column"],
                    "starts": row["starts"],
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                    **_kurdish(DisplacementPeriod, row),
                },
            )
