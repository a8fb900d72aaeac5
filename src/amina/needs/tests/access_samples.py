"""Access-matrix samples of the multi-cluster needs assessment (MCOF) in governorate A.

An assessment and its severities are location-level (no partner, no officer B); the
heat table of a governorate lists its locations, so it is detail-level too. Partners
read the per-governorate summary (list routes without arguments). Sectors and phases are
reference lists for everyone. Assessments are recorded through the app's service.
"""

import datetime

from amina.lib.testing.access import DETAIL, EVERYONE, Sample

#: Roles that record assessments (``needs.record``), in their governorates.
RECORDERS = frozenset({"admin", "national", "officer_a", "officer_b", "field_a"})


def _assessment(w):
    from amina.needs.models import NeedsAssessment, Sector
    from amina.needs.services import AssessmentData, Priority, record_assessment

    found = NeedsAssessment.objects.filter(location=w.location_a).first()
    if found:
        return found
    sectors = {s.code: s for s in Sector.objects.all()}
    data = AssessmentData(
        location=w.location_a,
        assessed_on=datetime.date(2015, 6, 1),
        team="RART 1",
        key_informants_count=3,
        population_individuals=240,
        severities={sectors[1]: 4, sectors[2]: 5, sectors[3]: 2},
        priorities=[Priority(sectors[2])],
    )
    return record_assessment(w.users["field_a"], data)


def _severity(w):
    return _assessment(w).severities.order_by("sector__code").first()


def _phase(w):
    from amina.needs.models import Phase

    return {"code": Phase.objects.order_by("order").first().code}


def pk(make):
    return lambda w: {"pk": make(w).pk}


ACCESS_SAMPLES = {
    "needs:governorate": Sample(lambda w: {"pcode": w.gov_a.pcode}, DETAIL),
    "needs:assessments": Sample(allowed=DETAIL | {"officer_b"}),
    "needs:assessment-detail": Sample(pk(_assessment), DETAIL),
    "needs:assessment-create": Sample(allowed=RECORDERS),
    "needs:gaps": Sample(allowed=DETAIL | {"officer_b"}),
    "needs:import": Sample(allowed=RECORDERS),
    "needs:xlsform": Sample(allowed=RECORDERS),
    "api:needs-assessment-detail": Sample(pk(_assessment), DETAIL),
    "api:needs-severity-detail": Sample(pk(_severity), DETAIL),
    "api:needs-sector-detail": Sample({"code": 2}, EVERYONE),
    "api:needs-phase-detail": Sample(_phase, EVERYONE),
}
