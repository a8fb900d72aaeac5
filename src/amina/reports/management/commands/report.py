"""``amina report flash --round CODE [--governorate PCODE …] [--lang ar|en|ckb] -o FILE``."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from amina.geo.gazetteer import resolve_governorates
from amina.lib.commands import fail
from amina.reports import rendering, services
from amina.reports.figures import NoData


class Command(BaseCommand):
    help = "Produce a report: amina report flash --round CODE [--governorate PCODE ...] -o FILE.pdf"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        flash = sub.add_parser("flash", help="a flash report for a round (PDF or HTML)")
        flash.add_argument(
            "--round",
            dest="round_code",
            metavar="CODE",
            help="the round (default: the latest IDP round)",
        )
        flash.add_argument(
            "--governorate",
            action="append",
            default=[],
            metavar="PLACE",
            help="a p-code or any name the gazetteer knows (Najaf, النجف, IQ-NA); "
            "repeat for several; none means the whole country",
        )
        flash.add_argument("--lang", choices=("ar", "en", "ckb"), default="ar")
        flash.add_argument("--title", default="")
        flash.add_argument("-o", "--output", type=Path, required=True, help="FILE.pdf or FILE.html")

    def handle(self, *args, kind, output, **options):
        suffix = output.suffix.lower()
        if suffix not in (".pdf", ".html", ".htm"):
            raise CommandError(f"{output}: the output must end in .pdf or .html")
        try:
            governorates = resolve_governorates(options["governorate"])
            figures = services.compute_figures(options["round_code"], governorates, options["lang"])
        except (NoData, ValidationError, PermissionDenied) as exc:
            raise fail(exc) from None
        narrative = rendering.Narrative(
            title=options["title"] or services.default_title(figures, options["lang"])
        )
        html = rendering.render_html(figures, narrative, options["lang"], for_pdf=suffix == ".pdf")
        content = rendering.render_pdf(html) if suffix == ".pdf" else html.encode("utf-8")
        output.write_bytes(content)
        self.stdout.write(
            f"wrote {output} ({len(content)} bytes): round {figures.round.code}, "
            f"{', '.join(figures.pcodes) or 'whole country'}"
        )
