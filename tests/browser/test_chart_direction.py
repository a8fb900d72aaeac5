"""Charts read the same in the page and on paper: time runs left to right in Arabic too
(as the PDF's trend, ``reports/svg.py``), and long labels are wrapped or shortened with
the full text in the tooltip (issue 16)."""

import re

import pytest

from conftest import PASSWORD

from .conftest import ARTIFACTS, login


@pytest.mark.django_db(transaction=True)
def test_the_trend_runs_left_to_right_in_arabic_as_in_the_pdf(
    browser_page, live_server, reference_geography, officer_a
):
    from amina.reports import figures, rendering
    from amina.reports.tests.data import make_displacement

    make_displacement()
    page = browser_page
    login(page, live_server, officer_a.username, PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[lang=ar][dir=rtl]")
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_function("Chart.getChart(document.getElementById('chart-trend')) !== undefined")
    first, last = page.evaluate(
        "() => { const x = Chart.getChart(document.getElementById('chart-trend')).scales.x;"
        " return [x.getPixelForValue(0), x.getPixelForValue(x.getLabels().length - 1)]; }"
    )
    assert first < last, "the page's trend runs right to left"
    page.screenshot(path=str(ARTIFACTS / "chart-direction-ar.png"), full_page=True)

    figs = figures.compute(figures.find_round("R2"), None, optional=False)
    html = rendering.render_html(figs, rendering.Narrative("t"), "ar", for_pdf=True)
    trend = html[html.index('role="img" direction="ltr"') :]
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', trend)[: len(figs.trend)]]
    assert len(xs) == 2 and xs[0] < xs[1], "the PDF's trend runs right to left"


@pytest.mark.django_db(transaction=True)
def test_a_long_label_is_wrapped_or_shortened_and_whole_in_the_tooltip(
    browser_page, live_server, officer_a
):
    page = browser_page
    login(page, live_server, officer_a.username, PASSWORD)
    lines = page.evaluate(
        "() => Amina.chartLabel('Unfinished or abandoned building in a neighbourhood', 18, 2)"
    )
    assert len(lines) == 2 and all(len(line) <= 19 for line in lines)
    assert lines[-1].endswith("…")
    assert page.evaluate("() => Amina.chartLabel('Camp', 18, 2)") == ["Camp"]


@pytest.mark.django_db(transaction=True)
def test_the_displacement_charts_draw_with_their_labels_fitted(
    browser_page, live_server, reference_geography, national_user
):
    from amina.reports.tests.data import make_displacement

    make_displacement()
    page = browser_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, national_user.username, PASSWORD)
    page.goto(f"{live_server.url}/tracking/")
    page.wait_for_function(
        "Chart.getChart(document.querySelector('canvas[data-chart=governorate-chart]'))"
        " !== undefined"
    )
    ticks = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart=shelter-chart]'))"
        ".legend.legendItems.map(i => i.text)"
    )
    assert ticks and all(len(t) <= 26 for t in ticks), ticks
    assert not errors, errors
