"""Staging a DTM file uploaded in the UI, checking it in a background job, then queueing
its import as another.

The steps are separate use cases (the person reads the preview in between), and each
writes the upload record and an audit row in one short transaction, so a file that was
checked or queued is always traceable to the person who did it. The file is read only by
the jobs, never while a transaction is open, and deleted when it can no longer be used.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from amina.audit.services import record_change
from amina.jobs import uploads
from amina.jobs.models import Job
from amina.jobs.services import start_job
from amina.lib import tabular
from amina.lib.i18n import Message
from amina.lib.i18n import gettext_deferred as _
from amina.tracking.jobs import KIND, PREVIEW_KIND
from amina.tracking.models import DtmUpload, Round
from amina.tracking.services.coverage import check_coverage
from amina.tracking.services.dtm import KIND_NAMES, parse_dtm


def _problem(message: Message) -> dict:
    return tabular.Problem(None, None, message).as_dict()


@transaction.atomic
def stage_upload(
    user,
    upload,
    *,
    filename: str,
    round_code: str,
    round_date: datetime.date | None,
    kind: str,
    multiplier: Decimal | None,
    camp_multiplier: Decimal | None,
) -> DtmUpload:
    """Keep an uploaded master list and queue its check (``check_upload``, in a worker).

    Nothing is read here: a file of any shape costs the web request only its copy. The
    check's report is what the preview shows; only an upload without errors may then be
    queued by ``queue_upload``.
    """
    record = DtmUpload(
        filename=filename,
        round_code=round_code,
        round_date=round_date,
        kind=kind,
        multiplier=multiplier,
        camp_multiplier=camp_multiplier,
        uploaded_by=user,
    )
    suffix = Path(filename).suffix.lower()[:10] or ".csv"
    record.file.save(
        f"{round_code}{suffix}", upload if hasattr(upload, "chunks") else ContentFile(upload)
    )
    job = start_job(
        PREVIEW_KIND,
        {"upload": record.pk, "language": translation.get_language()},
        user,
        _("Check the DTM list %(name)s for round %(round)s")
        % {"name": filename, "round": round_code},
    )
    DtmUpload.objects.filter(pk=record.pk).update(job=job)
    record.job = job
    record_change(
        user,
        record,
        "create",
        {"round_code": [None, round_code], "kind": [None, kind], "job": [None, job.pk]},
    )
    return record


def check_upload(user, record: DtmUpload, progress=None) -> dict:
    """Read and check a staged master list (the preview's job): the parse runs outside
    any transaction, then one short write stores the report. A file with errors is
    removed at once: it can never be imported."""
    existing = Round.objects.filter(code=record.round_code).first()
    factor = record.multiplier or (existing.multiplier if existing else 6)
    camp = record.camp_multiplier or (existing.camp_multiplier if existing else None)
    try:
        parsed = parse_dtm(
            Path(record.file.path),
            filename=record.filename,
            kind=record.kind,
            multiplier=factor,
            camp_multiplier=camp,
            progress=progress,
        )
        report = parsed.summary()
        if parsed.rows:
            # Part of the country only, or dated like another round: said before import.
            report["coverage"] = check_coverage(
                parsed.individuals_by_governorate(),
                round_code=record.round_code,
                round_date=record.round_date or parsed.title_date,
                kind=record.kind,
            ).as_dict()
    except tabular.ImportFailed as exc:
        report = {
            "rows": 0,
            "errors": [p.as_dict() for p in exc.report.errors],
            "warnings": [],
            "error_count": len(exc.report.errors),
            "warning_count": 0,
            "unmatched_districts": [],
        }
    if existing is not None and existing.kind != record.kind:
        report["errors"].insert(
            0,
            _problem(
                _("Round %(code)s is a round of another kind (%(kind)s).")
                % {"code": record.round_code, "kind": KIND_NAMES.get(existing.kind, existing.kind)}
            ),
        )
        report["error_count"] += 1
    if existing is None and not (record.round_date or report.get("title_date")):
        report["errors"].insert(
            0, _problem(_("Round %(code)s is new: give its date.") % {"code": record.round_code})
        )
        report["error_count"] += 1
    report["round_exists"] = existing is not None
    _store_report(user, record, report)
    return report


@transaction.atomic
def _store_report(user, record: DtmUpload, report: dict) -> None:
    changes: dict = {"report": report}
    if report["error_count"]:
        record.file.delete(save=False)
        changes["file"] = ""
    DtmUpload.objects.filter(pk=record.pk).update(**changes)
    record_change(user, record, "update", {"error_count": [None, report["error_count"]]})
    record.report = report


def discard_upload(record: DtmUpload) -> None:
    """The check failed outright (the worker's error is on its job): remove the file."""
    record.file.delete(save=False)
    DtmUpload.objects.filter(pk=record.pk).update(file="")


def looks_partial(record: DtmUpload) -> bool:
    """The check found the list partial: its import needs the person's confirmation."""
    return bool((record.report.get("coverage") or {}).get("partial"))


def can_commit(record: DtmUpload) -> bool:
    """A checked upload without errors, its file still here, confirmed in time."""
    return (
        record.status == DtmUpload.Status.PREVIEWED
        and "error_count" in record.report
        and not record.report["error_count"]
        and bool(record.file)
        and record.file.storage.exists(record.file.name)
        and not uploads.expired(record.created_at)
    )


@transaction.atomic
def queue_upload(user, record: DtmUpload) -> Job:
    """Queue the import of a checked upload; the worker starts once this transaction commits."""
    job = start_job(
        KIND,
        {
            "upload": record.pk,
            "file": record.file.path,
            "round": record.round_code,
            "date": record.round_date.isoformat() if record.round_date else None,
            "kind": record.kind,
            "multiplier": str(record.multiplier) if record.multiplier else None,
            "camp_multiplier": str(record.camp_multiplier) if record.camp_multiplier else None,
            "language": translation.get_language(),
        },
        user,
        _("Import the DTM list %(name)s as round %(round)s")
        % {"name": record.filename, "round": record.round_code},
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
    """Record how an upload's import ended, and delete its file either way: committed,
    its figures are in the database; failed, it must be uploaded again; and a master list
    kept on disk is one more copy to protect."""
    status = DtmUpload.Status.COMMITTED if committed else DtmUpload.Status.FAILED
    upload.file.delete(save=False)
    DtmUpload.objects.filter(pk=upload.pk).update(status=status, file="")
    record_change(user, upload, "update", {"status": [upload.status, status]})
    upload.status = status
