"""The row-by-row check of a registration file (XLSX, files ``COPY`` cannot take, and
every file on SQLite): each cell judged by ``importing_rules``, each row built as a
typed ``HouseholdRow`` or ``MemberRow``, every problem reported with its row and column.

The staged import (``staging``) applies the same rules to each distinct value in SQL;
``test_staging`` imports files both ways and compares what is written and refused.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_noop

from amina.geo.models import Governorate
from amina.lib import tabular
from amina.lib.i18n import Message
from amina.lib.tabular import Report, Row
from amina.registry import names, vulnerability
from amina.registry.importing_rules import (
    DOCUMENTS,
    NAME_FIELDS,
    NO_HOUSEHOLD_ROW,
    NOT_IN_FILE,
    REQUIRED,
    SEX,
    NewKey,
    NewPlace,
    Places,
    Shelters,
    appears_twice,
    birth,
    choice,
    consent,
    date,
    governorate,
    head_first_name,
    member_answers,
    member_number,
    not_in_the_future,
    origin,
    relationship,
    scored_criteria,
)
from amina.registry.models import Criterion

#: The head's name columns on the households sheet, in ``NAME_FIELDS`` order.
HEAD_NAME_COLUMNS = tuple(f"head_{name}" for name in NAME_FIELDS)
#: Every stored criterion, the derived ``large_household`` included.
CRITERIA = [c.value for c in Criterion]


@dataclass(slots=True)
class MemberRow:
    """A person as ``registry_member`` stores them, found by ``household_ref``."""

    household_ref: str
    member_no: int | None
    is_head: bool
    relationship: str
    first_name_ar: str
    father_name_ar: str
    grandfather_name_ar: str
    family_name_ar: str
    name_latin: str
    sex: str
    birth_date: datetime.date | None
    birth_year: int | None
    document_type: str
    document_number: str
    phone: str
    disability: bool
    chronic_illness: bool
    keys: dict[str, str] = field(default_factory=dict)
    #: The number the file gave, before ``renumber``.
    given_no: int | None = None

    @classmethod
    def of(cls, ref: str, number, relationship: str, parts: list, person: dict) -> MemberRow:
        """A person from the file's cells: names stripped and cut to their fields'
        lengths, comparison keys from the whole names (``names.member_keys``)."""
        first, father, grandfather, family, latin = (str(p or "").strip() for p in parts)
        document = str(person["document_number"] or "").strip()
        phone = str(person["phone"] or "").strip()
        # Positional, in the fields' order: a hundred thousand people are built so.
        return cls(
            ref,
            number,
            relationship == "head",
            relationship,
            first[:60],
            father[:60],
            grandfather[:60],
            family[:60],
            latin[:150],
            person["sex"],
            person["birth_date"],
            person["birth_year"],
            person["document_type"] or "none",
            document[:40],
            phone[:30],
            bool(person["disability"]),
            bool(person["chronic"]),
            names.member_keys(first, father, grandfather, family, latin, phone, document),
            number,
        )

    def columns(self) -> dict:
        """The row for ``bulk.write``: column name → value."""
        row = {name: getattr(self, name) for name in MEMBER_FIELDS}
        row.update(self.keys)
        return row


MEMBER_FIELDS = [
    name for name in MemberRow.__dataclass_fields__ if name not in ("keys", "given_no")
]


@dataclass(slots=True)
class HouseholdRow:
    """A household as ``registry_household`` stores it, with its head."""

    number: int
    household_ref: str
    #: A known location's id, a new location's key (``importing_rules.NewKey``), or None.
    location: int | NewKey | None
    governorate_id: int | None
    origin_governorate_id: int | None
    shelter_id: int | None
    size: int
    registration_date: datetime.date | None
    displacement_date: datetime.date | None
    team: str
    criteria: dict[str, bool]
    vulnerability_score: int
    vulnerability_reasons: list
    head: MemberRow

    def columns(self, location_id: int | None, registered_by: int | None) -> dict:
        """The row for ``bulk.write``: column name → value."""
        return {
            "household_ref": self.household_ref,
            "location_id": location_id,
            "governorate_id": self.governorate_id,
            "origin_governorate_id": self.origin_governorate_id,
            "displacement_date": self.displacement_date,
            "shelter_id": self.shelter_id,
            "size": self.size,
            "status": "open",
            "close_reason": "",
            "closed_at": None,
            "consent": True,
            "consent_date": self.registration_date,
            "consent_by": self.team,
            **self.criteria,
            "vulnerability_score": self.vulnerability_score,
            "vulnerability_reasons": self.vulnerability_reasons,
            "registration_date": self.registration_date,
            "registered_team": self.team,
            "registered_by_id": registered_by,
            "merged_into_id": None,
            "anonymised_at": None,
        }


@dataclass
class Checked:
    """A file checked row by row: what to write, what is wrong, which places are new."""

    households: list[HouseholdRow]
    members: list[MemberRow]
    report: Report
    new_locations: list[tuple[NewKey, NewPlace]]


class _Checker:
    """What checking a file remembers from row to row: references seen, places and
    shelters resolved once per distinct value, the current vulnerability weights."""

    def __init__(self, outside: Callable[[Governorate], Message | None]) -> None:
        self.report = Report()
        self.places = Places()
        self.shelters = Shelters()
        self.weights = vulnerability.weights()
        self.outside = outside
        self.refs: dict[str, int] = {}
        self.by_index: dict[str, str] = {}
        self.today = timezone.localdate()

    # .............................................................. households

    def household(self, row: Row) -> HouseholdRow:
        report, v = self.report, row.values
        ref = self._reference(row)
        governorate_id, location = self._place(row)
        shelter_id = self.shelters.judge(report, row)
        origin_id = self._origin(row)
        size = tabular.cell_int(report, row, "household_size", required=True, minimum=1)
        registered = date(report, row, "registration_date")
        displaced = date(report, row, "displacement_date")
        birth_date, birth_year = birth(report, row, "head_birth_date")
        _flags, flags, score, reasons = scored_criteria(report, row, size, self.weights)
        consent(report, row)
        not_in_the_future(report, row, "displacement_date", displaced, self.today)
        not_in_the_future(report, row, "registration_date", registered, self.today)
        not_in_the_future(report, row, "head_birth_date", birth_date, self.today)
        head_first_name(report, row)
        person = {
            "sex": choice(report, row, "head_sex", SEX, "sex", ""),
            "document_type": choice(report, row, "id_doc_type", DOCUMENTS, "document type", ""),
            "birth_date": birth_date,
            "birth_year": birth_year,
            "document_number": v.get("id_doc_number"),
            "phone": v.get("phone"),
        }
        person.update(disability=flags.get("disability"), chronic=flags.get("chronic_illness"))
        team = str(v.get("registered_by") or "")[:150]
        return HouseholdRow(
            number=row.number,
            household_ref=ref,
            location=location,
            governorate_id=governorate_id,
            origin_governorate_id=origin_id,
            shelter_id=shelter_id,
            size=size or 1,
            registration_date=registered,
            displacement_date=displaced,
            team=team,
            criteria={c: bool(flags.get(c)) for c in CRITERIA},
            vulnerability_score=score,
            vulnerability_reasons=reasons,
            head=self._head(ref, row, person),
        )

    def _reference(self, row: Row) -> str:
        """The household's reference, once in the file; KoboToolbox's ``_index`` and
        ``_uuid`` remembered for the repeat group's rows."""
        v = row.values
        ref = str(v.get("household_ref", "")).strip()
        if not ref:
            self.report.error(row.number, "household_ref", REQUIRED)
        elif ref in self.refs:
            self.report.error(row.number, "household_ref", appears_twice(ref, self.refs[ref]))
        else:
            self.refs[ref] = row.number
        for parent_key in ("_index", "_uuid"):
            if v.get(parent_key) not in ("", None):
                self.by_index[f"{parent_key}:{v[parent_key]}"] = ref
        return ref

    def _place(self, row: Row) -> tuple[int | None, int | NewKey | None]:
        """(governorate id, location): the governorate must be known and within the
        importer's scope, on every row."""
        v = row.values
        gov = governorate(self.report, row, self.places, outside=self.outside)
        if gov is None:
            return None, None
        text = str(v.get("location") or "").strip()
        verdict = self.places.place(gov, v.get("district"), text, row.number)
        for column, message in verdict.problems:
            self.report.error(row.number, column, message)
        return gov.pk, verdict.location

    def _origin(self, row: Row) -> int | None:
        found = origin(self.report, row, self.places)
        return found.pk if found else None

    @staticmethod
    def _head(ref: str, row: Row, person: dict) -> MemberRow:
        parts = [row.values.get(c) for c in HEAD_NAME_COLUMNS]
        return MemberRow.of(ref, 1, "head", parts, person)

    # .............................................................. members

    def member(self, row: Row) -> MemberRow | None:
        """A member row, or None when it has no household here or is the head (whose
        details come from the household row)."""
        ref = self._household_of(row)
        if not ref:
            return None
        report = self.report
        relation = relationship(report, row)
        if relation == "head":
            return None
        number = member_number(report, row)
        birth_date, birth_year = birth(report, row, "birth_date", "members:")
        sex, document_type, disability, chronic = member_answers(report, row)
        v = row.values
        person = {
            "sex": sex,
            "document_type": document_type,
            "birth_date": birth_date,
            "birth_year": birth_year,
            "document_number": v.get("id_doc_number"),
            "phone": v.get("phone"),
            "disability": disability,
            "chronic": chronic,
        }
        return MemberRow.of(ref, number, relation, [v.get(c) for c in NAME_FIELDS], person)

    def _household_of(self, row: Row) -> str:
        """The member's household: by reference, or by KoboToolbox's parent index or
        submission uuid; '' (and a problem) when there is none in this file."""
        v = row.values
        ref = str(v.get("household_ref") or "").strip()
        if ref:
            if ref not in self.refs:
                self.report.error(row.number, "members:household_ref", NOT_IN_FILE % {"value": ref})
                return ""
            return ref
        for parent_key, own in (("_parent_index", "_index"), ("_submission__uuid", "_uuid")):
            if v.get(parent_key) not in ("", None):
                ref = self.by_index.get(f"{own}:{v[parent_key]}", "")
                if not ref:
                    self.report.error(
                        row.number,
                        f"members:{parent_key}",
                        NO_HOUSEHOLD_ROW % {"value": v[parent_key]},
                    )
                return ref
        self.report.error(row.number, "members:household_ref", REQUIRED)
        return ""


def check(
    households: tabular.Table,
    members: tabular.Table | None,
    progress: Callable | None = None,
    *,
    outside: Callable[[Governorate], Message | None] = lambda governorate: None,
) -> Checked:
    """Every row checked. ``outside`` names a governorate outside the importer's scope
    (``importing_rules.outside_scope``)."""
    progress = progress or (lambda *a: None)
    checker = _Checker(outside)
    total = len(households.rows) + (len(members.rows) if members is not None else 0)
    h_rows = []
    for index, row in enumerate(households.rows):
        if index % 10_000 == 0:
            progress(index, total, gettext_noop("checking households"))
        h_rows.append(checker.household(row))
    m_rows = []
    for index, row in enumerate(members.rows if members is not None else [], len(h_rows)):
        if index % 10_000 == 0:
            progress(index, total, gettext_noop("checking members"))
        if member := checker.member(row):
            m_rows.append(member)
    renumber(m_rows)
    return Checked(h_rows, m_rows, checker.report, list(checker.places.new.items()))


def renumber(rows: list[MemberRow]) -> None:
    """Member numbers unique within a household (the head is 1): a member keeps the
    file's number when it is 2 or more and no other member of the household has it; the
    others follow the highest kept number, in file order. ``staging`` applies the same
    rule in SQL."""
    given: dict[str, Counter] = {}
    for row in rows:
        given.setdefault(row.household_ref, Counter())[row.given_no] += 1
    kept = {
        ref: max([n for n, c in counts.items() if n and n >= 2 and c == 1], default=1)
        for ref, counts in given.items()
    }
    for row in rows:
        number, ref = row.given_no, row.household_ref
        if number and number >= 2 and given[ref][number] == 1:
            row.member_no = number
        else:
            kept[ref] += 1
            row.member_no = kept[ref]
