"""One way to create a place (issue 13): every importer and form goes through
``geo.services.create_locations``, with the same rules for kind and review, audited.
(That a household file never gives a new location its households' coordinates is the
registry's test: ``registry/tests/test_import_new_locations.py``.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from amina.geo.models import District, Location
from amina.geo.services import NewLocation, create_location, create_locations

SRC = Path(__file__).resolve().parents[2]
ALLOWED = {"geo/services.py"}
CREATORS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _creates_location(node: ast.AST) -> bool:
    """``Location(...)``, ``Location.objects.create(...)`` and the like, or
    ``bulk_insert(Location, ...)``."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name) and func.id == "Location":
        return True
    if isinstance(func, ast.Attribute) and func.attr in CREATORS:
        target = func.value
        if isinstance(target, ast.Attribute) and target.attr == "objects":
            target = target.value
        if isinstance(target, ast.Name) and target.id == "Location":
            return True
    return bool(
        node.args
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "Location"
        and isinstance(func, ast.Name | ast.Attribute)
        and (getattr(func, "id", None) or getattr(func, "attr", "")).startswith("bulk")
    )


def test_only_the_geo_service_creates_location_rows():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        parts = set(path.relative_to(SRC).parts)
        # Migrations, demo data and tests build rows directly, on purpose.
        if relative in ALLOWED or parts & {"migrations", "tests", "demo"} or "demo" in path.stem:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{relative}:{n.lineno}" for n in ast.walk(tree) if _creates_location(n)]
    assert offenders == [], f"Location rows created outside geo.services: {offenders}"


def test_the_structural_check_sees_each_way_of_creating_a_row():
    for source in (
        "Location(name_en='x')",
        "Location.objects.create(name_en='x')",
        "Location.objects.bulk_create([])",
        "bulk_insert(Location, rows)",
    ):
        assert _creates_location(ast.parse(source).body[0].value), source
    assert not _creates_location(ast.parse("Location.objects.filter(pk=1)").body[0].value)


@pytest.mark.django_db
def test_the_same_rules_of_kind_and_review_apply_to_every_source(gov_a):
    district = District.objects.filter(governorate=gov_a).first()
    dtm, named, field, guessed = create_locations(
        None,
        [
            NewLocation("Al-Salam", gov_a.pk, district.pk, lat=32.0, lon=44.3, dtm_place_id="9001"),
            NewLocation("حي النور", gov_a.pk, district.pk),
            NewLocation("Hill 4", gov_a.pk, district.pk, lat=32.1, lon=44.2, kind="site"),
            NewLocation("Camp Zeta", gov_a.pk, None, lat=32.1, lon=44.2),
        ],
        source="test",
    )
    assert (dtm.kind, dtm.needs_review, dtm.dtm_place_id) == ("village", False, "9001")
    assert (named.kind, named.needs_review, named.name_ar) == ("neighbourhood", True, "حي النور")
    assert (field.kind, field.needs_review) == ("site", False)
    assert (guessed.kind, guessed.needs_review) == ("camp", True)  # no district: review


@pytest.mark.django_db
def test_it_refuses_a_location_outside_the_actors_governorates(officer_a, gov_b):
    with pytest.raises(ValidationError, match="outside your governorates"):
        create_location(officer_a, NewLocation("Khanke", gov_b.pk), source="test")
    assert not Location.objects.filter(name_en="Khanke").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("lat,lon", [(95, 44), (32, "x"), (float("nan"), 44), (32, 1e308)])
def test_it_refuses_coordinates_that_are_not_a_point_on_earth(gov_a, lat, lon):
    with pytest.raises(ValidationError, match="is not a valid"):
        create_location(None, NewLocation("Nowhere", gov_a.pk, lat=lat, lon=lon), source="test")
    assert not Location.objects.filter(name_en="Nowhere").exists()


@pytest.mark.django_db
def test_it_refuses_a_district_of_another_governorate(gov_a, gov_b):
    other = District.objects.filter(governorate=gov_b).first()
    with pytest.raises(ValidationError, match="district is not in"):
        create_location(None, NewLocation("Astray", gov_a.pk, other.pk), source="test")
