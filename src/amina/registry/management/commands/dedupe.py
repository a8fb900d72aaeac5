from django.core.management.base import BaseCommand, CommandError

from amina.geo.models import Governorate


class Command(BaseCommand):
    help = "Find probable duplicate households (Splink on DuckDB) and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--governorate", action="append", default=[], metavar="PCODE")

    def handle(self, *args, governorate, **options):
        from amina.jobs.models import Job
        from amina.jobs.services import run_inline

        ids = []
        for code in governorate:
            found = Governorate.objects.filter(pcode__iexact=code).first()
            if found is None:
                raise CommandError(f"unknown governorate {code!r}")
            ids.append(found.pk)
        job = run_inline("registry-dedupe", {"governorates": ids}, label="De-duplication")
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(job.error)
        r = job.result
        self.stdout.write(
            f"compared {r['records']} households: {r['pairs']} probable pairs in "
            f"{r['clusters']} clusters ({r['new']} new, {r['already_decided']} already decided) "
            f"in {r['seconds']} s"
        )
