"""Text as every page shows it, in the reader's language (``{% load amina_text %}``):

- ``{{ value|stored }}``: a stored ``Message`` (its data), or plain text, translated now;
- ``{{ problem|problem_text }}``: an import problem's message (``Problem.as_dict``);
- ``{{ items|join_list }}``: items joined with the list comma of the language ("، "), and
  ``{% list_comma %}`` between the items of a loop;
- ``{{ day|day }}``: a date in the one format of the language ("4 حزيران 2015");
- ``{{ moment|moment }}``: a date and time the same way, with the local time;
- ``{{ count|figure }}``: any figure, grouped by thousands, a negative one with its minus
  before its digits in every language (``amina.lib.numbers.figure``; never ``intcomma``);
- ``{{ change|signed }}``: a change with its sign before its digits in every language
  ("+1,234", "-606"; ``amina.lib.numbers``), where ``intcomma`` shows "606-" in Arabic.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from amina.lib import i18n, numbers

register = template.Library()


@register.filter
def stored(value) -> str:
    return i18n.render(value)


@register.filter
def problem_text(problem) -> str:
    if not problem:
        return ""
    return i18n.render(problem.get("text", problem.get("message", "")))


@register.filter
def join_list(items) -> str:
    if not items:
        return "—"
    return i18n.join_list(items)


@register.filter
def day(value) -> str:
    """The one date format of every page: the language's ``DATE_FORMAT`` ("j F Y")."""
    if not value:
        return "—"
    return date_filter(value, "DATE_FORMAT")


@register.filter
def moment(value) -> str:
    """A date with its time, in the server's time zone: ``DATETIME_FORMAT``."""
    if not value:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_filter(value, "DATETIME_FORMAT")


@register.filter
def figure(value) -> str:
    return numbers.figure(value)


@register.filter
def signed(value) -> str:
    return numbers.signed(value)


@register.simple_tag
def list_comma() -> str:
    """The separator between items of a list written out in a loop: "، " in Arabic and
    Kurdish."""
    return i18n.list_comma()
