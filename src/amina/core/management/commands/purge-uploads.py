"""``amina purge-uploads``: remove uploaded files that waited too long or were left behind."""

from django.conf import settings
from django.core.management.base import BaseCommand

from amina.jobs.uploads import purge


class Command(BaseCommand):
    help = (
        "Remove uploaded import files older than AMINA_UPLOAD_PREVIEW_HOURS that no queued "
        "or running job needs (unconfirmed previews, files of jobs that died). Run it from "
        "cron, e.g. hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help=f"age in hours (default {settings.AMINA_UPLOAD_PREVIEW_HOURS})",
        )

    def handle(self, *args, hours, **options):
        removed = purge(hours)
        self.stdout.write(f"removed {len(removed)} expired upload(s)")
