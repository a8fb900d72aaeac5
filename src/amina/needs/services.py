"""Writing needs assessments: the only path by which assessments enter the database.

The web form, the field-form import and the demo all call ``record_assessment`` (the
import through ``importing``), so the same checks apply to every channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.geo.models import Location
from amina.needs.models import (
    NeedsAssessment,
    Phase,
    PriorityNeed,
    Sector,
    SectorSeverity,
    Submission,
)
from amina.needs.queries import latest_figures


@dataclass
class Priority:
    sector: Sector
    detail: str = ""


@dataclass
class AssessmentData:
    """What one assessment says, as the form or an imported row gives it."""

    location: Location
    assessed_on: date
    team: str
    key_informants_count: int
    severities: Mapping[Sector, int]
    priorities: list[Priority]
    key_informants_description: str = ""
    population_individuals: int | None = None
    access_constraints: str = ""
    notes: str = ""
    phase: Phase | None = None


def population_default(location: Location) -> tuple[int | None, date | None]:
    """The location's latest displacement figure (individuals, as of), if tracking has one."""
    figure = latest_figures([location.pk]).get(location.pk)
    if figure is None:
        return None, None
    return figure.idp_individuals, figure.as_of


def validate(data: AssessmentData) -> list[tuple[str, str]]:
    """Problems as (field, message); empty when the assessment can be recorded."""
    problems: list[tuple[str, str]] = []
    if data.assessed_on > timezone.localdate():
        problems.append(("assessed_on", _("The date of assessment is in the future.")))
    if not data.team.strip():
        problems.append(("team", _("Name the team.")))
    if data.key_informants_count is None or data.key_informants_count < 0:
        problems.append(("key_informants_count", _("Give the number of key informants.")))
    if not data.severities:
        problems.append(("severities", _("Rate the severity of at least one sector.")))
    for sector, value in data.severities.items():
        if value not in range(1, 6):
            problems.append((f"sev_{sector.code}", _("Severity must be 1 to 5.")))
    if not data.priorities:
        problems.append(("priority_1", _("Give at least the first priority need.")))
    if len(data.priorities) > 3:
        problems.append(("priorities", _("Give at most three priority needs.")))
    seen: set[int] = set()
    for rank, priority in enumerate(data.priorities, start=1):
        if priority.sector.pk in seen:
            problems.append(
                (f"priority_{rank}", _("Each priority need must be a different sector."))
            )
        seen.add(priority.sector.pk)
    return problems


def _check_scope(user, location: Location) -> None:
    if user is None:  # the command line and the demo act for the system
        return
    access.check(user, "needs.record", location.governorate_id)


def _assessment(
    data: AssessmentData, population: int | None, source: str, as_of, user
) -> NeedsAssessment:
    """The (unsaved) assessment of ``data``: one place that maps the form to the record,
    for a single entry and for a bulk import alike."""
    return NeedsAssessment(
        location=data.location,
        assessed_on=data.assessed_on,
        team=data.team.strip(),
        key_informants_count=data.key_informants_count,
        key_informants_description=data.key_informants_description.strip(),
        population_individuals=population,
        population_source=source,
        population_as_of=as_of,
        access_constraints=data.access_constraints.strip(),
        notes=data.notes.strip(),
        phase=data.phase,
        assessed_by=user if getattr(user, "pk", None) else None,
    )


def _create(user, data: AssessmentData) -> NeedsAssessment:
    population, as_of = data.population_individuals, None
    source = NeedsAssessment.PopulationSource.TEAM if population is not None else ""
    if population is None:
        population, as_of = population_default(data.location)
        if population is not None:
            source = NeedsAssessment.PopulationSource.TRACKING
    assessment = _assessment(data, population, source, as_of, user)
    assessment.save()
    SectorSeverity.objects.bulk_create(
        [
            SectorSeverity(assessment=assessment, sector=sector, severity=value)
            for sector, value in sorted(data.severities.items(), key=lambda kv: kv[0].code)
        ]
    )
    PriorityNeed.objects.bulk_create(
        [
            PriorityNeed(assessment=assessment, rank=rank, sector=p.sector, detail=p.detail.strip())
            for rank, p in enumerate(data.priorities, start=1)
        ]
    )
    return assessment


@transaction.atomic
def record_assessment(user, data: AssessmentData) -> NeedsAssessment:
    """Record one assessment with its severities and priority needs, and audit it.

    Raises ValidationError (keyed by field) for an inconsistent assessment and
    PermissionDenied for a location outside the user's governorates.
    """
    _check_scope(user, data.location)
    problems = validate(data)
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
    assessment = _create(user, data)
    record_change(
        user,
        assessment,
        "create",
        {
            "location": [None, data.location.pk],
            "assessed_on": [None, str(data.assessed_on)],
            "severities": [None, {str(s.code): v for s, v in data.severities.items()}],
            "priorities": [None, [p.sector.code for p in data.priorities]],
        },
    )
    return assessment


def record_imported(
    user,
    rows: Iterable[tuple[str, AssessmentData]],
    source: str,
    versions: dict[str, tuple[str, str]] | None = None,
) -> int:
    """Record already validated submissions (inside the caller's transaction), in bulk:
    a few queries per file rather than per row, so large exports import quickly.

    ``rows`` are (root instance ID, data); ``versions`` gives a root's (version imported,
    superseded versions) when that is not the root itself (an edit imported first)."""
    rows = list(rows)
    versions = versions or {}
    missing = [d.location.pk for _, d in rows if d.population_individuals is None]
    figures = latest_figures(missing) if missing else {}
    recorder = user if getattr(user, "pk", None) else None
    assessments = []
    for _instance_id, data in rows:
        population, as_of, origin = data.population_individuals, None, ""
        if population is not None:
            origin = NeedsAssessment.PopulationSource.TEAM
        elif (figure := figures.get(data.location.pk)) is not None:
            population = figure.idp_individuals
            as_of = figure.as_of
            origin = NeedsAssessment.PopulationSource.TRACKING if population is not None else ""
        assessments.append(_assessment(data, population, origin, as_of, recorder))
    NeedsAssessment.objects.bulk_create(assessments, batch_size=500)
    severities, priorities, submissions = [], [], []
    for (instance_id, data), assessment in zip(rows, assessments, strict=True):
        severities += [
            SectorSeverity(assessment=assessment, sector=sector, severity=value)
            for sector, value in data.severities.items()
        ]
        priorities += [
            PriorityNeed(assessment=assessment, rank=rank, sector=p.sector, detail=p.detail.strip())
            for rank, p in enumerate(data.priorities, start=1)
        ]
        version, superseded = versions.get(instance_id, (instance_id, ""))
        submissions.append(
            Submission(
                instance_id=instance_id,
                version_id=version,
                superseded_ids=superseded,
                assessment=assessment,
                source=source[:200],
            )
        )
    SectorSeverity.objects.bulk_create(severities, batch_size=2000)
    PriorityNeed.objects.bulk_create(priorities, batch_size=2000)
    Submission.objects.bulk_create(submissions, batch_size=1000)
    return len(assessments)


def replace_imported(
    user, submission: Submission, data: AssessmentData, version: str, superseded: str, source: str
) -> NeedsAssessment:
    """An edited submission's values replace its assessment's (inside the caller's
    transaction): the same assessment, its severities and priorities rewritten, the
    submission now at ``version``; audited as an update."""
    assessment = submission.assessment
    before = snapshot(assessment)
    population, as_of, origin = data.population_individuals, None, ""
    if population is not None:
        origin = NeedsAssessment.PopulationSource.TEAM
    else:
        population, as_of = population_default(data.location)
        origin = NeedsAssessment.PopulationSource.TRACKING if population is not None else ""
    fresh = _assessment(data, population, origin, as_of, user)
    for field in (
        "location",
        "assessed_on",
        "team",
        "key_informants_count",
        "key_informants_description",
        "population_individuals",
        "population_source",
        "population_as_of",
        "access_constraints",
        "notes",
        "phase",
    ):
        setattr(assessment, field, getattr(fresh, field))
    assessment.save()
    assessment.severities.all().delete()
    assessment.priorities.all().delete()
    SectorSeverity.objects.bulk_create(
        SectorSeverity(assessment=assessment, sector=sector, severity=value)
        for sector, value in data.severities.items()
    )
    PriorityNeed.objects.bulk_create(
        PriorityNeed(assessment=assessment, rank=rank, sector=p.sector, detail=p.detail.strip())
        for rank, p in enumerate(data.priorities, start=1)
    )
    submission.version_id = version
    submission.superseded_ids = superseded
    submission.source = source[:200]
    submission.save(update_fields=["version_id", "superseded_ids", "source"])
    record_change(
        user,
        assessment,
        "update",
        {**diff(before, snapshot(assessment)), "version": [None, version]},
    )
    return assessment
