"""The demo tells one believable story of the 2014–2015 crisis: checked as invariants over
the small demo, loaded once for the module (issue 16).

Dates inside the story, returnees where they returned, duplicates already found, 4W
activities whose status matches what they reached, children born at plausible ages and
intervals.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import models, transaction

from amina.lib.demo import STORY_DAY, STORY_END, STORY_START

pytestmark = pytest.mark.django_db

#: Dates that are not the story's (``amina.lib.demo``): births are older; DTM's
#: displacement periods are reference data; the demo load's job record and the user
#: accounts (people log in with them today) belong to the running system.
NOT_STORY = {
    ("registry.Member", "birth_date"),
    ("tracking.DisplacementPeriod", "starts"),
    ("jobs.Job", "*"),
    ("accounts.User", "*"),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, once for the whole module, rolled back at its end."""
    from amina.core.demo import generate
    from conftest import reference_geography

    with django_db_blocker.unblock(), transaction.atomic():
        reference_geography.__wrapped__(None)
        generate("small", 2015)
        yield
        transaction.set_rollback(True)


def _story_dates():
    """(model label, field, value) of every date the demo wrote in an Amina table."""
    for model in apps.get_models():
        if not model.__module__.startswith("amina."):
            continue
        label = model._meta.label
        if (label, "*") in NOT_STORY:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField) or (label, field.name) in NOT_STORY:
                continue
            for value in model._default_manager.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            ):
                yield label, field.name, value


def test_every_date_the_demo_writes_lies_inside_the_crisis(demo):
    outside, seen = [], set()
    for label, name, value in _story_dates():
        seen.add((label, name))
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not STORY_START <= day <= STORY_END:
            outside.append((label, name, str(value)))
    assert not outside, f"{len(outside)} dates outside 2014–2015, e.g. {outside[:8]}"
    for expected in [
        ("tracking.Round", "date"),
        ("supply.Waybill", "dispatched_at"),
        ("supply.StockMovement", "created_at"),
        ("coordination.Training", "start_date"),
        ("coordination.Meeting", "date"),
    ]:
        assert expected in seen, f"the check read no {expected}: it proves nothing there"


def test_what_has_happened_happened_before_the_story_s_day(demo):
    from amina.supply.models import StockMovement, Waybill
    from amina.tracking.models import Round

    assert max(Round.objects.values_list("date", flat=True)) <= STORY_DAY
    last_move = StockMovement.objects.order_by("-created_at").first().created_at
    assert last_move.date() <= STORY_DAY
    for field in ("dispatched_at", "received_at", "closed_at"):
        for value in Waybill.objects.exclude(**{field: None}).values_list(field, flat=True):
            assert value.date() <= STORY_DAY, field


def test_returnees_are_counted_where_they_returned_not_in_the_kurdistan_region(demo):
    from django.db.models import Sum

    from amina.tracking.models import LocationAssessment

    by_governorate = dict(
        LocationAssessment.objects.values("location__governorate__pcode")
        .annotate(n=Sum("returnee_individuals"))
        .values_list("location__governorate__pcode", "n")
    )
    with_returnees = {p for p, n in by_governorate.items() if n}
    assert with_returnees, "the demo has returnees"
    assert with_returnees <= {"IQG01", "IQG16", "IQG10", "IQG15"}  # Anbar, SaD, Diyala, Ninewa
    from amina.geo.models import Governorate

    kri = set(
        Governorate.objects.filter(pcode__in=with_returnees, kurdistan_region=True).values_list(
            "pcode", flat=True
        )
    )
    assert not kri


def test_duplicates_are_already_found_when_the_demo_opens(demo):
    from amina.registry.models import DuplicateCandidate

    pending = DuplicateCandidate.objects.filter(decision=DuplicateCandidate.Decision.PENDING)
    assert pending.count() > 0, "the review queue is empty"


def test_each_activity_s_status_matches_its_dates_and_the_people_it_reached(demo):
    from amina.coordination.models import Activity

    activities = list(Activity.objects.all())
    assert {a.status for a in activities} >= {"planned", "ongoing", "completed"}
    for a in activities:
        if a.status == "planned":
            assert a.people_reached == 0 and a.start_date > STORY_DAY, a.pk
        elif a.status == "completed":
            assert a.end_date is not None and a.end_date < STORY_DAY, a.pk
        else:
            assert a.start_date <= STORY_DAY and (a.end_date is None or a.end_date >= STORY_DAY)


def _months(a: datetime.date, b: datetime.date) -> int:
    """Whole months from ``a`` to ``b``."""
    months = (b.year - a.year) * 12 + b.month - a.month
    return months - (1 if b.day < a.day else 0)


def test_children_are_born_to_mothers_of_16_to_45_at_least_10_months_apart(demo):
    from amina.registry.models import Member

    households: dict[int, list[Member]] = {}
    for m in Member.objects.order_by("household_id", "member_no"):
        households.setdefault(m.household_id, []).append(m)
    checked = 0
    for members in households.values():
        head = next((m for m in members if m.is_head), None)
        spouse = next((m for m in members if m.relationship == "spouse"), None)
        mother = spouse or (head if head and head.sex == "female" else None)
        children = sorted(
            (m for m in members if m.relationship == "child" and m.birth_date),
            key=lambda m: m.birth_date,
        )
        if mother is None or not children:
            continue
        if mother.birth_date:
            for child in children:
                age = _months(mother.birth_date, child.birth_date) / 12
                assert 16 <= age <= 45, (mother.household_id, age)
        else:  # the year only: a year of margin either way
            for child in children:
                assert 15 <= child.birth_date.year - mother.birth_year <= 46
        for older, younger in zip(children, children[1:], strict=False):
            assert _months(older.birth_date, younger.birth_date) >= 10, mother.household_id
        checked += 1
    assert checked > 50, "the check met too few families to prove anything"
