"""Recording figures by hand: rounds, location assessments, new locations, movements.

Every function checks the actor's scope (a field team writes only in its governorates),
validates what the database cannot (breakdowns adding up, a plausible family size), and
writes the audit row in the same transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change, snapshot
from amina.geo.models import Governorate, Location
from amina.geo.services import NewLocation
from amina.geo.services import create_location as create_place
from amina.tracking.models import (
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    DisplacementPeriod,
    LocationAssessment,
    MovementEvent,
    Round,
    ShelterType,
)
from amina.tracking.services.places import Placement, place_point

#: Mean family size outside this range is refused (checked from 5 families up: a handful
#: of families can legitimately be single people or very large).
FAMILY_SIZE_RANGE = (2.0, 15.0)
FAMILY_SIZE_FROM = 5


def check(user, action: str, governorate=access.ANY) -> None:
    """``access.check`` of a tracking action; the command line and demo data pass no user:
    they act as the system."""
    if user is not None:
        access.check(user, action, governorate)


@transaction.atomic
def create_round(
    user,
    *,
    code: str,
    date: datetime.date,
    kind: str = Round.Kind.IDPS,
    multiplier: Decimal | int = 6,
    camp_multiplier: Decimal | None = None,
) -> Round:
    """A new round; refused if the code exists (rounds are never silently merged)."""
    check(user, "round.create")
    if Round.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A round with this code already exists.")})
    round_ = Round.objects.create(
        code=code, date=date, kind=kind, multiplier=multiplier, camp_multiplier=camp_multiplier
    )
    record_change(user, round_, "create", {k: [None, v] for k, v in snapshot(round_).items()})
    return round_


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_individuals(
    errors: dict[str, list[str]],
    families: int,
    individuals: int,
    returnee_families: int,
    returnee_individuals: int,
) -> None:
    """Individuals against families: never fewer, and a plausible mean family size."""
    if individuals < families:
        _add(
            errors,
            "individuals",
            _("Individuals (%(ind)s) cannot be fewer than families (%(fam)s).")
            % {"ind": individuals, "fam": families},
        )
    elif families >= FAMILY_SIZE_FROM:
        size = individuals / families
        low, high = FAMILY_SIZE_RANGE
        if not low <= size <= high:
            _add(
                errors,
                "individuals",
                _(
                    "A mean family size of %(size).1f is not plausible "
                    "(expected %(low)s to %(high)s)."
                )
                % {"size": size, "low": low, "high": high},
            )
    if returnee_individuals < returnee_families:
        _add(
            errors,
            "returnee_individuals",
            _("Returnee individuals cannot be fewer than returnee families."),
        )


def _breakdown_problem(label, values: dict | None, total: int, partial: bool) -> str | None:
    """Why one breakdown is impossible (negative, or not adding up to ``total`` families;
    only more than ``total`` when ``partial``), or None; an empty breakdown is fine."""
    values = {k: v for k, v in (values or {}).items() if v}
    if any(v < 0 for v in values.values()):
        return _("Numbers cannot be negative.")
    given = sum(values.values())
    if not values:
        return None
    if partial and given > total:
        return _("The breakdown by %(what)s (%(given)s) is more than the %(total)s families.") % {
            "what": label,
            "given": given,
            "total": total,
        }
    if not partial and given != total:
        return _(
            "The breakdown by %(what)s adds up to %(given)s, not the %(total)s "
            "families; correct it or mark the breakdowns as partial."
        ) % {"what": label, "given": given, "total": total}
    return None


def validate_figures(
    *,
    families: int,
    individuals: int,
    returnee_families: int = 0,
    returnee_individuals: int = 0,
    partial: bool = False,
    origins: dict | None = None,
    shelters: dict | None = None,
    periods: dict | None = None,
    total_field: str = "families",
) -> dict:
    """Field → list of reasons why these figures are impossible (empty when fine)."""
    errors: dict[str, list[str]] = {}
    _check_individuals(errors, families, individuals, returnee_families, returnee_individuals)
    total = families if total_field == "families" else returnee_families
    for name, label, values in (
        ("origins", _("governorate of origin"), origins),
        ("shelters", _("shelter type"), shelters),
        ("periods", _("displacement period"), periods),
    ):
        problem = _breakdown_problem(label, values, total, partial)
        if problem is not None:
            _add(errors, name, problem)
    return errors


def _check_entry(
    errors: dict[str, list[str]], round: Round, location: Location, date: datetime.date
) -> None:
    """The date near the round's and not in the future; the location not yet assessed
    in this round."""
    if date < round.date - datetime.timedelta(
        days=60
    ) or date > timezone.localdate() + datetime.timedelta(days=1):
        _add(
            errors,
            "date",
            _("The date must be near the round's date (%(date)s) and not in the future.")
            % {"date": round.date.isoformat()},
        )
    if LocationAssessment.objects.filter(round=round, location=location).exists():
        _add(
            errors,
            "location",
            _("%(location)s was already assessed in round %(round)s.")
            % {"location": location.name, "round": round.code},
        )


def _create_assessment(user, **fields) -> LocationAssessment:
    """The row itself; a concurrent entry of the same location and round (caught by the
    unique constraint) is refused like the one checked before."""
    try:
        with transaction.atomic():
            return LocationAssessment.objects.create(
                source=LocationAssessment.Source.FORM,
                created_by=user if user and user.pk else None,
                **fields,
            )
    except IntegrityError:
        raise ValidationError(
            {"location": [_("This location was already assessed in this round.")]}
        ) from None


def _estimated_individuals(
    round: Round, location: Location, families: int, shelters: dict[str, int]
) -> int:
    """Individuals from the round's multiplier: camp families (all of a camp's, else
    those the shelter breakdown puts in camps) take the camp multiplier."""
    in_camps = families if location.kind == Location.Kind.CAMP else shelters.get("camp", 0)
    return round.individuals_for(families, in_camps)


@transaction.atomic
def record_assessment(
    user,
    *,
    round: Round,
    location: Location,
    date: datetime.date,  # noqa: A002
    families: int,
    individuals: int | None = None,
    returnee_families: int = 0,
    returnee_individuals: int | None = None,
    key_informant: str = "",
    partial: bool = False,
    origins: dict[int, int] | None = None,
    shelters: dict[str, int] | None = None,
    periods: dict[str, int] | None = None,
) -> LocationAssessment:
    """Record one location's figures for a round (the field form).

    ``origins`` maps governorate ids, ``shelters`` and ``periods`` map codes, to
    families. Individuals left empty are estimated with the round's multiplier.
    """
    check(user, "assessment.record", location.governorate_id)
    shelters = {k: v for k, v in (shelters or {}).items() if v}
    if individuals is None:
        individuals = _estimated_individuals(round, location, families, shelters)
    if returnee_individuals is None:
        returnee_individuals = round.individuals_for(returnee_families)
    errors = validate_figures(
        families=families,
        individuals=individuals,
        returnee_families=returnee_families,
        returnee_individuals=returnee_individuals,
        partial=partial,
        origins=origins,
        shelters=shelters,
        periods=periods,
        total_field="returnee_families" if round.kind == Round.Kind.RETURNEES else "families",
    )
    _check_entry(errors, round, location, date)
    if errors:
        raise ValidationError(errors)
    assessment = _create_assessment(
        user,
        round=round,
        location=location,
        date=date,
        families=families,
        individuals=individuals,
        returnee_families=returnee_families,
        returnee_individuals=returnee_individuals,
        key_informant=key_informant.strip(),
        partial=partial,
    )
    _write_breakdowns(assessment, origins or {}, shelters, periods or {})
    record_change(
        user, assessment, "create", {k: [None, v] for k, v in snapshot(assessment).items()}
    )
    return assessment


def _write_breakdowns(assessment, origins, shelters, periods) -> None:
    shelter_ids = dict(ShelterType.objects.values_list("code", "pk"))
    period_ids = dict(DisplacementPeriod.objects.values_list("code", "pk"))
    AssessmentOrigin.objects.bulk_create(
        AssessmentOrigin(assessment=assessment, governorate_id=g, families=n)
        for g, n in origins.items()
        if n
    )
    AssessmentShelter.objects.bulk_create(
        AssessmentShelter(assessment=assessment, shelter_type_id=shelter_ids[c], families=n)
        for c, n in shelters.items()
        if n
    )
    AssessmentPeriod.objects.bulk_create(
        AssessmentPeriod(assessment=assessment, period_id=period_ids[c], families=n)
        for c, n in periods.items()
        if n
    )


@transaction.atomic
def create_location(
    user,
    *,
    name_en: str,
    name_ar: str = "",
    lat: float,
    lon: float,
    kind: str = Location.Kind.VILLAGE,
) -> tuple[Location, Placement]:
    """A location created in the field, placed in its district by its coordinates."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": [_("These are not valid coordinates.")]})
    placement = place_point(lat, lon)
    if placement.district is None:
        raise ValidationError({"lat": [_("No district is known near these coordinates.")]})
    if placement.method != "boundary" and placement.distance_km and placement.distance_km > 150:
        raise ValidationError(
            {
                "lat": [
                    _("These coordinates are %(km)d km from the nearest district; check them.")
                    % {"km": placement.distance_km}
                ]
            }
        )
    try:
        check(user, "assessment.record", placement.district.governorate_id)
    except PermissionDenied:
        raise ValidationError(
            {
                "lat": [
                    _("These coordinates fall in %(gov)s, outside your governorates.")
                    % {"gov": placement.governorate.name}
                ]
            }
        ) from None
    name_en = name_en.strip()
    if Location.objects.filter(district=placement.district, name_en__iexact=name_en).exists():
        raise ValidationError(
            {
                "name_en": [
                    _("%(name)s already exists in %(district)s: pick it from the list.")
                    % {"name": name_en, "district": placement.district.name}
                ]
            }
        )
    location = create_place(
        user,
        NewLocation(
            name_en=name_en,
            name_ar=name_ar.strip(),
            kind=kind,
            lat=lat,
            lon=lon,
            governorate_id=placement.district.governorate_id,
            district_id=placement.district.pk,
            sub_district_id=placement.sub_district.pk if placement.sub_district else None,
        ),
        source=f"field entry (placed by {placement.method})",
    )
    return location, placement


@transaction.atomic
def record_movement(
    user,
    *,
    location: Location,
    date: datetime.date,
    direction: str,
    families: int,
    individuals: int | None = None,
    origin: Governorate | None = None,
    note: str = "",
) -> MovementEvent:
    """An emergency-tracking event; then checks the influx alerts of that governorate."""
    check(user, "movement.record", location.governorate_id)
    errors = {}
    if families <= 0:
        errors["families"] = [_("Give at least one family.")]
    if date > timezone.localdate() + datetime.timedelta(days=1):
        errors["date"] = [_("The date cannot be in the future.")]
    if individuals is None and not errors:
        from amina.tracking.queries import latest_round

        latest = latest_round("idps")
        individuals = (
            latest.individuals_for(families, families if location.kind == "camp" else 0)
            if latest
            else families * 6
        )
    if individuals is not None and individuals < families and "families" not in errors:
        errors["individuals"] = [_("Individuals cannot be fewer than families.")]
    if errors:
        raise ValidationError(errors)
    event = MovementEvent.objects.create(
        location=location,
        date=date,
        direction=direction,
        families=families,
        individuals=individuals,
        origin=origin,
        note=note.strip(),
        created_by=user if user and user.pk else None,
    )
    record_change(user, event, "create", {k: [None, v] for k, v in snapshot(event).items()})
    from amina.tracking.services.alerts import evaluate_governorate

    evaluate_governorate(location.governorate, date)
    return event
