"""Boundaries are simplified on import, served apart from the places that list them,
and a malformed GeoJSON is refused with a plain message (issue 12, defects 7 and 8)."""

from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import ValidationError

from amina.geo.boundaries import simplify, vertex_count
from amina.geo.models import Boundary, Governorate
from amina.geo.services import import_boundaries


def circle(n: int, lon=44.3, lat=32.0, radius=0.8) -> list:
    ring = [
        [lon + radius * math.cos(2 * math.pi * i / n), lat + radius * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    return [*ring, ring[0]]


def collection(geometry, pcode="IQG04") -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"ADM1_PCODE": pcode}, "geometry": geometry}
        ],
    }


def write(tmp_path, data, name="bounds.geojson"):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_million_vertex_polygon_is_stored_simplified_under_the_cap(
    tmp_path, reference_geography, settings
):
    settings.AMINA_BOUNDARY_MAX_VERTICES = 2000
    path = write(tmp_path, collection({"type": "Polygon", "coordinates": [circle(1_000_000)]}))
    assert import_boundaries(None, path) == {"governorate": 1, "district": 0}
    outline = Boundary.objects.get(governorate__pcode="IQG04")
    assert 4 <= outline.vertices == vertex_count(outline.geometry) <= 2000
    assert len(json.dumps(outline.geometry)) < 100_000
    # Still the same place: every kept point lies on the circle (within the tolerance).
    ring = outline.geometry["coordinates"][0]
    assert all(abs(math.hypot(x - 44.3, y - 32.0) - 0.8) < 0.01 for x, y in ring)


def test_simplifying_keeps_the_shape_and_drops_holes_smaller_than_the_tolerance():
    hole = circle(50, radius=0.0001)
    shape = simplify(
        {"type": "Polygon", "coordinates": [circle(10_000), hole]},
        tolerance=0.001,
        max_vertices=500,
    )
    assert shape["type"] == "Polygon" and len(shape["coordinates"]) == 1
    assert 8 <= vertex_count(shape) <= 500
    assert shape["coordinates"][0][0] == shape["coordinates"][0][-1]  # still closed


@pytest.mark.django_db
def test_lists_of_governorates_do_not_grow_with_their_boundaries(
    client, national_user, tmp_path, reference_geography
):
    client.force_login(national_user)
    urls = ["/geo/governorates/", "/api/v1/geo/governorates/"]
    before = {url: len(client.get(url).content) for url in urls}
    figures_before = client.get("/geo/map/governorates.geojson").json()
    import_boundaries(
        None, write(tmp_path, collection({"type": "Polygon", "coordinates": [circle(200_000)]}))
    )
    assert {url: len(client.get(url).content) for url in urls} == before
    figures = client.get("/geo/map/governorates.geojson").json()
    assert [f["geometry"] for f in figures["features"]] == [
        f["geometry"] for f in figures_before["features"]
    ]  # centroids only: the outline is not in the figures
    assert figures_before["boundaries"] is None
    outlines = client.get(figures["boundaries"])
    assert set(outlines["Cache-Control"].split(", ")) == {"max-age=86400", "private"}
    (feature,) = outlines.json()["features"]
    assert feature["properties"] == {"pcode": "IQG04"}
    assert feature["geometry"]["type"] == "Polygon"


@pytest.mark.django_db
def test_outlines_are_served_in_the_readers_scope_only(
    client, officer_a, officer_b, tmp_path, reference_geography
):
    import_boundaries(
        None, write(tmp_path, collection({"type": "Polygon", "coordinates": [circle(100)]}))
    )
    for user, pcodes in ((officer_a, ["IQG04"]), (officer_b, [])):
        client.force_login(user)
        page = client.get("/geo/boundaries.geojson?level=governorate").json()
        assert [f["properties"]["pcode"] for f in page["features"]] == pcodes
        api = client.get("/api/v1/geo/boundaries/?level=governorate").json()
        assert [r["pcode"] for r in api["results"]] == pcodes


def _feature_with(coordinates) -> str:
    return json.dumps(collection({"type": "Polygon", "coordinates": coordinates}))


SQUARE = [[43.5, 31.0], [44.0, 31.0], [44.0, 31.5], [43.5, 31.5], [43.5, 31.0]]
BAD = {
    "coordinates as text": (
        _feature_with([[[str(x), str(y)] for x, y in SQUARE]]),
        "feature 1 (IQG04): coordinates must be numbers, not text",
    ),
    "a ring given as positions": (
        _feature_with(SQUARE),
        "feature 1 (IQG04): a ring must be a list of at least four positions",
    ),
    "one nesting too many": (
        _feature_with([[[p] for p in SQUARE]]),
        "feature 1 (IQG04): a position must be [longitude, latitude]",
    ),
    "NaN": (
        _feature_with([[[43.5, 31.0], [44.0, "NaN"], [44.0, 31.5], [43.5, 31.0]]]).replace(
            '"NaN"', "NaN"
        ),
        "The file is not GeoJSON: it holds a number that is not finite, or far too long.",
    ),
    "a huge number": (
        _feature_with([[[1e300, 31.0], [44.0, 31.0], [44.0, 31.5], [1e300, 31.0]]]),
        "feature 1 (IQG04): a coordinate is outside the range of longitude and latitude",
    ),
    "a number of 5000 digits": (
        _feature_with([[[43.5, 31.0], [44.0, 31.0], [44.0, 31.5], [43.5, 31.0]]]).replace(
            "44.0", "4" * 5000, 1
        ),
        "The file is not GeoJSON: it holds a number that is not finite, or far too long.",
    ),
    "not JSON": ("<html>boundaries</html>", "it is not valid JSON (line 1, column 1)"),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, "its lists are nested too deeply"),
    "not UTF-8": (b"\xff\xfe{\x00", "it is not UTF-8 text"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD)
def test_malformed_geojson_is_refused_with_a_plain_message(tmp_path, reference_geography, case):
    content, message = BAD[case]
    path = write(tmp_path, content)
    with pytest.raises(ValidationError) as refused:
        import_boundaries(None, path)
    text = " ".join(refused.value.messages)
    assert message in text
    assert str(tmp_path) not in text and "Error" not in text and "Traceback" not in text
    assert not Boundary.objects.exists()


@pytest.mark.django_db
def test_a_refused_job_shows_the_message_not_the_servers_path(
    client, admin_user, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amina.jobs.models import Job
    from amina.jobs.services import execute

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(admin_user)
    upload = SimpleUploadedFile("bad.geojson", _feature_with([[["43", "31"]] * 4]).encode())
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/geo/boundaries/", {"file": upload})
    job = execute(Job.objects.get(kind="boundaries"))
    assert job.status == "failed"
    assert "coordinates must be numbers, not text" in job.error
    assert str(settings.MEDIA_ROOT) not in job.error and "media" not in job.error
    assert not Governorate.objects.filter(outline__isnull=False).exists()
