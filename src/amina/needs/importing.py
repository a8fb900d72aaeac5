"""Importing KoboToolbox / ODK exports of the needs-assessment form (CSV or XLSX).

Columns are matched by the form's own field names (``amina.needs.xlsform.fields``), with
or without their group prefix (``general/location`` as KoboToolbox writes it,
``general-location`` as ODK Central does). Choice values are the form's choice names
(the "XML values" export); the labels are accepted too.

All-or-nothing: any error in any row refuses the whole file with its row and column.
A submission whose instance ID (``meta/instanceID``, else ``_uuid``) was imported before
is skipped, so importing the same export twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from amina.accounts import access
from amina.audit.services import record_bulk
from amina.core.arabic import to_western_digits
from amina.core.tabular import (
    Column,
    ImportFailed,
    Report,
    Row,
    TableError,
    cell_date,
    cell_int,
    limits,
    read_table,
)
from amina.geo.models import Location
from amina.needs.models import NeedsAssessment, Phase, Sector, Submission
from amina.needs.services import AssessmentData, Priority, record_imported, validate
from amina.needs.xlsform import fields, severity_field

INSTANCE = "instance_id"
UUID = "uuid"
#: Submissions in one export: a national campaign has thousands.
MAX_ROWS = 200_000


@dataclass
class ImportResult:
    created: int = 0
    already_imported: int = 0
    report: Report = field(default_factory=Report)

    def summary(self) -> str:
        return (
            f"imported {self.created} needs assessments; "
            f"{self.already_imported} submissions were already imported"
        )


def columns(sector_codes: list[int]) -> list[Column]:
    required = {"location", "assessed_on", "team", "ki_count", "priority_1"}
    cols = [
        Column(name, (f"{group}/{name}",), required=name in required)
        for name, group in fields(sector_codes).items()
    ]
    cols.append(Column(INSTANCE, ("meta/instanceID", "instanceID", "KEY")))
    cols.append(Column(UUID, ("_uuid",)))
    return cols


def _instance_id(row: Row) -> str:
    raw = str(row.values.get(INSTANCE) or row.values.get(UUID) or "").strip()
    return re.sub(r"^uuid:", "", raw, flags=re.IGNORECASE)


def _leading_int(value) -> int | None:
    """``4``, ``"4"``, ``4.0`` or a label such as ``"4 – Extreme: …"`` / ``"4. Health support"``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    match = re.match(r"\s*(\d+)(?:\.0+)?(?=\D|$)", to_western_digits(str(value)))
    return int(match.group(1)) if match else None


class _Resolver:
    """Look-ups built once per file: locations, sectors and phases by their choice names."""

    def __init__(self, user):
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.phases = {}
        for phase in Phase.objects.all():
            for key in (phase.code, phase.name_en, phase.name_ar):
                self.phases[key.casefold()] = phase
        self.user = user

    def in_scope(self, location: Location) -> bool:
        """Whether the importer may import a row of ``location`` (the command line may)."""
        return self.user is None or access.allowed(
            self.user, "needs.import", location.governorate_id
        )

    def locations(self, codes: set[str]) -> dict[str, Location]:
        ids = {int(c[1:]) for c in codes if re.fullmatch(r"[Ll]\d+", c)}
        found = {}
        qs = Location.objects.select_related("governorate")
        for loc in qs.filter(pcode__in=codes):
            found[loc.pcode] = loc
        for loc in qs.filter(pk__in=ids):
            found.setdefault(f"L{loc.pk}", loc)
            found.setdefault(f"l{loc.pk}", loc)
        return found


def _parse_row(
    row: Row,
    report: Report,
    resolver: _Resolver,
    places: dict[str, Location],
    sector_codes: list[int],
    mapping: dict[str, str],
) -> AssessmentData | None:
    errors_before = len(report.errors)
    header = mapping.get

    code = str(row.values.get("location") or "").strip()
    location = places.get(code)
    if not code:
        report.error(row.number, header("location"), "is required")
    elif location is None:
        report.error(row.number, header("location"), f"unknown location {code!r}")
    elif not resolver.in_scope(location):
        report.error(
            row.number, header("location"), f"location {code!r} is outside your governorates"
        )
    gov = str(row.values.get("governorate") or "").strip()
    if location is not None and gov and gov != location.governorate.pcode:
        report.error(
            row.number,
            header("governorate"),
            f"{gov!r} is not the governorate of location {code!r}",
        )

    assessed_on = cell_date(report, row, "assessed_on", required=True, header=header("assessed_on"))
    if assessed_on and assessed_on > timezone.localdate():
        report.error(row.number, header("assessed_on"), f"{assessed_on} is in the future")
    team = str(row.values.get("team") or "").strip()
    if not team:
        report.error(row.number, header("team"), "is required")
    ki_count = cell_int(report, row, "ki_count", required=True, header=header("ki_count"))
    population = cell_int(report, row, "population", header=header("population"))

    phase = None
    phase_raw = str(row.values.get("phase") or "").strip()
    if phase_raw:
        phase = resolver.phases.get(phase_raw.casefold())
        if phase is None:
            report.error(row.number, header("phase"), f"unknown MCOF phase {phase_raw!r}")

    severities: dict[Sector, int] = {}
    for code_ in sector_codes:
        name = severity_field(code_)
        raw = row.values.get(name, "")
        if raw in ("", None):
            continue
        value = _leading_int(raw)
        if value is None or not 1 <= value <= 5:
            report.error(row.number, header(name), f"{raw!r} is not a severity from 1 to 5")
            continue
        severities[resolver.sectors[code_]] = value
    if not severities and len(report.errors) == errors_before:
        report.error(row.number, None, "no sector has a severity: rate at least one")

    priorities: list[Priority] = []
    if row.values.get("priority_1") in ("", None):
        report.error(row.number, header("priority_1"), "is required")
    gap_at = None
    for rank in (1, 2, 3):
        name = f"priority_{rank}"
        raw = row.values.get(name, "")
        if raw in ("", None):
            gap_at = gap_at or rank
            continue
        sector = resolver.sectors.get(_leading_int(raw))
        if sector is None:
            report.error(row.number, header(name), f"{raw!r} is not an MCOF sector")
            continue
        if gap_at and gap_at > 1:
            report.error(
                row.number, header(name), f"priority {rank} is given but priority {gap_at} is empty"
            )
        if any(p.sector == sector for p in priorities):
            report.error(
                row.number,
                header(name),
                f"sector {sector.code} is already an earlier priority need",
            )
        priorities.append(Priority(sector, str(row.values.get(f"{name}_text") or "")[:200]))

    if len(report.errors) > errors_before or location is None:
        return None
    data = AssessmentData(
        location=location,
        assessed_on=assessed_on,
        team=team[:120],
        key_informants_count=ki_count,
        severities=severities,
        priorities=priorities,
        key_informants_description=str(row.values.get("ki_description") or "")[:300],
        population_individuals=population,
        access_constraints=str(row.values.get("access_constraints") or ""),
        notes=str(row.values.get("notes") or ""),
        phase=phase,
    )
    for field_name, message in validate(data):  # the checks every channel shares
        report.error(row.number, header(field_name, field_name), message)
    return data


def import_needs_file(
    user, source: str | Path | bytes, *, filename: str | None = None
) -> ImportResult:
    """Import a needs-form export; raises ImportFailed (nothing written) on any error.

    The importer needs ``needs.import``, and each row's location in its scope (a row
    outside is an error of that row); the command line passes no user."""
    if user is not None:
        access.check(user, "needs.import")
    sector_codes = list(Sector.objects.order_by("code").values_list("code", flat=True))
    name = filename or (Path(source).name if not isinstance(source, bytes) else "upload")
    report = Report()
    try:
        table = read_table(
            source, columns(sector_codes), filename=filename, limit=limits(max_rows=MAX_ROWS)
        )
    except TableError as exc:
        report.error(None, None, str(exc))
        raise ImportFailed(report) from None
    if not table.rows:
        report.error(None, None, "the file has a header but no rows")
        raise ImportFailed(report)
    if INSTANCE not in table.mapping and UUID not in table.mapping:
        report.error(
            None,
            "meta/instanceID",
            "missing: export the submissions with their meta/instanceID or _uuid column",
        )
        raise ImportFailed(report)
    resolver = _Resolver(user)
    places = resolver.locations({str(r.values.get("location") or "").strip() for r in table.rows})
    ids = [_instance_id(r) for r in table.rows]
    existing = set(
        Submission.objects.filter(instance_id__in=[i for i in ids if i]).values_list(
            "instance_id", flat=True
        )
    )
    result = ImportResult(report=report)
    ready: list[tuple[str, AssessmentData]] = []
    seen: set[str] = set()
    id_header = table.mapping.get(INSTANCE) or table.mapping.get(UUID)
    for row, instance_id in zip(table.rows, ids, strict=True):
        if not instance_id:
            report.error(row.number, id_header, "is empty: every submission needs its instance ID")
            continue
        if len(instance_id) > 120:
            report.error(row.number, id_header, "is longer than 120 characters")
            continue
        if instance_id in existing or instance_id in seen:
            result.already_imported += 1
            continue
        seen.add(instance_id)
        data = _parse_row(row, report, resolver, places, sector_codes, table.mapping)
        if data is not None:
            ready.append((instance_id, data))
    if not report.ok:
        raise ImportFailed(report)
    with transaction.atomic():
        result.created = record_imported(user, ready, name)
        record_bulk(
            user,
            NeedsAssessment,
            "import",
            {
                "file": name[:200],
                "created": result.created,
                "already_imported": result.already_imported,
            },
            f"needs import {name}",
        )
    return result
