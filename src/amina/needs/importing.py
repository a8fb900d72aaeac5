"""Importing KoboToolbox / ODK exports of the needs-assessment form (CSV or XLSX).

Columns are matched by the form's own field names (``amina.needs.xlsform.fields``), with
or without their group prefix (``general/location`` as KoboToolbox writes it,
``general-location`` as ODK Central does). Choice values are the form's choice names
(the "XML values" export); the labels are accepted too.

All-or-nothing: any error in any row refuses the whole file with its row and column.

Submissions are kept by their root instance ID (``meta/rootUuid``, ODK Central's ``KEY``,
else the first version's ``meta/instanceID``): an edit (a new instance ID with
``meta/deprecatedID``) replaces the values of its original's assessment, and an original
imported after its edit is ignored as superseded. Importing the same export twice
changes nothing.

A "labels" export (question labels as headers) is refused with how to export right, and
a date must be ISO (``2015-06-04``) or a real date cell: ``21/11/2015`` could be read two
ways, so it is refused with its row and column rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amina.accounts import access
from amina.audit.services import record_bulk
from amina.geo.models import Location
from amina.lib.arabic import to_western_digits
from amina.lib.i18n import gettext_deferred as _
from amina.lib.tabular import (
    Column,
    ImportFailed,
    Report,
    Row,
    Table,
    TableError,
    int_value,
    limits,
    problem_of,
    read_table,
)
from amina.needs.models import NeedsAssessment, Phase, Sector, Submission
from amina.needs.services import (
    AssessmentData,
    Priority,
    record_imported,
    replace_imported,
    validate,
)
from amina.needs.xlsform import fields, severity_field

INSTANCE = "instance_id"
UUID = "uuid"
KEY = "central_key"
ROOT = "root_uuid"
DEPRECATED = "deprecated_id"
#: Submissions in one export: a national campaign has thousands.
MAX_ROWS = 200_000


@dataclass
class ImportResult:
    created: int = 0
    already_imported: int = 0
    replaced: int = 0
    superseded: int = 0
    report: Report = field(default_factory=Report)

    def summary(self) -> str:
        return (
            f"imported {self.created} needs assessments; "
            f"{self.replaced} replaced by their edited version; "
            f"{self.already_imported} submissions were already imported; "
            f"{self.superseded} superseded by an edit imported before"
        )


def columns(sector_codes: list[int]) -> list[Column]:
    required = {"location", "assessed_on", "team", "ki_count", "priority_1"}
    cols = [
        Column(name, (f"{group}/{name}",), required=name in required)
        for name, group in fields(sector_codes).items()
    ]
    cols.append(Column(INSTANCE, ("meta/instanceID", "instanceID")))
    cols.append(Column(UUID, ("_uuid",)))
    cols.append(Column(KEY, ("KEY",)))
    cols.append(Column(ROOT, ("meta/rootUuid", "rootUuid", "_root_uuid")))
    cols.append(Column(DEPRECATED, ("meta/deprecatedID", "deprecatedID")))
    return cols


def _uuid(value) -> str:
    return re.sub(r"^uuid:", "", str(value or "").strip(), flags=re.IGNORECASE)


def _instance_id(row: Row) -> str:
    """The ID of this version of the submission."""
    return _uuid(row.values.get(INSTANCE) or row.values.get(UUID) or row.values.get(KEY))


def _root_hint(row: Row, version: str) -> str:
    """The root ID the export states: KoboToolbox's ``meta/rootUuid`` or ODK Central's
    ``KEY`` (the submission's first instance ID) when it differs from this version's."""
    root = _uuid(row.values.get(ROOT))
    key = _uuid(row.values.get(KEY))
    return root or (key if key and key != version else "")


#: Questions' labels (English and Arabic) by which a "labels" export names its columns.
def _labels() -> set[str]:
    from amina.lib.tabular import header_key
    from amina.needs.xlsform import AR, EN, survey_rows

    keys = set()
    for row in survey_rows(list(Sector.objects.order_by("code"))):
        for language in (EN, AR):
            label = row.get(f"label::{language}")
            if label and row["type"] not in ("begin_group", "end_group"):
                keys.add(header_key(label))
    return keys


def _labels_export(source, filename) -> str | None:
    """The first of a file's headers that is a question's label, when several are (a
    "labels" export); None otherwise."""
    from amina.lib.tabular import TableError, header_key, read_rows

    try:
        _sheet, stream = read_rows(source, filename=filename, limit=limits(max_rows=MAX_ROWS))
    except TableError:
        return None
    try:
        header = next(iter(stream), (0, []))[1]
    finally:
        stream.close()  # type: ignore[attr-defined]
    labels = _labels()
    found = [str(h) for h in header if header_key(str(h).split("/")[-1]) in labels]
    return found[0] if len(found) >= 3 else None


#: An ISO date, with a time after it or not (KoboToolbox and ODK write dates so).
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def _iso_date(report: Report, number: int, raw: Any, header: str | None):
    """The assessment date: a date cell or ISO text. Any other text (``21/11/2015``,
    ``11/06/2015``) is refused: day and month cannot be told apart in general, and a
    field-tool export never writes them so."""
    import datetime

    if raw in ("", None):
        report.error(number, header, _("is required"))
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    match = ISO_DATE.match(to_western_digits(str(raw)))
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    report.error(
        number,
        header,
        _("%(value)r is not a date as YYYY-MM-DD: day and month could be read either way")
        % {"value": str(raw)},
    )
    return None


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
        """Locations by the form's choice name: the stable code (``geo.codes``); a DTM
        place id or a p-code is accepted too. Never a database id: forms made before
        location codes named places ``L123``, which a rebuilt database may give to
        another place, so those are refused (``_parse_row``) rather than guessed."""
        found = {}
        qs = Location.objects.select_related("governorate")
        for loc in qs.filter(pcode__in=codes):
            found[loc.pcode] = loc
        for loc in qs.filter(dtm_place_id__in=codes):
            found[loc.dtm_place_id] = loc
        for loc in qs.filter(code__in=codes):
            found[loc.code] = loc
        return found


#: The header a problem is reported under: a column's header in the file, by its name
#: (``Table.mapping.get``; a second argument is the fallback).
Header = Callable[..., str | None]


@dataclass
class FormRow:
    """One export row read once into the form's questions: typed fields instead of a
    dict of thirty-odd cells keyed by field name. Text answers are as the checks compare
    them; cells still to parse (the date, numbers, choices) stay as the file has them, so
    a refusal quotes them unchanged."""

    number: int
    location: str
    governorate: str
    assessed_on: Any
    team: str
    ki_count: Any
    population: Any
    phase: str
    #: Sector code → its severity cell, for the sectors rated (in sector order).
    severities: dict[int, Any]
    #: The sector cells of priorities 1, 2 and 3 ("" when empty) and what exactly each is.
    priorities: list[Any]
    priority_texts: list[str]
    ki_description: str
    access_constraints: str
    notes: str

    @classmethod
    def of(cls, row: Row, sector_codes: list[int]) -> FormRow:
        """The row's answers to the form's questions (``sector_codes``: the sectors it rates)."""
        cells = row.values

        def text(name: str) -> str:
            return str(cells.get(name) or "")

        ranks = (1, 2, 3)
        return cls(
            number=row.number,
            location=text("location").strip(),
            governorate=text("governorate").strip(),
            assessed_on=cells.get("assessed_on"),
            team=text("team").strip(),
            ki_count=cells.get("ki_count", ""),
            population=cells.get("population", ""),
            phase=text("phase").strip(),
            severities={
                code: raw
                for code in sector_codes
                if (raw := cells.get(severity_field(code), "")) not in ("", None)
            },
            priorities=[cells.get(f"priority_{rank}", "") for rank in ranks],
            priority_texts=[text(f"priority_{rank}_text") for rank in ranks],
            ki_description=text("ki_description"),
            access_constraints=text("access_constraints"),
            notes=text("notes"),
        )


def _parse_row(
    row: Row,
    report: Report,
    resolver: _Resolver,
    places: dict[str, Location],
    sector_codes: list[int],
    mapping: dict[str, str],
) -> AssessmentData | None:
    """The assessment one export row holds, or None with every problem of the row in
    ``report`` (by row number and the column's header in the file)."""
    errors_before = len(report.errors)
    cells = FormRow.of(row, sector_codes)
    header: Header = mapping.get
    location = _location(cells, report, resolver, places, header)
    assessed_on = _assessed_on(cells, report, header)
    if not cells.team:
        report.error(cells.number, header("team"), _("is required"))
    ki_count = int_value(
        report, cells.number, cells.ki_count, header("ki_count") or "ki_count", required=True
    )
    population = int_value(
        report, cells.number, cells.population, header("population") or "population"
    )
    phase = _phase(cells, report, resolver, header)
    severities = _severities(cells, report, resolver, header)
    if not severities and len(report.errors) == errors_before:
        report.error(cells.number, None, _("no sector has a severity: rate at least one"))
    priorities = _priorities(cells, report, resolver, header)
    if len(report.errors) > errors_before or location is None:
        return None
    data = AssessmentData(
        location=location,
        assessed_on=assessed_on,
        team=cells.team[:120],
        key_informants_count=ki_count,
        severities=severities,
        priorities=priorities,
        key_informants_description=cells.ki_description[:300],
        population_individuals=population,
        access_constraints=cells.access_constraints,
        notes=cells.notes,
        phase=phase,
    )
    for field_name, message in validate(data):  # the checks every channel shares
        report.error(cells.number, header(field_name, field_name), message)
    return data


def _location(
    cells: FormRow,
    report: Report,
    resolver: _Resolver,
    places: dict[str, Location],
    header: Header,
) -> Location | None:
    """The row's location by its choice name (``_Resolver.locations``), which must be in
    the importer's scope and in the governorate the row names; None when unknown."""
    code = cells.location
    location = places.get(code)
    if not code:
        report.error(cells.number, header("location"), _("is required"))
    elif location is None and re.fullmatch(r"[Ll]\d+", code):
        report.error(
            cells.number,
            header("location"),
            _(
                "%(code)r is a database key from a form made before location codes: "
                "download the form again and use it from now on"
            )
            % {"code": code},
        )
    elif location is None:
        report.error(
            cells.number, header("location"), _("unknown location %(text)r") % {"text": code}
        )
    elif not resolver.in_scope(location):
        report.error(
            cells.number,
            header("location"),
            _("location %(code)r is outside your governorates") % {"code": code},
        )
    gov = cells.governorate
    if location is not None and gov and gov != location.governorate.pcode:
        report.error(
            cells.number,
            header("governorate"),
            _("%(governorate)r is not the governorate of location %(code)r")
            % {"governorate": gov, "code": code},
        )
    return location


def _assessed_on(cells: FormRow, report: Report, header: Header):
    """The date of the assessment (``_iso_date``), which cannot be in the future."""
    assessed_on = _iso_date(report, cells.number, cells.assessed_on, header("assessed_on"))
    if assessed_on and assessed_on > timezone.localdate():
        report.error(
            cells.number,
            header("assessed_on"),
            _("%(date)s is in the future") % {"date": assessed_on.isoformat()},
        )
    return assessed_on


def _phase(cells: FormRow, report: Report, resolver: _Resolver, header: Header) -> Phase | None:
    """The MCOF phase by its code or either name; None when not given (or unknown)."""
    if not cells.phase:
        return None
    phase = resolver.phases.get(cells.phase.casefold())
    if phase is None:
        report.error(
            cells.number,
            header("phase"),
            _("unknown MCOF phase %(value)r") % {"value": cells.phase},
        )
    return phase


def _severities(
    cells: FormRow, report: Report, resolver: _Resolver, header: Header
) -> dict[Sector, int]:
    """Each rated sector's severity, 1 to 5 (the choice name or its label)."""
    severities: dict[Sector, int] = {}
    for code, raw in cells.severities.items():
        value = _leading_int(raw)
        if value is None or not 1 <= value <= 5:
            report.error(
                cells.number,
                header(severity_field(code)),
                _("%(value)r is not a severity from 1 to 5") % {"value": raw},
            )
            continue
        severities[resolver.sectors[code]] = value
    return severities


def _priorities(
    cells: FormRow, report: Report, resolver: _Resolver, header: Header
) -> list[Priority]:
    """The ranked priority needs: the first is required, none follows an empty rank, and
    each names a sector not ranked before."""
    priorities: list[Priority] = []
    if cells.priorities[0] in ("", None):
        report.error(cells.number, header("priority_1"), _("is required"))
    gap_at = None
    ranked = zip(cells.priorities, cells.priority_texts, strict=True)
    for rank, (raw, text) in enumerate(ranked, start=1):
        name = f"priority_{rank}"
        if raw in ("", None):
            gap_at = gap_at or rank
            continue
        sector = resolver.sectors.get(_leading_int(raw))
        if sector is None:
            report.error(
                cells.number, header(name), _("%(value)r is not an MCOF sector") % {"value": raw}
            )
            continue
        if gap_at and gap_at > 1:
            report.error(
                cells.number,
                header(name),
                _("priority %(rank)s is given but priority %(gap)s is empty")
                % {"rank": rank, "gap": gap_at},
            )
        if any(p.sector == sector for p in priorities):
            report.error(
                cells.number,
                header(name),
                _("sector %(code)s is already an earlier priority need") % {"code": sector.code},
            )
        priorities.append(Priority(sector, text[:200]))
    return priorities


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
    result = ImportResult()
    table = _read(source, filename, sector_codes, result.report)
    plan = _plan(user, table, sector_codes, result)
    if not result.report.ok:
        raise ImportFailed(result.report)
    _write(user, plan, name, result)
    return result


def _read(
    source: str | Path | bytes, filename: str | None, sector_codes: list[int], report: Report
) -> Table:
    """The export's rows by the form's field names; ``ImportFailed`` for a file that is
    no such export (a "labels" export is told how to export right), has no rows, or no
    column of instance IDs."""
    try:
        table = read_table(
            source, columns(sector_codes), filename=filename, limit=limits(max_rows=MAX_ROWS)
        )
    except TableError as exc:
        if example := _labels_export(source, filename):
            report.error(
                None,
                None,
                _(
                    "this is an export with labels (the columns are named like the questions, "
                    "e.g. %(example)s): Amina reads the XML names. In KoboToolbox choose "
                    "Export → XML values and headers; in ODK Central download the CSV export "
                    "(it always uses the names)."
                )
                % {"example": repr(example)},
            )
        else:
            report.problems.append(problem_of(exc))
        raise ImportFailed(report) from None
    if not table.rows:
        report.error(None, None, _("the file has a header but no rows"))
        raise ImportFailed(report)
    if INSTANCE not in table.mapping and UUID not in table.mapping and KEY not in table.mapping:
        report.error(
            None,
            "meta/instanceID",
            _("missing: export the submissions with their meta/instanceID or _uuid column"),
        )
        raise ImportFailed(report)
    return table


def _plan(user, table: Table, sector_codes: list[int], result: ImportResult) -> _Versions:
    """Which row becomes which submission, each row to take parsed and checked: the
    problems go to ``result.report``; rows already imported or superseded are counted."""
    report = result.report
    resolver = _Resolver(user)
    places = resolver.locations({str(r.values.get("location") or "").strip() for r in table.rows})
    plan = _Versions(table.rows)
    id_header = table.mapping.get(INSTANCE) or table.mapping.get(UUID) or table.mapping.get(KEY)
    for row in table.rows:
        version = _instance_id(row)
        if not version:
            report.error(
                row.number, id_header, _("is empty: every submission needs its instance ID")
            )
            continue
        if len(version) > 120:
            report.error(row.number, id_header, _("is longer than 120 characters"))
            continue
        verdict = plan.offer(row, version)
        if verdict == "known":
            result.already_imported += 1
            continue
        if verdict == "superseded":
            result.superseded += 1
            continue
        data = _parse_row(row, report, resolver, places, sector_codes, table.mapping)
        if data is not None:
            plan.accept(row, version, data)
    return plan


def _write(user, plan: _Versions, name: str, result: ImportResult) -> None:
    """The new submissions recorded and the edited ones replaced, with one audit row of
    the whole file, in one transaction."""
    with transaction.atomic():
        new = [(root, state.data) for root, state in plan.new.items()]
        versions = {
            root: (state.version, state.superseded_text()) for root, state in plan.new.items()
        }
        result.created = record_imported(user, new, name, versions)
        for submission, state in plan.replaced():
            replace_imported(
                user, submission, state.data, state.version, state.superseded_text(), name
            )
            result.replaced += 1
        record_bulk(
            user,
            NeedsAssessment,
            "import",
            {
                "file": name[:200],
                "created": result.created,
                "replaced": result.replaced,
                "already_imported": result.already_imported,
                "superseded": result.superseded,
            },
            f"needs import {name}",
        )


@dataclass
class _State:
    """What one submission (a root instance ID) will hold after this import."""

    version: str
    superseded: set[str]
    data: AssessmentData | None = None
    submission: Submission | None = None

    def superseded_text(self) -> str:
        return " ".join(sorted(self.superseded - {self.version}))


class _Versions:
    """Which row of a file becomes which submission, edits replacing their originals.

    Each row is a version of a submission whose root ID comes from the export
    (``meta/rootUuid``, Central's ``KEY``), else from the version it edits
    (``meta/deprecatedID``: that version's root if known, else the deprecated ID itself),
    else it is its own root (an original). A version already held or superseded is
    "known"; an original whose edit is already held is "superseded"; anything else
    replaces what the submission holds (in the file's order: later rows win).
    """

    def __init__(self, rows: list[Row]):
        ids: set[str] = set()
        for row in rows:
            ids |= {_instance_id(row), _uuid(row.values.get(DEPRECATED))}
            ids.add(_root_hint(row, _instance_id(row)))
        ids.discard("")
        self.states: dict[str, _State] = {}
        self.root_of: dict[str, str] = {}
        self.new: dict[str, _State] = {}
        for sub in Submission.objects.filter(
            Q(instance_id__in=ids) | Q(version_id__in=ids)
        ).select_related("assessment"):
            held = set(sub.superseded_ids.split()) | {sub.instance_id}
            state = _State(sub.version_id or sub.instance_id, held, submission=sub)
            self.states[sub.instance_id] = state
            for known in held | {state.version}:
                self.root_of[known] = sub.instance_id

    def _root(self, row: Row, version: str) -> str:
        if hint := _root_hint(row, version):
            return hint
        deprecated = _uuid(row.values.get(DEPRECATED))
        if deprecated:
            return self.root_of.get(deprecated, deprecated)
        return self.root_of.get(version, version)

    def offer(self, row: Row, version: str) -> str:
        """ "known", "superseded" or "take" for this row."""
        root = self._root(row, version)
        state = self.states.get(root)
        if state is None:
            return "take"
        if version == state.version or version in state.superseded - {root}:
            return "known"
        if version == root:  # the original, after one of its edits
            return "superseded" if state.version != root else "known"
        return "take"

    def accept(self, row: Row, version: str, data: AssessmentData) -> None:
        root = self._root(row, version)
        replaced = {_uuid(row.values.get(DEPRECATED)), root} - {""}
        state = self.states.get(root)
        if state is None:
            state = _State(version, replaced, data)
            self.states[root] = state
            self.new[root] = state
        else:
            state.superseded |= replaced | {state.version}
            state.version, state.data = version, data
        for known in state.superseded | {version}:
            self.root_of[known] = root

    def replaced(self) -> list[tuple[Submission, _State]]:
        return [
            (state.submission, state)
            for state in self.states.values()
            if state.submission is not None and state.data is not None
        ]
