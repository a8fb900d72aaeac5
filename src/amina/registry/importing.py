"""Importing registration lists: Amina's template (XLSX with ``households`` and
``members`` sheets, or two CSV files) and KoboToolbox/ODK exports (a households sheet
and a repeat-group sheet joined by ``_index``/``_parent_index`` or
``_uuid``/``_submission__uuid``).

All-or-nothing: every row is checked first and every problem is reported with its row
and column; only a clean file is written (through ``bulk.write``, COPY on PostgreSQL).
A CSV file on PostgreSQL takes the staged path (``staging``); everything else is read
here and checked row by row (``importing_rows``), by the same rules
(``importing_rules``).
Names get their comparison keys from ``amina.registry.names`` on the way in. A location
named in a valid district but not yet known is created (and listed as a warning); an
unknown p-code is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_noop

from amina.audit.services import record_bulk
from amina.lib import tabular
from amina.lib.i18n import gettext_deferred as _
from amina.lib.tabular import ImportFailed, TableError
from amina.registry import bulk
from amina.registry.importing_rows import Checked, check
from amina.registry.importing_rules import (
    ALREADY_REGISTERED,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    NewKey,
    NewPlace,
    outside_scope,
    without_groups,
)
from amina.registry.models import Household, Member


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


# ------------------------------------------------------------------ the use case


def import_households(
    user,
    source,
    members_source=None,
    *,
    filename: str = "",
    members_filename: str = "",
    progress: Callable | None = None,
    dry_run: bool = False,
) -> Result:
    """Check and (unless ``dry_run``) write a registration file; raises ``ImportFailed``
    (with every problem) or ``TableError`` and then writes nothing."""
    from amina.registry import staging

    progress = progress or (lambda *a: None)
    audit = _audit(user, filename or (Path(source).name if not isinstance(source, bytes) else ""))
    names = {"filename": filename, "members_filename": members_filename}
    staged = staging.import_staged(
        user, source, members_source, **names, progress=progress, dry_run=dry_run, audit=audit
    )
    if staged is not None:
        return Result(staged["households"], staged["members"], staged["new_locations"])
    checked = _checked(user, source, members_source, names, progress)
    result = Result(warnings=[p.as_dict() for p in checked.report.warnings])
    result.new_locations = [str(place.name) for _key, place in checked.new_locations]
    if dry_run:
        result.households = len(checked.households)
        result.members = len(checked.members) + len(checked.households)
        return result
    with transaction.atomic():
        result.households, result.members = _write(user, checked, progress, audit)
    return result


def _audit(user, file_name: str) -> Callable[[int, int, int], None]:
    """The import's one audit row, written in its transaction."""

    def audit(n_h: int, n_m: int, n_locations: int) -> None:
        record_bulk(
            user,
            Household,
            "import",
            {"households": n_h, "members": n_m, "new_locations": n_locations, "file": file_name},
            f"imported {n_h} households",
        )

    return audit


def _checked(user, source, members_source, names: dict, progress: Callable) -> Checked:
    """The file read and checked row by row; ``ImportFailed`` with every problem."""
    progress(0, None, gettext_noop("reading"))
    households, members = read_files(source, members_source, **names)
    progress(0, len(households.rows), gettext_noop("checking"))
    checked = check(households, members, progress, outside=outside_scope(user))
    report = checked.report
    if not checked.households and report.ok:
        report.error(None, None, _("the file has no households"))
    existing = _existing_refs([h.household_ref for h in checked.households])
    for row in checked.households:
        if row.household_ref in existing:
            report.error(
                row.number, "household_ref", ALREADY_REGISTERED % {"value": row.household_ref}
            )
    if not report.ok:
        raise ImportFailed(report)
    return checked


def _write(user, checked: Checked, progress: Callable, audit: Callable) -> tuple[int, int]:
    """New locations, then every household, head and member (``bulk.write``)."""
    created = _create_locations(user, checked.new_locations)
    registered_by = getattr(user, "pk", None)
    households, heads = [], []
    for row in checked.households:
        location = created[row.location] if isinstance(row.location, tuple) else row.location
        households.append(row.columns(location, registered_by))
        heads.append(row.head.columns())
    members = heads + [m.columns() for m in checked.members]
    n_h, n_m = bulk.write(households, members, progress)
    audit(n_h, n_m, len(created))
    return n_h, n_m


def _existing_refs(refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 5000):
        found |= set(
            Household.objects.filter(household_ref__in=refs[start : start + 5000]).values_list(
                "household_ref", flat=True
            )
        )
    return found


def _create_locations(user, new_locations: list[tuple[NewKey, NewPlace]]) -> dict[NewKey, int]:
    """The file's new locations, made by the geography's one service: named as in the
    file, with no coordinates — a household's coordinates are personal data and must
    not become a place on a map everyone sees (issue 12) — and so listed for review."""
    from amina.geo.services import NewLocation, create_locations

    made = create_locations(
        user,
        [
            NewLocation(
                name_en=place.name,
                governorate_id=place.governorate.pk,
                district_id=place.district.pk if place.district else None,
            )
            for _key, place in new_locations
        ],
        source="household import",
    )
    return {key: location.pk for (key, _place), location in zip(new_locations, made, strict=True)}


__all__ = ["ImportFailed", "Member", "TableError", "import_households", "read_files"]
