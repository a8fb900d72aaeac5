"""A household file that names a place Amina does not know creates it through
``geo.services.create_locations`` (issue 13), and never gives it the households'
coordinates (issue 12): a person places it, after review."""

from __future__ import annotations

import csv
import io

import pytest

from amina.audit.models import ChangeLog
from amina.geo.models import Location
from amina.registry.importing import import_households
from amina.registry.tests.conftest import SAMPLES


def _household_file(location: str, lat: str, lon: str) -> bytes:
    rows = list(csv.reader(io.StringIO((SAMPLES / "households.csv").read_text("utf-8"))))
    header, data = rows[0], rows[1:]
    najaf = next(r for r in data if r[header.index("governorate")] == "IQG04")
    row = dict(zip(header, najaf, strict=True))
    row.update(location=location, latitude=lat, longitude=lon)
    out = io.StringIO()
    csv.writer(out).writerows([header, [row[h] for h in header]])
    return out.getvalue().encode("utf-8")


@pytest.mark.django_db
def test_a_household_file_creates_a_new_location_without_the_households_coordinates(
    officer_a,
):
    result = import_households(
        officer_a, _household_file("مخيم الأمل الجديد", "32.0123", "44.3456"), filename="h.csv"
    )
    assert result.new_locations == ["مخيم الأمل الجديد"]
    location = Location.objects.get(name_ar="مخيم الأمل الجديد")
    assert (location.centroid_lat, location.centroid_lon) == (None, None)
    assert location.needs_review  # named by a file, placed by nobody: a person checks it
    assert location.kind == Location.Kind.CAMP
    audit = ChangeLog.objects.get(model="geo.location", object_id=str(location.pk))
    assert (audit.action, audit.actor_id) == ("create", officer_a.pk)
    assert audit.diff["source"] == [None, "household import"]
    assert audit.diff["centroid_lat"] == [None, None]
