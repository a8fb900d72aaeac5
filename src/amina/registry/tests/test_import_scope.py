"""A household file is imported only into the importer's governorates (issue 13): a row
in another governorate is an import problem naming the row and the governorate column,
and nothing is written — on the row-by-row path and on PostgreSQL's staged path."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection

from amina.geo.models import Location
from amina.lib.tabular import ImportFailed
from amina.registry import staging
from amina.registry.importing import import_households
from amina.registry.models import Household, Member
from amina.registry.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db

ROWS = list(csv.reader(io.StringIO((SAMPLES / "households.csv").read_text(encoding="utf-8"))))
HEADER, DATA = ROWS[0], ROWS[1:]
GOV = HEADER.index("governorate")


def najaf_file(*, with_duhok_at: int | None = None) -> bytes:
    """The sample's Najaf (IQG04) households; with one Duhok (IQG09) household inserted
    so that it is on CSV line ``with_duhok_at`` (the header is line 1)."""
    rows = [r for r in DATA if r[GOV] == "IQG04"]
    if with_duhok_at is not None:
        duhok = next(r for r in DATA if r[GOV] == "IQG09")
        rows.insert(with_duhok_at - 2, duhok)
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def nothing_written() -> bool:
    return not Household.objects.exists() and not Member.objects.exists()


def test_it_refuses_a_row_outside_the_importers_governorates(officer_a, monkeypatch):
    # The row-by-row path, also on PostgreSQL (where the staged path would come first).
    monkeypatch.setattr(staging, "import_staged", lambda *args, **kwargs: None)
    locations = Location.objects.count()
    with pytest.raises(ImportFailed) as refused:
        import_households(officer_a, najaf_file(with_duhok_at=7), filename="households.csv")
    problems = [str(p) for p in refused.value.report.errors]
    assert problems == ["row 7, column 'governorate': Duhok is outside your governorates"]
    assert nothing_written()
    assert Location.objects.count() == locations


def test_an_officer_imports_a_file_of_their_own_governorate(officer_a):
    result = import_households(officer_a, najaf_file(), filename="households.csv")
    assert result.households == 9
    assert set(Household.objects.values_list("governorate__pcode", flat=True)) == {"IQG04"}


def test_an_officer_of_another_governorate_is_refused_on_every_row(officer_b):
    with pytest.raises(ImportFailed) as refused:
        import_households(officer_b, najaf_file(), filename="households.csv")
    assert len(refused.value.report.errors) == 9
    assert {p.column for p in refused.value.report.errors} == {"governorate"}
    assert nothing_written()


def test_a_national_user_and_the_command_line_import_anywhere(national_user):
    result = import_households(national_user, najaf_file(with_duhok_at=7), dry_run=True)
    assert result.households == 10
    assert import_households(None, najaf_file(with_duhok_at=7), dry_run=True).households == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged import is PostgreSQL's")
def test_the_staged_import_refuses_a_row_outside_the_importers_governorates(officer_a, monkeypatch):
    staged = []
    real = staging._run

    def spy(*args, **kwargs):
        staged.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(staging, "_run", spy)
    with pytest.raises(ImportFailed) as refused:
        import_households(officer_a, najaf_file(with_duhok_at=7), filename="households.csv")
    assert staged, "the file should have taken the staged path"
    problems = [str(p) for p in refused.value.report.errors]
    assert problems == ["row 7, column 'governorate': Duhok is outside your governorates"]
    assert nothing_written()
