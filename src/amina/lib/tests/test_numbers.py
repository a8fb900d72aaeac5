"""Figures grouped by thousands, with a sign that stays before the digits in Arabic and
Kurdish (``amina.lib.numbers``); how a browser lays them out is checked by the phone sweep
(``tests/browser/test_phone_sweep.py``)."""

from django.template import Context, Template

from amina.lib import numbers

LRM = "\u200e"


def test_a_negative_figure_starts_with_the_left_to_right_mark():
    assert numbers.grouped(-606) == f"{LRM}-606"
    assert numbers.grouped(-1234567.4) == f"{LRM}-1,234,567"
    assert numbers.signed(-606) == f"{LRM}-606"


def test_a_positive_figure_is_printed_as_before():
    assert numbers.grouped(6663048) == "6,663,048"
    assert numbers.grouped("1234.6") == "1,235"
    assert numbers.grouped(0) == "0"
    assert numbers.signed(1234) == f"{LRM}+1,234"
    assert numbers.signed(0) == f"{LRM}0"


def test_a_missing_figure_is_a_dash_and_text_stays_text():
    assert numbers.grouped(None) == numbers.grouped("") == numbers.signed(None) == "—"
    assert numbers.grouped("n/a") == "n/a"


def test_the_pages_filters_print_a_fall_with_its_minus_first():
    rendered = Template(
        "{% load amina_text reports_tags %}{{ v|signed }} {{ v|num }} {{ w|num }}"
    ).render(Context({"v": -606, "w": 562188}))
    assert rendered == f"{LRM}-606 {LRM}-606 562,188"


def test_any_figure_is_grouped_and_a_negative_one_keeps_its_minus_first():
    assert numbers.figure(1234567) == "1,234,567"
    assert numbers.figure(-606) == f"{LRM}-606"
    assert numbers.figure(2.5) == "2.5"  # quantities keep their decimals


def test_no_template_prints_a_figure_past_the_one_rule():
    """``intcomma`` leaves "-606" to the bidi algorithm, which shows "606-" in Arabic."""
    from pathlib import Path

    root = Path(numbers.__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "intcomma" in path.read_text("utf-8")
    ]
    assert not offenders, f"use |figure (amina_text) in: {offenders}"


def test_the_three_print_one_rule_in_every_language():
    """``grouped`` is ``figure`` of the rounded value and ``signed`` its digits with a sign:
    the same grouping and the same mark in English, Arabic and Kurdish."""
    from django.utils import translation

    for language in ("en", "ar", "ckb"):
        with translation.override(language):
            assert numbers.grouped(-1234567.4) == numbers.figure(-1234567) == f"{LRM}-1,234,567"
            assert numbers.grouped(6663048) == numbers.figure(6663048) == "6,663,048"
            assert numbers.signed(1234567) == f"{LRM}+{numbers.figure(1234567)}"
            assert numbers.signed(-606) == numbers.figure(-606)


def test_a_count_in_a_message_follows_the_pages_rule():
    """A message's parameters (``amina.lib.i18n.Message``) are grouped and marked as the
    pages print figures, so "-606" in a sentence keeps its minus first in Arabic too."""
    from django.utils import translation

    from amina.lib.i18n import Message

    with translation.override("ar"):
        assert str(Message("%(n)s rows", n=1234567)) == "1,234,567 rows"
        assert str(Message("%(n)s rows", n=-606)) == f"{LRM}-606 rows"
