"""Partial rounds: a master list that covers only part of the country, found before import.

DTM sometimes publishes a list for a few governorates (an emergency round, an access
problem), or a file is exported from a filtered sheet. Imported as a round like any
other, it makes every governorate it missed look emptied: trends collapse, the flash
report announces hundreds of thousands of returns that never happened. So the import
compares the file with the previous complete round of the same kind — governorates
missing, totals (national and per governorate) falling by more than
``AMINA_PARTIAL_ROUND_DROP`` — and with the rounds of the same date. A round so flagged
is still imported (the figures it has are real), but marked ``Round.partial``: trends and
comparisons skip it (``tracking.queries.latest_round`` / ``previous_round``), and a data
manager can mark or unmark it on the rounds page.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change
from amina.geo.models import Governorate
from amina.lib.i18n import localised
from amina.tracking.models import Round


@dataclass
class GovernorateChange:
    pcode: str
    name_en: str
    name_ar: str
    before: int
    now: int
    name_ckb: str = ""

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)

    @property
    def drop(self) -> float:
        """The share lost since the previous round (0.4 = 40% fewer)."""
        return (self.before - self.now) / self.before if self.before else 0.0


@dataclass
class Coverage:
    """How a new list compares with the previous complete round of its kind (individuals)."""

    threshold: float
    previous: str | None = None
    previous_date: datetime.date | None = None
    national_before: int = 0
    national_now: int = 0
    missing: list[GovernorateChange] = field(default_factory=list)
    drops: list[GovernorateChange] = field(default_factory=list)
    same_date: list[str] = field(default_factory=list)

    @property
    def national_drop(self) -> float:
        if not self.national_before:
            return 0.0
        return (self.national_before - self.national_now) / self.national_before

    @property
    def national_falls(self) -> bool:
        return self.national_drop > self.threshold

    @property
    def partial(self) -> bool:
        return bool(self.missing or self.drops or self.national_falls or self.same_date)

    def reason(self) -> str:
        """One paragraph in the active language: what makes the round look partial."""
        parts = []
        if self.missing:
            parts.append(
                _("Governorates missing compared with round %(code)s: %(names)s.")
                % {"code": self.previous, "names": ", ".join(g.name for g in self.missing)}
            )
        if self.national_falls:
            parts.append(
                _(
                    "Individuals fall by %(share)s%% nationally compared with round "
                    "%(code)s (%(before)s → %(now)s)."
                )
                % {
                    "share": number_format(100 * self.national_drop, 0),
                    "code": self.previous,
                    "before": number_format(self.national_before, 0, force_grouping=True),
                    "now": number_format(self.national_now, 0, force_grouping=True),
                }
            )
        if self.drops:
            parts.append(
                _("Falls of more than %(share)s%% in: %(names)s.")
                % {
                    "share": number_format(100 * self.threshold, 0),
                    "names": ", ".join(
                        f"{g.name} (−{number_format(100 * g.drop, 0)}%)" for g in self.drops
                    ),
                }
            )
        if self.same_date:
            parts.append(
                _("Dated like round %(codes)s of the same kind.")
                % {"codes": ", ".join(self.same_date)}
            )
        return " ".join(parts)[:500] or _("Marked partial at import.")

    def as_dict(self) -> dict:
        """JSON for the preview's report (stored on the upload)."""
        data = asdict(self)
        data["previous_date"] = self.previous_date.isoformat() if self.previous_date else None
        for key in ("missing", "drops"):
            for row, change in zip(data[key], getattr(self, key), strict=True):
                row["drop"] = round(100 * change.drop)
        data["national_drop"] = round(100 * self.national_drop)
        data["national_falls"] = self.national_falls
        data["partial"] = self.partial
        data["threshold_percent"] = round(100 * self.threshold)
        data["reason"] = self.reason()
        return data


def drop_threshold() -> float:
    return float(getattr(settings, "AMINA_PARTIAL_ROUND_DROP", 0.3))


def check_coverage(
    individuals_by_governorate: dict[int, int],
    *,
    round_code: str,
    round_date: datetime.date | None,
    kind: str,
) -> Coverage:
    """Compare a list's individuals per governorate id with the previous complete round of
    ``kind`` before ``round_date`` (the round being replaced, ``round_code``, excluded).

    Reads only; one grouped query for the previous round's totals.
    """
    from amina.tracking import queries

    existing = Round.objects.filter(code=round_code).first()
    day = existing.date if existing is not None else round_date
    coverage = Coverage(threshold=drop_threshold())
    others = Round.objects.filter(kind=kind).exclude(code=round_code)
    if day is not None:
        coverage.same_date = list(
            others.filter(date=day).order_by("pk").values_list("code", flat=True)
        )
        others = others.filter(Q(date__lt=day))
    previous = others.filter(partial=False).order_by("-date", "-pk").first()
    if previous is None:
        return coverage
    coverage.previous, coverage.previous_date = previous.code, previous.date
    returnees = kind == Round.Kind.RETURNEES
    before = {
        gid: (f.returnee_individuals if returnees else f.idp_individuals)
        for gid, f in queries.governorate_totals(previous).items()
    }
    coverage.national_before = sum(before.values())
    coverage.national_now = sum(individuals_by_governorate.values())
    threshold = coverage.threshold
    govs = Governorate.objects.in_bulk(set(before) | set(individuals_by_governorate))
    for gid in sorted(before, key=lambda g: govs[g].pcode):
        was, now = before[gid], individuals_by_governorate.get(gid, 0)
        if not was:
            continue
        gov = govs[gid]
        change = GovernorateChange(gov.pcode, gov.name_en, gov.name_ar, was, now, gov.name_ckb)
        if not now:
            coverage.missing.append(change)
        elif change.drop > threshold:
            coverage.drops.append(change)
    return coverage


@transaction.atomic
def mark_partial(user, round_: Round, partial: bool, reason: str = "") -> Round:
    """Mark a round partial (with why) or complete again, as a data manager decides.

    A round covers every governorate, so this is the importer's action (``dtm.import``).
    """
    access.check(user, "dtm.import")
    reason = (reason or "").strip()[:500] if partial else ""
    before = {"partial": round_.partial, "partial_reason": round_.partial_reason}
    Round.objects.filter(pk=round_.pk).update(partial=partial, partial_reason=reason)
    round_.partial, round_.partial_reason = partial, reason
    record_change(
        user,
        round_,
        "update",
        {k: [v, getattr(round_, k)] for k, v in before.items() if v != getattr(round_, k)},
    )
    return round_
