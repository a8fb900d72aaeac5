from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from amina.geo.gazetteer import resolve_governorates
from amina.lib.commands import fail
from amina.lib.i18n import Message


class Command(BaseCommand):
    help = "Find probable duplicate households (Splink on DuckDB) and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument(
            "--governorate",
            action="append",
            default=[],
            metavar="PLACE",
            help="a p-code or any name the gazetteer knows; repeat for several",
        )

    def handle(self, *args, governorate, **options):
        from amina.jobs.models import Job
        from amina.jobs.services import run_inline

        try:
            ids = [g.pk for g in resolve_governorates(governorate)]
        except ValidationError as exc:
            raise fail(exc) from None
        label = Message(gettext_noop("Find duplicate households"))
        job = run_inline("registry-dedupe", {"governorates": ids}, label=label)
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(job.error)
        r = job.result
        self.stdout.write(
            f"compared {r['records']} households: {r['pairs']} probable pairs in "
            f"{r['clusters']} clusters ({r['new']} new, {r['already_decided']} already decided) "
            f"in {r['seconds']} s"
        )
