"""Loading the MCOF sectors and phases from the project's fixtures."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _kurdish(Model, row: dict, **more: str) -> dict:  # noqa: N803
    """The Kurdish columns of a fixture row, for a model that has them: the migrations that
    ran before Kurdish was added call this loader with models that have none."""
    fields = {f.name for f in Model._meta.get_fields()}
    values = {"name_ckb": (row.get("name_ckb") or "").strip(), **more}
    return {k: v for k, v in values.items() if k in fields}


PHASE_MEANINGS_AR = {
    "before": "التأهب والإنذار المبكر والحد من مخاطر الكوارث",
    "during": "الاستجابة الطارئة والحماية",
    "after": "المرحلة الانتقالية والتعافي والحلول الدائمة",
}
PHASE_MEANINGS_CKB = {
    "before": "خۆئامادەکردن، ئاگادارکردنەوەی زوو و کەمکردنەوەی مەترسیی کارەسات",
    "during": "وەڵامدانەوەی فریاگوزاری و پاراستن",
    "after": "قۆناغی گواستنەوە، چاکبوونەوە و چارەسەرە بەردەوامەکان",
}


def load_mcof_reference(Sector, Phase) -> None:  # noqa: N803
    with open(FIXTURES / "mcof_sectors.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Sector.objects.update_or_create(
                code=int(row["code"]),
                defaults={
                    "name_en": row["name_en"],
                    "name_ar": row["name_ar"],
                    **_kurdish(Sector, row),
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
                    **_kurdish(Phase, row, description_ckb=PHASE_MEANINGS_CKB.get(row["code"], "")),
                },
            )
