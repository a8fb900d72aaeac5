"""Every importer reads its file before it opens a transaction.

On SQLite a transaction that writes holds the one write lock (``IMMEDIATE``): a parse
inside it made every other writer wait and fail with "database is locked" for as long
as the file took to read. Here the reader itself reports whether a transaction was open
when it was called.
"""

import datetime

import pytest
from django.db import connection

from amina.core.tests.hostile import SPECS, csv_bytes
from amina.lib import tabular

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spy(monkeypatch):
    """Records, at each call of the reader, whether a transaction was open."""
    calls: list[bool] = []
    real = tabular.read_rows

    def read_rows(*args, **kwargs):
        calls.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(tabular, "read_rows", read_rows)
    return calls


def _file(tmp_path, importer: str):
    spec = SPECS[importer]
    path = tmp_path / f"{importer}.csv"
    path.write_bytes(csv_bytes([spec.header, spec.row]))
    return path


def _attempt(run) -> None:
    try:
        run()
    except Exception:  # noqa: BLE001, S110 (refused or not, the reading is what is observed)
        pass


def test_the_registry_import_reads_outside_any_transaction(spy, tmp_path, monkeypatch):
    from amina.registry import staging
    from amina.registry.importing import import_households

    # The row path, also on PostgreSQL: its staged path has PostgreSQL parse the file
    # (COPY), which holds no lock that other writers wait for.
    monkeypatch.setattr(staging, "import_staged", lambda *args, **kwargs: None)

    _attempt(lambda: import_households(None, _file(tmp_path, "registry")))
    assert spy and not any(spy)


def test_the_dtm_import_reads_outside_any_transaction(spy, tmp_path):
    from amina.tracking.services.dtm import import_dtm_file

    path = _file(tmp_path, "dtm")
    _attempt(
        lambda: import_dtm_file(None, path, round_code="R1", round_date=datetime.date(2015, 6, 1))
    )
    assert spy and not any(spy)


def test_the_needs_import_reads_outside_any_transaction(spy, tmp_path):
    from amina.needs.importing import import_needs_file

    _attempt(lambda: import_needs_file(None, _file(tmp_path, "needs")))
    assert spy and not any(spy)


def test_the_4w_import_reads_outside_any_transaction(spy, tmp_path):
    from amina.coordination.services.imports import import_activities

    _attempt(lambda: import_activities(None, _file(tmp_path, "4w")))
    assert spy and not any(spy)


def test_the_boundary_import_reads_and_simplifies_outside_any_transaction(
    monkeypatch, tmp_path, reference_geography
):
    import json

    from amina.geo import boundaries, services
    from amina.geo.models import Boundary

    calls: list[bool] = []
    real_read, real_simplify = services._read_geojson, boundaries.simplify

    def read(path):
        calls.append(connection.in_atomic_block)
        return real_read(path)

    def simplify(geometry):
        calls.append(connection.in_atomic_block)
        return real_simplify(geometry)

    monkeypatch.setattr(services, "_read_geojson", read)
    monkeypatch.setattr(boundaries, "simplify", simplify)
    ring = [[44.0, 32.0], [44.5, 32.0], [44.5, 32.5], [44.0, 32.5], [44.0, 32.0]]
    feature = {
        "type": "Feature",
        "properties": {"ADM1_PCODE": "IQG04"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "adm1.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert services.import_boundaries(None, path)["governorate"] == 1
    assert calls == [False, False] and Boundary.objects.count() == 1
