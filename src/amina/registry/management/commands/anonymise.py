from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Erase the personal data of households closed longer than the retention period "
        "(default AMINA_RETENTION_DAYS), keeping every aggregate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", default=settings.AMINA_RETENTION_DAYS
        )

    def handle(self, *args, older_than, **options):
        from amina.registry.services import anonymise_closed

        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days")
        count = anonymise_closed(None, older_than)
        self.stdout.write(f"anonymised {count} households closed more than {older_than} days ago")
