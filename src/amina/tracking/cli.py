"""``amina import dtm`` and ``amina export displacement|displacement-summary``."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from amina.lib.commands import SubCommand
from amina.lib.i18n import Message


def _import_args(parser):
    parser.add_argument("file", type=Path, help="a DTM master list, CSV or XLSX")
    parser.add_argument(
        "--round",
        dest="round_code",
        metavar="CODE",
        help="the round's code (default: from the file name, e.g. R64)",
    )
    parser.add_argument("--kind", dest="dtm_kind", choices=["idps", "returnees"], default="idps")
    parser.add_argument(
        "--date",
        type=datetime.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the round's date, for a new round (default: from the file's title)",
    )
    parser.add_argument("--multiplier", help="individuals per family (default 6)")
    parser.add_argument("--camp-multiplier", help="individuals per family in camps")
    parser.add_argument(
        "--complete",
        action="store_true",
        help="record the round as complete even if it looks partial (the fall is real)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _import_run(options, stdout):
    from amina.jobs.services import run_inline
    from amina.tracking.jobs import KIND

    path: Path = options["file"]
    if not path.exists():
        raise CommandError(f"no such file: {path}")
    params = {
        "path": str(path.resolve()),
        "filename": path.name,
        "round": options.get("round_code"),
        "kind": options["dtm_kind"],
        "date": options["date"].isoformat() if options.get("date") else None,
        "multiplier": options.get("multiplier"),
        "camp_multiplier": options.get("camp_multiplier"),
        "partial": False if options.get("complete") else None,
    }
    label = Message(gettext_noop("Import the DTM list %(name)s"), name=path.name)
    job = run_inline(KIND, params, None, label, show_bar=not options.get("no_progress"))
    if job.status != job.Status.SUCCEEDED:
        first, _, rest = job.error.partition("\n")
        if rest:
            import sys

            sys.stderr.write(rest + "\n")
        raise CommandError(first)
    r = job.result
    text = (
        f"imported round {r['round']}: {r['rows']} locations, {r['families']} families, "
        f"{r['individuals']} individuals ({r['new_locations']} new locations, "
        f"{r['replaced']} rows replaced, {r['needs_review']} to review; "
        f"unmatched districts: {', '.join(r['unmatched_districts']) or '—'})"
    )
    if r.get("partial"):
        # Imported (the figures it has are real) but kept out of trends and comparisons.
        text += (
            f"\nwarning: round {r['round']} looks partial and is marked partial: "
            f"{r['partial_reason']}\nTrends and comparisons skip it; if the fall is real, "
            "import it again with --complete or unmark it on the rounds page."
        )
    return text


def _export_args(parser):
    parser.add_argument("--district", action="append", default=[], metavar="PCODE")


def _export(kind):
    def run(options, stdout):
        from amina.tracking.exports import export

        return export(
            None,
            kind,
            options["format"],
            round_code=options.get("round_code"),
            governorates=options.get("governorate") or [],
            districts=options.get("district") or [],
        )

    return run


IMPORTS = {
    "dtm": SubCommand(
        "a DTM master list of IDPs or returnees (CSV or XLSX)", _import_args, _import_run
    ),
}
EXPORTS = {
    "displacement": SubCommand(
        "displaced and returnee figures per location", _export_args, _export("displacement")
    ),
    "displacement-summary": SubCommand(
        "displaced and returnee figures per governorate",
        _export_args,
        _export("displacement-summary"),
    ),
}
