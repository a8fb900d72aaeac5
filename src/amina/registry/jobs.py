"""Background jobs of the registry: imports and de-duplication, with progress."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from amina.core.tabular import ImportFailed, TableError
from amina.jobs.services import JobError, handler


@handler("registry-import")
def import_job(job, progress) -> dict:
    from amina.registry.importing import import_households

    params = job.parameters
    try:
        result = import_households(
            job.created_by,
            Path(params["path"]),
            Path(params["members_path"]) if params.get("members_path") else None,
            filename=params.get("filename", ""),
            progress=progress,
            dry_run=bool(params.get("dry_run")),
        )
    except ImportFailed as exc:
        raise JobError(f"nothing was imported: {exc.report.summary(limit=20)}") from None
    except TableError as exc:
        raise JobError(f"nothing was imported: {exc}") from None
    finally:
        if params.get("delete_after"):
            for key in ("path", "members_path"):
                if params.get(key):
                    Path(params[key]).unlink(missing_ok=True)
    return {**result.as_dict(), "next_url": reverse("registry:home")}


@handler("registry-dedupe")
def dedupe_job(job, progress) -> dict:
    from amina.registry import dedupe

    governorates = job.parameters.get("governorates") or None
    summary = dedupe.run(job.created_by, governorates, progress=progress)
    return {**summary, "next_url": reverse("registry:duplicates")}
