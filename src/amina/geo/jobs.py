"""Job handlers of the geography: loading official boundaries in a worker."""

from pathlib import Path

from django.core.exceptions import ValidationError

from amina.core.commands import one_line
from amina.jobs.services import JobError, handler


@handler("boundaries")
def import_boundaries_job(job, progress) -> dict:
    """Parameters: ``path`` of a COD GeoJSON file the server can read (an upload)."""
    from amina.geo.services import import_boundaries

    path = Path(job.parameters["path"])
    try:
        counts = import_boundaries(job.created_by, path, progress=progress)
    except ValidationError as exc:
        raise JobError(one_line(exc)) from None
    return {
        "governorates": counts["governorate"],
        "districts": counts["district"],
        "next_url": "/geo/map/",
    }
