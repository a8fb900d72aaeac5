"""How the project shell finds what each app contributes: one function, Django's own
autodiscovery.

An app offers API viewsets in ``api``, command-line kinds in ``cli`` and demo steps in
``demo``; the router, ``amina import``/``amina export`` and ``amina demo`` ask for them
here instead of each walking the app registry by hand. An error inside such a module is
raised as is (``autodiscover_modules`` only skips apps that have no such module).
"""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from amina.lib.commands import SubCommand


def app_modules(name: str) -> list[ModuleType]:
    """The ``name`` module of every installed Amina app that has one, in app order."""
    autodiscover_modules(name)
    found = (sys.modules.get(f"{config.name}.{name}") for config in apps.get_app_configs())
    return [m for m in found if m is not None and m.__name__.startswith("amina.")]


def registry(attribute: str) -> dict[str, SubCommand]:
    """Every app's ``cli.<attribute>`` (``IMPORTS`` or ``EXPORTS``) in one dict, by name."""
    found: dict[str, SubCommand] = {}
    for module in app_modules("cli"):
        found.update(getattr(module, attribute, {}))
    return dict(sorted(found.items()))
