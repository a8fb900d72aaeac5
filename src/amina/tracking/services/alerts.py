"""Influx alerts: a rule fires once when arrivals cross its threshold, and tells the officers
of that governorate and national users (in the app and by e-mail).

A rule is *armed* while arrivals are below its threshold. Crossing it fires one alert
(the database refuses a second alert for the same crossing) and disarms the rule; it
re-arms when a later check finds arrivals back below the threshold.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change
from amina.tracking.models import Alert, AlertRule


def readable_alerts(user):
    """Alerts ``user`` may read: governorate-wide ones for every role in scope; an alert of
    a location's rule is a location-level figure, for the roles that see detail only."""
    qs = access.scoped(user, Alert, detail=False)
    if not access.sees_detail(user):
        qs = qs.filter(rule__location__isnull=True)
    return qs


def measure(rule: AlertRule, on: datetime.date) -> tuple[int, int, datetime.date]:
    """(arriving families in the rule's period ending ``on``, baseline families, start)."""
    from amina.tracking import queries

    start = on - datetime.timedelta(days=rule.period_days - 1)
    if rule.location_id:
        arrived = queries.arrivals(start, on, location_id=rule.location_id)
    else:
        arrived = queries.arrivals(start, on, governorate_id=rule.governorate_id)
    baseline = 0
    if rule.mode == AlertRule.Mode.RELATIVE:
        latest = queries.latest_round("idps")
        if latest is not None:
            if rule.location_id:
                f = queries.location_figures(latest, location_ids=[rule.location_id])
                baseline = f[rule.location_id].idp_families if rule.location_id in f else 0
            else:
                t = queries.governorate_totals(latest, [rule.governorate_id])
                baseline = t[rule.governorate_id].idp_families if rule.governorate_id in t else 0
    return arrived, baseline, start


def crossed(rule: AlertRule, arrived: int, baseline: int) -> bool:
    if rule.mode == AlertRule.Mode.ABSOLUTE:
        return arrived >= rule.threshold
    if baseline == 0:
        return arrived > 0
    return arrived * 100 >= rule.threshold * baseline


@transaction.atomic
def evaluate_governorate(governorate, on: datetime.date) -> list[Alert]:
    """Check every active rule on ``governorate`` or its locations, as of ``on``."""
    rules = (
        AlertRule.objects.select_for_update(of=("self",))
        .filter(active=True)
        .filter(Q(governorate=governorate) | Q(location__governorate=governorate))
        .select_related("location__governorate", "governorate")
    )
    return [alert for rule in rules if (alert := evaluate(rule, on)) is not None]


def evaluate(rule: AlertRule, on: datetime.date) -> Alert | None:
    """Fire ``rule`` if arrivals crossed its threshold since it was last armed."""
    from amina.notices.services import notify, users_for_governorate

    arrived, baseline, start = measure(rule, on)
    if not crossed(rule, arrived, baseline):
        if rule.above:
            AlertRule.objects.filter(pk=rule.pk).update(above=False)
            rule.above = False
        return None
    if rule.above:
        return None
    rule.episode += 1
    rule.above = True
    AlertRule.objects.filter(pk=rule.pk).update(above=True, episode=rule.episode)
    governorate = rule.area_governorate
    alert = Alert.objects.create(
        rule=rule,
        episode=rule.episode,
        governorate=governorate,
        window_start=start,
        window_end=on,
        arrivals=arrived,
        baseline=baseline,
    )
    url = reverse("tracking:governorate", args=[governorate.pcode])
    subject = _("Influx alert: %(families)s families arrived in %(area)s") % {
        "families": arrived,
        "area": rule.area.name,
    }
    body = _(
        "%(families)s families arrived in %(area)s between %(start)s and %(end)s "
        "(rule “%(rule)s”, threshold %(threshold)s%(unit)s)."
    ) % {
        "families": arrived,
        "area": rule.area.name,
        "start": start.isoformat(),
        "end": on.isoformat(),
        "rule": rule.name,
        "threshold": rule.threshold,
        "unit": "%" if rule.mode == AlertRule.Mode.RELATIVE else "",
    }
    sent = notify(users_for_governorate(governorate), "influx", subject, body, url, governorate)
    alert.recipients.set([n.recipient for n in sent])
    record_change(
        None, alert, "create", {"arrivals": [None, arrived], "recipients": [None, len(sent)]}
    )
    return alert


@transaction.atomic
def save_rule(user, rule: AlertRule) -> AlertRule:
    """Create or change a rule (with audit); checks it at once, as of today."""
    from amina.tracking.services.assessments import check

    check(user, "alert_rule.manage", rule.area_governorate.pk)
    created = rule.pk is None
    rule.full_clean()
    rule.save()
    record_change(
        user, rule, "create" if created else "update", {"threshold": [None, rule.threshold]}
    )
    evaluate(rule, timezone.localdate())
    return rule
