"""The write-access matrix: every route that writes, every persona, a record in and out of scope.

The routes come from the URL resolver, as in the read matrix (``test_access_matrix``):
a page whose view reads ``request.POST``/``request.FILES`` or the method (or is wrapped
by ``require_POST``), every POST/PUT/PATCH/DELETE of an API viewset, and the admin site.
Each must declare its write action — ``@access.requires("stock.move")`` on the view,
``required_actions = {"create": "stock.move"}`` on the viewset — or, for a POST that
writes nothing (a purpose asked before an export), ``@access.writes_nothing(reason)``.
A write route without a declaration fails here, naming what to add.

The expected answer is derived from the action table (``amina.accounts.actions``), not
written per route: with an empty body, a persona the table allows gets an answer (a page,
a redirect, a 400 for the missing fields); one whose role the action does not name gets
403; one with the role but not the scope gets 403 or 404 (a record out of scope is as
absent as a missing one); anonymous callers meet the login page (the API: 401/403).

Every route with a record runs twice: on the read matrix's sample built in governorate A,
and on the same sample built in governorate B by B's personas (officer B, a field team
and a logistics officer of B), so each persona meets a record in and out of its scope.
Each persona's request runs in a savepoint that is rolled back: the next one finds the
record as the sample made it.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, get_resolver, reverse

from amina.accounts import access
from amina.lib.testing.access import PERSONAS, World
from tests.test_access_matrix import (
    LOGOUT,
    PUBLIC,
    SAMPLES,
    _admin_kwargs,
    _is_login_redirect,
    _reverse,
    _walk,
    build_world,
    enumerate_routes,
)

#: Views of Django that write the caller's own account (not ours to decorate).
FRAMEWORK_ACTIONS = {"password_change": "account.self"}
#: Every route of the admin site: Django's staff check (admins are staff) guards it.
ADMIN_SITE_ACTION = "reference.manage"
#: Admin routes that write nothing or belong to the read matrix.
ADMIN_SITE_READS = {"admin:login", "admin:logout", "admin:jsi18n", "admin:view_on_site"}
#: Marks in a view's source that it takes a form.
POSTS = ("request.POST", "request.FILES", "request.method", "require_POST", "require_http_methods")
#: The records of the samples belong to an organisation none of the personas belongs to.
NOBODYS_ORGANISATION = 0
UNSAFE = {"post", "put", "patch", "delete"}


@dataclass(frozen=True)
class Target:
    """What a route writes, beyond the read matrix's sample of its arguments.

    ``where``: ``"record"`` (the sample's record lies in the world's governorate A),
    ``"national"`` (a record of no governorate), ``"role"`` (no record: a creation form,
    where only the role is asked before a body names the place) or ``"own"`` (a record
    only its ``owner`` ever sees, such as the check of one's upload). ``owner``: the persona
    owning the record, for ``owner`` actions and ``"own"`` records. ``kwargs``: a builder
    replacing the read sample's (whose GET may need no real record: a POST-only route
    answers 405 to it).
    """

    where: str = ""
    owner: str | None = None
    kwargs: Any = None


def _schedule(w: World) -> dict:
    from amina.reports import services

    schedule = services.create_schedule(
        w.users["officer_a"], title="Weekly", governorates=[w.gov_a], recipients="a@example.org"
    )
    return {"pk": schedule.pk}


TARGETS: dict[str, Target] = {
    "reports:schedule-toggle": Target("record", owner="officer_a", kwargs=_schedule),
    "reports:dataset-publish": Target("national"),
    "reports:map-publish": Target("national"),
    "coordination:action-point-status": Target("record", owner="field_a"),
    "registry:import-preview": Target("own", owner="officer_a"),
}


@dataclass(frozen=True)
class WriteRoute:
    name: str
    pattern: str
    kwargs: tuple[str, ...]
    api: bool
    admin: bool
    methods: tuple[str, ...] = ("post",)
    #: {variant: write action}: the method (API), the ``action`` argument, or "" for one.
    actions: dict = field(default_factory=dict)
    missing: str = ""  # why the route fails: what it should declare

    def __str__(self) -> str:
        return self.name


def _callbacks() -> dict[str, Any]:
    """Route name → view callback, named as the read matrix names routes."""
    found: dict[str, Any] = {}
    for pattern, namespace, entry in _walk(get_resolver().url_patterns):
        if not isinstance(entry, URLPattern) or entry.name is None:
            continue
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        if pattern.startswith("api/") and not namespace:
            name = f"api:{entry.name}"
        found.setdefault(name, entry.callback)
    return found


def _takes_a_form(callback) -> bool:
    view = inspect.unwrap(callback)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    closure = [c.cell_contents for c in (getattr(callback, "__closure__", None) or ())]
    posted = any(isinstance(c, list | tuple) and "POST" in c for c in closure)
    return posted or any(mark in source for mark in POSTS)


def _page(route, callback) -> WriteRoute | None:
    declared = getattr(callback, "amina_action", None)
    if declared is None and route.name in FRAMEWORK_ACTIONS:
        declared = FRAMEWORK_ACTIONS[route.name]
    if getattr(callback, "amina_writes_nothing", None):
        return None
    if declared is None:
        if not _takes_a_form(callback):
            return None
        missing = (
            f"{route.name} ({route.pattern}) takes a form but declares no write action: "
            f'add @access.requires("app.verb") (amina.accounts.actions) to its view, or '
            f'@access.writes_nothing("why") if its POST writes nothing'
        )
        return WriteRoute(route.name, route.pattern, route.kwargs, False, False, missing=missing)
    if isinstance(declared, str):
        actions = {"": declared}
    else:
        kwarg = getattr(callback, "amina_action_kwarg", "action")
        assert kwarg in route.kwargs, f"{route.name} maps its actions by a missing {kwarg!r}"
        actions = dict(declared)
    return WriteRoute(route.name, route.pattern, route.kwargs, False, False, actions=actions)


def _api(route, callback) -> WriteRoute | None:
    view = getattr(callback, "cls", None)
    mapping = getattr(callback, "actions", None)
    if view is None:
        return None
    if mapping is None:  # a plain APIView: its handlers are its methods
        writes = sorted(m for m in UNSAFE if hasattr(view, m))
        if not writes:
            return None
        missing = f"{route.name} is an APIView that writes: make it a viewset with required_actions"
        return WriteRoute(route.name, route.pattern, route.kwargs, True, False, missing=missing)
    writes = {m: a for m, a in mapping.items() if m in UNSAFE}
    if not writes:
        return None
    declared = getattr(view, "required_actions", {})
    undeclared = sorted(a for a in writes.values() if a not in declared)
    if undeclared:
        missing = (
            f"{route.name}: {view.__name__} writes with {', '.join(undeclared)} but names no "
            f"action for it: add it to required_actions (amina.accounts.actions)"
        )
        return WriteRoute(route.name, route.pattern, route.kwargs, True, False, missing=missing)
    actions = {m: declared[a] for m, a in writes.items()}
    return WriteRoute(
        route.name, route.pattern, route.kwargs, True, False, tuple(sorted(writes)), actions
    )


def enumerate_write_routes() -> list[WriteRoute]:
    callbacks = _callbacks()
    found = []
    for route in enumerate_routes():
        if route.name in PUBLIC or route.name in LOGOUT or route.name.startswith("<unnamed"):
            continue
        if route.admin:
            if route.name not in ADMIN_SITE_READS:
                found.append(
                    WriteRoute(
                        route.name,
                        route.pattern,
                        route.kwargs,
                        False,
                        True,
                        actions={"": ADMIN_SITE_ACTION},
                    )
                )
            continue
        callback = callbacks.get(route.name)
        if callback is None:
            continue
        write = _api(route, callback) if route.api else _page(route, callback)
        if write is not None:
            found.append(write)
    return found


WRITE_ROUTES = enumerate_write_routes()


def _target(route: WriteRoute) -> Target:
    if route.name in TARGETS:
        return TARGETS[route.name]
    if route.admin:
        return Target("role")
    objects = [k for k in route.kwargs if k not in ("action", "format")]
    return Target("record" if objects else "role")


def _cases():
    for route in WRITE_ROUTES:
        if route.missing:
            yield pytest.param(route, "", "A", id=f"{route.name}")
            continue
        sides = ("A",) if route.admin or _target(route).where != "record" else ("A", "B")
        for variant in route.actions:
            for side in sides:
                label = "/".join(x for x in (route.name, variant, side) if x)
                yield pytest.param(route, variant, side, id=label)


@pytest.fixture(autouse=True)
def _light_requests(settings):
    """Signed-cookie sessions (no session row per login) and no API rate limit: the
    matrix makes hundreds of requests per persona."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(rest.get("DEFAULT_THROTTLE_RATES", {}))
    settings.REST_FRAMEWORK = rest


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Governorate A's world of the read matrix, and its mirror: the same personas' names
    held by governorate B's users, so that a sample builds its record in B."""
    from django.test import override_settings

    from conftest import make_user

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        users, gov_a, gov_b, location_a, location_b = build_world()
        mirror = {
            **users,
            "officer_a": users["officer_b"],
            "officer_b": users["officer_a"],
            "field_a": make_user("field_b", "field", [gov_b]),
            "logistics_a": make_user("logistics_b", "logistics", [gov_b]),
        }
        yield {
            "A": (users, gov_a, gov_b, location_a, location_b),
            "B": (mirror, gov_b, gov_a, location_b, location_a),
        }
        transaction.set_rollback(True)


def _world(worlds, side: str) -> World:
    users, gov, other, location, other_location = worlds[side]
    return World(
        users=users,
        gov_a=gov,
        gov_b=other,
        district_a=location.district,
        location_a=location,
        location_b=other_location,
    )


def _url(route: WriteRoute, variant: str, world: World) -> str:
    if route.admin:
        from tests.test_access_matrix import Route

        read_route = Route(route.name, route.pattern, "", route.kwargs, False, True)
        kwargs, query = _admin_kwargs(read_route, world)
        return reverse(route.name, kwargs=kwargs) + query
    target = _target(route)
    kwargs: dict = {}
    if target.kwargs is not None:
        kwargs = target.kwargs(world)
    elif route.kwargs:
        sample = SAMPLES.get(route.name)
        assert sample is not None, f"{route.name} has no sample in its app's access_samples.py"
        kwargs = sample.build(world)
    if variant and not route.api:
        kwargs["action"] = variant
    return _reverse(route, kwargs)


def _expected(route: WriteRoute, action: str, world: World, user) -> tuple[bool, bool]:
    """(allowed, role allowed) of ``user`` on the route's record, from the table."""
    role = access.allowed(user, action)
    target = _target(route)
    if target.where == "national":
        return access.allowed(user, action, None), role
    if target.where == "own":
        return role and user == world.users[target.owner], role
    if target.where != "record":
        return role, role
    owner = world.users[target.owner] if target.owner else access.ANY
    scoped = access.allowed(
        user, action, world.gov_a, organisation=NOBODYS_ORGANISATION, owner=owner
    )
    return scoped, role


def _call(client, route: WriteRoute, method: str, url: str):
    """One request in a savepoint, rolled back whatever the view wrote."""
    with transaction.atomic():
        if route.api:
            response = client.generic(method.upper(), url, "{}", "application/json")
        else:
            response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def _answered(route: WriteRoute, response) -> bool:
    if _is_login_redirect(response) or response.status_code >= 500:
        return False
    if route.admin:
        return True  # a model admin may forbid adding or deleting (403): still the admin's
    return response.status_code not in (403, 404, 405)


@pytest.mark.parametrize(("route", "variant", "side"), list(_cases()))
def test_each_write_route_answers_exactly_whom_the_action_table_allows(
    client, db, worlds, route, variant, side
):
    if route.missing:
        pytest.fail(route.missing)
    personas = worlds["A"][0]  # the callers, whichever world's users built the record
    world = _world(worlds, side)
    url = _url(route, variant, world)
    action = route.actions[variant]
    method = variant if route.api else "post"
    response = _call(client, route, method, url)
    refused = response.status_code in (401, 403) if route.api else _is_login_redirect(response)
    assert refused, f"{url} answered {response.status_code} to an anonymous caller"
    wrong = []
    for persona in ("admin", "partner") if route.admin else PERSONAS:
        client.force_login(personas[persona])
        response = _call(client, route, method, url)
        client.logout()
        allowed, role = _expected(route, action, world, personas[persona])
        code = response.status_code
        if allowed and not _answered(route, response):
            wrong.append(f"{persona} may ({action}) but got {code}")
        elif not allowed and route.admin and not (_is_login_redirect(response) or code == 403):
            wrong.append(f"{persona} may not use the admin site but got {code}")
        elif not allowed and not route.admin and not role and code != 403:
            wrong.append(f"{persona} lacks the role of {action} but got {code}")
        elif not allowed and not route.admin and role and code not in (403, 404):
            wrong.append(f"{persona} is out of the scope of {action} but got {code}")
    assert not wrong, f"{method.upper()} {url} ({action}, record in {side}): " + "; ".join(wrong)


def test_the_matrix_finds_the_write_routes_of_pages_api_and_admin():
    names = {r.name for r in WRITE_ROUTES}
    assert {
        "supply:stock-action",
        "registry:register",
        "api:supply-movement-list",
        "api:coordination-activity-detail",
        "admin:geo_location_add",
    } <= names
    assert len([r for r in WRITE_ROUTES if not r.admin]) > 40


def test_a_view_that_takes_a_form_without_declaring_its_action_is_found():
    def undeclared(request):
        if request.method == "POST":
            return None
        return None

    route = type("R", (), {"name": "x:y", "pattern": "y/", "kwargs": ()})()
    found = _page(route, undeclared)
    assert found is not None and "declares no write action" in found.missing
    assert _page(route, access.requires("stock.move")(undeclared)).actions == {"": "stock.move"}
    assert _page(route, access.writes_nothing("a search")(undeclared)) is None


def test_every_action_of_the_table_is_declared_by_a_route_or_checked_by_a_service():
    """A line of the table nothing uses is a rule nobody enforces: remove it or use it."""
    from pathlib import Path

    import amina
    from amina.accounts.actions import ACTIONS

    root = Path(amina.__file__).parent
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in root.rglob("*.py")
        if "tests" not in p.parts and p.name != "actions.py"
    )
    declared = {a for r in WRITE_ROUTES for a in r.actions.values()}
    declared |= {a.otherwise for a in ACTIONS.values() if a.otherwise}
    unused = sorted(
        name for name in ACTIONS if name not in declared and not re.search(rf'"{name}"', text)
    )
    assert not unused, f"actions neither declared on a route nor checked anywhere: {unused}"
