"""Checking a master list's rows, one at a time, into typed rows (``DtmRow``).

Every problem is recorded with its row, its column (as headed in the file) and the reason,
in the order a person reads them: the place first (governorate, district, which location),
then the numbers, then whether they agree. A row with an error is not kept; the import
writes nothing unless no row has one. The common cells (plain numbers, empty breakdown
cells) are read without the general parsers, which are kept for anything unusual so that
the messages are theirs.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from amina.lib import tabular
from amina.lib.arabic import to_western_digits
from amina.lib.i18n import Name
from amina.lib.i18n import gettext_deferred as _
from amina.tracking.importing.columns import BREAKDOWNS, GroupColumns
from amina.tracking.importing.places import DtmPlaces
from amina.tracking.models import Round


@dataclass
class DtmRow:
    """One clean row of a master list: a location's figures for the round."""

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


@dataclass
class _Place:
    """Where a row is: its governorate, district (None: kept for review) and location
    (None: a new one)."""

    place_id: str
    governorate: object
    district: object | None
    name_en: str
    name_ar: str
    location_id: int | None


@dataclass
class _Figures:
    """A row's numbers as read; ``breakdowns`` in the order of ``BREAKDOWNS``."""

    lat: float | None
    lon: float | None
    families: int | None
    individuals: int | None
    breakdowns: list[dict[int, int]]


def _getter(names: list[str]):
    """The values of ``names`` from a row's values, as a sequence, in one call."""
    if not names:
        return lambda _values: ()
    if len(names) == 1:
        return lambda values: (values[names[0]],)
    return itemgetter(*names)


def _place_id(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_western_digits(str(value)).strip()


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


class RowChecker:
    """Checks the rows of one table against the known places and the round's multipliers."""

    def __init__(
        self,
        table: tabular.Table,
        result: DtmParse,
        places: DtmPlaces,
        groups: GroupColumns,
        round_stub: Round,
        camp_id: int | None,
    ) -> None:
        self.result, self.report, self.places = result, result.report, places
        self.round_stub, self.camp_id = round_stub, camp_id
        self.header = table.mapping.get
        self.where = self.header("place_id") or self.header("name_en")
        self.seen: dict[object, int] = {}
        # Only the breakdown columns the file has: their names, and for each the
        # breakdown it belongs to (its position in ``BREAKDOWNS``) and the row id it counts.
        self.cells = [
            (name, index, pk)
            for index, which in enumerate(BREAKDOWNS)
            for name, pk in groups.ids[which].items()
            if name in table.mapping
        ]
        self.cell_values = _getter([name for name, _index, _pk in self.cells])

    def _erred(self, since: int) -> bool:
        """Whether an error was recorded after problem number ``since`` (this row's)."""
        return any(p.level == "error" for p in self.report.problems[since:])

    def check(self, row: tabular.Row) -> DtmRow | None:
        """The row as a ``DtmRow``, or None with its errors in the report."""
        since = len(self.report.problems)
        place = self._place(row)
        if place is None:
            return None
        figures = self._figures(row)
        if self._erred(since) or figures.families is None:
            return None
        individuals = self._individuals(row, figures)
        if individuals is None:
            return None
        self._sums(row, figures)
        if self._erred(since):
            return None
        gov = place.governorate
        if place.location_id is None:
            self.report.warning(
                row.number,
                self.where,
                _("new location %(name)r will be created in %(governorate)s")
                % {"name": place.name_en or place.name_ar, "governorate": Name.of(gov)},
            )
        origins, shelters, periods = figures.breakdowns
        return DtmRow(
            number=row.number,
            place_id=place.place_id,
            governorate_id=gov.pk,
            district_id=place.district.pk if place.district else None,
            name_en=place.name_en or place.name_ar,
            name_ar=place.name_ar,
            lat=figures.lat,
            lon=figures.lon,
            families=figures.families,
            individuals=individuals,
            origins=origins,
            shelters=shelters,
            periods=periods,
            location_id=place.location_id,
        )

    # ------------------------------------------------------------------ the place

    def _place(self, row: tabular.Row) -> _Place | None:
        """Governorate, district and location; None (with the error) when it cannot be."""
        gov_text = str(row.values.get("governorate", "")).strip()
        gov_res = self.places.governorate(gov_text)
        if not gov_res.ok:
            self.report.error(row.number, self.header("governorate"), gov_res.reason("governorate"))
            return None
        gov = gov_res.place
        district = self._district(row, gov)
        place_id = _place_id(row.values.get("place_id", ""))
        name_en = str(row.values.get("name_en", "")).strip()
        name_ar = str(row.values.get("name_ar", "")).strip()
        if not (place_id or name_en or name_ar):
            self.report.error(
                row.number, self.where, _("the row has neither a place id nor a location name")
            )
            return None
        if place_id:
            location_id = self.places.by_place_id(place_id)
        else:
            location_id = self.places.by_name((name_en, name_ar), gov, district)
        place = _Place(place_id, gov, district, name_en, name_ar, location_id)
        if not self._in_governorate(row, place, gov_text) or not self._first(row, place):
            return None
        return place

    def _district(self, row: tabular.Row, gov):
        """The district, or None: an unknown one is a warning (kept for review)."""
        text = str(row.values.get("district", "")).strip()
        if not text:
            return None
        res = self.places.district(text, gov)
        if res.ok:
            return res.place
        self.result.unmatched_districts[(gov.name_en, text)] += 1
        self.report.warning(
            row.number,
            self.header("district"),
            _(
                "%(reason)s in %(governorate)s: the location is kept under the "
                "governorate and listed for review"
            )
            % {"reason": res.reason("district"), "governorate": Name.of(gov)},
        )
        return None

    def _in_governorate(self, row: tabular.Row, place: _Place, gov_text: str) -> bool:
        """A known location must be in the governorate the row names."""
        if place.location_id is None:
            return True
        if self.places.parent[place.location_id][0] == place.governorate.pk:
            return True
        self.report.error(
            row.number,
            self.header("governorate"),
            _(
                "place %(place)r is recorded in another governorate than "
                "%(governorate)r; correct the file or the location first"
            )
            % {"place": place.place_id or place.name_en, "governorate": gov_text},
        )
        return False

    def _first(self, row: tabular.Row, place: _Place) -> bool:
        """A location appears once in a list: a second row for it is refused."""
        identity = (
            place.location_id
            or place.place_id
            or (place.governorate.pk, place.name_en or place.name_ar)
        )
        if identity in self.seen:
            self.report.error(
                row.number,
                self.where,
                _("the same location is already on row %(row)s")
                % {"row": str(self.seen[identity])},
            )
            return False
        self.seen[identity] = row.number
        return True

    # ------------------------------------------------------------------ the numbers

    def _figures(self, row: tabular.Row) -> _Figures:
        """Coordinates, families, individuals and the breakdowns, errors recorded."""
        return _Figures(
            lat=self._coordinate(row, "latitude", 90),
            lon=self._coordinate(row, "longitude", 180),
            families=self._count(row, "families", required=True),
            individuals=self._count(row, "individuals"),
            breakdowns=self._breakdowns(row),
        )

    def _coordinate(self, row: tabular.Row, column: str, limit: int) -> float | None:
        """A plain decimal within ±``limit`` directly; anything else as ``cell_float`` says."""
        raw = row.values.get(column, "")
        if raw and type(raw) is str and raw.isascii() and "," not in raw:
            try:
                value = float(raw)
            except ValueError:
                value = None
            if value is not None and math.isfinite(value) and -limit <= value <= limit:
                return value
        return tabular.cell_float(
            self.report, row, column, header=self.header(column), minimum=-limit, maximum=limit
        )

    def _count(self, row: tabular.Row, column: str, *, required: bool = False) -> int | None:
        """A whole number: up to nine plain digits directly, anything else by ``cell_int``."""
        raw = row.values.get(column, "")
        if type(raw) is str and raw.isascii() and raw.isdigit() and len(raw) <= 9:
            return int(raw)
        return tabular.cell_int(
            self.report, row, column, required=required, header=self.header(column)
        )

    def _breakdowns(self, row: tabular.Row) -> list[dict[int, int]]:
        """The three breakdowns' non-zero cells, each as row id → families. Most cells
        are empty: they are passed over in one sweep, the others read one by one."""
        out: list[dict[int, int]] = [{}, {}, {}]
        given = [
            (cell, raw)
            for cell, raw in zip(self.cells, self.cell_values(row.values), strict=True)
            if raw != "" and raw is not None
        ]
        for (name, index, pk), raw in given:
            if type(raw) is str and raw.isascii() and raw.isdigit():
                n = int(raw)
            elif type(raw) is int and raw >= 0:
                n = raw
            else:
                n = tabular.cell_int(self.report, row, name, header=self.header(name))
            if n:
                out[index][pk] = n
        return out

    def _individuals(self, row: tabular.Row, figures: _Figures) -> int | None:
        """Individuals as given, or estimated from families (camp families at the camp
        multiplier); fewer individuals than families is an error, a mean family size
        above 15 a warning."""
        families, individuals = figures.families, figures.individuals
        if individuals is None:
            camp = figures.breakdowns[1].get(self.camp_id, 0)
            individuals = self.round_stub.individuals_for(families, camp)
        if individuals < families:
            self.report.error(
                row.number,
                self.header("individuals"),
                _("%(individuals)s individuals are fewer than %(families)s families")
                % {"individuals": individuals, "families": families},
            )
            return None
        if families >= 5 and individuals > 15 * families:
            self.report.warning(
                row.number,
                self.header("individuals"),
                _("a mean family size of %(size)s is unusual")
                % {"size": f"{individuals / families:.1f}"},
            )
        return individuals

    def _sums(self, row: tabular.Row, figures: _Figures) -> None:
        """Each breakdown given must add up to the families. The sentence is made only
        for one that does not: three messages per row cost more than the row's checks."""
        for which, values in zip(BREAKDOWNS, figures.breakdowns, strict=True):
            if values and sum(values.values()) != figures.families:
                self.report.error(
                    row.number,
                    self.header("families"),
                    _breakdown_sentence(which)
                    % {"sum": sum(values.values()), "families": figures.families},
                )
