"""Importing registration lists: Amina's template (XLSX with ``households`` and
``members`` sheets, or two CSV files) and KoboToolbox/ODK exports (a households sheet
and a repeat-group sheet joined by ``_index``/``_parent_index`` or
``_uuid``/``_submission__uuid``).

All-or-nothing: every row is checked first and every problem is reported with its row
and column; only a clean file is written (through ``bulk.write``, COPY on PostgreSQL).
Names get their comparison keys from ``amina.registry.names`` on the way in. A location
named in a valid district but not yet known is created (and listed as a warning); an
unknown p-code is an error.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from amina.accounts import access
from amina.audit.services import record_bulk
from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Governorate, Location
from amina.lib import tabular
from amina.lib.i18n import Message, Name
from amina.lib.i18n import gettext_deferred as _
from amina.lib.tabular import Column, ImportFailed, Report, TableError
from amina.registry import bulk, names, vulnerability
from amina.registry.models import Criterion, Household, Member
from amina.tracking.queries import shelter_types

FLAGS = [c.value for c in Criterion if c != Criterion.LARGE_HOUSEHOLD]
#: A person's names, as members' columns and ``Member`` fields are called.
NAME_FIELDS = (
    "first_name_ar",
    "father_name_ar",
    "grandfather_name_ar",
    "family_name_ar",
    "name_latin",
)

HOUSEHOLD_COLUMNS = [
    Column(
        "household_ref", ("household ref", "household id", "hh_ref", "رقم الأسرة"), required=True
    ),
    Column("registration_date", ("date of registration", "تاريخ التسجيل", "today")),
    Column("registered_by", ("team", "registration team", "فريق التسجيل")),
    Column("governorate", ("governorate pcode", "adm1_pcode", "المحافظة"), required=True),
    Column("district", ("district pcode", "adm2_pcode", "القضاء")),
    Column("location", ("location name", "location pcode", "الموقع"), required=True),
    Column("latitude", ("lat", "_gps_latitude", "_location_latitude")),
    Column("longitude", ("lon", "lng", "_gps_longitude", "_location_longitude")),
    Column("shelter_type", ("shelter", "نوع المأوى")),
    Column("origin_governorate", ("governorate of origin", "محافظة الأصل")),
    Column("displacement_date", ("date of displacement", "تاريخ النزوح")),
    Column("head_first_name_ar", ("first_name_ar", "الاسم الأول"), required=True),
    Column("head_father_name_ar", ("father_name_ar", "اسم الأب")),
    Column("head_grandfather_name_ar", ("grandfather_name_ar", "اسم الجد")),
    Column("head_family_name_ar", ("family_name_ar", "اللقب")),
    Column("head_name_latin", ("name_latin", "head name latin")),
    Column("head_sex", ("sex", "الجنس")),
    Column("head_birth_date", ("birth_date", "head_birth_year", "تاريخ الميلاد")),
    Column("id_doc_type", ("document type", "نوع الوثيقة")),
    Column("id_doc_number", ("document number", "رقم الوثيقة")),
    Column("phone", ("phone number", "mobile", "رقم الهاتف")),
    Column("household_size", ("size", "hh_size", "عدد أفراد الأسرة"), required=True),
    *[Column(flag) for flag in FLAGS],
    Column("consent", ("consent given", "الموافقة"), required=True),
    Column("_index"),
    Column("_uuid"),
]

MEMBER_COLUMNS = [
    Column("household_ref", ("household ref", "hh_ref", "رقم الأسرة")),
    Column("member_no", ("member number", "رقم الفرد")),
    Column("relationship", ("relation", "relationship_to_head", "صلة القرابة")),
    Column("first_name_ar", ("member_first_name_ar", "الاسم الأول"), required=True),
    Column("father_name_ar", ("member_father_name_ar", "اسم الأب")),
    Column("grandfather_name_ar", ("member_grandfather_name_ar", "اسم الجد")),
    Column("family_name_ar", ("member_family_name_ar", "اللقب")),
    Column("name_latin", ("member_name_latin",)),
    Column("sex", ("member_sex", "الجنس")),
    Column("birth_date", ("member_birth_date", "birth_year", "تاريخ الميلاد")),
    Column("id_doc_type", ("member_id_doc_type",)),
    Column("id_doc_number", ("member_id_doc_number",)),
    Column("phone", ("member_phone",)),
    Column("disability", ("member_disability",)),
    Column("chronic_illness", ("member_chronic_illness",)),
    Column("_parent_index"),
    Column("_submission__uuid", ("_submission_uuid",)),
]

SEX = {
    "male": "male",
    "m": "male",
    "ذكر": "male",
    "female": "female",
    "f": "female",
    "انثى": "female",
    "أنثى": "female",
    "انثي": "female",
    "": "",
}
RELATIONSHIPS = {
    "head": "head",
    "رب الاسره": "head",
    "spouse": "spouse",
    "wife": "spouse",
    "husband": "spouse",
    "زوج": "spouse",
    "زوجه": "spouse",
    "child": "child",
    "son": "child",
    "daughter": "child",
    "ابن": "child",
    "ابنه": "child",
    "بنت": "child",
    "parent": "parent",
    "father": "parent",
    "mother": "parent",
    "اب": "parent",
    "ام": "parent",
    "sibling": "sibling",
    "brother": "sibling",
    "sister": "sibling",
    "اخ": "sibling",
    "اخت": "sibling",
    "grandchild": "grandchild",
    "حفيد": "grandchild",
    "حفيده": "grandchild",
    "relative": "relative",
    "other_relative": "relative",
    "قريب": "relative",
    "other": "other",
    "غير قريب": "other",
    "": "other",
}
DOCUMENTS = {
    "": "none",
    "none": "none",
    "لا يوجد": "none",
    "national_id": "national_id",
    "national id": "national_id",
    "البطاقه الوطنيه": "national_id",
    "civil_id": "civil_id",
    "civil id": "civil_id",
    "هويه الاحوال المدنيه": "civil_id",
    "nationality": "nationality",
    "passport": "passport",
    "جواز سفر": "passport",
    "other": "other",
}
PCODE = re.compile(r"^[A-Z]{2,3}G?\d{2}[A-Z0-9]*$")


@dataclass
class Result:
    households: int = 0
    members: int = 0
    new_locations: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "households": self.households,
            "members": self.members,
            "new_locations": self.new_locations[:50],
            "warnings": self.warnings[:200],
        }


# ------------------------------------------------------------------ reading


def without_groups(header: list) -> list:
    """KoboToolbox exports with group names write ``group/field`` headers: the fields,
    when any header has that form; otherwise the header as it is."""
    if not any(isinstance(v, str) and re.fullmatch(r"[\w-]+(/[\w-]+)+", v) for v in header):
        return header
    return [v.rsplit("/", 1)[-1] if isinstance(v, str) else v for v in header]


def read_files(
    source, members_source=None, *, filename: str = "", members_filename: str = ""
) -> tuple[tabular.Table, tabular.Table | None]:
    """The households table and the members table (a second sheet, or a second file),
    each read once, row by row, within ``tabular.limits()``."""
    filename = filename or (Path(source).name if not isinstance(source, bytes) else "upload")
    limit = tabular.limits()
    if _starts_like_xlsx(source):
        sheets = tabular.sheet_names(source, limit)
        h_sheet = _pick(sheets, ("households", "household", "الأسر")) or sheets[0]
        households = _table(source, HOUSEHOLD_COLUMNS, h_sheet, filename, limit)
        members = None
        if members_source is None:
            m_sheet = _pick(sheets, ("members", "member", "household_members", "الأفراد"))
            if m_sheet is None and len(sheets) > 1:
                m_sheet = next(s for s in sheets if s != h_sheet)
            if m_sheet:
                members = _table(source, MEMBER_COLUMNS, m_sheet, filename, limit)
    else:
        households = _table(source, HOUSEHOLD_COLUMNS, None, filename, limit)
        members = None
    if members_source is not None:
        members = _table(members_source, MEMBER_COLUMNS, None, members_filename or "members", limit)
    return households, members


def _starts_like_xlsx(source) -> bool:
    if isinstance(source, bytes):
        return tabular.is_xlsx(source)
    try:
        with open(source, "rb") as handle:
            return tabular.is_xlsx(handle.read(4))
    except OSError as exc:
        raise TableError(
            _("cannot read %(file)s: %(reason)s")
            % {"file": Path(source).name, "reason": exc.strerror or str(exc)}
        ) from None


def _table(source, columns, sheet: str | None, filename: str, limit) -> tabular.Table:
    """A sheet of a workbook, or a CSV file; KoboToolbox group paths are dropped from the
    header (``without_groups``)."""
    return tabular.read_table(
        source, columns, sheet=sheet, filename=filename, limit=limit, transform=without_groups
    )


def _pick(sheets: list[str], wanted: tuple[str, ...]) -> str | None:
    keys = {tabular.header_key(s): s for s in sheets}
    for name in wanted:
        if tabular.header_key(name) in keys:
            return keys[tabular.header_key(name)]
    return None


# ------------------------------------------------------------------ checking

#: Problems worded once for both paths (``check`` here and ``staging`` in SQL).
NO_CONSENT = _("no consent: a household is registered only with its consent")
NO_HOUSEHOLD_ROW = _("%(value)r matches no household row")
NOT_IN_FILE = _("%(value)r is not a household of this file")
ALREADY_REGISTERED = _("%(value)r is already registered")


def appears_twice(ref: str, first_row: int) -> Message:
    return _("%(value)r appears twice (first on row %(row)s)") % {
        "value": ref,
        "row": str(first_row),
    }


def in_the_future(when: datetime.date) -> Message:
    return _("%(date)s is in the future") % {"date": when.isoformat()}


@lru_cache(maxsize=4096)
def _choice_key(raw: str) -> tuple[str, str, str]:
    key = names.normalise_name(raw).replace("_", " ")
    return raw.lower(), key, key.replace(" ", "_")


#: "… is not a known …", one sentence per kind of choice (each reads naturally in Arabic).
UNKNOWN_CHOICE = {
    "sex": _("%(value)r is not a known sex (use one of %(choices)s)"),
    "document type": _("%(value)r is not a known document type (use one of %(choices)s)"),
    "relationship": _("%(value)r is not a known relationship (use one of %(choices)s)"),
    "shelter type": _("%(value)r is not a known shelter type (use one of %(choices)s)"),
}


def unknown_choice(label: str, raw, choices) -> Message:
    return UNKNOWN_CHOICE[label] % {"value": raw, "choices": sorted(choices)}


def _choice(report: Report, row, column: str, mapping: dict, label: str, sheet: str) -> str:
    raw = str(row.values.get(column, "") or "").strip()
    if raw in mapping:
        return mapping[raw]
    for candidate in _choice_key(raw):
        if candidate in mapping:
            return mapping[candidate]
    report.error(
        row.number,
        f"{sheet}{column}",
        unknown_choice(label, raw, {v for v in mapping.values() if v}),
    )
    return ""


class _Places:
    """Resolves the place columns once per distinct value, and creates new locations."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()
        self.cache: dict[tuple, object] = {}
        self.new: dict[tuple, Location] = {}

    def governorate(self, text):
        key = ("g", text)
        if key not in self.cache:
            self.cache[key] = self.gazetteer.governorate(text)
        return self.cache[key]

    def district(self, text, gov):
        key = ("d", text, gov.pk)
        if key not in self.cache:
            self.cache[key] = self.gazetteer.district(text, gov)
        return self.cache[key]

    def location(self, text, gov, district):
        key = ("l", text, gov.pk, district.pk if district else None)
        if key not in self.cache:
            self.cache[key] = self.gazetteer.location(text, gov, district)
        return self.cache[key]


def outside_scope(user) -> Callable[[Governorate], Message | None]:
    """The importer's scope as a check of a row's governorate: the problem to report
    when it lies outside the governorates ``user`` may write to, else None.

    A role allowed to import is not enough: an officer of one governorate must not
    register households in another (issue 13). ``None`` (the command line) acts as the
    system, as every service does.
    """
    if user is None:
        return lambda governorate: None

    def problem(governorate: Governorate) -> Message | None:
        if access.allowed(user, "registry.import", governorate):
            return None
        return _("%(governorate)s is outside your governorates") % {
            "governorate": Name.of(governorate)
        }

    return problem


def check(
    households: tabular.Table,
    members: tabular.Table | None,
    progress=None,
    *,
    outside: Callable[[Governorate], Message | None] = lambda governorate: None,
) -> tuple[list[dict], list[dict], Report, list[dict]]:
    """Every row checked; returns household rows, member rows (by column name), the
    report, and the locations to create. ``outside`` names a governorate outside the
    importer's scope (see ``outside_scope``)."""
    report = Report()
    places = _Places()
    shelters = {s.code: s.pk for s in shelter_types()}
    shelters.update({names.normalise_name(s.name_en): s.pk for s in shelter_types()})
    new_locations: dict[tuple, dict] = {}
    current = vulnerability.weights()
    h_rows: list[dict] = []
    refs: dict[str, int] = {}
    by_index: dict[str, str] = {}
    today = timezone.localdate()
    progress = progress or (lambda *a: None)
    total = len(households.rows) + (len(members.rows) if members is not None else 0)
    for index, row in enumerate(households.rows):
        if index % 10_000 == 0:
            progress(index, total, gettext_noop("checking households"))
        v = row.values
        ref = str(v.get("household_ref", "")).strip()
        if not ref:
            report.error(row.number, "household_ref", _("is required"))
        elif ref in refs:
            report.error(row.number, "household_ref", appears_twice(ref, refs[ref]))
        else:
            refs[ref] = row.number
        for parent_key in ("_index", "_uuid"):
            if v.get(parent_key) not in ("", None):
                by_index[f"{parent_key}:{v[parent_key]}"] = ref
        gov_res = places.governorate(v.get("governorate"))
        gov = district = location_id = None
        if not gov_res.ok:
            report.error(row.number, "governorate", gov_res.reason("governorate"))
        else:
            gov = gov_res.place
            if problem := outside(gov):
                report.error(row.number, "governorate", problem)
            if v.get("district"):
                d_res = places.district(v["district"], gov)
                if d_res.ok:
                    district = d_res.place
                else:
                    report.error(row.number, "district", d_res.reason("district"))
            text = str(v.get("location") or "").strip()
            l_res = places.location(text, gov, district)
            if l_res.ok:
                location_id = l_res.place.pk
            elif l_res.ambiguous or not text or PCODE.match(text.upper()):
                report.error(row.number, "location", l_res.reason("location"))
            else:
                key = (gov.pk, district.pk if district else None, names.normalise_name(text))
                if key not in new_locations:
                    new_locations[key] = {
                        "name": text,
                        "governorate": gov,
                        "district": district,
                        "row": row.number,
                    }
                location_id = key
        shelter_id = None
        if v.get("shelter_type"):
            shelter_id = shelters.get(str(v["shelter_type"]).strip()) or shelters.get(
                names.normalise_name(str(v["shelter_type"]))
            )
            if shelter_id is None:
                codes = shelter_types().values_list("code", flat=True)
                report.error(
                    row.number,
                    "shelter_type",
                    unknown_choice("shelter type", v["shelter_type"], codes),
                )
        origin_id = None
        if v.get("origin_governorate"):
            o_res = places.governorate(v["origin_governorate"])
            if o_res.ok:
                origin_id = o_res.place.pk
            else:
                report.error(row.number, "origin_governorate", o_res.reason("governorate"))
        size = tabular.cell_int(report, row, "household_size", required=True, minimum=1)
        registration_date = _date(report, row, "registration_date")
        displacement_date = _date(report, row, "displacement_date")
        birth_date, birth_year = _birth(report, row, "head_birth_date")
        flags = {flag: bool(tabular.cell_bool(report, row, flag)) for flag in FLAGS}
        consent = tabular.cell_bool(report, row, "consent")
        if consent is False:
            report.error(row.number, "consent", NO_CONSENT)
        for when, column in (
            (displacement_date, "displacement_date"),
            (registration_date, "registration_date"),
            (birth_date, "head_birth_date"),
        ):
            if when and when > today:
                report.error(row.number, column, in_the_future(when))
        if not str(v.get("head_first_name_ar") or "").strip():
            report.error(row.number, "head_first_name_ar", _("is required"))
        sex = _choice(report, row, "head_sex", SEX, "sex", "")
        doc = _choice(report, row, "id_doc_type", DOCUMENTS, "document type", "")
        flags = vulnerability.derive_flags(flags, size)
        score, reasons = vulnerability.score(flags, current)
        h_rows.append(
            {
                "household_ref": ref,
                "_location": location_id,
                "governorate_id": gov.pk if gov else None,
                "origin_governorate_id": origin_id,
                "displacement_date": displacement_date,
                "shelter_id": shelter_id,
                "size": size or 1,
                "status": "open",
                "close_reason": "",
                "closed_at": None,
                "consent": True,
                "consent_date": registration_date,
                "consent_by": str(v.get("registered_by") or "")[:150],
                **{f: bool(flags.get(f)) for f in [c.value for c in Criterion]},
                "vulnerability_score": score,
                "vulnerability_reasons": reasons,
                "registration_date": registration_date,
                "registered_team": str(v.get("registered_by") or "")[:150],
                "registered_by_id": None,
                "merged_into_id": None,
                "anonymised_at": None,
                "_head": _member(
                    ref,
                    1,
                    True,
                    "head",
                    [
                        v.get(c)
                        for c in (
                            "head_first_name_ar",
                            "head_father_name_ar",
                            "head_grandfather_name_ar",
                            "head_family_name_ar",
                            "head_name_latin",
                        )
                    ],
                    sex,
                    birth_date,
                    birth_year,
                    doc,
                    v.get("id_doc_number"),
                    v.get("phone"),
                    flags.get("disability"),
                    flags.get("chronic_illness"),
                ),
            }
        )
    m_rows: list[dict] = []
    if members is not None:
        for index, row in enumerate(members.rows, start=len(households.rows)):
            if index % 10_000 == 0:
                progress(index, total, gettext_noop("checking members"))
            v = row.values
            ref = str(v.get("household_ref") or "").strip()
            if not ref:
                for parent_key, own in (
                    ("_parent_index", "_index"),
                    ("_submission__uuid", "_uuid"),
                ):
                    if v.get(parent_key) not in ("", None):
                        ref = by_index.get(f"{own}:{v[parent_key]}", "")
                        if not ref:
                            report.error(
                                row.number,
                                f"members:{parent_key}",
                                NO_HOUSEHOLD_ROW % {"value": v[parent_key]},
                            )
                        break
                else:
                    report.error(row.number, "members:household_ref", _("is required"))
                    continue
                if not ref:
                    continue
            elif ref not in refs:
                report.error(row.number, "members:household_ref", NOT_IN_FILE % {"value": ref})
                continue
            relationship = _choice(
                report, row, "relationship", RELATIONSHIPS, "relationship", "members:"
            )
            if relationship == "head":
                continue  # the head's details come from the household row
            number = tabular.cell_int(
                report, row, "member_no", minimum=1, header="members:member_no"
            )
            birth_date, birth_year = _birth(report, row, "birth_date", "members:")
            m_rows.append(
                _member(
                    ref,
                    number,
                    False,
                    relationship,
                    [v.get(c) for c in NAME_FIELDS],
                    _choice(report, row, "sex", SEX, "sex", "members:"),
                    birth_date,
                    birth_year,
                    _choice(report, row, "id_doc_type", DOCUMENTS, "document type", "members:"),
                    v.get("id_doc_number"),
                    v.get("phone"),
                    tabular.cell_bool(report, row, "disability", header="members:disability"),
                    tabular.cell_bool(
                        report, row, "chronic_illness", header="members:chronic_illness"
                    ),
                )
            )
            m_rows[-1]["_given_no"] = number
        _renumber(m_rows)
    return h_rows, m_rows, report, list(new_locations.items())


def _birth(report: Report, row, column: str, sheet: str = ""):
    raw = str(row.values.get(column) or "").strip()
    if re.fullmatch(r"[0-9٠-٩]{4}", raw):
        year = int(names.to_western_digits(raw))
        if not 1900 <= year <= timezone.localdate().year:
            report.error(
                row.number,
                sheet + column,
                _("%(value)r is not a plausible year of birth") % {"value": raw},
            )
            return None, None
        return None, year
    when = _date(report, row, column, sheet + column)
    return when, when.year if when else None


def _date(report: Report, row, column: str, header: str | None = None):
    """ISO dates (most files) without strptime; anything else as ``tabular.cell_date``."""
    raw = row.values.get(column, "")
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    return tabular.cell_date(report, row, column, header=header)


def _member(
    ref,
    number,
    head,
    relationship,
    parts,
    sex,
    birth_date,
    birth_year,
    doc,
    doc_number,
    phone,
    disability,
    chronic,
) -> dict:
    first, father, grandfather, family, latin = (str(p or "").strip() for p in parts)
    doc_number = str(doc_number or "").strip()
    phone = str(phone or "").strip()
    keys = names.member_keys(first, father, grandfather, family, latin, phone, doc_number)
    return {
        "household_ref": ref,
        "member_no": number,
        "is_head": head,
        "relationship": relationship,
        "first_name_ar": first[:60],
        "father_name_ar": father[:60],
        "grandfather_name_ar": grandfather[:60],
        "family_name_ar": family[:60],
        "name_latin": latin[:150],
        "sex": sex,
        "birth_date": birth_date,
        "birth_year": birth_year,
        "document_type": doc or "none",
        "document_number": doc_number[:40],
        "phone": phone[:30],
        "disability": bool(disability),
        "chronic_illness": bool(chronic),
        **keys,
    }


def _renumber(rows: list[dict]) -> None:
    """Member numbers unique within a household (the head is 1): a member keeps the
    file's number when it is 2 or more and no other member of the household has it; the
    others follow the highest kept number, in file order. ``staging`` applies the same
    rule in SQL."""
    given: dict[str, Counter] = {}
    for row in rows:
        given.setdefault(row["household_ref"], Counter())[row["_given_no"]] += 1
    kept = {
        ref: max([n for n, c in counts.items() if n and n >= 2 and c == 1], default=1)
        for ref, counts in given.items()
    }
    for row in rows:
        number = row.pop("_given_no")
        ref = row["household_ref"]
        if number and number >= 2 and given[ref][number] == 1:
            row["member_no"] = number
        else:
            kept[ref] += 1
            row["member_no"] = kept[ref]


# ------------------------------------------------------------------ the use case


def import_households(
    user,
    source,
    members_source=None,
    *,
    filename: str = "",
    members_filename: str = "",
    progress=None,
    dry_run: bool = False,
) -> Result:
    """Check and (unless ``dry_run``) write a registration file; raises ``ImportFailed``
    (with every problem) or ``TableError`` and then writes nothing."""
    progress = progress or (lambda *a: None)
    file_name = filename or (Path(source).name if not isinstance(source, bytes) else "")

    def audit(n_h: int, n_m: int, n_locations: int) -> None:
        record_bulk(
            user,
            Household,
            "import",
            {"households": n_h, "members": n_m, "new_locations": n_locations, "file": file_name},
            f"imported {n_h} households",
        )

    from amina.registry import staging

    staged = staging.import_staged(
        user,
        source,
        members_source,
        filename=filename,
        members_filename=members_filename,
        progress=progress,
        dry_run=dry_run,
        audit=audit,
    )
    if staged is not None:
        return Result(
            households=staged["households"],
            members=staged["members"],
            new_locations=staged["new_locations"],
        )
    progress(0, None, gettext_noop("reading"))
    households, members = read_files(
        source, members_source, filename=filename, members_filename=members_filename
    )
    progress(0, len(households.rows), gettext_noop("checking"))
    h_rows, m_rows, report, new_locations = check(
        households, members, progress, outside=outside_scope(user)
    )
    if not h_rows and report.ok:
        report.error(None, None, _("the file has no households"))
    existing = _existing_refs([r["household_ref"] for r in h_rows])
    for row, number in zip(h_rows, [r.number for r in households.rows], strict=True):
        if row["household_ref"] in existing:
            report.error(
                number, "household_ref", ALREADY_REGISTERED % {"value": row["household_ref"]}
            )
    if not report.ok:
        raise ImportFailed(report)
    result = Result(warnings=[p.as_dict() for p in report.warnings])
    result.new_locations = [str(info["name"]) for _key, info in new_locations]
    if dry_run:
        result.households, result.members = len(h_rows), len(m_rows) + len(h_rows)
        return result
    with transaction.atomic():
        created = _create_locations(user, new_locations)
        heads = []
        registered_by = getattr(user, "pk", None)
        for row in h_rows:
            row["registered_by_id"] = registered_by
            loc = row.pop("_location")
            row["location_id"] = created[loc] if isinstance(loc, tuple) else loc
            heads.append(row.pop("_head"))
        n_h, n_m = bulk.write(h_rows, heads + m_rows, progress)
        result.households, result.members = n_h, n_m
        audit(n_h, n_m, len(created))
    return result


def _existing_refs(refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 5000):
        found |= set(
            Household.objects.filter(household_ref__in=refs[start : start + 5000]).values_list(
                "household_ref", flat=True
            )
        )
    return found


def _create_locations(user, new_locations) -> dict[tuple, int]:
    """The file's new locations, made by the geography's one service: named as in the
    file, with no coordinates — a household's coordinates are personal data and must
    not become a place on a map everyone sees (issue 12) — and so listed for review."""
    from amina.geo.services import NewLocation, create_locations

    keys = [key for key, _info in new_locations]
    made = create_locations(
        user,
        [
            NewLocation(
                name_en=info["name"],
                governorate_id=info["governorate"].pk,
                district_id=info["district"].pk if info["district"] else None,
            )
            for _key, info in new_locations
        ],
        source="household import",
    )
    return {key: location.pk for key, location in zip(keys, made, strict=True)}


__all__ = ["ImportFailed", "Member", "TableError", "import_households", "read_files"]
