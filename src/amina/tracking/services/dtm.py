"""Importing DTM master lists (IDPs or returnees), CSV or XLSX, as DTM publishes them.

Two steps, so that a person sees every problem before anything is written:
``parse_dtm`` reads the file and reports every row's errors and warnings (unknown
places with the gazetteer's suggestions); ``commit_dtm`` writes a clean parse in one
transaction. Re-importing a round replaces that round's imported rows (no doubles).

Decisions: a governorate that does not resolve is an error; a district that does not
resolve (DTM has ~106 districts against the COD's 101) is a warning, and its location
is kept under the governorate with ``needs_review``. Locations are matched by DTM's
``Place id`` (stable across rounds), else by name in the governorate and district.

Reading is ``amina.tracking.importing`` (``columns``: the file's layout, ``places``:
finding places, ``rows``: checking rows into ``DtmRow``); writing is ``dtm_write``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from amina.accounts import access
from amina.audit.services import record_bulk
from amina.lib import tabular
from amina.lib.i18n import gettext_deferred as _
from amina.tracking.importing.columns import (
    BASE_COLUMNS,
    MAX_ROWS,
    SHEETS,
    date_in,
    group_columns,
    round_code_from,
    title_date,
)
from amina.tracking.importing.places import DtmPlaces
from amina.tracking.importing.rows import DtmParse, DtmRow, RowChecker
from amina.tracking.models import LocationAssessment, Round, ShelterType
from amina.tracking.services import dtm_write
from amina.tracking.services.dtm_write import KIND_NAMES

__all__ = [
    "KIND_NAMES",
    "DtmParse",
    "DtmRow",
    "commit_dtm",
    "date_in",
    "import_dtm_file",
    "parse_dtm",
    "round_code_from",
]


def _silent(*_args, **_kwargs) -> None:
    """No progress to report."""


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
    progress = progress or _silent
    result = DtmParse()
    groups = group_columns()
    table = _read(source, groups.columns, filename, result.report)
    result.sheet = table.sheet
    result.title_date = title_date(source, table, filename)
    camp_id = ShelterType.objects.filter(code="camp").values_list("pk", flat=True).first()
    round_stub = Round(multiplier=Decimal(multiplier), camp_multiplier=camp_multiplier)
    checker = RowChecker(table, result, DtmPlaces(), groups, round_stub, camp_id)
    total = len(table.rows)
    progress(0, total, gettext_noop("checking rows"))
    for index, row in enumerate(table.rows, start=1):
        if (checked := checker.check(row)) is not None:
            result.rows.append(checked)
        if index % 500 == 0:
            progress(index, total, gettext_noop("checking rows"))
    progress(total, total, gettext_noop("checked"))
    return result


def _read(source, groups: list[tabular.Column], filename, report) -> tabular.Table:
    """The file as a table of DTM columns, or ``ImportFailed`` with the one reason it is
    not a master list (not a table, no rows, no place id nor location name column)."""
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
    if not any(c in table.mapping for c in ("place_id", "name_en", "name_ar")):
        report.error(None, None, _("missing required column 'Place id' or a location name column"))
        raise tabular.ImportFailed(report)
    return table


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
    progress = progress or _silent
    if not parsed.report.ok:
        raise tabular.ImportFailed(parsed.report)
    round_, created_round = dtm_write.round_for(
        round_code,
        day=round_date or parsed.title_date,
        kind=kind,
        multiplier=multiplier,
        camp_multiplier=camp_multiplier,
        partial=partial,
        partial_reason=partial_reason,
    )
    total = len(parsed.rows)
    progress(0, total, gettext_noop("creating locations"))
    new_locations = dtm_write.create_new_locations(user, parsed.rows, round_code)
    progress(0, total, gettext_noop("replacing the round's rows"))
    replaced = 0 if created_round else dtm_write.delete_replaced(round_, parsed.rows)
    progress(0, total, gettext_noop("writing rows"))
    dtm_write.write_rows(
        user,
        round_,
        parsed.rows,
        lambda done, total: progress(done, total, gettext_noop("writing rows")),
    )
    summary = _summary(parsed, round_, created_round, new_locations, replaced)
    record_bulk(
        user,
        LocationAssessment,
        "import",
        summary,
        f"DTM {kind} master list {filename} → round {round_.code}"[:200],
    )
    return summary


def _summary(parsed: DtmParse, round_: Round, created: bool, new: int, replaced: int) -> dict:
    """What an import did, as the job and the command line show it (and the audit keeps)."""
    return {
        "round": round_.code,
        "rows": len(parsed.rows),
        "families": parsed.families,
        "individuals": parsed.individuals,
        "new_locations": new,
        "replaced": replaced,
        "needs_review": sum(1 for r in parsed.rows if r.district_id is None),
        "warnings": len(parsed.report.warnings),
        "round_created": created,
        "partial": round_.partial,
        "partial_reason": round_.partial_reason,
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
