from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amina.geo.models import Governorate
from amina.needs.cli import governorates_from


class Command(BaseCommand):
    help = (
        "Write a field form as an XLSForm for KoboToolbox / ODK Collect (needs -o FILE.xlsx), "
        "with locations.csv beside it: attach both"
    )

    def add_arguments(self, parser):
        parser.add_argument("form", choices=["needs"], help="the form to write")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            help="the .xlsx file to write (locations.csv goes in the same folder)",
        )
        parser.add_argument(
            "--governorate",
            action="append",
            default=[],
            metavar="PCODE",
            help="only these governorates' locations (default: all)",
        )

    def handle(self, *args, form, output, governorate, **options):
        from amina.needs.xlsform import LOCATIONS_FILE, build_form, odk_validate_available

        try:
            ids = governorates_from(governorate)
            governorates = (
                Governorate.objects.all() if ids is None else Governorate.objects.filter(pk__in=ids)
            )
            # Checked with pyxform, and ODK Validate where Java is, before anything is written.
            built = build_form(governorates, odk_validate=True)
        except (ValidationError, ValueError) as exc:
            raise CommandError(
                exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            ) from None
        if output.suffix.lower() != ".xlsx":
            output = output.with_suffix(".xlsx")
        locations = output.with_name(LOCATIONS_FILE)
        output.write_bytes(built.xlsx)
        locations.write_bytes(built.locations_csv)
        for warning in built.warnings:
            self.stderr.write(f"pyxform: {warning}")
        checked = "pyxform and ODK Validate" if odk_validate_available() else "pyxform"
        self.stderr.write(
            f"wrote {output} ({len(built.xlsx)} bytes) and {locations} (attach it to the "
            f"form in KoboToolbox or ODK Central); checked with {checked}"
        )
