"""Partial rounds in the reports: the trend skips them, the flash report compares with the
latest complete round and says so, the dashboard shows the latest complete round."""

import csv
import datetime
import io

import pytest

from amina.reports import figures as report_figures
from amina.reports import rendering
from amina.tracking import queries
from amina.tracking.models import Round
from amina.tracking.services.dtm import import_dtm_file
from amina.tracking.tests.conftest import DATA

pytestmark = pytest.mark.django_db

R21 = DATA / "dtm-master-list-round21.csv"
R22 = DATA / "dtm-master-list-round22.csv"


def only(path, governorates: set[str]) -> bytes:
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("Governorate")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([rows[0]] + [r for r in rows[1:] if r[column] in governorates])
    return buffer.getvalue().encode()


@pytest.fixture
def rounds(reference_geography):
    """R21 complete (18 governorates), R22 partial (two), R23 complete."""
    from amina.geo.models import District, PlaceAlias
    from amina.tracking.crosswalk import seed_dtm_districts

    seed_dtm_districts(District, PlaceAlias)
    import_dtm_file(None, R21, round_date=datetime.date(2015, 5, 21))
    import_dtm_file(
        None,
        only(R22, {"Anbar", "Dahuk"}),
        filename="r22.csv",
        round_code="R22",
        round_date=datetime.date(2015, 6, 4),
    )
    return {r.code: r for r in Round.objects.all()}


def test_the_trend_skips_a_partial_round(rounds):
    import_dtm_file(None, R22, round_code="R23", round_date=datetime.date(2015, 6, 18))
    last = Round.objects.get(code="R23")
    assert rounds["R22"].partial and not last.partial
    figures = report_figures.compute(last, None, optional=False)
    assert [code for code, _ in figures.trend] == ["R21", "R23"]
    assert figures.previous.code == "R21", "the comparison is with the latest complete round"
    assert figures.skipped == ["R22"]
    assert figures.change_individuals == (
        queries.national_total(last).idp_individuals
        - queries.national_total(rounds["R21"]).idp_individuals
    )


def test_the_flash_report_says_which_round_it_compares_with(rounds):
    import_dtm_file(None, R22, round_code="R23", round_date=datetime.date(2015, 6, 18))
    figures = report_figures.compute(Round.objects.get(code="R23"), None)
    html = rendering.render_html(figures, rendering.Narrative("t"), "en", for_pdf=False)
    assert 'data-testid="partial-note"' in html
    assert "round R21, the latest complete round" in html
    assert "left out of the comparison and the trend: R22" in html


def test_a_flash_report_of_the_partial_round_itself_says_it_is_partial(rounds):
    figures = report_figures.compute(rounds["R22"], None)
    assert figures.round_partial and figures.previous.code == "R21"
    html = rendering.render_html(figures, rendering.Narrative("t"), "en", for_pdf=False)
    assert "Round R22 is partial" in html


def test_the_dashboard_round_is_the_latest_complete_one(rounds):
    assert report_figures.find_round(None) == rounds["R21"]
    figures = report_figures.compute(rounds["R21"], None, optional=False)
    assert figures.later_partial == ["R22"]
    assert [code for code, _ in figures.trend] == ["R21"]
