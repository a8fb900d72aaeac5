"""The dashboard's one-query reads give exactly the figures of the reads they stand for
(issue 18): each capability's one-query read is compared with its ORM functions on the
same rows, for the whole country, one governorate, both and none.

The ORM functions stay the reference: pages, the API and exports use them, and a
dashboard figure that drifted from them would be a wrong figure on the first page.
Supply's stock and deliveries have no other reader than the dashboard, so their one
function is the plain-SQL one and its ORM reference lives here.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.test_query_counts import DAY, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scopes(world):  # noqa: F811 (the fixture imported above)
    from amina.needs.models import NeedsAssessment, PriorityNeed, Sector

    gov_a, gov_b = world["govs"]
    # A newer assessment of one place, with other priorities and a population: the
    # latest one counts, and the older one no longer does.
    older = NeedsAssessment.objects.filter(location__governorate=gov_a).order_by("pk").first()
    newer = NeedsAssessment.objects.create(
        location=older.location,
        assessed_on=DAY + datetime.timedelta(days=3),
        team="RART",
        key_informants_count=1,
        population_individuals=321,
    )
    PriorityNeed.objects.create(
        assessment=newer, sector=Sector.objects.order_by("-code").first(), rank=1
    )
    world["grow"](2)
    return [None, [gov_a.pk], [gov_a.pk, gov_b.pk], []]


def test_needs_read_equals_top_priority_needs_and_people_in_need(scopes):
    from amina.needs import queries

    for scope in scopes:
        found = queries.dashboard_needs(scope, limit=5)
        assert found.top == [(s.name, n) for s, n in queries.top_priority_needs(scope, limit=5)], (
            scope
        )
        assert found.people_in_need == queries.people_in_need(scope), scope
        assert (found.top and any(found.people_in_need.values())) or scope == [], scope


def test_coordination_read_equals_people_reached_and_training_summary(scopes):
    from amina.coordination import queries
    from amina.needs.models import Sector

    names = {s.code: (s.name_en, s.name_ar, s.name_ckb) for s in Sector.objects.all()}
    for scope in scopes:
        found = queries.dashboard_figures(scope)
        assert {code: row[3] for code, row in found.reached.items()} == queries.people_reached(
            scope
        ), scope
        assert all(row[:3] == names[code] for code, row in found.reached.items())
        expected = queries.training_summary(scope)
        assert found.trainings["by_institution_kind"] == expected["by_institution_kind"]
        assert {k: v for k, v in found.trainings.items() if k != "by_institution_kind"} == {
            k: v for k, v in expected.items() if k != "by_institution_kind"
        }, scope
        assert found.trainings["participants"] or scope == [], scope  # (reached: see reports)


def _stock_and_deliveries_by_the_orm(governorate_ids) -> list:
    """The reference for supply's one-query read (pages and the API have no other reader
    of it): the two grouped ORM reads it stands for, ordered the same way."""
    from django.db.models import Sum

    from amina.supply.models import Distribution, Item, StockBalance
    from amina.supply.queries import ItemFigures

    balances, delivered = StockBalance.objects.all(), Distribution.objects.all()
    if governorate_ids is not None:
        balances = balances.filter(warehouse__governorate_id__in=governorate_ids)
        delivered = delivered.filter(site__governorate_id__in=governorate_ids)
    sums = [
        {row["item"]: int(row["n"] or 0) for row in qs.values("item").annotate(n=Sum("quantity"))}
        for qs in (balances, delivered)
    ]
    items = {pk for per_item in sums for pk in per_item}
    names = {item.pk: item.name for item in Item.objects.filter(pk__in=items)}
    rows = [ItemFigures(names[pk], sums[0].get(pk, 0), sums[1].get(pk, 0)) for pk in items]
    return sorted(rows, key=lambda r: (-r.delivered, -r.on_hand, r.name))


def test_supply_read_equals_stock_and_deliveries(scopes):
    from amina.supply import queries

    for scope in scopes:
        found = queries.stock_and_deliveries(scope)
        assert found == _stock_and_deliveries_by_the_orm(scope), scope
        assert found or scope == [], scope


def _tracking_references(rounds, scope, now, window):
    """What ``dashboard_reads`` stands for, read apart by tracking's ORM functions: each
    round's governorate totals (the round ``now`` in every governorate), shelter with the
    types' names in their reading order, and arrivals in the scope."""
    from amina.tracking import queries

    totals = {
        (r.pk, gov): figures
        for r in rounds
        for gov, figures in queries.governorate_totals(r, None if r == now else scope).items()
    }
    families = queries.shelter_breakdown(now, scope)
    shelter = [(t.code, t.name, families.get(t.code, 0)) for t in queries.shelter_types()]
    if scope is None:
        arrived = queries.arrivals(*window)
    else:
        arrived = sum(queries.arrivals(*window, governorate_id=gov) for gov in scope)
    return totals, [row for row in shelter if row[2]], arrived


def test_tracking_read_equals_its_separate_reads(world, scopes):  # noqa: F811
    from amina.tracking import queries

    before, now = world["rounds"]
    since = timezone.now() - datetime.timedelta(days=30)
    window = (DAY, DAY + datetime.timedelta(days=5))
    for scope in scopes:
        found = queries.dashboard_reads(
            [before, now],
            scope,
            everywhere=[now.pk],
            shelter_round=now,
            arrivals_between=window,
            alerts_since=since,
        )
        totals, shelter, arrived = _tracking_references([before, now], scope, now, window)
        assert found.totals == totals, scope
        assert found.shelter == shelter, scope
        assert found.arrivals == arrived, scope
        assert found.alerts == queries.alerts_fired(since, scope), scope
        assert found.totals and found.shelter and found.arrivals and found.alerts or scope == []
        named = {pk for _round, pk in found.totals} | set(scope or [])
        assert set(found.governorates) == named
