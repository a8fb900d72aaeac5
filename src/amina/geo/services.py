"""Use cases for the geography: official boundaries, places and their spellings."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from amina.audit.services import diff, record_bulk, record_change, snapshot
from amina.geo.codes import assign_codes
from amina.geo.models import Boundary, District, Governorate, Location, PlaceAlias
from amina.lib.arabic import has_arabic, normalise_name
from amina.lib.i18n import Message
from amina.lib.i18n import gettext_deferred as _

if TYPE_CHECKING:
    from amina.jobs.models import Job

# OCHA COD-AB property names, most specific level first.
LEVELS = (("ADM2_PCODE", District, "district"), ("ADM1_PCODE", Governorate, "governorate"))
#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 20


def _refuse_constant(name: str):
    raise ValueError(name)


def _read_geojson(path: Path) -> dict:
    """The file's JSON, or a ValidationError that says what is wrong with it in words a
    person understands — never the server's path or a Python class."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not GeoJSON: it is not UTF-8 text.")) from None
    except OSError:
        raise ValidationError(_("The file cannot be read.")) from None
    if "\x00" in text or "\\u0000" in text:
        raise ValidationError(_("The file is not GeoJSON: it holds a NUL character."))
    try:
        # NaN and Infinity are not JSON; Python would accept them.
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("The file is not GeoJSON: it is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except RecursionError:  # the JSON decoder's own guard against deep nesting
        raise ValidationError(
            _("The file is not GeoJSON: its lists are nested too deeply.")
        ) from None
    except ValueError:
        raise ValidationError(
            _("The file is not GeoJSON: it holds a number that is not finite, or far too long.")
        ) from None


def import_boundaries(actor, path: str | Path, progress=None) -> dict:
    """Load admin boundaries from an OCHA COD GeoJSON file (admin 1 or admin 2).

    Each feature is matched to a governorate or district by its p-code; its geometry is
    checked (numbers, nesting, ranges) and simplified (``geo.boundaries.simplify``). A
    feature that matches nothing, has no p-code or no valid polygon is an error naming
    the feature, and nothing is written. The file is read and every feature checked and
    simplified before the one short write transaction opens, so a large or hostile file
    never holds the embedded database's write lock (issue 12).
    """
    data = _read_geojson(Path(path))
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("The file is not a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The file has no features."))
    places = {
        "governorate": {g.pcode: g for g in Governorate.objects.all()},
        "district": {d.pcode: d for d in District.objects.all()},
    }
    errors, updates = [], []
    for number, feature in enumerate(features, start=1):
        if progress is not None and number % 10 == 1:
            progress(number - 1, len(features), gettext_noop("checking features"))
        checked = _check_feature(number, feature, places)
        (errors if isinstance(checked, Message) else updates).append(checked)
    if errors:
        more = len(errors) - MAX_PROBLEMS
        if more > 0:
            errors = [*errors[:MAX_PROBLEMS], _("and %(count)s more problems") % {"count": more}]
        raise ValidationError(errors)
    return _write_boundaries(actor, updates, Path(path).name[:200])


def _check_feature(number: int, feature, places: dict[str, dict]) -> tuple | Message:
    """(level, place, simplified geometry) of one feature, or the problem naming it."""
    from amina.geo.boundaries import BadGeometry, simplify

    if not isinstance(feature, dict):
        return _("feature %(number)s: not a GeoJSON Feature") % {"number": number}
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    level = next(((key, name) for key, _model, name in LEVELS if props.get(key)), None)
    if level is None:
        return _("feature %(number)s: no ADM1_PCODE or ADM2_PCODE property") % {"number": number}
    key, name = level
    pcode = str(props[key]).strip()[:40]
    place = places[name].get(pcode)
    if place is None:
        return _(
            "feature %(number)s: %(key)s '%(pcode)s' is not a known %(level)s; add it first"
        ) % {"number": number, "key": key, "pcode": pcode, "level": _(name)}
    try:
        geometry = simplify(feature.get("geometry"))
    except BadGeometry as exc:
        return _("feature %(number)s (%(pcode)s): %(reason)s") % {
            "number": number,
            "pcode": pcode,
            "reason": exc.args[0] if exc.args else "",
        }
    return (name, place, geometry)


@transaction.atomic
def _write_boundaries(actor, updates: list, source: str) -> dict:
    """The checked boundaries saved, with one audit row of the file: the one short write
    transaction of ``import_boundaries``."""
    from amina.geo.boundaries import vertex_count

    counts = {"governorate": 0, "district": 0}
    for name, place, geometry in updates:
        Boundary.objects.update_or_create(
            **{name: place},
            defaults={
                "geometry": geometry,
                "vertices": vertex_count(geometry),
                "source": source,
            },
        )
        counts[name] += 1
    record_bulk(
        actor,
        Governorate if counts["governorate"] else District,
        "import",
        {"file": source, **counts},
        f"boundaries from {source}",
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
        label=Message(gettext_noop("Boundaries from %(name)s"), name=Path(upload.name).name),
    )


# ------------------------------------------------------------------ new locations

#: The first word of a place name that says what kind of place it is.
KIND_WORDS = {
    "مخيم": Location.Kind.CAMP,
    "camp": Location.Kind.CAMP,
    "قريه": Location.Kind.VILLAGE,
    "village": Location.Kind.VILLAGE,
    "حي": Location.Kind.NEIGHBOURHOOD,
    "hay": Location.Kind.NEIGHBOURHOOD,
    "مجمع": Location.Kind.SITE,
    "site": Location.Kind.SITE,
}


@dataclass
class NewLocation:
    """A location to create: what an importer or a form knows of it.

    ``lat``/``lon`` are the coordinates of the place itself (a DTM master list's, or a
    point a field officer placed); never a household's, which are personal data.
    """

    name_en: str
    governorate_id: int
    district_id: int | None = None
    sub_district_id: int | None = None
    name_ar: str = ""
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    dtm_place_id: str | None = None


def location_kind(kind: str | None, *names: str) -> str:
    """The kind given, else the one a name's first word says ("مخيم خازر" is a camp),
    else a village."""
    if kind in Location.Kind.values:
        return kind
    for name in names:
        words = normalise_name(name or "").split()
        if words and words[0] in KIND_WORDS:
            return KIND_WORDS[words[0]]
    return Location.Kind.VILLAGE


def _coordinate(value, low: float, high: float, name: str, label: Message) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(
            _("%(name)s: %(value)s is not a valid %(coordinate)s.")
            % {"name": name, "value": value, "coordinate": label}
        )
    return round(number, 6)


@transaction.atomic
def create_locations(actor, places: Sequence[NewLocation], *, source: str) -> list[Location]:
    """The one way a location comes into being (form, field entry, DTM or household
    import): the same rules for its names, kind and review flag, and one audit row.

    - names: cut to the field's length; an Arabic-only name is also the Arabic name; a
      place known only by its DTM place id is named by it;
    - kind: as given, else from the name's first word (``location_kind``);
    - review: a location needs review when its district is unknown, or when it has
      neither an official code (DTM place id) nor coordinates of its own — a place a
      file merely named, which someone must check and place on the map;
    - the district must lie in the governorate; coordinates must be real ones;
    - an actor (None is the command line, acting as the system) creates locations only
      in the governorates of their scope;
    - code: every location gets its stable code here (``geo.codes``): its DTM place id,
      else the next code of its governorate.
    """
    from amina.accounts import access

    if not places:
        return []
    districts = dict(
        District.objects.filter(
            pk__in={p.district_id for p in places if p.district_id}
        ).values_list("pk", "governorate_id")
    )
    allowed = access.governorate_filter(actor) if actor is not None else None
    names = dict(Governorate.objects.values_list("pk", "name_en"))
    rows = [_new_location(place, names, allowed, districts) for place in places]
    # Codes before the rows exist: bulk_create skips ``Location.save``.
    assign_codes(rows)
    created = Location.objects.bulk_create(rows, batch_size=1000)
    _record_created(actor, created, source)
    return created


def _new_location(
    place: NewLocation,
    names: dict[int, str],
    allowed: set[int] | None,
    districts: dict[int, int],
) -> Location:
    """The unsaved location of ``place`` under ``create_locations``' rules; a
    ValidationError naming it when it breaks one. ``names`` are the governorates' English
    names by id, ``allowed`` the actor's governorates (None: all), ``districts`` the
    governorate of each district the places name."""
    # A master list may give only a place id: the id is then the name people search.
    name_en = (place.name_en or place.name_ar or place.dtm_place_id or "").strip()[:120]
    name_ar = (place.name_ar or (name_en if has_arabic(name_en) else "")).strip()[:120]
    if not name_en:
        raise ValidationError(_("A new location needs a name."))
    if place.governorate_id not in names:
        raise ValidationError(_("%(name)s: no such governorate.") % {"name": name_en})
    if allowed is not None and place.governorate_id not in allowed:
        raise ValidationError(
            _("%(name)s: %(governorate)s is outside your governorates")
            % {"name": name_en, "governorate": names[place.governorate_id]}
        )
    if place.district_id and districts.get(place.district_id) != place.governorate_id:
        raise ValidationError(
            _("%(name)s: the district is not in the location's governorate.") % {"name": name_en}
        )
    lat = _coordinate(place.lat, -90, 90, name_en, _("latitude"))
    lon = _coordinate(place.lon, -180, 180, name_en, _("longitude"))
    if (lat is None) != (lon is None):
        lat = lon = None  # half a point places nothing
    located = lat is not None or bool(place.dtm_place_id)
    return Location(
        name_en=name_en,
        name_ar=name_ar,
        kind=location_kind(place.kind, name_ar, name_en),
        governorate_id=place.governorate_id,
        district_id=place.district_id,
        sub_district_id=place.sub_district_id,
        centroid_lat=lat,
        centroid_lon=lon,
        dtm_place_id=place.dtm_place_id or None,
        needs_review=place.district_id is None or not located,
    )


def _record_created(actor, created: list[Location], source: str) -> None:
    """One audit row: the location's values when one was created, else the count."""
    if len(created) == 1:
        location = created[0]
        record_change(
            actor,
            location,
            "create",
            {**{k: [None, v] for k, v in snapshot(location).items()}, "source": [None, source]},
        )
    else:
        record_bulk(
            actor,
            Location,
            "create",
            {"source": source, "locations": len(created)},
            f"{len(created)} locations from {source}",
        )


def create_location(actor, place: NewLocation, *, source: str) -> Location:
    """One new location (see ``create_locations`` for the rules)."""
    return create_locations(actor, [place], source=source)[0]
