from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from amina.accounts.models import Role
from amina.accounts.services import create_user, find_organisation
from amina.geo.gazetteer import resolve_governorates
from amina.lib.commands import fail, read_password


class Command(BaseCommand):
    help = "Manage users: amina user add NAME --role ROLE [--governorate PCODE ...]"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "add", help="add a user; the password comes from AMINA_PASSWORD or stdin"
        )
        add.add_argument("name")
        add.add_argument("--role", required=True, help=f"one of {', '.join(Role.values)}")
        add.add_argument(
            "--governorate",
            action="append",
            default=[],
            metavar="PCODE",
            help="a governorate in the user's scope (p-code or name); repeat for more",
        )
        add.add_argument("--organisation", help="organisation name or acronym")
        add.add_argument(
            "--personal-data",
            action="store_true",
            help="may view personal data within their scope",
        )
        add.add_argument(
            "--national",
            action="store_true",
            help="national scope (default for the admin and national roles)",
        )
        add.add_argument("--email", default="")

    def handle(self, *args, action, **options):
        try:
            # Checked before anything is read, so a typo fails fast and on one line.
            if options["role"] not in Role.values:
                raise ValidationError(
                    f"unknown role {options['role']!r}; choose one of {', '.join(Role.values)}"
                )
            organisation = (
                find_organisation(options["organisation"]) if options["organisation"] else None
            )
            governorates = resolve_governorates(options["governorate"])
            user = create_user(
                None,
                options["name"],
                role=options["role"],
                password=read_password(options.get("stdin")),
                governorates=governorates,
                organisation=organisation,
                personal_data=options["personal_data"],
                email=options["email"],
                national_scope=True if options["national"] else None,
            )
        except ValidationError as exc:
            raise fail(exc) from None
        scope = "national" if user.national_scope else ", ".join(g.pcode for g in governorates)
        self.stdout.write(f"created user {user.username} ({user.role}; scope: {scope})")
