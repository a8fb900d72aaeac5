"""Reading a 4W sheet (the spreadsheets partners already keep: CSV or XLSX, HXL or not)
into checked rows (``ParsedRow``), with a report naming each problem's row and column.

If a row of HXL hashtags sits under the header, libhxl finds it and parses the hashtags,
and columns are mapped by libhxl tag patterns (in any order, attributes in any order);
otherwise by header names in English or Arabic. Nothing here writes:
``services.imports.import_activities`` writes a file whose every row passed.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import asdict, astuple, dataclass
from pathlib import Path

from django.utils import timezone

from amina.accounts import access
from amina.accounts.models import Organisation
from amina.coordination.models import Activity
from amina.geo.gazetteer import Gazetteer
from amina.geo.models import District, Governorate, Location
from amina.lib import tabular
from amina.lib.arabic import normalise_name, to_western_digits
from amina.lib.i18n import Name
from amina.lib.i18n import gettext_deferred as _
from amina.needs.models import Sector

# name, header aliases (English, Arabic), HXL hashtag specs (tag, attributes that must be present)
COLUMNS: list[tuple[str, tuple[str, ...], tuple[tuple[str, frozenset], ...]]] = []


def _col(name, aliases, *hxl):
    specs = []
    for spec in hxl:
        tag, *attrs = spec.lstrip("#").split("+")
        specs.append((tag, frozenset(attrs)))
    COLUMNS.append((name, aliases, tuple(specs)))


_col(
    "organisation",
    (
        "organisation",
        "organization",
        "org",
        "partner",
        "agency",
        "implementing partner",
        "المنظمة",
        "الجهة",
        "الجهة المنفذة",
    ),
    "#org",
)
_col(
    "sector",
    ("sector", "mcof sector", "mcof sector number", "cluster", "القطاع"),
    "#sector",
    "#sector+code",
    "#sector+name",
)
_col(
    "activity", ("activity", "activity type", "activity name", "النشاط", "نوع النشاط"), "#activity"
)
_col(
    "governorate_code",
    ("governorate pcode", "governorate p-code", "admin1 pcode", "adm1 pcode", "admin1pcode"),
    "#adm1+code",
)
_col("governorate", ("governorate", "admin1", "province", "المحافظة"), "#adm1+name", "#adm1")
_col(
    "district_code",
    ("district pcode", "district p-code", "admin2 pcode", "adm2 pcode", "admin2pcode"),
    "#adm2+code",
)
_col("district", ("district", "admin2", "القضاء"), "#adm2+name", "#adm2")
_col(
    "location_code", ("location pcode", "location p-code", "location code", "place id"), "#loc+code"
)
_col(
    "location",
    ("location", "site", "village", "neighbourhood", "الموقع", "المكان"),
    "#loc+name",
    "#loc",
)
_col("start", ("start date", "start", "date start", "تاريخ البدء", "تاريخ البداية"), "#date+start")
_col("end", ("end date", "end", "date end", "تاريخ الانتهاء", "تاريخ النهاية"), "#date+end")
_col("status", ("status", "الحالة"), "#status")
_col(
    "girls",
    ("girls", "بنات", "الفتيات"),
    "#reached+f+children",
    "#reached+f+child",
    "#reached+girls",
)
_col(
    "boys", ("boys", "أولاد", "الفتيان"), "#reached+m+children", "#reached+m+child", "#reached+boys"
)
_col(
    "women", ("women", "نساء", "النساء"), "#reached+f+adults", "#reached+f+adult", "#reached+women"
)
_col("men", ("men", "رجال", "الرجال"), "#reached+m+adults", "#reached+m+adult", "#reached+men")
_col(
    "elderly_women",
    ("elderly women", "older women", "women 60+", "مسنات", "النساء المسنات"),
    "#reached+f+elderly",
)
_col(
    "elderly_men",
    ("elderly men", "older men", "men 60+", "مسنون", "الرجال المسنون"),
    "#reached+m+elderly",
)
_col(
    "female_other",
    ("female, age not given", "female age not given"),
    "#reached+f+unknown_age",
)
_col("male_other", ("male, age not given", "male age not given"), "#reached+m+unknown_age")
_col("female", ("female", "females", "women and girls", "إناث"), "#reached+f")
_col("male", ("male", "males", "men and boys", "ذكور"), "#reached+m")
_col(
    "total",
    ("people reached", "reached", "total reached", "beneficiaries", "عدد المستفيدين", "المستفيدون"),
    "#reached+ind",
    "#reached+total",
    "#reached",
)
_col(
    "distribution_ref",
    ("distribution reference", "waybill", "مرجع التوزيع"),
    "#meta+distribution",
    "#meta+waybill",
)
_col(
    "description",
    ("description", "comments", "notes", "الوصف", "ملاحظات"),
    "#description",
    "#meta+notes",
)


AGE_GROUPS = {"f": ("girls", "women", "elderly_women"), "m": ("boys", "men", "elderly_men")}


STATUS_WORDS = {
    "planned": ("planned", "plan", "pipeline", "proposed", "مخطط", "مخطط له", "مقرر"),
    "ongoing": (
        "ongoing",
        "on going",
        "in progress",
        "active",
        "current",
        "جاري",
        "جار",
        "مستمر",
        "قيد التنفيذ",
    ),
    "completed": (
        "completed",
        "complete",
        "done",
        "finished",
        "closed",
        "منجز",
        "مكتمل",
        "منتهي",
        "أنجز",
    ),
}


# Cluster names partners use for the MCOF sectors they map to.
SECTOR_WORDS = {
    "cccm": 1,
    "camp management": 1,
    "displacement tracking": 1,
    "shelter": 2,
    "nfi": 2,
    "shelter nfi": 2,
    "shelter/nfi": 2,
    "transport": 3,
    "health": 4,
    "psychosocial": 5,
    "mhpss": 5,
    "pss": 5,
    "reintegration": 6,
    "stabilization": 7,
    "stabilisation": 7,
    "drr": 8,
    "counter trafficking": 10,
    "counter-trafficking": 10,
    "protection": 10,
}


#: Attributes that narrow a count or a place: a spec that lacks one of them must not take
#: a column that has it ("#reached+f+children" is not the plain total "#reached").
NARROWING = ("f", "m", "children", "child", "adults", "adult", "elderly")


NARROWING += ("code", "name", "start", "end")


def _patterns() -> list[tuple[str, int, object]]:
    """libhxl tag patterns of every column spec (column name, specificity, pattern), each
    excluding the narrowing attributes the spec does not ask for."""
    import hxl

    patterns = []
    for name, _aliases, specs in COLUMNS:
        for tag, attrs in specs:
            excluded = [a for a in NARROWING if a not in attrs]
            text = "#" + tag + "".join(f"+{a}" for a in sorted(attrs))
            text += "".join(f"-{a}" for a in excluded)
            patterns.append((name, len(attrs), hxl.model.TagPattern.parse(text)))
    return patterns


def _hxl_columns(head: list[list]) -> tuple[int, list] | None:
    """Where libhxl finds the hashtag row among the first rows, and its columns; None
    when the file is not HXL-tagged."""
    import hxl

    raw = [["" if v is None else str(v) for v in values] for values in head]
    try:
        dataset = hxl.data(raw, hxl.InputOptions(allow_local=True))
        columns = dataset.columns
        after = sum(1 for _row in dataset)  # rows libhxl reads under the hashtags
    except hxl.HXLException:
        return None
    return len(raw) - 1 - after, columns


def _match_hxl(column, patterns) -> str | None:
    """The column name for a libhxl column: the most specific pattern that matches it
    (``#reached+f+children`` before ``#reached+f``); attributes in any order, extra
    ones ignored unless they narrow the figure."""
    best, best_len = None, -1
    for name, specificity, pattern in patterns:
        if specificity > best_len and pattern.match(column):
            best, best_len = name, specificity
    return best


#: Activities in one 4W sheet: a national matrix has thousands.
MAX_ROWS = 200_000


def read_rows(
    source: bytes | str | Path, filename: str
) -> tuple[list[tabular.Row], dict[str, str], bool]:
    """Rows keyed by column name, the header each column was found under, and whether
    the file was mapped by HXL hashtags. The file is read once, row by row, within
    ``tabular.limits``."""
    limit = tabular.limits(max_rows=MAX_ROWS)
    _sheet, stream = tabular.read_rows(source, filename=filename, limit=limit)
    try:
        head, rest = tabular.split_head(stream, 15)
        if not head:
            raise tabular.TableError(_("the file is empty"))
        found = _hxl_columns([values for _n, values in head])
        if found is None:
            columns = [tabular.Column(n, a) for n, a, _h in COLUMNS]
            table = tabular.table_from_rows(head, rest, columns)
            return table.rows, table.mapping, False
        # libhxl finds the hashtag row and parses each hashtag; tabular keeps reading the
        # rows (bounded, streaming) so the file's limits hold for HXL files too.
        tag_index, hxl_columns = found
        patterns = _patterns()
        positions: dict[str, int] = {}
        labels: dict[str, str] = {}
        for pos, column in enumerate(hxl_columns):
            name = _match_hxl(column, patterns) if column.tag else None
            if name and name not in positions:
                positions[name] = pos
                labels[name] = (column.header or "").strip() or column.display_tag
        rows = []
        for number, values in itertools.chain(head[tag_index + 1 :], rest):
            if not any(str(v or "").strip() for v in values):
                continue
            width = len(values)
            rows.append(
                tabular.Row(
                    number, {n: values[p] if p < width else "" for n, p in positions.items()}
                )
            )
        return rows, labels, True
    finally:
        stream.close()


class _Lookups:
    def __init__(self) -> None:
        self.gazetteer = Gazetteer()
        self.organisations: dict[str, set[int]] = {}
        self.org_by_pk = {}
        for org in Organisation.objects.all():
            self.org_by_pk[org.pk] = org
            for text in (org.name_en, org.name_ar, org.acronym):
                if text:
                    self.organisations.setdefault(normalise_name(text), set()).add(org.pk)
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.sector_names = {}
        for s in self.sectors.values():
            for text in (s.name_en, s.name_ar):
                self.sector_names[normalise_name(text)] = s
        for word, code in SECTOR_WORDS.items():
            if code in self.sectors:
                self.sector_names.setdefault(normalise_name(word), self.sectors[code])
        self.status = {normalise_name(w): key for key, words in STATUS_WORDS.items() for w in words}

    def organisation(self, text):
        ids = self.organisations.get(normalise_name(str(text)), set())
        return self.org_by_pk[next(iter(ids))] if len(ids) == 1 else None

    def sector(self, text):
        raw = str(text).strip()
        if isinstance(text, int | float) and int(text) in self.sectors:
            return self.sectors[int(text)]
        if m := re.match(r"^\s*(\d{1,2})(?:[.\s)\-:]|$)", to_western_digits(raw)):
            return self.sectors.get(int(m.group(1)))
        return self.sector_names.get(normalise_name(raw))


def _cell_text(row: tabular.Row, name: str) -> str:
    value = row.values.get(name, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


@dataclass
class Reached:
    """People reached on one row by sex and age: the activity's breakdown fields, so a
    misspelt figure is an attribute error rather than a silently ignored key."""

    girls: int = 0
    women: int = 0
    elderly_women: int = 0
    boys: int = 0
    men: int = 0
    elderly_men: int = 0
    female_other: int = 0
    male_other: int = 0
    reached_other: int = 0

    def by_age(self, sex: str) -> int:
        return sum(getattr(self, name) for name in AGE_GROUPS[sex])

    def total(self) -> int:
        return sum(astuple(self))


@dataclass
class ParsedRow:
    """One checked row of a 4W sheet: what its activity is made of."""

    organisation: Organisation
    sector: Sector
    activity_type: str
    governorate: Governorate
    district: District | None
    location: Location | None
    start: datetime.date
    end: datetime.date | None
    status: str | None
    reached: Reached
    distribution_ref: str
    description: str

    def activity(self, user) -> Activity:
        """The unsaved activity (a sheet without a status is judged from its dates)."""
        district = self.district
        return Activity(
            organisation=self.organisation,
            sector=self.sector,
            activity_type=self.activity_type[:200],
            governorate=self.governorate,
            district_id=district.pk
            if district
            else (self.location.district_id if self.location else None),
            location=self.location,
            start_date=self.start,
            end_date=self.end,
            status=self.status or default_status(self.start, self.end),
            distribution_ref=self.distribution_ref[:60],
            description=self.description,
            reported_by=user if getattr(user, "pk", None) else None,
            **asdict(self.reached),
        )


@dataclass
class _Sheet:
    """What every row's checks share: the lookups, the headers and the report."""

    look: _Lookups
    labels: dict[str, str]
    report: tabular.Report

    def label(self, name: str) -> str:
        """The header the user wrote for a column (its name when the sheet lacks it)."""
        return self.labels.get(name, name)

    def error(self, row: tabular.Row, name: str, message) -> None:
        self.report.error(row.number, self.label(name), message)


def _missing_columns(labels: dict[str, str], report: tabular.Report) -> bool:
    """Report the required columns the sheet lacks; True when any is missing."""
    for name in ("organisation", "sector", "activity", "start"):
        if name not in labels:
            report.error(None, name, _("this column is missing"))
    if "governorate" not in labels and "governorate_code" not in labels:
        report.error(None, "governorate", _("this column is missing (name or p-code)"))
    return not report.ok


def _organisation(sheet: _Sheet, row: tabular.Row) -> Organisation | None:
    text = _cell_text(row, "organisation")
    org = sheet.look.organisation(text) if text else None
    if not text:
        sheet.error(row, "organisation", _("is required"))
    elif org is None:
        sheet.error(
            row,
            "organisation",
            _("unknown organisation %(value)r (ask an administrator to add it)") % {"value": text},
        )
    return org


def _sector(sheet: _Sheet, row: tabular.Row) -> Sector | None:
    text = _cell_text(row, "sector")
    sector = sheet.look.sector(row.values.get("sector", "")) if text else None
    if not text:
        sheet.error(row, "sector", _("is required"))
    elif sector is None:
        sheet.error(
            row,
            "sector",
            _("unknown MCOF sector %(value)r (give its number 1–15 or name)") % {"value": text},
        )
    return sector


def _activity_type(sheet: _Sheet, row: tabular.Row) -> str:
    text = _cell_text(row, "activity")
    if not text:
        sheet.error(row, "activity", _("is required"))
    return text


def _code_or_name(row: tabular.Row, name: str) -> str:
    """The p-code column when the row fills it, else the name column."""
    return f"{name}_code" if _cell_text(row, f"{name}_code") else name


def _place(sheet: _Sheet, row: tabular.Row):
    """Governorate, district and location, each by p-code or name through the gazetteer;
    the district and location are looked for only inside a governorate found."""
    gazetteer = sheet.look.gazetteer
    gov = district = location = None
    gov_name = _code_or_name(row, "governorate")
    res = gazetteer.governorate(_cell_text(row, gov_name))
    if res.ok:
        gov = res.place
    else:
        sheet.error(row, gov_name, res.reason("governorate"))
    if gov is None:
        return gov, district, location
    d_name = _code_or_name(row, "district")
    if _cell_text(row, d_name):
        res = gazetteer.district(_cell_text(row, d_name), gov)
        if res.ok:
            district = res.place
        else:
            sheet.error(row, d_name, res.reason("district"))
    l_name = _code_or_name(row, "location")
    if _cell_text(row, l_name):
        res = gazetteer.location(_cell_text(row, l_name), gov, district)
        if res.ok:
            location = res.place
        else:
            sheet.error(row, l_name, res.reason("location"))
    return gov, district, location


def _dates(sheet: _Sheet, row: tabular.Row):
    """The start (required) and end dates; an end before the start is refused."""
    report, label = sheet.report, sheet.label
    start = tabular.cell_date(report, row, "start", required=True, header=label("start"))
    end = tabular.cell_date(report, row, "end", header=label("end"))
    if start and end and end < start:
        sheet.error(
            row,
            "end",
            _("%(end)s is before the start date %(start)s")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    return start, end


def _status(sheet: _Sheet, row: tabular.Row) -> str | None:
    text = _cell_text(row, "status")
    status = sheet.look.status.get(normalise_name(text)) if text else None
    if text and status is None:
        sheet.error(
            row,
            "status",
            _("%(value)r is not a status (planned, ongoing or completed)") % {"value": text},
        )
    return status


def _cell_count(sheet: _Sheet, row: tabular.Row, name: str) -> int | None:
    return tabular.cell_int(sheet.report, row, name, header=sheet.label(name))


def _reached(sheet: _Sheet, row: tabular.Row) -> Reached:
    """The people reached by sex and age. A total per sex must match its age groups when
    they are given, else it is the sex's "age not given"; what the grand total adds to
    the breakdown is "not disaggregated"."""
    counts = {
        name: _cell_count(sheet, row, name)
        for name in (*AGE_GROUPS["f"], *AGE_GROUPS["m"], "female", "male", "total")
    }
    reached = Reached(**{k: counts[k] or 0 for k in (*AGE_GROUPS["f"], *AGE_GROUPS["m"])})
    reached.female_other = _cell_count(sheet, row, "female_other") or 0
    reached.male_other = _cell_count(sheet, row, "male_other") or 0
    for sex, name, other in (("f", "female", "female_other"), ("m", "male", "male_other")):
        known = reached.by_age(sex) + getattr(reached, other)
        given = any(counts[k] is not None for k in AGE_GROUPS[sex]) or getattr(reached, other)
        if counts[name] is None:
            continue
        if given and counts[name] != known:
            sheet.error(
                row,
                name,
                _("%(value)s differs from the sum by age group (%(sum)s)")
                % {"value": counts[name], "sum": known},
            )
        elif not given:
            setattr(reached, other, counts[name])
    _rest_of_total(sheet, row, reached, counts["total"])
    return reached


def _rest_of_total(sheet: _Sheet, row: tabular.Row, reached: Reached, total: int | None) -> None:
    """People the report did not break down are kept as "not disaggregated"."""
    by_sex = reached.total()
    if total is None:
        return
    if by_sex and total < by_sex:
        sheet.error(
            row,
            "total",
            _("%(value)s is less than the sum by sex and age (%(sum)s)")
            % {"value": total, "sum": by_sex},
        )
    else:
        reached.reached_other = total - by_sex


def _check_access(sheet: _Sheet, row: tabular.Row, user, org, gov) -> None:
    """The user may report this organisation's activities in this governorate."""
    if org is None or gov is None:
        return
    if not access.allowed(user, "activity.import", gov, organisation=org):
        sheet.error(
            row,
            "organisation",
            _("you may not report activities of %(organisation)s in %(governorate)s")
            % {"organisation": Name.of(org), "governorate": Name.of(gov)},
        )


def _parse_row(sheet: _Sheet, row: tabular.Row, user) -> ParsedRow | None:
    """One row checked cell by cell (problems in column order); None when any failed."""
    before = len(sheet.report.errors)
    org = _organisation(sheet, row)
    sector = _sector(sheet, row)
    activity_type = _activity_type(sheet, row)
    gov, district, location = _place(sheet, row)
    start, end = _dates(sheet, row)
    status = _status(sheet, row)
    reached = _reached(sheet, row)
    _check_access(sheet, row, user, org, gov)
    if len(sheet.report.errors) > before:
        return None
    return ParsedRow(
        organisation=org,
        sector=sector,
        activity_type=activity_type,
        governorate=gov,
        district=district,
        location=location,
        start=start,
        end=end,
        status=status,
        reached=reached,
        distribution_ref=_cell_text(row, "distribution_ref"),
        description=_cell_text(row, "description"),
    )


def parse_rows(
    user, rows: list[tabular.Row], labels: dict[str, str], report: tabular.Report
) -> list[Activity]:
    """Turn rows into unsaved activities, recording every problem in ``report``."""
    if _missing_columns(labels, report):
        return []
    sheet = _Sheet(_Lookups(), labels, report)
    activities = []
    for row in rows:
        parsed = _parse_row(sheet, row, user)
        if parsed is not None:
            activities.append(parsed.activity(user))
    return activities


def default_status(start, end) -> str:
    """A sheet without a status column: judge from the dates against today."""
    today = timezone.localdate()
    if end and end < today:
        return Activity.Status.COMPLETED
    return Activity.Status.ONGOING if start <= today else Activity.Status.PLANNED
