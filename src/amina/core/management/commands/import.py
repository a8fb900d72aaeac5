from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amina.core.discovery import registry
from amina.lib.commands import fail


class Command(BaseCommand):
    help = "Import a file: amina import KIND FILE (all-or-nothing, with a row-by-row report)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, command in registry("IMPORTS").items():
            command.add_arguments(sub.add_parser(name, help=command.help))

    def handle(self, *args, kind, **options):
        command = registry("IMPORTS")[kind]
        try:
            line = command.run(options, self.stdout)
        except (ValidationError, ValueError, OSError) as exc:
            raise fail(exc) from None
        except CommandError:
            raise
        self.stdout.write(line)
