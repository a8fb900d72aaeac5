"""Figures as the reports print them: digits grouped by thousands in every language
(Django's Arabic format groups nothing, and "6663048" is hard to read)."""

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{round(float(value)):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def signed(value) -> str:
    """A change with its sign; the left-to-right mark keeps "+" before the digits in Arabic."""
    if value is None:
        return "—"
    return "\u200e" + (f"+{value:,}" if value > 0 else f"{value:,}")


@register.filter
def pct(value) -> str:
    """A share with one decimal and a point, as the PDF prints it."""
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "—"
