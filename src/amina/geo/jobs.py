"""Job handlers of the geography: loading official boundaries in a worker."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from amina.jobs.services import JobError, handler
from amina.jobs.uploads import discard
from amina.lib.i18n import gettext_deferred as _


@handler(
    "boundaries",
    results={
        "governorates": gettext_lazy("Governorate outlines"),
        "districts": gettext_lazy("District outlines"),
    },
)
def import_boundaries_job(job, progress) -> dict:
    """Parameters: ``path`` of a COD GeoJSON file the server can read (an upload). The
    file is refused unread beyond ``AMINA_UPLOAD_MAX_BYTES`` and removed when the job
    ends, whatever the outcome."""
    from amina.geo.services import import_boundaries

    path = Path(job.parameters["path"])
    try:
        size, limit = path.stat().st_size, settings.AMINA_UPLOAD_MAX_BYTES
        if size > limit:
            raise JobError(
                _("the file is %(size)s; the limit is %(limit)s")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            )
        counts = import_boundaries(job.created_by, path, progress=progress)
    except OSError:
        raise JobError(_("the uploaded file is no longer available; upload it again")) from None
    except ValidationError as exc:
        raise JobError.from_validation(exc) from None
    finally:
        if job.parameters.get("delete_after", True) and _is_upload(path):
            discard(path)
    return {
        "governorates": counts["governorate"],
        "districts": counts["district"],
        "next_url": "/geo/map/",
    }


def _is_upload(path: Path) -> bool:
    """Only a file under MEDIA_ROOT is the server's copy; a path given on the command
    line is the operator's own file."""
    try:
        return path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    except OSError:
        return False
