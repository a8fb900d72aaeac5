"""Access-matrix samples of coordination: records in governorate A, and who may open them.

The 4W, plans, trainings (events) and contacts are shared with partners (aggregate
scope); meetings are detail-level; participants and certificates are people's data,
for detail roles with the personal-data permission; forms are for the
coordinators (admin, national, governorate officers) of the record's governorate.
"""

import datetime

from amina.lib.testing.access import AGGREGATE, DETAIL, EVERYONE, Sample

#: Coordinators of governorate A.
COORDINATORS_A = frozenset({"admin", "national", "officer_a"})
#: Detail roles of governorate A holding the personal-data permission.
PERSONAL_A = frozenset({"national", "officer_a"})
#: Coordinators of any governorate (creation forms).
COORDINATORS = COORDINATORS_A | {"officer_b"}


def _org(name="NRC"):
    from amina.accounts.models import Organisation

    return Organisation.objects.get_or_create(name_en=name, defaults={"kind": "ngo"})[0]


def _activity(w):
    from amina.coordination.models import Activity
    from amina.needs.models import Sector

    return Activity.objects.create(
        organisation=_org(),
        sector=Sector.objects.get(code=2),
        activity_type="NFI",
        governorate=w.gov_a,
        location=w.location_a,
        start_date=datetime.date(2015, 6, 1),
        status="ongoing",
        women=3,
    )


def _plan(w):
    from amina.coordination.models import ResponsePlan

    return ResponsePlan.objects.create(
        title="Plan A",
        governorate=w.gov_a,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )


def _meeting(w):
    from amina.coordination.models import Meeting

    return Meeting.objects.create(
        title="Meeting A", date=datetime.date(2015, 6, 1), governorate=w.gov_a
    )


def _point(w):
    from amina.coordination.models import ActionPoint

    return ActionPoint.objects.create(
        meeting=_meeting(w), text="Do", owner=w.users["field_a"], due_date=datetime.date(2015, 6, 5)
    )


def _contact(w):
    from amina.coordination.models import Contact

    return Contact.objects.create(
        name="Focal", organisation=_org(), governorate=w.gov_a, phone="0780"
    )


def _training(w):
    from amina.coordination.models import Training

    return Training.objects.create(
        title="MCOF",
        start_date=datetime.date(2015, 6, 8),
        end_date=datetime.date(2015, 6, 8),
        place="Najaf",
        governorate=w.gov_a,
        organiser=_org("IOM"),
    )


def _participant(w):
    from amina.coordination.models import Participant

    person = Participant.objects.create(
        training=_training(w),
        name="Official",
        organisation=_org("MoMD"),
        governorate=w.gov_a,
        sex="f",
    )
    person.attendance.create(day=datetime.date(2015, 6, 8))
    return person


def pk(make):
    return lambda w: {"pk": make(w).pk}


ACCESS_SAMPLES = {
    "coordination:activity-edit": Sample(pk(_activity), COORDINATORS_A),
    "coordination:plan-add": Sample(allowed=COORDINATORS),
    "coordination:plan-detail": Sample(pk(_plan), AGGREGATE),
    "coordination:plan-edit": Sample(pk(_plan), COORDINATORS_A),
    "coordination:objective-add": Sample(pk(_plan), COORDINATORS_A),
    "coordination:target-add": Sample(pk(_plan), COORDINATORS_A),
    "coordination:meeting-add": Sample(allowed=COORDINATORS),
    "coordination:meeting-detail": Sample(pk(_meeting), DETAIL),
    "coordination:meeting-edit": Sample(pk(_meeting), COORDINATORS_A),
    "coordination:meeting-minutes": Sample(pk(_meeting), DETAIL),
    # A form action (POST only): every caller gets "use POST".
    "coordination:action-point-status": Sample(pk(_point), EVERYONE),
    "coordination:contact-add": Sample(allowed=COORDINATORS),
    # Editing shows the phone: coordinators with the personal-data permission.
    "coordination:contact-edit": Sample(pk(_contact), frozenset({"national", "officer_a"})),
    "coordination:training-add": Sample(allowed=COORDINATORS),
    "coordination:training-detail": Sample(pk(_training), AGGREGATE),
    "coordination:training-edit": Sample(pk(_training), COORDINATORS_A),
    "coordination:participant-add": Sample(pk(_training), COORDINATORS_A),
    "coordination:training-results": Sample(pk(_training), COORDINATORS_A),
    # A participant is a person: the personal-data permission is needed on top of detail.
    "coordination:certificate": Sample(pk(_participant), PERSONAL_A),
    "coordination:export": Sample({"kind": "activities"}, EVERYONE),
    "api:coordination-activity-detail": Sample(pk(_activity), AGGREGATE),
    "api:coordination-plan-detail": Sample(pk(_plan), AGGREGATE),
    "api:coordination-plan-progress": Sample(pk(_plan), AGGREGATE),
    "api:coordination-meeting-detail": Sample(pk(_meeting), DETAIL),
    "api:coordination-action-point-detail": Sample(pk(_point), DETAIL),
    "api:coordination-contact-detail": Sample(pk(_contact), AGGREGATE),
    "api:coordination-training-detail": Sample(pk(_training), AGGREGATE),
    "api:coordination-participant-detail": Sample(pk(_participant), PERSONAL_A),
}
