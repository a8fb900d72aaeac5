"""Staging a DTM file uploaded in the UI, then queueing its import as a background job.

The two steps are separate use cases (the person reads the preview in between), and each
writes the upload record and an audit row in one transaction, so a file that was checked
or queued is always traceable to the person who did it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from amina.audit.services import record_change
from amina.core import tabular
from amina.jobs.models import Job
from amina.jobs.services import start_job
from amina.tracking.jobs import KIND
from amina.tracking.models import DtmUpload, Round
from amina.tracking.services.dtm import parse_dtm


def _problem(message: str) -> dict:
    return {"row": None, "column": None, "level": "error", "message": message}


@transaction.atomic
def stage_upload(
    user,
    data: bytes,
    *,
    filename: str,
    round_code: str,
    round_date: datetime.date | None,
    kind: str,
    multiplier: Decimal | None,
    camp_multiplier: Decimal | None,
) -> DtmUpload:
    """Check ``data`` without importing it and keep it with its report for the preview.

    Nothing of the round changes here: the report lists every problem (row, column,
    reason), and only an upload without errors may be queued by ``queue_upload``.
    """
    existing = Round.objects.filter(code=round_code).first()
    record = DtmUpload(
        filename=filename,
        round_code=round_code,
        round_date=round_date,
        kind=kind,
        multiplier=multiplier,
        camp_multiplier=camp_multiplier,
        uploaded_by=user,
    )
    factor = multiplier or (existing.multiplier if existing else 6)
    camp = camp_multiplier or (existing.camp_multiplier if existing else None)
    try:
        report = parse_dtm(
            data, filename=filename, kind=kind, multiplier=factor, camp_multiplier=camp
        ).summary()
    except tabular.ImportFailed as exc:
        report = {
            "rows": 0,
            "errors": [p.as_dict() for p in exc.report.errors],
            "warnings": [],
            "error_count": len(exc.report.errors),
            "warning_count": 0,
            "unmatched_districts": [],
        }
    if existing is not None and existing.kind != kind:
        report["errors"].insert(
            0,
            _problem(
                _("Round %(code)s is a round of another kind (%(kind)s).")
                % {"code": round_code, "kind": existing.get_kind_display()}
            ),
        )
        report["error_count"] += 1
    if existing is None and not (round_date or report.get("title_date")):
        report["errors"].insert(
            0, _problem(_("Round %(code)s is new: give its date.") % {"code": round_code})
        )
        report["error_count"] += 1
    report["round_exists"] = existing is not None
    record.report = report
    record.file.save(f"{round_code}{Path(filename).suffix.lower() or '.csv'}", ContentFile(data))
    record_change(
        user,
        record,
        "create",
        {
            "round_code": [None, round_code],
            "kind": [None, kind],
            "error_count": [None, report["error_count"]],
        },
    )
    return record


@transaction.atomic
def queue_upload(user, record: DtmUpload) -> Job:
    """Queue the import of a checked upload; the worker starts once this transaction commits."""
    job = start_job(
        KIND,
        {
            "upload": record.pk,
            "round": record.round_code,
            "date": record.round_date.isoformat() if record.round_date else None,
            "kind": record.kind,
            "multiplier": str(record.multiplier) if record.multiplier else None,
            "camp_multiplier": str(record.camp_multiplier) if record.camp_multiplier else None,
        },
        user,
        f"DTM import {record.filename} → {record.round_code}",
    )
    DtmUpload.objects.filter(pk=record.pk).update(status=DtmUpload.Status.QUEUED, job=job)
    record_change(
        user,
        record,
        "update",
        {"status": [record.status, DtmUpload.Status.QUEUED], "job": [None, job.pk]},
    )
    record.status, record.job = DtmUpload.Status.QUEUED, job
    return job


@transaction.atomic
def finish_upload(user, upload: DtmUpload, *, committed: bool) -> None:
    """Record how an upload's import ended. A committed file is deleted: its figures are in
    the database, and a master list kept on disk is one more copy to protect."""
    status = DtmUpload.Status.COMMITTED if committed else DtmUpload.Status.FAILED
    changes = {"status": status}
    if committed:
        upload.file.delete(save=False)
        changes["file"] = ""
    DtmUpload.objects.filter(pk=upload.pk).update(**changes)
    record_change(user, upload, "update", {"status": [upload.status, status]})
    upload.status = status
