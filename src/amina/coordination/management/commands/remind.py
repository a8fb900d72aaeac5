"""``amina remind``: notify owners of overdue action points (run daily from cron)."""

from django.core.management.base import BaseCommand

from amina.coordination.services.meetings import remind_overdue


class Command(BaseCommand):
    help = "Notify the owners of overdue action points (at most once a day per point)."

    def handle(self, *args, **options):
        count = remind_overdue()
        self.stdout.write(f"reminded the owners of {count} overdue action point(s)")
