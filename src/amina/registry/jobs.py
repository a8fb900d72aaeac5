"""Background jobs of the registry: imports and de-duplication, with progress."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils import translation

from amina.jobs.services import JobError, handler
from amina.jobs.uploads import discard
from amina.lib.tabular import ImportFailed, TableError


@handler("registry-preview")
def preview_job(job, progress) -> dict:
    """Check an uploaded list without writing it. The result says whether it may be
    imported (``ok``) with its counts, or lists its problems; the files of a list that
    may not be imported are removed at once."""
    from amina.registry.importing import import_households

    params = job.parameters
    paths = (params.get("path"), params.get("members_path"))
    ok = False
    try:
        with translation.override(params.get("language") or None):
            try:
                preview = import_households(
                    job.created_by,
                    Path(params["path"]),
                    Path(params["members_path"]) if params.get("members_path") else None,
                    filename=params.get("filename", ""),
                    members_filename=params.get("members_filename", ""),
                    progress=progress,
                    dry_run=True,
                )
            except ImportFailed as exc:
                errors = exc.report.errors
                return {"ok": False, "error_count": len(errors), "problems": _problems(errors)}
            except TableError as exc:
                return {"ok": False, "error_count": 1, "problems": [_problem(exc)]}
        ok = True
        return {"ok": True, **preview.as_dict()}
    finally:
        if not ok:
            discard(*paths)


def _problems(errors) -> list[dict]:
    return [p.as_dict() for p in errors[:200]]


def _problem(exc: TableError) -> dict:
    return {
        "row": getattr(exc, "row", None),
        "column": getattr(exc, "column", None),
        "message": getattr(exc, "message", None) or str(exc),
        "level": "error",
    }


@handler("registry-import")
def import_job(job, progress) -> dict:
    """Import a list (the command line, or a preview the user confirmed). An uploaded
    file (``delete_after``) is removed when the job ends, whatever the outcome."""
    from amina.registry.importing import import_households

    params = job.parameters
    try:
        result = import_households(
            job.created_by,
            Path(params["path"]),
            Path(params["members_path"]) if params.get("members_path") else None,
            filename=params.get("filename", ""),
            members_filename=params.get("members_filename", ""),
            progress=progress,
            dry_run=bool(params.get("dry_run")),
        )
    except ImportFailed as exc:
        raise JobError(f"nothing was imported: {exc.report.summary(limit=20)}") from None
    except TableError as exc:
        raise JobError(f"nothing was imported: {exc}") from None
    finally:
        if params.get("delete_after"):
            discard(params.get("path"), params.get("members_path"))
    return {**result.as_dict(), "next_url": reverse("registry:home")}


@handler("registry-dedupe")
def dedupe_job(job, progress) -> dict:
    from amina.registry import dedupe

    governorates = job.parameters.get("governorates") or None
    summary = dedupe.run(job.created_by, governorates, progress=progress)
    return {**summary, "next_url": reverse("registry:duplicates")}
