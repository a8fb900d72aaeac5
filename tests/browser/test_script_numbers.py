"""Figures drawn by scripts (map legends and tooltips, chart axes) read as the pages print
them: Western digits grouped by thousands in every language (``amina.lib.numbers``), where
the browser's own format for Kurdish would write "١٬٢٣٤" beside the tables' "1,234"."""

import re

import pytest

from conftest import PASSWORD, make_user

from .conftest import login

EASTERN = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


@pytest.mark.django_db(transaction=True)
def test_a_kurdish_map_legend_prints_western_digits_as_the_tables_do(
    browser_page, live_server, reference_geography
):
    from amina.lib import numbers
    from amina.reports.tests.data import make_displacement

    make_displacement()
    make_user("coordinator", "national")
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "ckb", "url": live_server.url}])
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_selector("html[lang=ckb]")
    page.wait_for_selector("#map[data-loaded]")
    assert page.evaluate("Amina.number(1234567)") == numbers.figure(1234567) == "1,234,567"
    legend = page.locator("[data-testid=map-legend]").inner_text()
    assert re.search(r"\d", legend) and not EASTERN.search(legend), legend


def test_the_script_format_keeps_western_digits_where_the_language_has_its_own(browser_page):
    """Debian's Chromium has no Kurdish number data (it falls back to Western digits), so
    the rule is shown on a language whose digits this Chromium knows: Arabic of Iraq."""
    from pathlib import Path

    import amina

    page = browser_page
    page.set_content('<html lang="ar-IQ" dir="rtl"><body></body></html>')
    page.add_script_tag(path=str(Path(amina.__file__).parent / "static/amina/amina.js"))
    assert EASTERN.search(page.evaluate("new Intl.NumberFormat('ar-IQ').format(1234567)"))
    assert page.evaluate("Amina.number(1234567)") == "1,234,567"
    assert page.evaluate("Amina.number(2.5)") == "2.5"
