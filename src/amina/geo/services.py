"""Use cases for the geography: official boundaries, places and their spellings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from amina.audit.services import diff, record_bulk, record_change, snapshot
from amina.geo.models import District, Governorate, Location, PlaceAlias

if TYPE_CHECKING:
    from amina.jobs.models import Job

GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}
# OCHA COD-AB property names, most specific level first.
LEVELS = (("ADM2_PCODE", District, "district"), ("ADM1_PCODE", Governorate, "governorate"))


def _round_coords(coords, digits: int = 5):
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(c, digits) for c in coords]
    return [_round_coords(c, digits) for c in coords]


@transaction.atomic
def import_boundaries(actor, path: str | Path, progress=None) -> dict:
    """Load admin boundaries from an OCHA COD GeoJSON file (admin 1 or admin 2).

    Each feature is matched to a governorate or district by its p-code; a feature that
    matches nothing, has no p-code or no polygon is an error naming the feature, and
    nothing is written (the transaction rolls back).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path} is not GeoJSON: line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(f"{path} is not a GeoJSON FeatureCollection")
    features = data.get("features") or []
    if not features:
        raise ValidationError(f"{path} has no features")
    places = {
        "governorate": {g.pcode: g for g in Governorate.objects.all()},
        "district": {d.pcode: d for d in District.objects.all()},
    }
    errors, updates = [], []
    for number, feature in enumerate(features, start=1):
        if progress is not None and number % 10 == 1:
            progress(number - 1, len(features), "checking features")
        if not isinstance(feature, dict):
            errors.append(f"feature {number}: not a GeoJSON Feature")
            continue
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        level = next(((key, name) for key, _model, name in LEVELS if props.get(key)), None)
        if level is None:
            errors.append(f"feature {number}: no ADM1_PCODE or ADM2_PCODE property")
            continue
        key, name = level
        pcode = str(props[key]).strip()
        place = places[name].get(pcode)
        if place is None:
            errors.append(f"feature {number}: {key} {pcode!r} is not a known {name}; add it first")
            continue
        if geometry.get("type") not in GEOMETRY_TYPES or not geometry.get("coordinates"):
            errors.append(f"feature {number} ({pcode}): geometry must be a Polygon or MultiPolygon")
            continue
        place.boundary = {
            "type": geometry["type"],
            "coordinates": _round_coords(geometry["coordinates"]),
        }
        updates.append((name, place))
    if errors:
        raise ValidationError(errors)
    counts = {"governorate": 0, "district": 0}
    for name, place in updates:
        place.save(update_fields=["boundary"])
        counts[name] += 1
    record_bulk(
        actor,
        Governorate if counts["governorate"] else District,
        "import",
        {"file": Path(path).name, **counts},
        f"boundaries from {Path(path).name}",
    )
    return counts


@transaction.atomic
def save_place(actor, place):
    """Create or change a governorate, district, sub-district or location, with audit."""
    creating = place.pk is None
    before = {} if creating else snapshot(type(place).objects.get(pk=place.pk))
    if (
        isinstance(place, Location)
        and place.district_id
        and place.district.governorate_id != place.governorate_id
    ):
        raise ValidationError({"district": "the district is not in the location's governorate"})
    place.full_clean()
    place.save()
    record_change(actor, place, "create" if creating else "update", diff(before, snapshot(place)))
    return place


@transaction.atomic
def add_alias(actor, name: str, target, source: str = PlaceAlias.Source.USER) -> PlaceAlias:
    field = {Governorate: "governorate", District: "district", Location: "location"}[type(target)]
    alias = PlaceAlias(name=name, source=source, **{field: target})
    alias.full_clean()
    alias.save()
    record_change(actor, alias, "create", {"name": [None, name], field: [None, target.pk]})
    return alias


@transaction.atomic
def start_boundary_import(actor, upload) -> Job:
    """Keep the uploaded file under MEDIA_ROOT and queue its import for a worker."""
    import uuid

    from django.conf import settings

    from amina.jobs.services import start_job

    folder = Path(settings.MEDIA_ROOT) / "uploads" / "boundaries"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.geojson"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return start_job(
        "boundaries",
        {"path": str(path)},
        actor,
        label=f"Boundaries from {Path(upload.name).name}"[:200],
    )
