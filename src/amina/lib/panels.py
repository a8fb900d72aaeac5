"""Panels that capabilities add to the home page: an extension point the shell reads.

An app decorates a function ``request -> context or None`` with
``@home_panel("app/_panel.html")`` (in its ``panels`` module, imported by its
``AppConfig.ready``); the home page (``amina.core.views.home``) renders every panel whose
function returns a context. The registry imports no app, so any app may add to it.
"""

from collections.abc import Callable

#: (template, context function), in registration order.
HOME_PANELS: list[tuple[str, Callable]] = []


def home_panel(template: str):
    def register(func):
        HOME_PANELS.append((template, func))
        return func

    return register
