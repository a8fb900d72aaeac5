"""Reports: the home dashboard and the flash report at national scale.

Data: the ``large`` demo's displacement part — 4,000 locations (the core demo step at the
``large`` scale) and 40 IDP rounds of assessments (160,000 rows, two shelter rows each) —
made by a lighter generator of its own with ``bulk_create``: the full ``large`` demo also
registers a million households, which the dashboard never reads and which takes far
longer to make than to measure.

Measured in the same run:
- the dashboard page (``/reports/dashboard/``) and the home page (``/``, where the
  dashboard is a panel among the other capabilities' panels) as a national user and as a
  governorate officer: server time p50/p95 with the figures recomputed on every request
  (cache cleared), and with the per-scope cache warm; the dashboard's figures alone,
  timed in turns with the floor below (``_time_pair``), so both see the same load;
- the floor: the same figures' raw SQL, one hand-written query per figure family (the
  rounds, every round's totals per governorate, the governorates' names, shelter,
  needs, 4W, trainings, arrivals, stock, alerts: ``raw_figures``), run alone with a
  cursor, p50/p95;
- the page weight: HTML and every same-origin script and stylesheet it loads, raw and
  gzip-compressed (what a slow link carries);
- the time to produce a flash report PDF (figures + HTML + WeasyPrint).

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/amina_reports_bench .venv/bin/python
-m bench reports`` (the database is created and migrated if needed; the generated data are
left in place for the next run). ``--locations 400 --rounds 6`` for a quick run.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path


def _setup() -> None:
    from bench.common import setup

    setup("reports", AMINA_ALLOWED_HOSTS="testserver,127.0.0.1,localhost")


def generate(n_locations: int, n_rounds: int, seed: int = 2015) -> dict:
    """Reference data, demo users and locations (accounts and geo demo steps), then rounds."""
    from amina.accounts.demo import organisations_and_users
    from amina.geo.demo import locations
    from amina.geo.models import District, Governorate, Location, PlaceAlias
    from amina.geo.reference import load_reference_geography
    from amina.lib.demo import SCALES, DemoContext
    from amina.needs.models import Phase, Sector
    from amina.needs.reference import load_mcof_reference
    from amina.tracking.models import (
        AssessmentShelter,
        DisplacementPeriod,
        LocationAssessment,
        Round,
        ShelterType,
    )
    from amina.tracking.reference import load_tracking_reference

    if Governorate.objects.count() < 18:
        load_reference_geography(Governorate, District, PlaceAlias)
    if not ShelterType.objects.exists():
        load_tracking_reference(ShelterType, DisplacementPeriod)
    if not Sector.objects.exists():
        load_mcof_reference(Sector, Phase)
    rng = random.Random(seed)
    SCALES["bench"] = {"locations": n_locations, "rounds": n_rounds, "households": 0}
    ctx = DemoContext(scale="bench", seed=seed, rng=rng, progress=lambda *a, **k: None)
    organisations_and_users(ctx)
    locations(ctx)
    if Round.objects.count() >= n_rounds:
        return {"rounds": Round.objects.count(), "assessments": LocationAssessment.objects.count()}
    locations = list(Location.objects.values_list("pk", flat=True))
    shelters = list(ShelterType.objects.all())
    base = {pk: rng.randint(0, 400) for pk in locations}
    start = datetime.date(2014, 1, 15)
    for r in range(n_rounds):
        rnd = Round.objects.create(
            code=f"B{r + 1:02d}", date=start + datetime.timedelta(days=14 * r)
        )
        rows = []
        for pk in locations:
            families = max(0, int(base[pk] * (0.6 + 0.02 * r) + rng.randint(-8, 8)))
            rows.append(
                LocationAssessment(
                    round=rnd,
                    location_id=pk,
                    date=rnd.date,
                    families=families,
                    individuals=families * 6,
                    returnee_families=families // 10,
                    returnee_individuals=families // 10 * 6,
                    source="demo",
                )
            )
        made = LocationAssessment.objects.bulk_create(rows, batch_size=2000)
        breakdown = []
        for a in made:
            first = a.families * 2 // 3
            breakdown.append(
                AssessmentShelter(assessment=a, shelter_type=shelters[0], families=first)
            )
            breakdown.append(
                AssessmentShelter(
                    assessment=a,
                    shelter_type=shelters[1 + a.location_id % 5],
                    families=a.families - first,
                )
            )
        AssessmentShelter.objects.bulk_create(breakdown, batch_size=5000)
        print(f"  round {rnd.code}: {len(made)} assessments", flush=True)
    return {"rounds": Round.objects.count(), "assessments": LocationAssessment.objects.count()}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _time(func, repeat: int) -> tuple[float, float]:
    func()  # warm up (connections, template loading, fonts)
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t) * 1000)
    return _percentiles(samples)


def _time_pair(first, second, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Both timed in turns, one run of each per round: on a shared machine the load
    changes from second to second, and a ratio of two series taken one after the other
    would measure the load as much as the code."""
    first(), second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for func, out in ((first, samples[0]), (second, samples[1])):
            t = time.perf_counter()
            func()
            out.append((time.perf_counter() - t) * 1000)
    return _percentiles(samples[0]), _percentiles(samples[1])


def raw_figures(gov_ids: list[int] | None) -> None:
    """The dashboard's figures as plain SQL, one hand-written query per figure family:
    the floor the page is compared with. The same figures the dashboard shows: the rounds;
    totals per governorate for the round (every governorate: the country's total, the
    share and the map), the previous round and the trend rounds (in the scope); the
    governorates' names; shelter; priority needs and people in need of each location's
    latest needs assessment; people reached per sector (4W) and the sectors' names;
    trainings; arrivals since the round; stock and deliveries; alerts of the last 30 days."""
    from django.db import connection

    scoped = "" if gov_ids is None else f"IN ({','.join(map(str, gov_ids))})"

    def where(column: str, glue: str = "AND") -> str:
        return f" {glue} {column} {scoped}" if scoped else ""

    latest_needs = (
        "SELECT DISTINCT ON (n.location_id) n.id, n.location_id, n.population_individuals "
        "FROM needs_needsassessment n JOIN geo_location l ON l.id = n.location_id"
        f"{where('l.governorate_id', 'WHERE')} "
        "ORDER BY n.location_id, n.assessed_on DESC, n.id DESC"
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT id, code, date, partial FROM tracking_round WHERE kind = 'idps' "
            "ORDER BY date, id"
        )
        rounds = c.fetchall()
        complete = [r for r in rounds if not r[3]]
        latest = complete[-1]
        trend = [r[0] for r in complete[-6:]]
        previous = complete[-2][0] if len(complete) > 1 else latest[0]
        wanted = ",".join(map(str, {*trend, previous, latest[0]}))
        c.execute(  # every round's totals per governorate: the round everywhere
            "SELECT a.round_id, l.governorate_id, SUM(a.families), SUM(a.individuals), "
            "SUM(a.returnee_families), SUM(a.returnee_individuals), COUNT(*) "
            "FROM tracking_locationassessment a JOIN geo_location l ON l.id = a.location_id "
            f"WHERE a.round_id IN ({wanted})"
            + (f" AND (l.governorate_id {scoped} OR a.round_id = %s)" if scoped else "")
            + " GROUP BY a.round_id, l.governorate_id",
            [latest[0]] if scoped else [],
        )
        govs = {row[1] for row in c.fetchall()}
        c.execute(
            "SELECT id, pcode, name_en, name_ar FROM geo_governorate WHERE id = ANY(%s)",
            [list(govs)],
        )
        c.fetchall()
        c.execute(  # shelter, with the types' names
            "SELECT t.code, t.name_en, t.name_ar, SUM(s.families) "
            "FROM tracking_assessmentshelter s "
            "JOIN tracking_sheltertype t ON t.id = s.shelter_type_id "
            "JOIN tracking_locationassessment a ON a.id = s.assessment_id "
            "JOIN geo_location l ON l.id = a.location_id "
            f"WHERE a.round_id = %s{where('l.governorate_id')} "
            'GROUP BY t.code, t.name_en, t.name_ar, t."order" ORDER BY t."order", t.code',
            [latest[0]],
        )
        c.fetchall()
        c.execute(  # priority needs of the latest assessments, with the sectors
            "SELECT p.sector_id, p.rank, s.code, s.name_en, s.name_ar FROM needs_priorityneed p "
            f"JOIN ({latest_needs}) n ON n.id = p.assessment_id "
            "JOIN needs_sector s ON s.id = p.sector_id"
        )
        c.fetchall()
        c.execute(  # severities for people in need
            "SELECT n.location_id, n.population_individuals, s.code, v.severity "
            f"FROM needs_sectorseverity v JOIN ({latest_needs}) n ON n.id = v.assessment_id "
            "JOIN needs_sector s ON s.id = v.sector_id"
        )
        c.fetchall()
        c.execute(  # people reached per sector (4W)
            "SELECT s.code, SUM(a.people_reached) FROM coordination_activity a "
            "JOIN needs_sector s ON s.id = a.sector_id"
            f"{where('a.governorate_id', 'WHERE')} GROUP BY s.code"
        )
        c.fetchall()
        c.execute("SELECT code, name_en, name_ar FROM needs_sector")
        c.fetchall()
        c.execute(  # trainings: participants by sex, trainings, then institution kinds
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE sex = 'f'), "
            "COUNT(*) FILTER (WHERE sex = 'm'), COUNT(DISTINCT training_id) "
            f"FROM coordination_participant p{where('p.governorate_id', 'WHERE')}"
        )
        c.fetchall()
        c.execute(
            "SELECT o.kind, COUNT(*) FROM coordination_participant p "
            "JOIN accounts_organisation o ON o.id = p.organisation_id"
            f"{where('p.governorate_id', 'WHERE')} GROUP BY o.kind"
        )
        c.fetchall()
        c.execute(  # arrivals since the round
            "SELECT SUM(m.families) FROM tracking_movementevent m "
            "JOIN geo_location l ON l.id = m.location_id "
            f"WHERE m.direction = 'arrival' AND m.date > %s AND m.date <= CURRENT_DATE"
            f"{where('l.governorate_id')}",
            [latest[2]],
        )
        c.fetchall()
        c.execute(  # stock on hand and deliveries per item
            "SELECT b.item_id, i.name_en, i.name_ar, SUM(b.quantity) FROM supply_stockbalance b "
            "JOIN supply_item i ON i.id = b.item_id "
            "JOIN supply_warehouse w ON w.id = b.warehouse_id"
            f"{where('w.governorate_id', 'WHERE')} GROUP BY b.item_id, i.name_en, i.name_ar"
        )
        c.fetchall()
        c.execute(
            "SELECT d.item_id, i.name_en, i.name_ar, SUM(d.quantity) FROM supply_distribution d "
            "JOIN supply_item i ON i.id = d.item_id "
            "JOIN supply_warehouse w ON w.id = d.site_id"
            f"{where('w.governorate_id', 'WHERE')} GROUP BY d.item_id, i.name_en, i.name_ar"
        )
        c.fetchall()
        c.execute(  # alerts of the last 30 days
            "SELECT COUNT(*) FROM tracking_alert WHERE fired_at >= now() - interval '30 days'"
            f"{where('governorate_id')}"
        )
        c.fetchall()


def page_weight(client, html: str) -> tuple[int, int]:
    """Bytes of the page and every same-origin script and stylesheet: raw and gzip."""
    from django.contrib.staticfiles import finders

    raw = len(html.encode())
    zipped = len(gzip.compress(html.encode()))
    for url in set(re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)):
        path = finders.find(url.removeprefix("/static/"))
        if path:
            data = open(path, "rb").read()  # noqa: SIM115
            raw += len(data)
            zipped += len(gzip.compress(data))
    return raw, zipped


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_reports")
    parser.add_argument("--locations", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    _setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from amina.accounts.models import User
    from amina.reports import rendering, services

    t = time.perf_counter()
    made = generate(args.locations, args.rounds)
    print(f"data: {made} ({time.perf_counter() - t:.0f} s) on {connection.vendor}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg()))
    from amina.reports.dashboard import dashboard_figures

    header = [
        "user",
        "page",
        "server p50 / p95 ms (figures computed)",
        "p50 / p95 (cache warm)",
        "dashboard figures alone p50 / p95",
        "raw SQL p50 / p95",
        "ratio figures / raw SQL (p50)",
        "queries (page)",
        "queries (figures alone)",
        "page weight KB (gzip)",
    ]
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for username in ("national", "najaf"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        gov_ids = (
            None if user.national_scope else list(user.governorates.values_list("pk", flat=True))
        )
        alone, raw = _time_pair(
            lambda user=user: dashboard_figures(user, use_cache=False),
            lambda gov_ids=gov_ids: raw_figures(gov_ids),
            args.repeat,
        )
        connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
        with CaptureQueriesContext(connection) as figure_queries:
            dashboard_figures(user, use_cache=False)
        for url in ("/reports/dashboard/", "/"):

            def cold(client=client, url=url):
                cache.clear()
                assert client.get(url).status_code == 200

            page = _time(cold, args.repeat)
            warm = _time(lambda client=client, url=url: client.get(url), args.repeat)
            cache.clear()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                html = client.get(url).content.decode()
            size, zipped = page_weight(client, html)
            cells = [
                username,
                url,
                f"{page[0]:.0f} / {page[1]:.0f}",
                f"{warm[0]:.0f} / {warm[1]:.0f}",
                f"{alone[0]:.0f} / {alone[1]:.0f}",
                f"{raw[0]:.1f} / {raw[1]:.1f}",
                f"{alone[0] / raw[0]:.1f}",
                str(len(queries)),
                str(len(figure_queries)),
                f"{size / 1024:.0f} ({zipped / 1024:.0f})",
            ]
            print("| " + " | ".join(cells) + " |", flush=True)
    najaf = User.objects.get(username="najaf")
    govs = list(najaf.governorates.all())
    for label, selection in (("Al-Najaf", govs), ("whole country", [])):

        def flash(selection=selection):
            figs = services.compute_figures(None, selection, "ar")
            html = rendering.render_html(figs, rendering.Narrative("Flash"), "ar", for_pdf=True)
            return rendering.render_pdf(html)

        p50, p95 = _time(flash, max(3, args.repeat // 4))
        print(
            f"flash report PDF ({label}, Arabic): p50 {p50 / 1000:.2f} s, p95 {p95 / 1000:.2f} s, "
            f"{len(flash()) / 1024:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
