"""Writing a checked master list: the round, the new locations, the round's rows replaced.

Called by ``dtm.commit_dtm`` inside its transaction, step by step. The rows go as plain
value tuples (``amina.lib.bulk.insert_rows``: ``COPY`` on PostgreSQL, ``executemany``
elsewhere) with ids drawn beforehand (``allocate_ids``), never as model instances.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from amina.geo.models import Location
from amina.geo.services import NewLocation, create_locations
from amina.lib import tabular
from amina.lib.bulk import allocate_ids, bulk_insert, insert_rows
from amina.lib.i18n import gettext_deferred as _
from amina.tracking.importing.rows import DtmRow
from amina.tracking.models import (
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    LocationAssessment,
    Round,
    ShelterType,
)

#: A round's kind in a sentence (the labels of ``Round.Kind``).
KIND_NAMES = {
    Round.Kind.IDPS.value: _("internally displaced persons"),
    Round.Kind.RETURNEES.value: _("returnees"),
}
#: The assessment columns written, in the order of ``_assessment_values``.
ASSESSMENT_FIELDS = [
    "id",
    "round",
    "location",
    "date",
    "families",
    "individuals",
    "returnee_families",
    "returnee_individuals",
    "key_informant",
    "partial",
    "source",
    "created_by",
    "updated_at",
]
CHUNK = 5000


def round_for(
    round_code: str,
    *,
    day: datetime.date | None,
    kind: str,
    multiplier: Decimal | int | None,
    camp_multiplier: Decimal | int | None,
    partial: bool,
    partial_reason: str,
) -> tuple[Round, bool]:
    """The round to write (locked), created if new; whether it was created. An existing
    round keeps its date and multipliers but takes the partial flag and its reason."""
    reason = partial_reason[:500] if partial else ""
    round_ = Round.objects.select_for_update().filter(code=round_code).first()
    if round_ is None:
        if day is None:
            raise ValidationError(
                _("round %(round)s does not exist yet: give its date") % {"round": round_code}
            )
        round_ = Round.objects.create(
            code=round_code,
            date=day,
            kind=kind,
            multiplier=multiplier or 6,
            camp_multiplier=camp_multiplier,
            partial=partial,
            partial_reason=reason,
        )
        return round_, True
    if round_.kind != kind:
        raise ValidationError(
            _("round %(round)s is a round of %(kind)s, not of %(other)s")
            % {
                "round": round_code,
                "kind": KIND_NAMES.get(round_.kind, round_.kind),
                "other": KIND_NAMES.get(kind, kind),
            }
        )
    round_.partial, round_.partial_reason = partial, reason
    round_.save(update_fields=["partial", "partial_reason"])
    return round_, False


def create_new_locations(user, rows: list[DtmRow], round_code: str) -> int:
    """Create the locations the list has and Amina has not, with the list's own
    coordinates and place ids (DTM publishes them per location); sets each row's
    ``location_id``. Returns how many were created."""
    new_rows = [r for r in rows if r.location_id is None]
    camp_id = ShelterType.objects.filter(code="camp").values_list("pk", flat=True).first()
    created = create_locations(
        user,
        [
            NewLocation(
                name_en=r.name_en,
                name_ar=r.name_ar,
                governorate_id=r.governorate_id,
                district_id=r.district_id,
                lat=r.lat,
                lon=r.lon,
                dtm_place_id=r.place_id or None,
                kind=Location.Kind.CAMP if r.shelters and set(r.shelters) == {camp_id} else None,
            )
            for r in new_rows
        ],
        source=f"DTM round {round_code}",
    )
    for r, loc in zip(new_rows, created, strict=True):
        r.location_id = loc.pk
    return len(created)


def delete_replaced(round_: Round, rows: list[DtmRow]) -> int:
    """Delete the round's rows this list replaces: every imported one, and any entered
    by hand for a location the list has. Returns how many.

    They come by the (round, location) index and are sorted here: a filter "location in
    the file's thousands of ids OR imported" read the whole table, half a second a round
    at 160,000 assessments, even for a new round that has no rows."""
    listed = {r.location_id for r in rows}
    stale = [
        pk
        for pk, location_id, source in LocationAssessment.objects.filter(round=round_).values_list(
            "pk", "location_id", "source"
        )
        if location_id in listed or source == LocationAssessment.Source.IMPORT
    ]
    for chunk in tabular.iter_chunks(stale, 5000):
        AssessmentOrigin.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        AssessmentShelter.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        AssessmentPeriod.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        LocationAssessment.objects.filter(pk__in=chunk)._raw_delete("default")
    return len(stale)


def figures(row: DtmRow, returnees: bool) -> tuple[int, int, int, int]:
    """The four figure columns, in model order, for an IDP or a returnee list."""
    if returnees:
        return 0, 0, row.families, row.individuals
    return row.families, row.individuals, 0, 0


def write_rows(user, round_: Round, rows: list[DtmRow], progress) -> None:
    """The assessments and their three breakdowns, ``CHUNK`` rows at a time."""
    actor = user.pk if user is not None and user.pk else None
    returnees = round_.kind == Round.Kind.RETURNEES
    done = 0
    for chunk in tabular.iter_chunks(rows, CHUNK):
        ids = allocate_ids(LocationAssessment, len(chunk))
        if ids is None:  # a database without a safe way to draw ids: let Django insert
            ids = _insert_instances(round_, chunk, actor, returnees)
        else:
            insert_rows(
                LocationAssessment,
                ASSESSMENT_FIELDS,
                _assessment_values(round_, chunk, ids, actor, returnees),
            )
        _write_breakdowns(chunk, ids)
        done += len(chunk)
        progress(done, len(rows))


def _assessment_values(round_, chunk, ids, actor, returnees) -> list[tuple]:
    """Database-ready value tuples in the order of ``ASSESSMENT_FIELDS``."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value(round_.date)
    source = LocationAssessment.Source.IMPORT.value
    return [
        (pk, round_.pk, r.location_id, day, *figures(r, returnees), "", False, source, actor, now)
        for pk, r in zip(ids, chunk, strict=True)
    ]


def _insert_instances(round_, chunk, actor, returnees) -> list[int]:
    """Model instances inserted by Django, where ids cannot be drawn beforehand."""
    objs = []
    for r in chunk:
        families, individuals, returnee_families, returnee_individuals = figures(r, returnees)
        objs.append(
            LocationAssessment(
                round=round_,
                location_id=r.location_id,
                date=round_.date,
                source=LocationAssessment.Source.IMPORT,
                created_by_id=actor,
                families=families,
                individuals=individuals,
                returnee_families=returnee_families,
                returnee_individuals=returnee_individuals,
            )
        )
    bulk_insert(LocationAssessment, objs, need_ids=True)
    return [o.pk for o in objs]


def _write_breakdowns(chunk: list[DtmRow], ids: list[int]) -> None:
    origins, shelters, periods = [], [], []
    for r, pk in zip(chunk, ids, strict=True):
        origins += [(pk, g, n) for g, n in r.origins.items()]
        shelters += [(pk, t, n) for t, n in r.shelters.items()]
        periods += [(pk, p, n) for p, n in r.periods.items()]
    insert_rows(AssessmentOrigin, ["assessment", "governorate", "families"], origins)
    insert_rows(AssessmentShelter, ["assessment", "shelter_type", "families"], shelters)
    insert_rows(AssessmentPeriod, ["assessment", "period", "families"], periods)
