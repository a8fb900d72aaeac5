"""Importing a DTM master list in the UI: upload → a job checks it → preview (every row's
problems) → commit as a background job with a progress bar. The upload stays under
MEDIA_ROOT until its import ends, its check finds errors, or its preview expires."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.jobs.uploads import fits
from amina.lib.i18n import localised
from amina.tracking.forms import DtmUploadForm
from amina.tracking.models import DtmUpload
from amina.tracking.services.dtm import round_code_from
from amina.tracking.services.uploads import (
    can_commit,
    looks_partial,
    queue_upload,
    stage_upload,
)


@access.requires("dtm.import")
def upload(request):
    form = DtmUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and fits(form, "file"):
        d = form.cleaned_data
        name = Path(d["file"].name).name[:200]
        code = d["round_code"] or round_code_from(name)
        if not code:
            form.add_error("round_code", _("Give the round's code: the file name does not say it."))
        else:
            record = stage_upload(
                request.user,
                d["file"],
                filename=name,
                round_code=code,
                round_date=d["round_date"],
                kind=d["kind"],
                multiplier=d["multiplier"],
                camp_multiplier=d["camp_multiplier"],
            )
            return redirect("tracking:import-preview", pk=record.pk)
    uploads = DtmUpload.objects.select_related("uploaded_by", "job")[:10]
    return render(request, "tracking/import_form.html", {"form": form, "uploads": uploads})


@access.requires("dtm.import")
def preview(request, pk):
    """The check's progress while its job runs, then the report (or why it failed)."""
    record = get_object_or_404(DtmUpload.objects.select_related("job"), pk=pk)
    checking = record.status == DtmUpload.Status.PREVIEWED and not record.report
    for change in (record.report.get("coverage") or {}).get("missing", []) + (
        record.report.get("coverage") or {}
    ).get("drops", []):
        change["name"] = localised(change["name_en"], change["name_ar"], change.get("name_ckb", ""))
    return render(
        request,
        "tracking/import_preview.html",
        {
            "upload": record,
            "r": record.report,
            "job": record.job,
            "checking": checking and record.job is not None and not record.job.is_finished,
            "check_failed": checking and (record.job is None or record.job.is_finished),
            "stale": record.status == DtmUpload.Status.PREVIEWED
            and bool(record.report)
            and not record.report.get("error_count")
            and not can_commit(record),
        },
    )


@require_POST
@access.requires("dtm.import")
def commit(request, pk):
    record = get_object_or_404(DtmUpload, pk=pk)
    if not can_commit(record):
        messages.error(
            request, _("This file cannot be imported: correct the errors and upload it again.")
        )
        return redirect("tracking:import-preview", pk=record.pk)
    if looks_partial(record) and not request.POST.get("confirm_partial"):
        messages.error(
            request,
            _("This list looks partial: confirm that it is to be imported as a partial round."),
        )
        return redirect("tracking:import-preview", pk=record.pk)
    job = queue_upload(request.user, record)
    return redirect("jobs:detail", pk=job.pk)
