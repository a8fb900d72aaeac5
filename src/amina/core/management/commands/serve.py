import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Production web server (gunicorn); put it behind a reverse proxy that terminates TLS."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("AMINA_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("AMINA_WEB_WORKERS", "3"))
        )
        parser.add_argument("--timeout", type=int, default=120)

    def handle(self, *args, bind, workers, timeout, **options):
        from amina.core.staticfiles import ensure_collected

        # Hashed, compressed static files; collected again only when the sources changed.
        ensure_collected(self.stdout)
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "amina.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("AMINA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, args)  # noqa: S606
