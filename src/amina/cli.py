"""The ``amina`` console script: Django's management commands under Amina's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amina.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amina", *sys.argv[1:]])


if __name__ == "__main__":
    main()
