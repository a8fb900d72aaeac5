"""``amina import households`` and ``amina export duplicates|households``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from amina.lib.commands import SubCommand


def _import_args(parser):
    parser.add_argument(
        "file", type=Path, help="XLSX (households + members sheets), CSV, or KoboToolbox/ODK export"
    )
    parser.add_argument("--members", type=Path, help="the members CSV (with a households CSV)")
    parser.add_argument("--check", action="store_true", help="check only; write nothing")


def _import_run(options, stdout) -> str:
    from amina.jobs.models import Job
    from amina.jobs.services import run_inline

    params = {
        "path": str(options["file"]),
        "filename": options["file"].name,
        "members_path": str(options["members"]) if options.get("members") else "",
        "dry_run": bool(options.get("check")),
    }
    from django.utils.translation import gettext_noop

    from amina.lib.i18n import Message

    label = Message(gettext_noop("Import %(name)s"), name=options["file"].name)
    job = run_inline("registry-import", params, label=label)
    if job.status != Job.Status.SUCCEEDED:
        raise CommandError(job.error)
    result = job.result
    verb = "checked" if params["dry_run"] else "imported"
    line = f"{verb} {result['households']} households with {result['members']} members"
    if result.get("new_locations"):
        line += f"; new locations: {', '.join(result['new_locations'][:10])}"
    return line


def _no_args(parser):
    pass


def _duplicates(options, stdout) -> bytes:
    from amina.registry.exports import export_duplicates

    return export_duplicates(None, options["format"], options["governorate"])


def _households(options, stdout) -> bytes:
    from amina.registry.exports import export_households

    if not options.get("purpose", "").strip():
        raise ValueError("exporting households needs --purpose (it is logged)")
    return export_households(
        None,
        options["format"],
        purpose=options["purpose"],
        governorates=options["governorate"],
        channel="cli",
    )


IMPORTS = {
    "households": SubCommand(
        "a household registration file (CSV, XLSX, KoboToolbox/ODK)", _import_args, _import_run
    ),
}
EXPORTS = {
    "duplicates": SubCommand(
        "probable duplicate households: each cluster's household_refs and probability "
        "(no place, so no GeoJSON; the references carry no HXL hashtag)",
        _no_args,
        _duplicates,
        formats=("csv", "xlsx", "hxl"),
    ),
    "households": SubCommand(
        "households with their head (personal data: --purpose required, logged; HXL tags "
        "only the place and status columns; GeoJSON: counts per location, no person)",
        _no_args,
        _households,
    ),
}
