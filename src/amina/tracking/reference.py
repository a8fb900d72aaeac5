"""Loading DTM shelter types and displacement periods from the project's fixtures."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
                },
            )
