"""Access-matrix samples of displacement tracking: figures of governorate A, and who may open them.

Location assessments and movements are location-level (no partner, no officer B); alerts
and governorate totals are aggregates (partners with national scope too); rounds are a
date and a method, open to everyone. Every record is written through the app's services.
"""

import datetime

from amina.lib.testing.access import AGGREGATE, DETAIL, EVERYONE, NATIONAL, Sample

#: Roles that write figures (``assessment.record``), in any governorate.
WRITERS = frozenset({"admin", "national", "officer_a", "officer_b", "field_a"})
#: Alert rules are set by coordinators, not field teams.
RULE_WRITERS = WRITERS - {"field_a"}
DAY = datetime.date(2015, 6, 10)


def _round(w):
    from amina.tracking.models import Round
    from amina.tracking.services.assessments import create_round

    return Round.objects.filter(code="R1").first() or create_round(
        w.users["admin"], code="R1", date=datetime.date(2015, 6, 1)
    )


def _assessment(w):
    from amina.tracking.models import LocationAssessment
    from amina.tracking.services.assessments import record_assessment

    round_ = _round(w)
    found = LocationAssessment.objects.filter(round=round_, location=w.location_a).first()
    return found or record_assessment(
        w.users["field_a"],
        round=round_,
        location=w.location_a,
        date=DAY,
        families=40,
        individuals=240,
        key_informant="mukhtar",
    )


def _movement(w):
    from amina.tracking.services.assessments import record_movement

    return record_movement(
        w.users["field_a"],
        location=w.location_a,
        date=DAY,
        direction="arrival",
        families=12,
        individuals=70,
        origin=w.gov_b,
    )


def _alert(w):
    """An influx rule on governorate A crossed by an arrival, as the service fires it."""
    from amina.tracking.models import Alert, AlertRule
    from amina.tracking.services.alerts import save_rule

    officer = w.users["officer_a"]
    rule = save_rule(
        officer, AlertRule(name="Influx A", governorate=w.gov_a, threshold=10, created_by=officer)
    )
    _movement(w)
    return Alert.objects.get(rule=rule)


def _upload(w):
    """A DTM file checked and waiting for its commit (national data managers only)."""
    from amina.tracking.models import DtmUpload

    return DtmUpload.objects.create(
        filename="Round99_Master_List.csv",
        round_code="R99",
        report={"error_count": 0, "rows": 0},
        uploaded_by=w.users["national"],
    )


def pk(make):
    return lambda w: {"pk": make(w).pk}


ACCESS_SAMPLES = {
    "tracking:round": Sample(lambda w: {"code": _round(w).code}, EVERYONE),
    "tracking:governorate": Sample(lambda w: {"pcode": w.gov_a.pcode}, AGGREGATE),
    # The per-location export of A: detail roles of A only (partners take the summary).
    "tracking:export": Sample(
        {"kind": "displacement", "fmt": "csv"}, DETAIL, query="?governorate=IQG04"
    ),
    "tracking:assessment": Sample(pk(_assessment), DETAIL),
    "tracking:assessment-new": Sample(allowed=WRITERS),
    "tracking:movement-new": Sample(allowed=WRITERS),
    "tracking:rule-new": Sample(allowed=RULE_WRITERS),
    "tracking:import": Sample(allowed=NATIONAL),
    "tracking:import-preview": Sample(pk(_upload), NATIONAL),
    # A form action (POST only): every caller gets "use POST".
    "tracking:import-commit": Sample(pk(_upload), EVERYONE),
    # A form action (POST only) of data managers: every caller gets "use POST".
    "tracking:round-partial": Sample(lambda w: {"code": _round(w).code}, EVERYONE),
    "api:tracking-round-detail": Sample(lambda w: {"code": _round(w).code}, EVERYONE),
    "api:tracking-assessment-detail": Sample(pk(_assessment), DETAIL),
    "api:tracking-movement-detail": Sample(pk(_movement), DETAIL),
    "api:tracking-alert-detail": Sample(pk(_alert), AGGREGATE),
}
