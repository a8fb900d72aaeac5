"""``amina import needs FILE`` and ``amina export needs --format csv|xlsx|hxl|geojson``."""

from __future__ import annotations

from pathlib import Path

from amina.geo.gazetteer import resolve_governorates
from amina.lib.commands import SubCommand


def _import_args(parser):
    parser.add_argument(
        "file", type=Path, help="KoboToolbox / ODK export of the needs form (CSV or XLSX)"
    )


def _import(options, stdout):
    from amina.needs.importing import import_needs_file

    return import_needs_file(None, options["file"]).summary()


def governorates_from(names: list[str]) -> list[int] | None:
    """Ids of the governorates named on the command line (None: all); unknown is an error."""
    if not names:
        return None
    return [g.pk for g in resolve_governorates(names)]


def _export_args(parser):
    parser.add_argument(
        "--all", action="store_true", help="every assessment, not only the latest of each location"
    )


def _export(options, stdout) -> bytes:
    from amina.needs.exports import export_needs

    return export_needs(
        governorates_from(options["governorate"]), options["format"], latest_only=not options["all"]
    )


IMPORTS = {
    "needs": SubCommand(
        "a KoboToolbox/ODK export of the needs-assessment form", _import_args, _import
    ),
}
EXPORTS = {
    "needs": SubCommand("severity of needs per location and MCOF sector", _export_args, _export),
}
