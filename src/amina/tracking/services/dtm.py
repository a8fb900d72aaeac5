"""Importing DTM master lists (IDPs or returnees), CSV or XLSX, as DTM publishes them.

Two steps, so that a person sees every problem before anything is written:
``parse_dtm`` reads the file and reports every row's errors and warnings (unknown
places with the gazetteer's suggestions); ``commit_dtm`` writes a clean parse in one
transaction. Re-importing a round replaces that round's imported rows (no doubles).

Decisions: a governorate that does not resolve is an error; a district that does not
resolve (DTM has ~106 districts against the COD's 101) is a warning, and its location
is kept under the governorate with ``needs_review``. Locations are matched by DTM's
``Place id`` (stable across rounds), else by name in the governorate and district.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from amina.accounts import access
from amina.audit.services import record_bulk
from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Governorate, Location, PlaceAlias
from amina.geo.names import code_key
from amina.geo.services import NewLocation, create_locations
from amina.lib import tabular
from amina.lib.arabic import to_western_digits
from amina.lib.bulk import allocate_ids, bulk_insert, insert_rows
from amina.lib.i18n import Name
from amina.lib.i18n import gettext_deferred as _
from amina.tracking.models import (
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    DisplacementPeriod,
    LocationAssessment,
    Round,
    ShelterType,
)

SHEETS = ("DTM DATASET", "Master List", "Dataset")
#: A master list has a row per location: thousands, never hundreds of thousands.
MAX_ROWS = 200_000
BASE_COLUMNS = [
    tabular.Column(
        "place_id",
        (
            "Place id",
            "Place ID",
            "Location ID",
            "Location id",
            "PlaceID",
            "رقم الموقع",
            "معرف الموقع",
        ),
    ),
    tabular.Column("governorate", ("Governorate", "Governorate name", "المحافظة"), required=True),
    tabular.Column("district", ("District", "District name", "القضاء")),
    tabular.Column(
        "name_en",
        (
            "Location name in English",
            "Location Name",
            "Location name",
            "Location",
            "Location name (English)",
            "اسم الموقع بالانكليزية",
            "اسم الموقع بالإنجليزية",
        ),
    ),
    tabular.Column(
        "name_ar",
        (
            "Location name in Arabic",
            "Location name (Arabic)",
            "اسم الموقع",
            "اسم الموقع بالعربية",
            "اسم الموقع بالعربي",
        ),
    ),
    tabular.Column("latitude", ("Latitude", "Lat", "خط العرض")),
    tabular.Column("longitude", ("Longitude", "Long", "Lon", "خط الطول")),
    tabular.Column(
        "families",
        (
            "Families",
            "IDPs Families",
            "IDP Families",
            "Households",
            "IDP Households",
            "Returnee Families",
            "Returnees Families",
            "العوائل",
            "عدد العوائل",
            "الأسر",
            "عدد الأسر",
            "العوائل النازحة",
        ),
        required=True,
    ),
    tabular.Column(
        "individuals",
        (
            "Individuals",
            "IDPs Individuals",
            "IDP Individuals",
            "IDPs",
            "Returnee Individuals",
            "Returnees Individuals",
            "Returnees",
            "الأفراد",
            "عدد الأفراد",
            "الافراد",
        ),
    ),
]


@dataclass
class DtmRow:
    number: int
    place_id: str
    governorate_id: int
    district_id: int | None
    name_en: str
    name_ar: str
    lat: float | None
    lon: float | None
    families: int
    individuals: int
    origins: dict[int, int]
    shelters: dict[int, int]
    periods: dict[int, int]
    location_id: int | None = None


@dataclass
class DtmParse:
    """A parsed file: clean rows (only meaningful when the report has no error)."""

    rows: list[DtmRow] = field(default_factory=list)
    report: tabular.Report = field(default_factory=tabular.Report)
    unmatched_districts: Counter = field(default_factory=Counter)
    sheet: str | None = None
    title_date: datetime.date | None = None

    @property
    def families(self) -> int:
        return sum(r.families for r in self.rows)

    @property
    def individuals(self) -> int:
        return sum(r.individuals for r in self.rows)

    @property
    def new_locations(self) -> int:
        return sum(1 for r in self.rows if r.location_id is None)

    def individuals_by_governorate(self) -> dict[int, int]:
        """Individuals per governorate id: what the coverage check compares."""
        out: dict[int, int] = {}
        for r in self.rows:
            out[r.governorate_id] = out.get(r.governorate_id, 0) + r.individuals
        return out

    def summary(self) -> dict:
        """JSON for the preview page (no personal data: place names and numbers only)."""
        return {
            "rows": len(self.rows),
            "families": self.families,
            "individuals": self.individuals,
            "new_locations": self.new_locations,
            "errors": [p.as_dict() for p in self.report.errors[:2000]],
            "warnings": [p.as_dict() for p in self.report.warnings[:2000]],
            "error_count": len(self.report.errors),
            "warning_count": len(self.report.warnings),
            "unmatched_districts": [
                {"governorate": g, "district": d, "rows": n}
                for (g, d), n in sorted(self.unmatched_districts.items())
            ],
            "title_date": self.title_date.isoformat() if self.title_date else None,
        }


def group_columns() -> tuple[list[tabular.Column], dict, dict, dict]:
    """Columns of the three breakdowns, named ``origin:<id>``, ``shelter:<id>``, ``period:<id>``."""
    columns, origins, shelters, periods = [], {}, {}, {}
    aliases: dict[int, list[str]] = {}
    for gid, name in PlaceAlias.objects.filter(governorate__isnull=False).values_list(
        "governorate_id", "name"
    ):
        aliases.setdefault(gid, []).append(name)
    for gov in Governorate.objects.all():
        name = f"origin:{gov.pk}"
        origins[name] = gov.pk
        columns.append(
            tabular.Column(
                name,
                tuple(
                    filter(None, (gov.name_dtm, gov.name_en, gov.name_ar, *aliases.get(gov.pk, ())))
                ),
            )
        )
    for shelter in ShelterType.objects.all():
        name = f"shelter:{shelter.pk}"
        shelters[name] = shelter.pk
        columns.append(
            tabular.Column(
                name, tuple(filter(None, (shelter.dtm_column, shelter.name_en, shelter.name_ar)))
            )
        )
    for period in DisplacementPeriod.objects.all():
        name = f"period:{period.pk}"
        periods[name] = period.pk
        columns.append(
            tabular.Column(
                name, tuple(filter(None, (period.dtm_column, period.name_en, period.name_ar)))
            )
        )
    return columns, origins, shelters, periods


_TITLE_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def date_in(text: str) -> datetime.date | None:
    """A date written in a DTM title or file name ("Master List 2-2-2017", "2017-2-2")."""
    match = _TITLE_DATE.search(to_western_digits(str(text or "")))
    if not match:
        return None
    try:
        if match.group(1):
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return datetime.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
    except ValueError:
        return None


#: A round's kind in a sentence (the labels of ``Round.Kind``).
KIND_NAMES = {
    Round.Kind.IDPS.value: _("internally displaced persons"),
    Round.Kind.RETURNEES.value: _("returnees"),
}


def _count(report, row, name, header) -> int | None:
    """A breakdown cell: the common cases (empty, a plain number) without the general parser."""
    raw = row.values.get(name, "")
    if raw == "" or raw is None:
        return None
    if type(raw) is int and raw >= 0:
        return raw
    if type(raw) is str and raw.isascii() and raw.isdigit():
        return int(raw)
    return tabular.cell_int(report, row, name, header=header(name))


def _place_id(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_western_digits(str(value)).strip()


def parse_dtm(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    kind: str = Round.Kind.IDPS,
    multiplier: Decimal | int = 6,
    camp_multiplier: Decimal | int | None = None,
    progress=None,
) -> DtmParse:
    """Read and check a master list; never writes. Raises ``tabular.ImportFailed`` only for
    a file that is not a DTM table at all (its report has the one reason)."""
    progress = progress or (lambda *a, **k: None)
    result = DtmParse()
    report = result.report
    groups, origin_cols, shelter_cols, period_cols = group_columns()
    try:
        table = tabular.read_table(
            source,
            BASE_COLUMNS + groups,
            sheet=SHEETS,
            filename=filename,
            limit=tabular.limits(max_rows=MAX_ROWS),
        )
    except tabular.TableError as exc:
        report.problems.append(tabular.problem_of(exc))
        raise tabular.ImportFailed(report) from None
    if not table.rows:
        report.error(None, None, _("the file has a header but no data rows"))
        raise tabular.ImportFailed(report)
    result.sheet = table.sheet
    if not any(c in table.mapping for c in ("place_id", "name_en", "name_ar")):
        report.error(None, None, _("missing required column 'Place id' or a location name column"))
        raise tabular.ImportFailed(report)
    result.title_date = _title_date(source, table, filename)
    camp_id = ShelterType.objects.filter(code="camp").values_list("pk", flat=True).first()
    round_stub = Round(multiplier=Decimal(multiplier), camp_multiplier=camp_multiplier)
    gazetteer = Gazetteer()
    governorates: dict[str, object] = {}
    districts: dict[tuple[int, str], object] = {}
    seen: dict[object, int] = {}
    header = table.mapping.get
    total = len(table.rows)
    progress(0, total, gettext_noop("checking rows"))
    for index, row in enumerate(table.rows, start=1):
        errors_before = len(report.errors)
        gov_text = str(row.values.get("governorate", "")).strip()
        gov_res = governorates.get(gov_text)
        if gov_res is None:
            gov_res = governorates[gov_text] = gazetteer.governorate(gov_text)
        if not gov_res.ok:
            report.error(row.number, header("governorate"), gov_res.reason("governorate"))
            continue
        gov = gov_res.place
        district_text = str(row.values.get("district", "")).strip()
        district = None
        if district_text:
            key = (gov.pk, district_text)
            if key not in districts:
                districts[key] = gazetteer.district(district_text, gov)
            res = districts[key]
            if res.ok:
                district = res.place
            else:
                result.unmatched_districts[(gov.name_en, district_text)] += 1
                report.warning(
                    row.number,
                    header("district"),
                    _(
                        "%(reason)s in %(governorate)s: the location is kept under the "
                        "governorate and listed for review"
                    )
                    % {"reason": res.reason("district"), "governorate": Name.of(gov)},
                )
        place_id = _place_id(row.values.get("place_id", ""))
        name_en = str(row.values.get("name_en", "")).strip()
        name_ar = str(row.values.get("name_ar", "")).strip()
        if not (place_id or name_en or name_ar):
            report.error(
                row.number,
                header("place_id") or header("name_en"),
                _("the row has neither a place id nor a location name"),
            )
            continue
        location_id = None
        if place_id:
            ids = gazetteer.locations.by_code.get(code_key(place_id), set())
            location_id = next(iter(ids)) if len(ids) == 1 else None
        else:
            for text in (name_en, name_ar):
                if text and location_id is None:
                    res = gazetteer.location(text, gov, district)
                    location_id = res.place.pk if res.ok else None
        if location_id is not None:
            parent_gov = gazetteer._location_parent[location_id][0]
            if parent_gov != gov.pk:
                report.error(
                    row.number,
                    header("governorate"),
                    _(
                        "place %(place)r is recorded in another governorate than "
                        "%(governorate)r; correct the file or the location first"
                    )
                    % {"place": place_id or name_en, "governorate": gov_text},
                )
                continue
        identity = location_id or place_id or (gov.pk, name_en or name_ar)
        if identity in seen:
            report.error(
                row.number,
                header("place_id") or header("name_en"),
                _("the same location is already on row %(row)s") % {"row": str(seen[identity])},
            )
            continue
        seen[identity] = row.number
        lat = tabular.cell_float(
            report, row, "latitude", header=header("latitude"), minimum=-90, maximum=90
        )
        lon = tabular.cell_float(
            report, row, "longitude", header=header("longitude"), minimum=-180, maximum=180
        )
        families = tabular.cell_int(
            report, row, "families", required=True, header=header("families")
        )
        individuals = tabular.cell_int(report, row, "individuals", header=header("individuals"))
        groups_values = []
        for cols in (origin_cols, shelter_cols, period_cols):
            values = {}
            for name, pk in cols.items():
                if name in table.mapping:
                    n = _count(report, row, name, header)
                    if n:
                        values[pk] = n
            groups_values.append(values)
        if len(report.errors) > errors_before or families is None:
            continue
        origins, shelters, periods = groups_values
        if individuals is None:
            individuals = round_stub.individuals_for(families, shelters.get(camp_id, 0))
        if individuals < families:
            report.error(
                row.number,
                header("individuals"),
                _("%(individuals)s individuals are fewer than %(families)s families")
                % {"individuals": individuals, "families": families},
            )
            continue
        if families >= 5 and individuals > 15 * families:
            report.warning(
                row.number,
                header("individuals"),
                _("a mean family size of %(size)s is unusual")
                % {"size": f"{individuals / families:.1f}"},
            )
        # The sentences are made only for a breakdown that does not add up: making three
        # messages per row cost more than checking the row.
        for which, values in (("origin", origins), ("shelter", shelters), ("period", periods)):
            if values and sum(values.values()) != families:
                report.error(
                    row.number,
                    header("families"),
                    _breakdown_sentence(which)
                    % {"sum": sum(values.values()), "families": families},
                )
        if len(report.errors) > errors_before:
            continue
        if location_id is None:
            report.warning(
                row.number,
                header("place_id") or header("name_en"),
                _("new location %(name)r will be created in %(governorate)s")
                % {"name": name_en or name_ar, "governorate": Name.of(gov)},
            )
        result.rows.append(
            DtmRow(
                number=row.number,
                place_id=place_id,
                governorate_id=gov.pk,
                district_id=district.pk if district else None,
                name_en=name_en or name_ar,
                name_ar=name_ar,
                lat=lat,
                lon=lon,
                families=families,
                individuals=individuals,
                origins=origins,
                shelters=shelters,
                periods=periods,
                location_id=location_id,
            )
        )
        if index % 500 == 0:
            progress(index, total, gettext_noop("checking rows"))
    progress(total, total, gettext_noop("checked"))
    return result


def _breakdown_sentence(which: str):
    """Why a row's breakdown is refused: it does not add up to the row's families."""
    if which == "origin":
        return _(
            "the breakdown by governorate of origin adds up to %(sum)s, "
            "not the %(families)s families"
        )
    if which == "shelter":
        return _("the breakdown by shelter type adds up to %(sum)s, not the %(families)s families")
    return _("the breakdown by period adds up to %(sum)s, not the %(families)s families")


def _title_date(source, table: tabular.Table, filename) -> datetime.date | None:
    """The list's date from its title (the rows above the header) or its file name."""
    name = filename or (Path(source).name if isinstance(source, str | Path) else "")
    for row in table.above[:3]:
        for cell in row:
            if cell not in ("", None) and (found := date_in(cell)) is not None:
                return found
    return date_in(name)


def round_code_from(filename: str) -> str | None:
    """``R64`` from "Round64_Master_List…", ``R21`` from "dtm-master-list-round21.csv"."""
    match = re.search(r"round[\s_-]*(\d+)", filename, re.IGNORECASE)
    return f"R{int(match.group(1))}" if match else None


@transaction.atomic
def commit_dtm(
    user,
    parsed: DtmParse,
    *,
    round_code: str,
    round_date: datetime.date | None,
    kind: str = Round.Kind.IDPS,
    multiplier: Decimal | int | None = None,
    camp_multiplier: Decimal | int | None = None,
    filename: str = "",
    partial: bool = False,
    partial_reason: str = "",
    progress=None,
) -> dict:
    """Write a clean parse as round ``round_code`` (created if new), replacing the round's
    previously imported rows. All or nothing; one audit row. A master list covers every
    governorate: importing it is ``dtm.import`` (the command line passes no user).
    ``partial``: the round covers only part of the country (``services.coverage``); the
    flag and its reason are set on the round, new or replaced."""
    if user is not None:
        access.check(user, "dtm.import")
    progress = progress or (lambda *a, **k: None)
    if not parsed.report.ok:
        raise tabular.ImportFailed(parsed.report)
    round_ = Round.objects.select_for_update().filter(code=round_code).first()
    if round_ is None:
        day = round_date or parsed.title_date
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
            partial_reason=partial_reason[:500] if partial else "",
        )
        created_round = True
    else:
        created_round = False
        if round_.kind != kind:
            raise ValidationError(
                _("round %(round)s is a round of %(kind)s, not of %(other)s")
                % {
                    "round": round_code,
                    "kind": KIND_NAMES.get(round_.kind, round_.kind),
                    "other": KIND_NAMES.get(kind, kind),
                }
            )
        round_.partial, round_.partial_reason = partial, partial_reason[:500] if partial else ""
        round_.save(update_fields=["partial", "partial_reason"])
    returnees = kind == Round.Kind.RETURNEES
    total = len(parsed.rows)
    progress(0, total, gettext_noop("creating locations"))
    new_rows = [r for r in parsed.rows if r.location_id is None]
    camp_id = ShelterType.objects.filter(code="camp").values_list("pk", flat=True).first()
    # The master list's own coordinates and place ids: DTM publishes them per location.
    new_locations = create_locations(
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
    for r, loc in zip(new_rows, new_locations, strict=True):
        r.location_id = loc.pk
    location_ids = [r.location_id for r in parsed.rows]
    progress(0, total, gettext_noop("replacing the round's rows"))
    # The round's rows come by the (round, location) index and are sorted here: a filter
    # "location in the file's thousands of ids OR imported" read the whole table, half a
    # second a round at 160,000 assessments, even for a new round that has no rows.
    listed = set(location_ids)
    stale_ids = (
        []
        if created_round
        else [
            pk
            for pk, location_id, source in LocationAssessment.objects.filter(
                round=round_
            ).values_list("pk", "location_id", "source")
            if location_id in listed or source == LocationAssessment.Source.IMPORT
        ]
    )
    replaced = len(stale_ids)
    for chunk in tabular.iter_chunks(stale_ids, 5000):
        AssessmentOrigin.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        AssessmentShelter.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        AssessmentPeriod.objects.filter(assessment_id__in=chunk)._raw_delete("default")
        LocationAssessment.objects.filter(pk__in=chunk)._raw_delete("default")
    actor = user if user is not None and user.pk else None
    done = 0
    for chunk in tabular.iter_chunks(parsed.rows, 5000):
        ids = allocate_ids(LocationAssessment, len(chunk))
        if ids is None:  # a database without a safe way to draw ids: let Django insert
            objs = [
                LocationAssessment(
                    round=round_,
                    location_id=r.location_id,
                    date=round_.date,
                    source=LocationAssessment.Source.IMPORT,
                    created_by=actor,
                    **_figures(r, returnees),
                )
                for r in chunk
            ]
            bulk_insert(LocationAssessment, objs, need_ids=True)
            ids = [o.pk for o in objs]
        else:
            ops = connection.ops
            now = ops.adapt_datetimefield_value(timezone.now())
            day = ops.adapt_datefield_value(round_.date)
            insert_rows(
                LocationAssessment,
                [
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
                ],
                [
                    (
                        pk,
                        round_.pk,
                        r.location_id,
                        day,
                        *_figures(r, returnees).values(),
                        "",
                        False,
                        LocationAssessment.Source.IMPORT.value,
                        actor.pk if actor else None,
                        now,
                    )
                    for pk, r in zip(ids, chunk, strict=True)
                ],
            )
        origins, shelters, periods = [], [], []
        for r, pk in zip(chunk, ids, strict=True):
            origins += [(pk, g, n) for g, n in r.origins.items()]
            shelters += [(pk, t, n) for t, n in r.shelters.items()]
            periods += [(pk, p, n) for p, n in r.periods.items()]
        insert_rows(AssessmentOrigin, ["assessment", "governorate", "families"], origins)
        insert_rows(AssessmentShelter, ["assessment", "shelter_type", "families"], shelters)
        insert_rows(AssessmentPeriod, ["assessment", "period", "families"], periods)
        done += len(chunk)
        progress(done, total, gettext_noop("writing rows"))
    summary = {
        "round": round_.code,
        "rows": total,
        "families": parsed.families,
        "individuals": parsed.individuals,
        "new_locations": len(new_locations),
        "replaced": replaced,
        "needs_review": sum(1 for r in parsed.rows if r.district_id is None),
        "warnings": len(parsed.report.warnings),
        "round_created": created_round,
        "partial": round_.partial,
        "partial_reason": round_.partial_reason,
    }
    record_bulk(
        user,
        LocationAssessment,
        "import",
        summary,
        f"DTM {kind} master list {filename} → round {round_.code}"[:200],
    )
    return summary


def _figures(row: DtmRow, returnees: bool) -> dict:
    """The four figure columns, in model order, for an IDP or a returnee list."""
    return {
        "families": 0 if returnees else row.families,
        "individuals": 0 if returnees else row.individuals,
        "returnee_families": row.families if returnees else 0,
        "returnee_individuals": row.individuals if returnees else 0,
    }


def import_dtm_file(
    user,
    source: str | Path | bytes,
    *,
    round_code: str | None = None,
    round_date: datetime.date | None = None,
    kind: str = Round.Kind.IDPS,
    multiplier: Decimal | int | None = None,
    camp_multiplier: Decimal | int | None = None,
    filename: str | None = None,
    partial: bool | None = None,
    progress=None,
) -> dict:
    """Parse and commit in one call (the command line and tests); raises on any error.

    The list is compared with the previous complete round (``services.coverage``): one
    that looks partial is imported and marked so, with the reason (``partial=False``
    overrides the check: the person asserts the fall is real; ``True`` forces the flag).
    """
    name = filename or (Path(source).name if isinstance(source, str | Path) else "upload")
    code = round_code or round_code_from(name)
    if not code:
        raise ValidationError("give the round's code (--round): the file name does not say it")
    existing = Round.objects.filter(code=code).first()
    mult = multiplier or (existing.multiplier if existing else 6)
    camp = camp_multiplier or (existing.camp_multiplier if existing else None)
    parsed = parse_dtm(
        source, filename=name, kind=kind, multiplier=mult, camp_multiplier=camp, progress=progress
    )
    if not parsed.report.ok:
        raise tabular.ImportFailed(parsed.report)
    from amina.tracking.services.coverage import check_coverage

    coverage = check_coverage(
        parsed.individuals_by_governorate(),
        round_code=code,
        round_date=round_date or parsed.title_date,
        kind=kind,
    )
    flagged = coverage.partial if partial is None else partial
    summary = commit_dtm(
        user,
        parsed,
        round_code=code,
        round_date=round_date,
        kind=kind,
        multiplier=mult,
        camp_multiplier=camp,
        filename=name,
        partial=flagged,
        partial_reason=coverage.reason() if flagged else "",
        progress=progress,
    )
    summary["coverage"] = coverage.as_dict()
    summary["unmatched_districts"] = parsed.summary()["unmatched_districts"]
    return summary
