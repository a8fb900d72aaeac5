import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from amina.core.discovery import registry
from amina.geo.gazetteer import resolve_governorates
from amina.lib.commands import fail
from amina.lib.exports import EXTENSIONS, FORMATS


def formats_of(command) -> tuple[str, ...]:
    """The formats an export kind writes: GeoJSON only for kinds with a place."""
    return tuple(command.formats or FORMATS)


class Command(BaseCommand):
    help = (
        "Export data: amina export KIND --format FORMAT [-o FILE]. Each kind lists its "
        "formats; HXL tags no personal column, GeoJSON carries no person."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, command in registry("EXPORTS").items():
            formats = formats_of(command)
            p = sub.add_parser(name, help=f"{command.help} [{', '.join(formats)}]")
            p.add_argument(
                "--format",
                choices=formats,
                default="csv",
                help=f"one of {', '.join(formats)} (default csv)",
            )
            p.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
            p.add_argument("--round", dest="round_code", metavar="CODE")
            p.add_argument(
                "--governorate",
                action="append",
                default=[],
                metavar="PLACE",
                help="a p-code or any name the gazetteer knows; repeat for several",
            )
            p.add_argument("--purpose", default="", help="why personal data is exported (logged)")
            command.add_arguments(p)

    def handle(self, *args, kind, **options):
        try:
            # Every kind reads p-codes; names in either language resolve here, once.
            options["governorate"] = [g.pcode for g in resolve_governorates(options["governorate"])]
            content = registry("EXPORTS")[kind].run(options, self.stdout)
        except (ValidationError, ValueError, PermissionDenied) as exc:
            raise fail(exc) from None
        output = options.get("output")
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        if output.suffix == "":
            output = output.with_suffix("." + EXTENSIONS[options["format"]])
        output.write_bytes(content)
        self.stderr.write(f"wrote {output} ({len(content)} bytes)")
