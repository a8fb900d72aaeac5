"""Importing 4W from the spreadsheets partners already keep: ``importing`` reads the file
and checks every row (how columns are found, HXL or not, is told there); this writes it,
all or nothing: one bad cell refuses the whole file, with each problem named by row and
column. A row already imported (same organisation, sector, activity, place and start
date) is updated, so importing a corrected file twice does not double the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from amina.audit.services import record_bulk
from amina.coordination.importing import parse_rows, read_rows
from amina.coordination.models import Activity
from amina.lib import tabular
from amina.lib.arabic import normalise_name
from amina.lib.i18n import gettext_deferred as _


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    hxl: bool = False
    report: tabular.Report = field(default_factory=tabular.Report)

    @property
    def total(self) -> int:
        return self.created + self.updated


#: What a re-import may change on an activity it recognises by its natural key.
UPDATABLE = [
    "end_date",
    "status",
    "district_id",
    "reached_other",
    "people_reached",
    "distribution_ref",
    "description",
    "updated_at",
    *Activity.BREAKDOWN,
]


def _natural_key(a: Activity) -> tuple:
    return (
        a.organisation_id,
        a.sector_id,
        normalise_name(a.activity_type),
        a.governorate_id,
        a.district_id,
        a.location_id,
        a.start_date,
    )


def import_activities(
    user, source: bytes | str | Path, filename: str | None = None
) -> ImportResult:
    """Import a 4W sheet, all or nothing; raises ``tabular.ImportFailed`` with the report.

    The file is read and every row checked before the one short transaction that writes:
    a long read never holds the database's write lock."""
    if not isinstance(source, bytes):
        filename = filename or Path(source).name
    result = ImportResult()
    rows, labels, result.hxl = read_rows(source, filename or "upload.csv")
    if not rows:
        raise tabular.TableError(_("the file has a header but no rows"))
    activities = parse_rows(user, rows, labels, result.report)
    if not result.report.ok:
        raise tabular.ImportFailed(result.report)
    _write(user, activities, result, filename)
    return result


@transaction.atomic
def _write(user, activities: list[Activity], result: ImportResult, filename: str | None) -> None:
    """Insert new activities and update known ones (by natural key), with one audit row."""
    existing = {}
    orgs = {a.organisation_id for a in activities}
    for stored in Activity.objects.filter(organisation_id__in=orgs):
        existing[_natural_key(stored)] = stored
    seen = set()
    new, changed = [], []
    for activity in activities:
        key = _natural_key(activity)
        if key in seen:
            continue  # the same row twice in one file: keep the first
        seen.add(key)
        activity.people_reached = activity.sum_reached()
        stored = existing.get(key)
        if stored is not None:
            activity.pk = stored.pk
            activity.created_at = stored.created_at
            activity.updated_at = timezone.now()
            changed.append(activity)
        else:
            new.append(activity)
    # In bulk: the rows were validated above and the database checks the totals.
    Activity.objects.bulk_create(new, batch_size=500)
    for activity in changed:
        # One UPDATE per row: SQLite's CASE-based bulk_update is far slower at this size.
        Activity.objects.filter(pk=activity.pk).update(
            **{f: getattr(activity, f) for f in UPDATABLE}
        )
    result.created, result.updated = len(new), len(changed)
    record_bulk(
        user,
        Activity,
        "import",
        {
            "file": (filename or "upload")[:100],
            "created": result.created,
            "updated": result.updated,
            "hxl": result.hxl,
        },
        f"4W import: {result.created} new, {result.updated} updated",
    )
