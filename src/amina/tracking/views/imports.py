"""Importing a DTM master list in the UI: upload → preview (every row's problems) → commit
as a background job with a progress bar. The upload stays under MEDIA_ROOT until then."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.core import tabular
from amina.jobs.services import start_job
from amina.tracking.forms import DtmUploadForm
from amina.tracking.jobs import KIND
from amina.tracking.models import DtmUpload, Round
from amina.tracking.services.dtm import parse_dtm, round_code_from


def can_import(user) -> bool:
    """Data managers: administrators and national coordination."""
    return access.is_active(user) and (user.is_superuser or user.role in ("admin", "national"))


def _require(user):
    if not can_import(user):
        raise PermissionDenied


def upload(request):
    _require(request.user)
    form = DtmUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = d["file"].read()
        name = Path(d["file"].name).name[:200]
        code = d["round_code"] or round_code_from(name)
        if not code:
            form.add_error("round_code", _("Give the round's code: the file name does not say it."))
        else:
            existing = Round.objects.filter(code=code).first()
            record = DtmUpload(
                filename=name,
                round_code=code,
                round_date=d["round_date"],
                kind=d["kind"],
                multiplier=d["multiplier"],
                camp_multiplier=d["camp_multiplier"],
                uploaded_by=request.user,
            )
            multiplier = d["multiplier"] or (existing.multiplier if existing else 6)
            camp = d["camp_multiplier"] or (existing.camp_multiplier if existing else None)
            try:
                parsed = parse_dtm(
                    data, filename=name, kind=d["kind"], multiplier=multiplier, camp_multiplier=camp
                )
                report = parsed.summary()
            except tabular.ImportFailed as exc:
                report = {
                    "rows": 0,
                    "errors": [p.as_dict() for p in exc.report.errors],
                    "warnings": [],
                    "error_count": len(exc.report.errors),
                    "warning_count": 0,
                    "unmatched_districts": [],
                }
            if existing is not None and existing.kind != d["kind"]:
                report["errors"].insert(
                    0,
                    {
                        "row": None,
                        "column": None,
                        "level": "error",
                        "message": f"round {code} is a {existing.kind} round",
                    },
                )
                report["error_count"] += 1
            if existing is None and not (d["round_date"] or report.get("title_date")):
                report["errors"].insert(
                    0,
                    {
                        "row": None,
                        "column": None,
                        "level": "error",
                        "message": f"round {code} is new: give its date",
                    },
                )
                report["error_count"] += 1
            report["round_exists"] = existing is not None
            record.report = report
            record.file.save(f"{code}{Path(name).suffix.lower() or '.csv'}", ContentFile(data))
            return redirect("tracking:import-preview", pk=record.pk)
    uploads = DtmUpload.objects.select_related("uploaded_by", "job")[:10]
    return render(request, "tracking/import_form.html", {"form": form, "uploads": uploads})


def preview(request, pk):
    _require(request.user)
    record = get_object_or_404(DtmUpload, pk=pk)
    return render(request, "tracking/import_preview.html", {"upload": record, "r": record.report})


@require_POST
def commit(request, pk):
    _require(request.user)
    record = get_object_or_404(DtmUpload, pk=pk)
    if record.status != DtmUpload.Status.PREVIEWED or record.report.get("error_count"):
        messages.error(
            request, _("This file cannot be imported: correct the errors and upload it again.")
        )
        return redirect("tracking:import-preview", pk=record.pk)
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
        request.user,
        f"DTM import {record.filename} → {record.round_code}",
    )
    DtmUpload.objects.filter(pk=record.pk).update(status=DtmUpload.Status.QUEUED, job=job)
    return redirect("jobs:detail", pk=job.pk)
