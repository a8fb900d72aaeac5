"""Writing reports: drafting, editing the narrative, publishing versions, schedules.

Every function here is the only way its change happens (the UI, API, CLI and demo call
them); each runs in one transaction and writes its audit row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change, snapshot
from amina.geo.models import Governorate
from amina.reports import figures as figures_module
from amina.reports import rendering
from amina.reports.figures import Figures, NoData
from amina.reports.models import Language, Publication, Report, Schedule

NARRATIVE_FIELDS = ("title", "story", "quotes", "contacts")


@dataclass
class Rendered:
    figures: Figures
    html: str


def check_selection(user, governorates: list[Governorate]) -> None:
    """``report.publish`` on every governorate of a product; a product of no governorate
    covers the whole country and needs national scope."""
    if user is None:
        return  # the command line and the demo act as the system
    for gov in governorates or [None]:
        access.check(user, "report.publish", gov)


def compute_figures(
    round_code: str | None, governorates: list[Governorate], language: str | None = None
) -> Figures:
    """Figures of a round (the latest when ``round_code`` is empty); names of sectors and
    shelter types come in ``language``."""
    rnd = figures_module.find_round(round_code)
    with translation.override(language or translation.get_language()):
        return figures_module.compute(rnd, governorates or None)


def default_title(figures: Figures, language: str) -> str:
    with translation.override(language):
        return _("Flash report: %(places)s, round %(round)s") % {
            "places": rendering.place_names(figures),
            "round": figures.round.code,
        }


def render(report: Report, *, for_pdf: bool = False) -> Rendered:
    """The report's current figures and narrative, as an HTML document."""
    governorates = list(report.governorates.order_by("pcode"))
    figs = compute_figures(report.round_code, governorates, report.language)
    html = rendering.render_html(
        figs, rendering.Narrative.of(report), report.language, for_pdf=for_pdf
    )
    return Rendered(figs, html)


@transaction.atomic
def create_report(
    user,
    *,
    round_code: str,
    governorates: list[Governorate],
    language: str = "ar",
    title: str = "",
    story: str = "",
    quotes: str = "",
    contacts: str = "",
) -> Report:
    """A draft flash report; the round must exist and the governorates be in the user's scope."""
    if language not in Language.values:
        raise ValidationError(_("language must be ar, en or ckb"))
    check_selection(user, governorates)
    figs = compute_figures(round_code, governorates)
    report = Report.objects.create(
        title=title.strip() or default_title(figs, language),
        language=language,
        round_code=figs.round.code,
        parameters={"governorates": figs.pcodes},
        story=story,
        quotes=quotes,
        contacts=contacts,
        author=user or _system_user(),
    )
    report.governorates.set(governorates)
    record_change(user, report, "create")
    return report


@transaction.atomic
def update_report(user, report: Report, **changes) -> Report:
    """Edit the narrative parts (and the language) of a draft or a published report;
    publishing again makes a new version."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    check_selection(user, list(report.governorates.all()))
    before = snapshot(report)
    for name, value in changes.items():
        if name not in (*NARRATIVE_FIELDS, "language"):
            raise ValidationError(_("%(field)s cannot be changed") % {"field": name})
        setattr(report, name, value)
    if report.language not in Language.values:
        raise ValidationError(_("language must be ar, en or ckb"))
    report.full_clean(exclude=["author"])
    report.save()
    after = snapshot(report)
    record_change(
        user,
        report,
        "update",
        {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)},
    )
    return report


@transaction.atomic
def publish_report(user, report: Report) -> Publication:
    """Freeze the report as it renders now into a new version in the library."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    check_selection(user, list(report.governorates.all()))
    rendered = render(report, for_pdf=True)
    pdf = rendering.render_pdf(rendered.html)
    report.version += 1
    report.status = Report.Status.PUBLISHED
    report.save(update_fields=["version", "status", "updated_at"])
    figs = rendered.figures
    governorates = list(report.governorates.all())
    with translation.override(report.language):
        summary = rendering.headline(figs)
    publication = Publication.objects.create(
        report=report,
        kind=Publication.Kind.FLASH,
        title=report.title,
        version=report.version,
        language=report.language,
        national=not governorates,
        date=figs.round.date or timezone.localdate(),
        round_code=figs.round.code,
        summary=summary,
        filename=flash_filename(figs, report.language, report.version),
        content_type="application/pdf",
        content=pdf,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        published_by=user or report.author,
    )
    publication.governorates.set(governorates)
    publication.sectors.set(_sectors_named([*figs.needs, *figs.assistance]))
    record_change(user, publication, "publish", {"version": [None, report.version]})
    return publication


@transaction.atomic
def publish_file(
    user,
    *,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    content_type: str,
    governorates: list[Governorate],
    date,
    language: str = "en",
    summary: str = "",
    sectors=(),
) -> Publication:
    """Put a dataset or a map in the library (a new version when the same title exists)."""
    if kind not in (Publication.Kind.EXPORT, Publication.Kind.MAP):
        raise ValidationError(_("unknown product kind"))
    check_selection(user, governorates)
    previous = (
        Publication.objects.filter(report=None, kind=kind, title=title).order_by("-version").first()
    )
    publication = Publication.objects.create(
        kind=kind,
        title=title,
        version=(previous.version + 1) if previous else 1,
        language=language,
        national=not governorates,
        date=date,
        summary=summary,
        filename=filename,
        content_type=content_type,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        published_by=user or _system_user(),
    )
    publication.governorates.set(governorates)
    publication.sectors.set(list(sectors))
    record_change(user, publication, "publish", {"version": [None, publication.version]})
    return publication


def flash_filename(figs: Figures, language: str, version: int) -> str:
    places = "-".join(figs.pcodes) or "national"
    return f"flash-{slugify(figs.round.code) or 'round'}-{places}-{language}-v{version}.pdf".lower()


def _sectors_named(pairs) -> list:
    from amina.needs.queries import sectors

    labels = {label for label, _value in pairs}
    if not labels:
        return []
    return [s for s in sectors() if s.name_en in labels or s.name_ar in labels]


def _system_user():
    """The author of what the command line makes: the first administrator."""
    from amina.accounts.models import User

    user = (
        User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.filter(role="admin").order_by("pk").first()
    )
    if user is None:
        raise ValidationError(_("no administrator exists to author this report; create one first"))
    return user


# -- schedules ------------------------------------------------------------------------------


def parse_recipients(text: str) -> list[str]:
    addresses = [
        a.strip() for a in text.replace(",", "\n").replace(";", "\n").splitlines() if a.strip()
    ]
    if not addresses:
        raise ValidationError(_("give at least one e-mail address"))
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("not an e-mail address: %(address)s") % {"address": address}
            ) from None
    return addresses


def advance(when: datetime, frequency: str) -> datetime:
    if frequency == Schedule.Frequency.WEEKLY:
        return when + timedelta(days=7)
    month = when.month % 12 + 1
    year = when.year + (1 if month == 1 else 0)
    return when.replace(year=year, month=month, day=min(when.day, 28))


@transaction.atomic
def create_schedule(
    user,
    *,
    title: str,
    governorates: list[Governorate],
    recipients: str,
    frequency: str = "weekly",
    language: str = "ar",
    first_run: datetime | None = None,
) -> Schedule:
    check_selection(user, governorates)
    if frequency not in Schedule.Frequency.values:
        raise ValidationError(_("frequency must be weekly or monthly"))
    schedule = Schedule.objects.create(
        title=title.strip() or _("Snapshot"),
        language=language,
        frequency=frequency,
        recipients="\n".join(parse_recipients(recipients)),
        owner=user,
        next_run=first_run or timezone.now(),
        parameters={"governorates": sorted(g.pcode for g in governorates)},
    )
    schedule.governorates.set(governorates)
    record_change(user, schedule, "create")
    return schedule


@transaction.atomic
def set_schedule_active(user, schedule: Schedule, active: bool) -> Schedule:
    access.check(user, "schedule.manage", owner=schedule.owner_id)
    schedule.active = active
    schedule.save(update_fields=["active"])
    record_change(user, schedule, "update", {"active": [not active, active]})
    return schedule


def run_due_schedules(now: datetime | None = None) -> list[tuple[Schedule, str]]:
    """Produce and e-mail every report whose time has come; returns (schedule, result).

    A schedule is claimed by moving its ``next_run`` forward with a conditional UPDATE
    (as healthchecks' workers do), so two workers never send the same report twice.
    """
    now = now or timezone.now()
    results = []
    for schedule in Schedule.objects.filter(active=True, next_run__lte=now).select_related("owner"):
        claimed = Schedule.objects.filter(pk=schedule.pk, next_run=schedule.next_run).update(
            next_run=advance(schedule.next_run, schedule.frequency)
        )
        if not claimed:
            continue
        with translation.override(schedule.language):
            try:
                result = _send_schedule(schedule, now)
            except (NoData, ValidationError, PermissionDenied) as exc:
                result = _("failed: %(reason)s") % {"reason": str(exc) or _("not allowed")}
        Schedule.objects.filter(pk=schedule.pk).update(last_run=now, last_result=result[:300])
        results.append((schedule, result))
    return results


def _send_schedule(schedule: Schedule, now: datetime) -> str:
    owner = schedule.owner
    governorates = list(schedule.governorates.order_by("pcode"))
    # The owner's scope may have shrunk since: a report never carries more than it allows.
    check_selection(owner, governorates)
    figs = compute_figures(None, governorates, schedule.language)
    narrative = rendering.Narrative(title=schedule.title)
    html = rendering.render_html(figs, narrative, schedule.language, for_pdf=True)
    pdf = rendering.render_pdf(html)
    with translation.override(schedule.language):
        subject = f"{schedule.title} — {figs.round.code}"
        body = rendering.headline(figs)
    message = EmailMessage(subject=subject, body=body, to=schedule.recipient_list())
    message.attach(
        f"{slugify(schedule.title) or 'report'}-{slugify(figs.round.code)}.pdf",
        pdf,
        "application/pdf",
    )
    message.send()
    return _("sent to %(n)d recipients (round %(round)s)") % {
        "n": len(schedule.recipient_list()),
        "round": figs.round.code,
    }
