"""``amina reports run-schedules``: produce and e-mail the scheduled reports that are due
(run it from cron or a timer every few minutes; two runs never send a report twice)."""

from django.core.management.base import BaseCommand

from amina.reports import services


class Command(BaseCommand):
    help = "Reports housekeeping: amina reports run-schedules"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser(
            "run-schedules", help="produce and e-mail the scheduled reports that are due"
        )

    def handle(self, *args, action, **options):
        results = services.run_due_schedules()
        for schedule, result in results:
            self.stdout.write(f"{schedule.title}: {result}")
        self.stdout.write(f"{len(results)} schedule(s) run")
