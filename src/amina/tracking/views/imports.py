"""Importing a DTM master list in the UI: upload → preview (every row's problems) → commit
as a background job with a progress bar. The upload stays under MEDIA_ROOT until then."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.tracking.forms import DtmUploadForm
from amina.tracking.models import DtmUpload
from amina.tracking.services.dtm import round_code_from
from amina.tracking.services.uploads import queue_upload, stage_upload


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
            record = stage_upload(
                request.user,
                data,
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
    job = queue_upload(request.user, record)
    return redirect("jobs:detail", pk=job.pk)
