"""Background jobs of the registry: imports and de-duplication, with progress."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from amina.jobs.services import JobError, handler
from amina.jobs.uploads import discard
from amina.lib.tabular import ImportFailed, Problem, TableError, table_failure

#: What a person reads of an import's result (households and members imported, or checked).
RESULTS = {
    "households": _("Households"),
    "members": _("People (heads and members)"),
    "new_locations": _("New locations, to review"),
}


@handler(
    "registry-preview",
    results={"ok": _("May be imported"), "error_count": _("Errors"), **RESULTS},
)
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
    failure = table_failure(exc)
    if failure.problems:
        return failure.problems[0]
    return Problem(None, None, failure.message).as_dict()


@handler("registry-import", results=RESULTS)
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
        raise JobError.from_failure(exc.report.failure()) from None
    except TableError as exc:
        raise JobError.from_failure(table_failure(exc)) from None
    finally:
        if params.get("delete_after"):
            discard(params.get("path"), params.get("members_path"))
    return {**result.as_dict(), "next_url": reverse("registry:home")}


@handler(
    "registry-dedupe",
    results={
        "records": _("Households compared"),
        "pairs": _("Probable duplicate pairs"),
        "other_head": _("of which the same family under another head"),
        "clusters": _("Groups of duplicates"),
        "new": _("New pairs to review"),
        "updated": _("Pairs found again"),
        "already_decided": _("Pairs already decided"),
        "withdrawn": _("Pairs no longer found, withdrawn"),
        "seconds": _("Seconds"),
    },
)
def dedupe_job(job, progress) -> dict:
    from amina.registry import dedupe

    governorates = job.parameters.get("governorates") or None
    summary = dedupe.run(job.created_by, governorates, progress=progress)
    return {**summary, "next_url": reverse("registry:duplicates")}
