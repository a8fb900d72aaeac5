"""Loading the MCOF sectors and phases from the project's fixtures."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

PHASE_MEANINGS_AR = {
    "before": "التأهب والإنذار المبكر والحد من مخاطر الكوارث",
    "during": "الاستجابة الطارئة والحماية",
    "after": "المرحلة الانتقالية والتعافي والحلول الدائمة",
}


def load_mcof_reference(Sector, Phase) -> None:  # noqa: N803
    with open(FIXTURES / "mcof_sectors.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Sector.objects.update_or_create(
                code=int(row["code"]),
                defaults={
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                },
            )
    with open(FIXTURES / "mcof_phases.csv", encoding="utf-8") as fh:
        for order, row in enumerate(csv.DictReader(fh)):
            Phase.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                    "order": order,
                    "description_en": row["meaning_en"],
                    "description_ar": PHASE_MEANINGS_AR.get(row["code"], ""),
                },
            )
