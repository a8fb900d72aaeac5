from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amina.geo.models import Governorate
from amina.needs.cli import governorates_from


class Command(BaseCommand):
    help = "Write a field form as an XLSForm for KoboToolbox / ODK Collect (needs -o FILE.xlsx)"

    def add_arguments(self, parser):
        parser.add_argument("form", choices=["needs"], help="the form to write")
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="the .xlsx file to write"
        )
        parser.add_argument(
            "--governorate",
            action="append",
            default=[],
            metavar="PCODE",
            help="only these governorates' locations (default: all)",
        )

    def handle(self, *args, form, output, governorate, **options):
        from amina.needs.xlsform import build_xlsform

        try:
            ids = governorates_from(governorate)
            governorates = (
                Governorate.objects.all() if ids is None else Governorate.objects.filter(pk__in=ids)
            )
            content = build_xlsform(governorates)
        except (ValidationError, ValueError) as exc:
            raise CommandError(
                exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            ) from None
        if output.suffix.lower() != ".xlsx":
            output = output.with_suffix(".xlsx")
        output.write_bytes(content)
        self.stderr.write(f"wrote {output} ({len(content)} bytes)")
