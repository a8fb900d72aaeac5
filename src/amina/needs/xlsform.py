"""The needs-assessment form as an XLSForm for KoboToolbox and ODK Collect.

The same questions as the web form, with English, Arabic and Central Kurdish labels (a
team in the Kurdistan Region switches the phone to Kurdish), the governorates and
MCOF sectors as choice lists, one severity question per sector (no repeat group, so
KoboToolbox exports stay one row per submission) and three ranked priority needs that
must name different sectors. The form records when, on which device and by whom it was
filled (``start``, ``end``, ``today``, ``deviceid``, ``username``).

The locations are not inlined: a national list has thousands, which makes the form slow
to open on a phone. They come in a CSV attached to the form (``select_one_from_file
locations.csv``) whose ``name`` is the location's stable code (``geo.codes``), so a form
already on phones keeps meaning the same places after a rebuild of the database.

``FIELDS`` names every question and the group it sits in; the importer matches export
columns by these names, so the form and the importer cannot drift apart. Every form is
checked with pyxform (and ODK Validate when Java is there) before anyone gets it.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from amina.geo.models import Governorate, Location
from amina.needs.models import Phase, Sector
from amina.needs.severity import SCALE

FORM_ID = "amina_needs"
EN, AR, CKB = "English (en)", "Arabic (ar)", "Kurdish (ckb)"
#: The attachment with the locations; its name is part of the form (``jr://file-csv/…``).
LOCATIONS_FILE = "locations.csv"
#: The metadata every submission records (no label: the phone fills them in).
METADATA = ("start", "end", "today", "deviceid", "username")

# (group, field name): the columns an export of this form carries.
GENERAL = "general"
SEVERITY = "severity"
PRIORITIES = "priorities"
CLOSING = "closing"


def severity_field(code: int) -> str:
    return f"sev_{code}"


def location_code(location: Location) -> str:
    """The choice name of a location: its stable code (``geo.codes``), never a database id."""
    return location.code


def fields(sector_codes: Iterable[int]) -> dict[str, str]:
    """Field name → group of every question of the form (what an export's columns are)."""
    names = {
        name: GENERAL
        for name in (
            "governorate",
            "location",
            "assessed_on",
            "team",
            "ki_count",
            "ki_description",
            "population",
            "phase",
        )
    }
    names.update({severity_field(code): SEVERITY for code in sector_codes})
    for rank in (1, 2, 3):
        names[f"priority_{rank}"] = PRIORITIES
        names[f"priority_{rank}_text"] = PRIORITIES
    names.update({"access_constraints": CLOSING, "notes": CLOSING})
    return names


SURVEY_HEADER = [
    "type",
    "name",
    f"label::{EN}",
    f"label::{AR}",
    f"label::{CKB}",
    f"hint::{EN}",
    f"hint::{AR}",
    f"hint::{CKB}",
    "required",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{AR}",
    f"constraint_message::{CKB}",
    "relevant",
    "choice_filter",
    "appearance",
]
CHOICES_HEADER = ["list_name", "name", f"label::{EN}", f"label::{AR}", f"label::{CKB}"]

#: The form's own words in Central Kurdish, by their English (names of sectors, phases,
#: places and severity levels come from the records' Kurdish names); the terms follow
#: ``docs/glossary.md``.
KURDISH = {
    "Assessment": "هەڵسەنگاندن",
    "Governorate": "پارێزگا",
    "Location": "شوێن",
    "Date of assessment": "بەرواری هەڵسەنگاندن",
    "The date cannot be in the future.": "بەروار ناتوانێت لە داهاتوودا بێت.",
    "Team": "تیم",
    "Number of key informants": "ژمارەی سەرچاوە سەرەکییەکانی زانیاری",
    "Between 0 and 200.": "لە نێوان 0 و 200دا.",
    "Key informants (roles only)": "سەرچاوە سەرەکییەکانی زانیاری (تەنها پێگەکانیان)",
    "For example: mukhtar, school director. Do not write names.": (
        "بۆ نموونە: موختار، بەڕێوەبەری قوتابخانە. ناو مەنووسە."
    ),
    "Population covered (individuals)": "دانیشتووانی گیراوەتەوە (تاک)",
    "Leave empty to use the latest displacement tracking figure.": (
        "بە بەتاڵی جێی بهێڵە بۆ بەکارهێنانی دوایین ژمارەی بەدواداچوونی ئاوارەبوون."
    ),
    "Cannot be negative.": "ناتوانێت نەرێنی بێت.",
    "MCOF phase": "قۆناغی MCOF",
    "Severity of need per sector": "توندیی پێداویستی بەپێی کەرت",
    "Priority needs, in order": "پێداویستییە لەپێشینەکان، بە ڕیز",
    "Choose a sector not already ranked.": "کەرتێک هەڵبژێرە کە پێشتر ڕیز نەکرابێت.",
    "First priority need": "یەکەم پێداویستیی لەپێشینە",
    "Second priority need": "دووەم پێداویستیی لەپێشینە",
    "Third priority need": "سێیەم پێداویستیی لەپێشینە",
    "What exactly?": "بە وردی چییە؟",
    "Access and notes": "دەستڕاگەیشتن و تێبینییەکان",
    "Access constraints": "ڕێگرییەکانی دەستڕاگەیشتن",
    "Notes": "تێبینییەکان",
}


def _q(type_, name, en="", ar="", ckb="", **extra) -> dict:
    return {
        "type": type_,
        "name": name,
        f"label::{EN}": en,
        f"label::{AR}": ar,
        f"label::{CKB}": ckb or KURDISH.get(en, ar) if en else "",
        **extra,
    }


def _with_kurdish(row: dict) -> dict:
    """A hint or a constraint message in Kurdish beside its English and Arabic."""
    for column in ("hint", "constraint_message"):
        english = row.get(f"{column}::{EN}")
        if english and f"{column}::{CKB}" not in row:
            row[f"{column}::{CKB}"] = KURDISH.get(english) or row.get(f"{column}::{AR}", "")
    return row


def survey_rows(sectors: list[Sector]) -> list[dict]:
    """The survey sheet: the metadata, then one group per part of the form, in the order a
    team fills it in; every hint and constraint message in Kurdish too."""
    rows = [
        *(_q(name, name) for name in METADATA),
        *_general_rows(),
        *_severity_rows(sectors),
        *_priority_rows(),
        *_closing_rows(),
    ]
    return [_with_kurdish(row) for row in rows]


def _general_rows() -> list[dict]:
    """Where, when, by whom and with how many key informants the assessment was made."""
    return [
        _q("begin_group", GENERAL, "Assessment", "التقييم"),
        _q("select_one governorate", "governorate", "Governorate", "المحافظة", required="yes"),
        _q(
            f"select_one_from_file {LOCATIONS_FILE}",
            "location",
            "Location",
            "الموقع",
            required="yes",
            choice_filter="governorate=${governorate}",
            appearance="minimal",
        ),
        _q(
            "date",
            "assessed_on",
            "Date of assessment",
            "تاريخ التقييم",
            required="yes",
            constraint=". <= today()",
            **{
                f"constraint_message::{EN}": "The date cannot be in the future.",
                f"constraint_message::{AR}": "لا يمكن أن يكون التاريخ في المستقبل.",
            },
        ),
        _q("text", "team", "Team", "الفريق", required="yes"),
        *_informant_rows(),
        _q("select_one phase", "phase", "MCOF phase", "مرحلة إطار عمليات الأزمات المتعلقة بالهجرة"),
        _q("end_group", ""),
    ]


def _informant_rows() -> list[dict]:
    """The key informants (how many, their roles: never their names) and the population."""
    return [
        _q(
            "integer",
            "ki_count",
            "Number of key informants",
            "عدد مصادر المعلومات الرئيسية",
            required="yes",
            constraint=". >= 0 and . <= 200",
            **{
                f"constraint_message::{EN}": "Between 0 and 200.",
                f"constraint_message::{AR}": "بين 0 و200.",
            },
        ),
        _q(
            "text",
            "ki_description",
            "Key informants (roles only)",
            "مصادر المعلومات الرئيسية (الصفات فقط)",
            **{
                f"hint::{EN}": "For example: mukhtar, school director. Do not write names.",
                f"hint::{AR}": "مثلاً: المختار، مدير المدرسة. لا تكتب الأسماء.",
            },
        ),
        _q(
            "integer",
            "population",
            "Population covered (individuals)",
            "السكان المشمولون (أفراد)",
            constraint=". >= 0",
            **{
                f"hint::{EN}": "Leave empty to use the latest displacement tracking figure.",
                f"hint::{AR}": "اتركه فارغاً لاستخدام آخر رقم من تتبع النزوح.",
                f"constraint_message::{EN}": "Cannot be negative.",
                f"constraint_message::{AR}": "لا يمكن أن يكون سالباً.",
            },
        ),
    ]


def _severity_rows(sectors: list[Sector]) -> list[dict]:
    """One severity question per sector, in a group whose hint recalls the scale: no
    repeat group, so an export stays one row per submission."""
    group = _q(
        "begin_group",
        SEVERITY,
        "Severity of need per sector",
        "شدة الاحتياج حسب القطاع",
        **{
            f"hint::{EN}": "1 none or minimal · 2 stressed · 3 severe · 4 extreme · "
            "5 catastrophic. "
            "Leave a sector empty if it was not assessed.",
            f"hint::{AR}": "1 لا توجد أو طفيفة · 2 ضغط · 3 شديدة · 4 حادة جداً · 5 كارثية. "
            "اترك القطاع فارغاً إن لم يُقيَّم.",
            f"hint::{CKB}": " · ".join(f"{lv.value} {lv.label_ckb}" for lv in SCALE)
            + ". ئەگەر کەرتێک هەڵنەسەنگێنرا، بە بەتاڵی جێی بهێڵە.",
        },
    )
    questions = [
        _q(
            "select_one severity",
            severity_field(sector.code),
            f"{sector.code}. {sector.name_en}",
            f"{sector.code}. {sector.name_ar}",
            f"{sector.code}. {sector.name_ckb or sector.name_ar}",
        )
        for sector in sectors
    ]
    return [group, *questions, _q("end_group", "")]


def _priority_rows() -> list[dict]:
    """Three ranked priority needs, each a sector not ranked before, each asked only once
    the one before it is answered, each with what exactly is needed."""
    rows = [
        _q(
            "begin_group",
            PRIORITIES,
            "Priority needs, in order",
            "الاحتياجات ذات الأولوية بالترتيب",
        )
    ]
    ordinals = [("First", "الأولى"), ("Second", "الثانية"), ("Third", "الثالثة")]
    for rank, (en, ar) in enumerate(ordinals, start=1):
        rows.append(
            _q(
                "select_one sector",
                f"priority_{rank}",
                f"{en} priority need",
                f"الحاجة ذات الأولوية {ar}",
                required="yes" if rank == 1 else "",
                **_priority_rules(rank),
            )
        )
        rows.append(
            _q(
                "text",
                f"priority_{rank}_text",
                "What exactly?",
                "ما هي تحديداً؟",
                relevant=f"${{priority_{rank}}} != ''",
            )
        )
    rows.append(_q("end_group", ""))
    return rows


def _priority_rules(rank: int) -> dict:
    """The constraint (a sector not ranked before) and relevance (the previous rank is
    answered) of the priority need of ``rank``."""
    previous = [f"${{priority_{r}}}" for r in range(1, rank)]
    constraint = " and ".join(f". != {p}" for p in previous)
    extra = {}
    if constraint:
        extra = {
            "constraint": constraint,
            f"constraint_message::{EN}": "Choose a sector not already ranked.",
            f"constraint_message::{AR}": "اختر قطاعاً لم يُرتَّب من قبل.",
        }
    if rank > 1:
        extra["relevant"] = f"${{priority_{rank - 1}}} != ''"
    return extra


def _closing_rows() -> list[dict]:
    """Access constraints and free notes."""
    return [
        _q("begin_group", CLOSING, "Access and notes", "الوصول والملاحظات"),
        _q(
            "text",
            "access_constraints",
            "Access constraints",
            "معوقات الوصول",
            appearance="multiline",
        ),
        _q("text", "notes", "Notes", "ملاحظات", appearance="multiline"),
        _q("end_group", ""),
    ]


def choice_rows(
    governorates: list[Governorate], sectors: list[Sector], phases: list[Phase]
) -> list[dict]:
    rows: list[dict] = []
    for level in SCALE:
        rows.append(
            {
                "list_name": "severity",
                "name": str(level.value),
                f"label::{EN}": f"{level.value} – {level.label_en}: {level.meaning_en}",
                f"label::{AR}": f"{level.value} – {level.label_ar}: {level.meaning_ar}",
                f"label::{CKB}": f"{level.value} – {level.label_ckb}: {level.meaning_ckb}",
            }
        )
    for sector in sectors:
        rows.append(
            {
                "list_name": "sector",
                "name": str(sector.code),
                f"label::{EN}": f"{sector.code}. {sector.name_en}",
                f"label::{AR}": f"{sector.code}. {sector.name_ar}",
                f"label::{CKB}": f"{sector.code}. {sector.name_ckb or sector.name_ar}",
            }
        )
    for phase in phases:
        rows.append(
            {
                "list_name": "phase",
                "name": phase.code,
                f"label::{EN}": phase.name_en,
                f"label::{AR}": phase.name_ar,
                f"label::{CKB}": phase.name_ckb or phase.name_ar,
            }
        )
    for gov in governorates:
        rows.append(
            {
                "list_name": "governorate",
                "name": gov.pcode,
                f"label::{EN}": gov.name_en,
                f"label::{AR}": gov.name_ar or gov.name_en,
                f"label::{CKB}": gov.name_ckb or gov.name_ar or gov.name_en,
            }
        )
    return rows


LOCATION_HEADER = [
    "name",
    "label",
    f"label::{EN}",
    f"label::{AR}",
    f"label::{CKB}",
    "governorate",
]


def location_rows(locations: list[Location]) -> list[dict]:
    """The attached choice list: stable code, labels in every language (with the district,
    as several villages share a name) and the governorate that filters it."""
    from amina.lib.exports import neutralise

    rows = []
    for loc in locations:
        district_en = loc.district.name_en if loc.district_id else ""
        district_ar = (loc.district.name_ar or district_en) if loc.district_id else ""
        label_en = f"{loc.name_en} ({district_en})" if district_en else loc.name_en
        name_ar = loc.name_ar or loc.name_en
        label_ar = f"{name_ar} ({district_ar})" if district_ar else name_ar
        district_ckb = (loc.district.name_ckb or district_ar) if loc.district_id else ""
        name_ckb = loc.name_ckb or name_ar
        label_ckb = f"{name_ckb} ({district_ckb})" if district_ckb else name_ckb
        rows.append(
            {
                "name": loc.code,
                # A spreadsheet may open this file too: no label may be a formula.
                "label": neutralise(label_en),
                f"label::{EN}": neutralise(label_en),
                f"label::{AR}": neutralise(label_ar),
                f"label::{CKB}": neutralise(label_ckb),
                "governorate": loc.governorate.pcode,
            }
        )
    return rows


@dataclass
class FieldForm:
    """The XLSForm and the locations CSV to attach to it (both are needed)."""

    xlsx: bytes
    locations_csv: bytes
    warnings: list[str]

    def zip(self, basename: str = "amina-needs-form") -> bytes:
        """Both files in one archive, for a single download."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{basename}.xlsx", self.xlsx)
            archive.writestr(LOCATIONS_FILE, self.locations_csv)
        return out.getvalue()


class FormInvalid(ValueError):
    """pyxform or ODK Validate refused the generated form (a bug: never hand it out)."""


def odk_validate_available() -> bool:
    """ODK Validate needs Java and the jar pyxform ships; without them only pyxform checks."""
    from pyxform.validators import odk_validate

    return shutil.which("java") is not None and odk_validate.install_exists()


def check_form(xlsx: bytes, *, odk_validate: bool = False) -> list[str]:
    """Convert the form with pyxform (and run ODK Validate when asked and available);
    the warnings, or ``FormInvalid`` with the converter's reason."""
    from pyxform.errors import PyXFormError
    from pyxform.validators.odk_validate import ODKValidateError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    validate = odk_validate and odk_validate_available()
    try:
        convert(xlsx, warnings=warnings, validate=validate, file_type=".xlsx")
    except (PyXFormError, ODKValidateError) as exc:
        raise FormInvalid(f"the generated form is not valid: {exc}") from None
    return warnings


def build_form(governorates: Iterable[Governorate], *, odk_validate: bool = False) -> FieldForm:
    """The checked XLSForm and its locations CSV for these governorates' locations."""
    governorates = sorted(governorates, key=lambda g: g.pcode)
    locations = list(
        Location.objects.filter(governorate__in=[g.pk for g in governorates])
        .select_related("district", "governorate")
        .order_by("governorate__pcode", "name_en", "pk")
    )
    if not locations:
        raise ValueError("no location in these governorates: the form needs at least one")
    used = {loc.governorate_id for loc in locations}
    governorates = [g for g in governorates if g.pk in used]
    xlsx = _workbook(governorates)
    warnings = check_form(xlsx, odk_validate=odk_validate)
    text = io.StringIO()
    writer = csv.DictWriter(text, LOCATION_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(location_rows(locations))
    # Plain UTF-8 without a BOM: ODK Collect would read a BOM as part of "name".
    return FieldForm(xlsx, text.getvalue().encode("utf-8"), warnings)


def build_xlsform(governorates: Iterable[Governorate]) -> bytes:
    """The XLSForm alone (its locations CSV: ``build_form(...).locations_csv``)."""
    return build_form(governorates).xlsx


def _workbook(governorates: list[Governorate]) -> bytes:
    """The XLSForm (survey, choices and settings sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from amina.lib.exports import xlsx_row

    sectors = list(Sector.objects.order_by("code"))
    phases = list(Phase.objects.order_by("order"))
    workbook = Workbook()
    sheets = [
        ("survey", SURVEY_HEADER, survey_rows(sectors)),
        ("choices", CHOICES_HEADER, choice_rows(governorates, sectors, phases)),
        (
            "settings",
            ["form_title", "form_id", "version", "default_language", "instance_name"],
            [
                {
                    "form_title": "Amina needs assessment · تقييم الاحتياجات"
                    " · هەڵسەنگاندنی پێداویستییەکان",
                    "form_id": FORM_ID,
                    "version": timezone.now().strftime("%Y%m%d%H%M"),
                    "default_language": EN,
                    "instance_name": "concat(${location}, '-', ${assessed_on})",
                }
            ],
        ),
    ]
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # String cells, never formulas: place names come from users (issue 12).
            sheet.append(xlsx_row(sheet, [row.get(column, "") for column in header]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
