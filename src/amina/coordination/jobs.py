"""Background jobs of coordination: importing an uploaded 4W sheet."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from amina.jobs.services import JobError, handler
from amina.jobs.uploads import discard
from amina.lib.tabular import ImportFailed, TableError, table_failure

KIND = "coordination-4w-import"


@handler(
    KIND,
    results={
        "created": _("Activities created"),
        "updated": _("Activities updated"),
        "hxl": _("The file has HXL hashtags"),
    },
)
def import_4w(job, progress) -> dict:
    """Parameters: ``path`` of the uploaded sheet, ``filename``. The sheet is read here,
    not in the web request, and removed when the job ends, whatever the outcome."""
    from amina.coordination.services.imports import import_activities

    params = job.parameters
    try:
        with translation.override(params.get("language") or None):
            progress(0, None, gettext_noop("reading"))
            result = import_activities(job.created_by, Path(params["path"]), params.get("filename"))
    except ImportFailed as exc:
        raise JobError.from_failure(exc.report.failure()) from None
    except TableError as exc:
        raise JobError.from_failure(table_failure(exc)) from None
    finally:
        discard(params.get("path"))
    return {
        "created": result.created,
        "updated": result.updated,
        "hxl": result.hxl,
        "next_url": reverse("coordination:activity-list"),
    }
