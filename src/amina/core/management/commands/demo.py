import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from amina.accounts.demo import ensure_demo_users, organisations_and_users
from amina.jobs.supervisor import Supervisor
from amina.lib.demo import SCALES
from amina.lib.i18n import Message


class Command(BaseCommand):
    help = "Embedded demo: migrate, load demo data as a background job, print the users, serve."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="medium")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="load the data in this process and exit"
        )

    def handle(self, *args, scale, seed, port, no_serve, **options):
        from amina.jobs.models import Job
        from amina.jobs.services import run_inline, start_job
        from amina.lib.demo import DemoContext

        if "sqlite3" not in settings.DATABASES["default"]["ENGINE"] and not os.environ.get(
            "AMINA_DEMO_ANY_DATABASE"
        ):
            raise CommandError(
                "amina demo runs on the embedded SQLite database; unset DATABASE_URL"
            )
        call_command("migrate", interactive=False, verbosity=0)
        import random

        organisations_and_users(DemoContext(scale, seed, random.Random(seed), lambda *a: None))
        already = Job.objects.filter(
            kind="demo-data", status__in=["queued", "running", "succeeded"]
        )
        if no_serve:
            if not already.filter(status="succeeded").exists():
                job = run_inline(
                    "demo-data", {"scale": scale, "seed": seed}, label=_demo_label(scale)
                )
                if job.status != Job.Status.SUCCEEDED:
                    raise CommandError(f"demo data failed: {job.error}")
        elif not already.exists():
            from django.db import transaction

            with transaction.atomic():
                job = start_job(
                    "demo-data", {"scale": scale, "seed": seed}, label=_demo_label(scale)
                )
            self.stdout.write(f"Loading demo data in the background: see /jobs/{job.pk}/")
        self.stdout.write("Demo users (username / password):")
        for username, role, password in ensure_demo_users(seed):
            self.stdout.write(f"  {username:<10} {password:<24} {role}")
        if no_serve:
            return
        self.stdout.write(f"Serving Amina at http://127.0.0.1:{port}/ (Ctrl-C stops)")
        env = {**os.environ, "AMINA_SECURE": "false"}
        # The worker is started again whenever it exits; the site stops with its server.
        Supervisor(
            [sys.executable, "-m", "amina", "worker"],
            [
                sys.executable,
                "-m",
                "amina",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env,
        ).run()


def _demo_label(scale: str) -> Message:
    """The demo job's label, read in each reader's language."""
    sizes = {
        "small": gettext_noop("Load the demo data (small)"),
        "medium": gettext_noop("Load the demo data (medium)"),
        "large": gettext_noop("Load the demo data (large)"),
    }
    return Message(sizes.get(scale, sizes["medium"]))
