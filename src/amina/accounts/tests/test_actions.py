"""The action table itself: who may do what in governorate A, written out once.

The write-access matrix derives its expectations from the table, so a change of the
table changes what it expects; this test pins the table to the rules Amina had before it
(issue 13: "behaviour stays the same"), so that a change of who may write is a deliberate
edit of the line below, read in review.
"""

import pytest

from amina.accounts import access
from amina.accounts.actions import ACTIONS, Scope

ALL = {"admin", "national", "officer_a", "officer_b", "field_a", "logistics_a", "partner"}
RECORDERS_A = {"admin", "national", "officer_a", "field_a"}
COORDINATORS_A = {"admin", "national", "officer_a"}
STOCK_A = {"admin", "logistics_a"}

#: Who may take each action on a record of governorate A that belongs to an organisation
#: none of them belongs to (the owner of an owned record: ``OWNERS``).
EXPECTED = {
    "registry.register": RECORDERS_A,
    "registry.import": RECORDERS_A,
    "registry.close": RECORDERS_A,
    "registry.dedupe": RECORDERS_A,
    "registry.review_duplicates": {"national", "officer_a"},  # the personal-data permission
    "reference.manage": {"admin"},
    "boundaries.import": {"admin"},
    "place.edit": COORDINATORS_A,
    "dtm.import": {"admin", "national"},
    "round.create": {"admin", "national"},
    "assessment.record": RECORDERS_A,
    "movement.record": RECORDERS_A,
    "alert_rule.manage": COORDINATORS_A,
    "needs.record": RECORDERS_A,
    "needs.import": RECORDERS_A,
    "item.manage": STOCK_A,
    "warehouse.manage": STOCK_A,
    "stock.move": STOCK_A,
    "waybill.dispatch": STOCK_A,
    "waybill.receive": STOCK_A,
    "distribution.plan": COORDINATORS_A | {"logistics_a"},
    "distribution.approve": COORDINATORS_A | {"logistics_a"},
    "distribution.record": {"admin", "officer_a", "field_a", "logistics_a"},
    "activity.report": COORDINATORS_A,
    "activity.import": COORDINATORS_A,
    "response_plan.manage": COORDINATORS_A,
    "meeting.manage": COORDINATORS_A,
    "action_point.update": COORDINATORS_A | {"field_a"},  # field_a owns the point
    "contact.manage": COORDINATORS_A,
    "contact.edit": {"national", "officer_a"},
    "training.manage": COORDINATORS_A,
    "report.publish": RECORDERS_A | {"logistics_a"},
    "schedule.manage": {"admin", "officer_a"},  # officer_a's schedule
    "schedule.oversee": {"admin"},
    "account.self": ALL,
}
OWNERS = {"action_point.update": "field_a", "schedule.manage": "officer_a"}


def test_every_action_of_the_table_is_pinned_here():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_the_table_grants_each_action_to_exactly_these_personas_in_governorate_a(
    personas, gov_a, action
):
    users = personas
    owner = users[OWNERS[action]] if action in OWNERS else access.ANY
    may = {
        name
        for name, user in users.items()
        if access.allowed(user, action, gov_a, organisation=0, owner=owner)
    }
    assert may == EXPECTED[action]


def test_a_record_of_no_governorate_is_for_national_scope_only(personas):
    users = personas
    may = {n for n, u in users.items() if access.allowed(u, "meeting.manage", None)}
    assert may == {"admin", "national"}
    published = {n for n, u in users.items() if access.allowed(u, "report.publish", None)}
    assert published == {"admin", "national"}  # partners have national scope, not the role


def test_without_a_governorate_only_the_role_is_asked(personas):
    assert access.allowed(personas["officer_b"], "registry.register")
    assert not access.allowed(personas["logistics_a"], "registry.register")
    assert not access.allowed(personas["admin"], "contact.edit")  # no personal-data permission


def test_a_partner_reports_the_activities_of_its_own_organisation_in_its_scope(gov_a, gov_b):
    from amina.accounts.models import Organisation
    from conftest import make_user

    nrc = Organisation.objects.create(name_en="NRC", kind="ngo")
    other = Organisation.objects.create(name_en="DRC", kind="ngo")
    user = make_user("nrc1", "partner", [gov_a])
    user.organisation = nrc
    user.save()
    assert access.allowed(user, "activity.report", gov_a, organisation=nrc)
    assert not access.allowed(user, "activity.report", gov_a, organisation=other)
    assert not access.allowed(user, "activity.report", gov_b, organisation=nrc)
    assert not access.for_any_organisation(user, "activity.report")


def test_check_refuses_with_permission_denied_and_an_unknown_action_is_an_error(personas, gov_b):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        access.check(personas["officer_a"], "stock.move", gov_b)
    with pytest.raises(LookupError):
        access.allowed(personas["admin"], "stock.steal")
    with pytest.raises(LookupError):
        access.requires("stock.steal")


def test_an_inactive_user_and_an_anonymous_caller_may_do_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    user = personas["admin"]
    user.is_active = False
    assert not access.allowed(user, "account.self")
    assert not access.allowed(AnonymousUser(), "account.self")


def test_every_scope_rule_is_used_and_owner_actions_name_their_fallback():
    assert {a.scope for a in ACTIONS.values()} == set(Scope)
    for action in ACTIONS.values():
        if action.otherwise:
            assert action.scope == Scope.OWNER and action.otherwise in ACTIONS
