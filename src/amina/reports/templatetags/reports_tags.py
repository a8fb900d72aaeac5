"""Figures as the reports print them: digits grouped by thousands in every language
(Django's Arabic format groups nothing, and "6663048" is hard to read), a minus before the
digits in Arabic and Kurdish too (``amina.lib.numbers``). Changes with their sign are
``amina_text``'s ``signed``, shared with the displacement pages."""

from django import template

from amina.lib import numbers

register = template.Library()


@register.filter
def num(value) -> str:
    return numbers.grouped(value)


@register.filter
def pct(value) -> str:
    """A share with one decimal and a point, as the PDF prints it."""
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "—"
