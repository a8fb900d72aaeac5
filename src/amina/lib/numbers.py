"""Figures as pages print them, in every language: digits grouped by thousands ("6,663,048";
Django's Arabic format groups nothing) and a sign that stays before the digits.

Amina prints Western digits in Arabic and Kurdish too (``amina.formats``). In a right-to-left
line the Unicode bidi algorithm gives a leading "-" or "+" the direction of the line, so
"-606" shows as "606-" and "+606" as "606+". A left-to-right mark (U+200E) before the sign
makes sign and digits one left-to-right run: the figure reads "-606" as on the English page
and in the PDF (``reports.rendering.signed`` does the same). CLDR's Arabic minus (U+061C
before "-") is the rule for Arabic-Indic digits, whose sign stands on the right; it would
keep "606-" here. An unsigned positive figure needs no mark and gets none: its text is the
same in every language.
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma

LRM = "\u200e"


def _digits(value) -> str:
    """The figure's digits grouped by thousands as Django's ``intcomma`` groups them in the
    reader's language (``amina.formats``: "1,234,567" in every language)."""
    return str(intcomma(value))


def figure(value) -> str:
    """Any figure a page shows (a count, a quantity with decimals): grouped by thousands
    and a negative one led by the left-to-right mark. Every page prints figures through
    this (``|figure``); ``grouped`` and ``signed`` are the same rule for a whole number and
    a change."""
    text = _digits(value)
    return f"{LRM}{text}" if text.startswith("-") else text


def grouped(value: int | float | str | None) -> str:
    """A figure rounded to a whole number and grouped ("3,232,728"); "—" when missing.

    A negative figure starts with the left-to-right mark, so its minus stays before its
    digits in Arabic and Kurdish. Text that is not a number is returned as it is.
    """
    if value is None or value == "":
        return "—"
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return str(value)
    return figure(number)


def signed(value: int | float | None) -> str:
    """A change with its sign ("+1,234", "-606", "0"), each after the left-to-right mark so
    the sign stays before the digits in Arabic and Kurdish; "—" when there is no change to
    show (no earlier round)."""
    if value is None:
        return "—"
    return LRM + (f"+{_digits(value)}" if value > 0 else _digits(value))
