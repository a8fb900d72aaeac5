"""Background jobs of displacement tracking: checking an uploaded DTM master list (the
preview), and committing it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from amina.jobs.services import JobError, handler
from amina.lib import numbers, tabular
from amina.lib.i18n import gettext_deferred as _

KIND = "tracking-dtm-import"
PREVIEW_KIND = "tracking-dtm-preview"
GONE = _("the uploaded file is no longer available; upload it again")


@handler(PREVIEW_KIND, results={"rows": gettext_lazy("Rows"), "errors": gettext_lazy("Errors")})
def check_dtm(job, progress) -> dict:
    """Parameters: ``upload`` (a DtmUpload id). Stores the check's report on the upload;
    the file goes if it has errors, or if the check itself fails."""
    from amina.tracking.models import DtmUpload
    from amina.tracking.services.uploads import check_upload, discard_upload

    upload = DtmUpload.objects.filter(pk=job.parameters["upload"]).first()
    if upload is None or not upload.file:
        raise JobError(GONE)
    try:
        with translation.override(job.parameters.get("language") or None):
            report = check_upload(job.created_by, upload, progress)
    except BaseException:
        discard_upload(upload)
        raise
    return {
        "rows": report.get("rows", 0),
        "errors": report["error_count"],
        "next_url": reverse("tracking:import-preview", args=[upload.pk]),
    }


@handler(
    KIND,
    results={
        "round": gettext_lazy("Round"),
        "rows": gettext_lazy("Rows"),
        "families": gettext_lazy("Families"),
        "individuals": gettext_lazy("Individuals"),
        "new_locations": gettext_lazy("New locations"),
        "needs_review": gettext_lazy("Locations to review"),
        "unmatched_districts": gettext_lazy("Districts not recognised (governorate, rows)"),
        "replaced": gettext_lazy("Rows replaced"),
        "warnings": gettext_lazy("Warnings"),
        "round_created": gettext_lazy("New round"),
        "partial": gettext_lazy("Covers part of the country"),
    },
)
def import_dtm(job, progress) -> dict:
    """Parameters: ``path`` (command line) or ``upload`` (a DtmUpload id, from the UI),
    ``round``, ``date``, ``kind``, ``multiplier``, ``camp_multiplier``; ``partial``
    (``False``: the person says the round is complete whatever the coverage check finds);
    ``language`` (of the partial round's reason)."""
    from amina.tracking.models import DtmUpload
    from amina.tracking.services.uploads import finish_upload

    params = job.parameters
    upload = None
    if params.get("upload"):
        upload = DtmUpload.objects.filter(pk=params["upload"]).first()
        if upload is None or not upload.file:
            raise JobError(GONE)
        source, filename = Path(upload.file.path), upload.filename
    else:
        source, filename = Path(params["path"]), params.get("filename") or Path(params["path"]).name
    day = datetime.date.fromisoformat(params["date"]) if params.get("date") else None
    try:
        with translation.override(params.get("language") or None):
            summary = _import(job, params, source, filename, day, progress)
    except tabular.ImportFailed as exc:
        if upload is not None:
            finish_upload(job.created_by, upload, committed=False)
        raise JobError.from_failure(exc.report.failure()) from None
    except ValidationError as exc:
        if upload is not None:
            finish_upload(job.created_by, upload, committed=False)
        raise JobError.from_validation(exc) from None
    except BaseException:
        if upload is not None:
            finish_upload(job.created_by, upload, committed=False)
        raise
    if upload is not None:
        finish_upload(job.created_by, upload, committed=True)
    summary.pop("coverage", None)
    summary["next_url"] = reverse("tracking:round", args=[summary["round"]])
    summary["unmatched_districts"] = [
        f"{u['district']} ({u['governorate']}, {numbers.figure(u['rows'])})"
        for u in summary["unmatched_districts"]
    ]
    return summary


def _import(job, params, source, filename, day, progress) -> dict:
    from amina.tracking.services.dtm import import_dtm_file

    return import_dtm_file(
        job.created_by,
        source,
        round_code=params.get("round"),
        round_date=day,
        kind=params.get("kind") or "idps",
        multiplier=Decimal(params["multiplier"]) if params.get("multiplier") else None,
        camp_multiplier=Decimal(params["camp_multiplier"])
        if params.get("camp_multiplier")
        else None,
        filename=filename,
        partial=params.get("partial"),
        progress=progress,
    )
