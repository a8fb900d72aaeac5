"""The write actions: who may change what, and where — one table for the whole of Amina.

Reads pass the access policy through ``access.scoped`` (each model declares its scope).
Writes pass it through this table: every action a user can take names the roles that may
take it and the scope rule that decides *where* (``access.check`` / ``access.allowed``
apply it). A web view declares its action with ``@access.requires("stock.move")``, an API
viewset with ``required_actions = {"create": "stock.move"}``; the service checks the same
action with the governorate (organisation, owner) of every record it writes. The
write-access matrix (``tests/test_write_access_matrix.py``) reads those declarations and
expects exactly what this table says, on every write route, for every persona.

Scope rules:

- ``none``: the role is enough (reference data such as the item catalogue).
- ``governorate``: the record's governorate must be in the user's scope; a record of no
  governorate (a national plan, a whole-country report) needs national scope.
- ``national``: only users with national scope.
- ``own_organisation``: as ``governorate``, and the record must belong to the user's own
  organisation unless the user's role is in ``any_organisation`` (coordinators keep the
  4W of every organisation).
- ``owner``: the user who owns the record (an action point's owner, a schedule's author);
  anyone else needs the action named in ``otherwise`` on it.

An action with ``personal_data=True`` also needs the personal-data permission (it shows
names to decide, as the duplicate review does). A superuser passes every role list; the
scope rule still applies.

To add an action: add a line below, declare it on the view or viewset, call
``access.check(user, "app.verb", governorate)`` in the service, and add its row to
``EXPECTED`` in ``amina/accounts/tests/test_actions.py`` (who may, in governorate A).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ADMIN = frozenset({"admin"})
DATA_MANAGERS = frozenset({"admin", "national"})
COORDINATORS = frozenset({"admin", "national", "governorate"})
RECORDERS = COORDINATORS | {"field"}
STOCK_KEEPERS = frozenset({"admin", "logistics"})
PLANNERS = COORDINATORS | {"logistics"}
DISTRIBUTORS = frozenset({"admin", "governorate", "logistics", "field"})
DETAIL = RECORDERS | {"logistics"}
EVERYONE = DETAIL | {"partner"}


class Scope(StrEnum):
    NONE = "none"
    GOVERNORATE = "governorate"
    NATIONAL = "national"
    OWN_ORGANISATION = "own_organisation"
    OWNER = "owner"


@dataclass(frozen=True)
class Action:
    name: str
    roles: frozenset[str]
    scope: Scope
    does: str
    personal_data: bool = False
    #: ``own_organisation``: the roles that act for every organisation.
    any_organisation: frozenset[str] = frozenset()
    #: ``owner``: the action that lets someone else act on the owner's record.
    otherwise: str | None = None


G, N = Scope.GOVERNORATE, Scope.NATIONAL

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        # registry
        Action("registry.register", RECORDERS, G, "register a household (and check it first)"),
        Action("registry.import", RECORDERS, G, "import a household file, every row in scope"),
        Action("registry.close", RECORDERS, G, "close a household"),
        Action("registry.dedupe", RECORDERS, G, "look for duplicates in one's governorates"),
        Action(
            "registry.review_duplicates",
            DETAIL,
            G,
            "confirm or reject a duplicate pair (both households in scope)",
            personal_data=True,
        ),
        # reference data and places
        Action("reference.manage", ADMIN, Scope.NONE, "the admin site; vulnerability weights"),
        Action("boundaries.import", ADMIN, Scope.NONE, "import official admin boundaries"),
        Action("place.edit", COORDINATORS, G, "add or correct a location"),
        # displacement tracking
        Action("dtm.import", DATA_MANAGERS, Scope.NONE, "import a DTM master list"),
        Action("round.create", DATA_MANAGERS, N, "open an assessment round"),
        Action(
            "assessment.record",
            RECORDERS,
            G,
            "record a location assessment (and add its location from the field)",
        ),
        Action("movement.record", RECORDERS, G, "record an arrival or a departure"),
        Action("alert_rule.manage", COORDINATORS, G, "set an influx alert rule"),
        # needs
        Action("needs.record", RECORDERS, G, "record a needs assessment"),
        Action("needs.import", RECORDERS, G, "import field-form submissions, every row in scope"),
        # supply
        Action("item.manage", STOCK_KEEPERS, Scope.NONE, "keep the item catalogue"),
        Action("warehouse.manage", STOCK_KEEPERS, G, "add or change a warehouse"),
        Action("stock.move", STOCK_KEEPERS, G, "receipts, losses, counts and reversals"),
        Action("waybill.dispatch", STOCK_KEEPERS, G, "plan, dispatch or cancel a waybill (origin)"),
        Action("waybill.receive", STOCK_KEEPERS, G, "receive or close a waybill (destination)"),
        Action("distribution.plan", PLANNERS, G, "create, optimise and adjust a plan"),
        Action("distribution.approve", PLANNERS, G, "approve or close a distribution plan"),
        Action("distribution.record", DISTRIBUTORS, G, "record a hand-over at the site"),
        # coordination
        Action(
            "activity.report",
            EVERYONE,
            Scope.OWN_ORGANISATION,
            "report or correct a 4W activity",
            any_organisation=COORDINATORS,
        ),
        Action(
            "activity.import",
            EVERYONE,
            Scope.OWN_ORGANISATION,
            "import a 4W sheet, every row checked",
            any_organisation=COORDINATORS,
        ),
        Action("response_plan.manage", COORDINATORS, G, "response plans, objectives, targets"),
        Action("meeting.manage", COORDINATORS, G, "meetings and their action points"),
        Action(
            "action_point.update",
            EVERYONE,
            Scope.OWNER,
            "move an action point along",
            otherwise="meeting.manage",
        ),
        Action("contact.manage", COORDINATORS, G, "add a contact"),
        Action(
            "contact.edit",
            COORDINATORS,
            G,
            "change a contact (the form shows the number)",
            personal_data=True,
        ),
        Action("training.manage", COORDINATORS, G, "trainings, participants, results"),
        # reports
        Action(
            "report.publish",
            DETAIL,
            G,
            "draft, publish and schedule reports and library products",
        ),
        Action(
            "schedule.manage",
            DETAIL,
            Scope.OWNER,
            "pause or resume a report schedule",
            otherwise="schedule.oversee",
        ),
        Action("schedule.oversee", ADMIN, N, "pause or resume anyone's schedule"),
        # one's own account
        Action(
            "account.self",
            EVERYONE,
            Scope.NONE,
            "one's own notifications, preferences, password and API tokens",
        ),
    )
}


def get(name: str) -> Action:
    """The action called ``name``; a name missing from the table is a programming error."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise LookupError(f"no write action {name!r} in amina.accounts.actions") from None
