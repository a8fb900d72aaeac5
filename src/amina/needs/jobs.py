"""Background jobs of needs assessments: importing an uploaded field-form export."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from amina.jobs.services import JobError, handler
from amina.jobs.uploads import discard
from amina.lib.tabular import ImportFailed

KIND = "needs-import"


@handler(
    KIND,
    results={
        "created": _("Assessments imported"),
        "already_imported": _("Submissions already imported before"),
    },
)
def import_needs(job, progress) -> dict:
    """Parameters: ``path`` of the uploaded export, ``filename``. The file is read here,
    not in the web request, and removed when the job ends, whatever the outcome."""
    from amina.needs.importing import import_needs_file

    params = job.parameters
    try:
        with translation.override(params.get("language") or None):
            progress(0, None, gettext_noop("reading"))
            result = import_needs_file(
                job.created_by, Path(params["path"]), filename=params.get("filename")
            )
    except ImportFailed as exc:
        raise JobError.from_failure(exc.report.failure()) from None
    finally:
        discard(params.get("path"))
    return {
        "created": result.created,
        "already_imported": result.already_imported,
        "next_url": reverse("needs:assessments"),
    }
