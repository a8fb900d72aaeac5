"""Helpers shared by Amina's management commands: the sub-command an app offers, and
clean failures.

``amina import KIND`` and ``amina export KIND`` find their kinds in each app's ``cli``
module (``IMPORTS`` and ``EXPORTS``: name → ``SubCommand``), so a capability adds its
importer without touching the command; the shell collects them with
``amina.core.discovery.registry``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


@dataclass
class SubCommand:
    help: str
    add_arguments: Callable
    run: Callable  # (options: dict, stdout) -> str, the closing line
    #: The formats an export kind writes (``amina export KIND --format``); None: all.
    formats: tuple[str, ...] | None = None


def one_line(exc: Exception) -> str:
    """A ValidationError's messages on one line (the first few, then how many more)."""
    if isinstance(exc, ValidationError):
        messages = exc.messages
        head = "; ".join(messages[:5])
        return head + (f" (and {len(messages) - 5} more)" if len(messages) > 5 else "")
    return str(exc)


def fail(exc: Exception) -> CommandError:
    return CommandError(one_line(exc))


def read_password(stdin=None) -> str:
    """From AMINA_PASSWORD, else the first line of standard input (a prompt if it is a terminal)."""
    if password := os.environ.get("AMINA_PASSWORD"):
        return password
    stream = stdin or sys.stdin
    if stream.isatty():
        import getpass

        return getpass.getpass("Password: ")
    line = stream.readline().rstrip("\n")
    if not line:
        raise CommandError("no password: set AMINA_PASSWORD or pass it on standard input")
    return line
