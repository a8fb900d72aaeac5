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


def figure(value) -> str:
    """Any figure a page shows (a count, a quantity with decimals): grouped by thousands
    as Django's ``intcomma`` groups it in the reader's language, and a negative one led by
    the left-to-right mark. Every page prints figures through this (``|figure``)."""
    text = str(intcomma(value))
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
    return f"{LRM}{number:,}" if number < 0 else f"{number:,}"


def signed(value: int | float | None) -> str:
    """A change with its sign ("+1,234", "-606", "0"), each after the left-to-right mark so
    the sign stays before the digits in Arabic and Kurdish; "—" when there is no change to
    show (no earlier round)."""
    if value is None:
        return "—"
    return LRM + (f"+{value:,}" if value > 0 else f"{value:,}")
