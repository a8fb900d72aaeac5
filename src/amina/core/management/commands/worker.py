from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Background worker: runs queued jobs from the database; start as many as needed, anywhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, batch, interval, **options):
        call_command(
            "db_worker", batch=batch, interval=interval, reload=False, startup_delay=not batch
        )
