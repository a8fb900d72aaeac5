"""What a registration file may hold and how one value is judged: the columns, the
answers each column accepts, the places, the importer's scope, and every problem's
wording.

Both ways of importing use these and nothing else: the row-by-row check
(``importing_rows``) calls them on every cell, the staged import (``staging``) on each
distinct value, so a value gets the same verdict and the same message on both paths.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from amina.accounts import access
from amina.geo.gazetteer import Gazetteer
from amina.geo.models import District, Governorate
from amina.lib import tabular
from amina.lib.i18n import Message, Name
from amina.lib.i18n import gettext_deferred as _
from amina.lib.tabular import Column, Report, Row
from amina.registry import names, vulnerability
from amina.registry.models import Criterion
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


# ------------------------------------------------------------------ messages

#: Problems worded once for both paths.
REQUIRED = _("is required")
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


#: "… is not a known …", one sentence per kind of choice (each reads naturally in Arabic).
UNKNOWN_CHOICE = {
    "sex": _("%(value)r is not a known sex (use one of %(choices)s)"),
    "document type": _("%(value)r is not a known document type (use one of %(choices)s)"),
    "relationship": _("%(value)r is not a known relationship (use one of %(choices)s)"),
    "shelter type": _("%(value)r is not a known shelter type (use one of %(choices)s)"),
}


def unknown_choice(label: str, raw, choices) -> Message:
    return UNKNOWN_CHOICE[label] % {"value": raw, "choices": sorted(choices)}


# ------------------------------------------------------------------ one value


def without_groups(header: list) -> list:
    """KoboToolbox exports with group names write ``group/field`` headers: the fields,
    when any header has that form; otherwise the header as it is."""
    if not any(isinstance(v, str) and re.fullmatch(r"[\w-]+(/[\w-]+)+", v) for v in header):
        return header
    return [v.rsplit("/", 1)[-1] if isinstance(v, str) else v for v in header]


@lru_cache(maxsize=4096)
def _choice_key(raw: str) -> tuple[str, str, str]:
    key = names.normalise_name(raw).replace("_", " ")
    return raw.lower(), key, key.replace(" ", "_")


def choice(report: Report, row: Row, column: str, mapping: dict, label: str, sheet: str) -> str:
    """The stored answer of a choice cell (``SEX``, ``DOCUMENTS``, ``RELATIONSHIPS``),
    however it is spelt; '' and a problem when it is none of them."""
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


def date(report: Report, row: Row, column: str, header: str | None = None):
    """ISO dates (most files) without strptime; anything else as ``tabular.cell_date``."""
    raw = row.values.get(column, "")
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-":
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    return tabular.cell_date(report, row, column, header=header)


def birth(report: Report, row: Row, column: str, sheet: str = "") -> tuple:
    """(date of birth, year of birth): a year alone (``1975``, ``١٩٧٥``) or a date."""
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
    when = date(report, row, column, sheet + column)
    return when, when.year if when else None


def not_in_the_future(report: Report, row: Row, column: str, when, today=None) -> None:
    """A registration, displacement or birth cannot be after today (``today``, when a
    caller checks many rows, is read once)."""
    if when and when > (today or timezone.localdate()):
        report.error(row.number, column, in_the_future(when))


def consent(report: Report, row: Row) -> bool | None:
    """The household's consent: a "no" is refused (an empty cell is not a "no")."""
    value = tabular.cell_bool(report, row, "consent")
    if value is False:
        report.error(row.number, "consent", NO_CONSENT)
    return value


def head_first_name(report: Report, row: Row) -> str:
    """The head's first name, which every household must give."""
    text = str(row.values.get("head_first_name_ar") or "").strip()
    if not text:
        report.error(row.number, "head_first_name_ar", REQUIRED)
    return text


def scored_criteria(
    report: Report, row: Row, size: int | None, weights: dict[str, int]
) -> tuple[dict[str, bool], dict[str, bool], int, list[str]]:
    """(the criteria ticked in the file, the same with those that follow from the
    household's ``size``, the score they make with ``weights``, its reasons)."""
    flags = {flag: bool(tabular.cell_bool(report, row, flag)) for flag in FLAGS}
    derived = vulnerability.derive_flags(flags, size)
    score, reasons = vulnerability.score(derived, weights)
    return flags, derived, score, reasons


def relationship(report: Report, row: Row) -> str:
    """A member's relationship to the head (``RELATIONSHIPS``)."""
    return choice(report, row, "relationship", RELATIONSHIPS, "relationship", "members:")


def member_number(report: Report, row: Row) -> int | None:
    """The number the file gives a member (``importing_rows.renumber`` settles it)."""
    return tabular.cell_int(report, row, "member_no", minimum=1, header="members:member_no")


def member_answers(report: Report, row: Row) -> tuple[str, str, bool, bool]:
    """A member's sex, document type, disability and chronic illness."""
    return (
        choice(report, row, "sex", SEX, "sex", "members:"),
        choice(report, row, "id_doc_type", DOCUMENTS, "document type", "members:"),
        bool(tabular.cell_bool(report, row, "disability", header="members:disability")),
        bool(tabular.cell_bool(report, row, "chronic_illness", header="members:chronic_illness")),
    )


class Shelters:
    """Shelter types by code or English name (normalised), as the DTM lists them."""

    def __init__(self) -> None:
        known = list(shelter_types())
        self.by_name = {s.code: s.pk for s in known}
        self.by_name.update({names.normalise_name(s.name_en): s.pk for s in known})
        self.codes = [s.code for s in known]

    def judge(self, report: Report, row: Row, column: str = "shelter_type") -> int | None:
        raw = row.values.get(column)
        if not raw:
            return None
        text = str(raw)
        found = self.by_name.get(text.strip()) or self.by_name.get(names.normalise_name(text))
        if found is None:
            report.error(row.number, column, unknown_choice("shelter type", raw, self.codes))
        return found


# ------------------------------------------------------------------ places and scope

#: A location not yet known: (governorate id, district id or None, normalised name).
NewKey = tuple[int, int | None, str]


@dataclass
class NewPlace:
    """A location the file names in a known governorate (and district) but the gazetteer
    does not know: created with the import, named as on its first row."""

    name: str
    governorate: Governorate
    district: District | None
    row: int | None = None


@dataclass
class PlaceVerdict:
    district: District | None = None
    #: A known location's id, a new location's key, or None (with a problem).
    location: int | NewKey | None = None
    problems: list[tuple[str, Message]] = field(default_factory=list)


class Places:
    """Resolves the place columns once per distinct value, and collects new locations."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()
        self.cache: dict[tuple, object] = {}
        self.new: dict[NewKey, NewPlace] = {}

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

    def place(self, gov: Governorate, district_text: str, location_text: str, row=None):
        """A row's district and location within its (known) governorate. A location
        named in a valid district but unknown is a new one; an unknown p-code, an
        ambiguous or empty name is a problem."""
        verdict = PlaceVerdict()
        if district_text:
            found = self.district(district_text, gov)
            if found.ok:
                verdict.district = found.place
            else:
                verdict.problems.append(("district", found.reason("district")))
        district = verdict.district
        found = self.location(location_text, gov, district)
        if found.ok:
            verdict.location = found.place.pk
        elif found.ambiguous or not location_text or PCODE.match(location_text.upper()):
            verdict.problems.append(("location", found.reason("location")))
        else:
            key = (gov.pk, district.pk if district else None, names.normalise_name(location_text))
            self.new.setdefault(key, NewPlace(location_text, gov, district, row))
            verdict.location = key
        return verdict


def governorate(
    report: Report,
    row: Row,
    places: Places,
    column: str = "governorate",
    outside: Callable[[Governorate], Message | None] | None = None,
) -> Governorate | None:
    """A governorate cell: one the gazetteer knows and, with ``outside``
    (``outside_scope``), one the importer may write to; None and a problem otherwise."""
    found = places.governorate(row.values.get(column))
    if not found.ok:
        report.error(row.number, column, found.reason("governorate"))
        return None
    if outside and (problem := outside(found.place)):
        report.error(row.number, column, problem)
    return found.place


def origin(report: Report, row: Row, places: Places) -> Governorate | None:
    """The governorate of origin: optional (an empty cell is no problem), else known."""
    if not row.values.get("origin_governorate"):
        return None
    return governorate(report, row, places, "origin_governorate")


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
