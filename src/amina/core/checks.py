"""Deploy rules as system checks, run by ``amina check --deploy`` and at start-up."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production(app_configs, **kwargs):
    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if not settings.SECRET_KEY_FROM_ENV:
        problems.append(
            Error(
                "AMINA_SECRET_KEY is not set: production must not use the embedded key file.",
                hint="Set AMINA_SECRET_KEY to a long random string, the same on every server.",
                id="amina.E001",
            )
        )
    if settings.DEBUG:
        problems.append(Error("AMINA_DEBUG is on: never outside the demo.", id="amina.E002"))
    if not settings.SECURE:
        problems.append(
            Warning(
                "AMINA_SECURE is off: cookies are sent over plain http.",
                hint="Serve over https behind a reverse proxy and leave AMINA_SECURE unset.",
                id="amina.W004",
            )
        )
    if "sqlite3" in engine:
        problems.append(
            Warning(
                "The database is the embedded SQLite file: use PostgreSQL in production.",
                hint="Set DATABASE_URL=postgres://user@host/db.",
                id="amina.W001",
            )
        )
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        problems.append(
            Warning(
                "Background jobs do not use the database queue; imports will not run in workers.",
                id="amina.W002",
            )
        )
    if "console" in settings.EMAIL_BACKEND:
        problems.append(
            Warning(
                "E-mail goes to the console: alerts will not reach anyone.",
                hint="Set AMINA_EMAIL_HOST (and AMINA_EMAIL_USER, AMINA_EMAIL_PASSWORD).",
                id="amina.W003",
            )
        )
    return problems
