"""The access matrix: every URL pattern, every persona.

The routes are enumerated from the URL resolver at collection time (pages, the admin
and every route of the API router), so a route added tomorrow is tested without anyone
listing it. A route with arguments needs a sample (``amina/<app>/tests/access_samples.py``,
see ``amina.lib.testing.access``): without one the test fails and says what to add, and an
app without that file fails on every route of its own, so no route is silently uncovered.

The personas and places are built once for the module and every case runs in its own
transaction on top of them (rolled back after it): the matrix is cheap enough to run on
every change. Officer B and partners must never be shown a location of governorate A, on
any route they open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amina.lib.testing.access import ADMIN, PERSONAS, Sample, World

#: Routes anyone may open without logging in (the allowlist of the access policy).
PUBLIC = {
    "login",
    "healthz",
    "set_language",
    "javascript-catalog",
    "api:api-schema",
    "api:api-docs",
    "api:api-token",
    "admin:login",
}
#: Logging out is open to every logged-in user and refused to nobody.
LOGOUT = {"logout", "admin:logout"}
#: Routes of Django and libraries, with their samples.
FRAMEWORK_SAMPLES = {
    "home": Sample(),
    "logout": Sample(),
    "password_change": Sample(),
    "profile": Sample(),
    "regenerate-token": Sample(),
    "api:api-root": Sample(),
}


@dataclass(frozen=True)
class Route:
    name: str  # "geo:location-detail", "api:location-detail", "admin:geo_location_change"
    pattern: str
    app: str  # "geo", "tracking", ... or "" for Django and libraries
    kwargs: tuple[str, ...]
    api: bool
    admin: bool

    def __str__(self) -> str:
        return self.name


def _app_of(callback) -> str:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    module = getattr(view, "__module__", "") or ""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "amina" else ""


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(x for x in (namespace, entry.namespace) if x)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def enumerate_routes() -> list[Route]:
    """Every named route once; the router's ``.json`` format twins are the same views."""
    routes: dict[str, Route] = {}
    for pattern, namespace, entry in _walk(get_resolver().url_patterns):
        kwargs = tuple(sorted(entry.pattern.regex.groupindex))
        if "format" in kwargs:
            continue
        api = pattern.startswith("api/")
        admin = namespace == "admin"
        if entry.name is None:
            if admin:  # the admin's old-style "<object_id>/" redirect to the change page
                continue
            name = f"<unnamed {pattern}>"
            routes[name] = Route(name, pattern, _app_of(entry.callback), kwargs, api, admin)
            continue
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        if api and not namespace:
            name = f"api:{entry.name}"
        routes.setdefault(name, Route(name, pattern, _app_of(entry.callback), kwargs, api, admin))
    return sorted(routes.values(), key=lambda r: r.name)


ROUTES = enumerate_routes()


def app_samples() -> tuple[dict[str, Sample], set[str]]:
    """Every app's ``ACCESS_SAMPLES``, and the apps that declare none yet."""
    samples: dict[str, Sample] = dict(FRAMEWORK_SAMPLES)
    without: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("amina."):
            continue
        try:
            module = import_module(f"{config.name}.tests.access_samples")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(config.name):
                raise
            without.add(config.label)
            continue
        samples.update(getattr(module, "ACCESS_SAMPLES", {}))
    return samples, without


SAMPLES, APPS_WITHOUT_SAMPLES = app_samples()


@pytest.fixture(autouse=True)
def signed_cookie_sessions(settings):
    """A login per persona and route: a session row written for each would slow the run."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


def _place(governorate, name_en, name_ar, lat, lon, dtm_place_id):
    from amina.geo.models import Location

    return Location.objects.create(
        name_en=name_en,
        name_ar=name_ar,
        governorate=governorate,
        district=governorate.districts.first(),
        centroid_lat=lat,
        centroid_lon=lon,
        dtm_place_id=dtm_place_id,
    )


def build_world():
    """The reference data, the personas of ``conftest.py`` and one location in each of
    governorates A and B: (users, gov_a, gov_b, location_a, location_b)."""
    from amina.geo.models import Governorate
    from conftest import load_reference_data, make_user

    load_reference_data()
    gov_a = Governorate.objects.get(pcode="IQG04")
    gov_b = Governorate.objects.get(pcode="IQG09")
    users = {
        "admin": make_user("admin1", "admin"),
        "national": make_user("national1", "national", personal_data=True),
        "officer_a": make_user("officer_a", "governorate", [gov_a], personal_data=True),
        "officer_b": make_user("officer_b", "governorate", [gov_b], personal_data=True),
        "field_a": make_user("field_a", "field", [gov_a]),
        "logistics_a": make_user("logistics_a", "logistics", [gov_a]),
        "partner": make_user("partner1", "partner", national=True),
    }
    location_a = _place(gov_a, "Hay Al-Nour 1", "حي النور 1", 32.0, 44.3, "900001")
    location_b = _place(gov_b, "Hay Al-Salam 2", "حي السلام 2", 36.9, 43.0, "900002")
    return users, gov_a, gov_b, location_a, location_b


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The personas and places of ``conftest.py``, built once for the module.

    Hundreds of cases share them: each case still runs in its own transaction (rolled
    back to this state), so a sample's records never reach the next case. The module's
    transaction is rolled back at the end, leaving the database as it found it.
    """
    from django.db import transaction
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        users, gov_a, gov_b, location_a, location_b = build_world()
        yield users, gov_a, gov_b, location_a, location_b
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db):
    """A fresh ``World`` per case (its ``extra`` is a sample's cache within one case)."""
    users, gov_a, gov_b, location_a, location_b = shared_world
    return World(
        users=users,
        gov_a=gov_a,
        gov_b=gov_b,
        district_a=location_a.district,
        location_a=location_a,
        location_b=location_b,
    )


def _admin_kwargs(route: Route, world: World) -> tuple[dict, str]:
    """The admin's routes are generated per model: fill them from the model's first row."""
    values, query = {}, ""
    match = re.match(r"admin:(\w+?)_(\w+?)_\w+$", route.name)
    model = None
    if match:
        try:
            model = apps.get_model(match.group(1), match.group(2))
        except LookupError:
            model = None
        if model is not None and model._meta.swapped:
            from django.contrib.auth import get_user_model

            model = get_user_model()
    for key in route.kwargs:
        if key == "app_label":
            values[key] = "geo"
        elif key == "object_id" or key == "id":
            first = model._default_manager.order_by("pk").first() if model else None
            values[key] = str(first.pk) if first else "999999"
        elif key == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            from amina.geo.models import Location

            values[key] = ContentType.objects.get_for_model(Location).pk
        elif key == "url":
            values[key] = "no-such-page/"
        else:
            raise AssertionError(f"admin route {route.name} has an argument {key!r} to fill")
    if route.name == "admin:view_on_site":
        values["object_id"] = str(world.location_a.pk)
    if route.name == "admin:autocomplete":
        query = "?app_label=geo&model_name=location&field_name=district"
    return values, query


def url_for(route: Route, world: World) -> tuple[str, Sample]:
    """The route's URL with arguments from governorate A, or a failure saying what to add."""
    if route.admin:
        kwargs, query = _admin_kwargs(route, world)
        return reverse(route.name, kwargs=kwargs) + query, Sample(allowed=ADMIN)
    if route.name.startswith("<unnamed"):
        pytest.fail(f"route {route.pattern!r} has no name: give it one so the matrix can call it")
    if route.app in APPS_WITHOUT_SAMPLES:
        pytest.fail(
            f"the app {route.app!r} has no tests/access_samples.py: declare who may open "
            f"{route.name} ({route.pattern}) and its other routes there "
            f"(see amina.lib.testing.access)"
        )
    sample = SAMPLES.get(route.name)
    if sample is None:
        if not route.kwargs:
            return _reverse(route, {}), Sample()
        pytest.fail(
            f"route {route.name} ({route.pattern}) takes {', '.join(route.kwargs)}: add "
            f'"{route.name}": Sample(lambda w: {{...}}, allowed=...) to ACCESS_SAMPLES in '
            f"amina/{route.app or 'core'}/tests/access_samples.py (see amina.lib.testing.access)"
        )
    kwargs = sample.build(world)
    missing = set(route.kwargs) - set(kwargs)
    assert not missing, f"the sample of {route.name} does not fill {', '.join(sorted(missing))}"
    return _reverse(route, kwargs) + sample.query, sample


def _reverse(route: Route, kwargs: dict) -> str:
    name = (
        route.name.removeprefix("api:")
        if route.api and route.name.startswith("api:")
        else route.name
    )
    return reverse(name, kwargs=kwargs)


def _refused_anonymously(route: Route, response) -> bool:
    if route.api:
        return response.status_code in (401, 403)
    return _is_login_redirect(response)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and (
        response["Location"].startswith(reverse("login"))
        or response["Location"].startswith("/admin/login/")
    )


def _allowed(response) -> bool:
    """Answered: a page, a redirect elsewhere than a login, or "use POST" for a form action."""
    if _is_login_redirect(response):
        return False
    return response.status_code < 400 or response.status_code == 405


def _refused(route: Route, response) -> bool:
    if route.admin:
        return _is_login_redirect(response) or response.status_code == 403
    return response.status_code in (403, 404)


#: Personas who must never see a location of governorate A: whatever route they open,
#: its answer must not carry the location's name or DTM id (a marker of location-level data).
OUTSIDERS = ("officer_b", "partner")


def _marker_of_a(response, world: World) -> str:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(
        ("text", "application/json")
    ):
        return ""
    body = response.content.decode()
    location = world.location_a
    return next(
        (m for m in (location.name_en, location.name_ar, location.dtm_place_id) if m in body), ""
    )


#: For the admin's routes every non-staff persona is alike: a partner stands for all.
ADMIN_SITE_PERSONAS = ("admin", "partner")


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_route_refuses_anonymous_callers_and_answers_exactly_the_personas_of_its_scope(
    client, world, route
):
    url, sample = url_for(route, world)
    response = client.get(url)
    if route.name in PUBLIC or route.name in LOGOUT:
        assert response.status_code in (200, 302, 405), f"{route.name} should answer anyone"
        assert not _is_login_redirect(response), f"public {route.name} asks for a login"
        return
    assert _refused_anonymously(route, response), (
        f"{route.name} ({url}) answered {response.status_code} to an anonymous caller"
    )
    wrong = []
    for persona in ADMIN_SITE_PERSONAS if route.admin else PERSONAS:
        client.force_login(world.users[persona])
        response = client.get(url)
        if route.admin and persona in sample.allowed:
            # An admin may meet 403 where the model admin forbids adding or deleting
            # (the audit trail is read-only for everyone); never a login page or an error.
            if _is_login_redirect(response) or response.status_code >= 500:
                wrong.append(f"{persona} should open it but got {response.status_code}")
        elif persona in sample.allowed and not _allowed(response):
            wrong.append(f"{persona} should open it but got {response.status_code}")
        elif persona not in sample.allowed and not _refused(route, response):
            wrong.append(f"{persona} should be refused but got {response.status_code}")
        if persona in OUTSIDERS and (shown := _marker_of_a(response, world)):
            wrong.append(f"{persona} is shown governorate A's location ({shown})")
        client.logout()
    assert not wrong, f"{route.name} ({url}): " + "; ".join(wrong)


def test_every_sample_names_a_route_that_exists():
    names = {r.name for r in ROUTES}
    stale = sorted(set(SAMPLES) - names)
    assert not stale, f"samples for routes that do not exist (renamed?): {stale}"


def test_the_matrix_covers_pages_api_and_admin_routes():
    names = {r.name for r in ROUTES}
    assert {
        "home",
        "geo:location-detail",
        "api:location-list",
        "admin:geo_location_changelist",
    } <= names
    assert len(ROUTES) > 60


def _api_model(route: Route):
    match = get_resolver().resolve(_reverse(route, {}))
    view = match.func.cls
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else None
    if model is None and getattr(view, "serializer_class", None) is not None:
        model = getattr(getattr(view.serializer_class, "Meta", None), "model", None)
    return view, model


def _governorates_of(model, ids) -> set[int]:
    from amina.accounts.access import scope_paths
    from amina.geo.models import Governorate

    if model is Governorate:
        return set(ids)
    try:
        paths = scope_paths(model)
    except TypeError:
        paths = ("governorate",) if any(f.name == "governorate" for f in model._meta.fields) else ()
    found: set[int] = set()
    for path in paths:  # a record of several governorates (a duplicate pair) shows each
        lookup = path if path.endswith("_id") or path == "pk" else f"{path}__pk"
        found |= set(model._default_manager.filter(pk__in=ids).values_list(lookup, flat=True))
    return found


API_LISTS = [r for r in ROUTES if r.api and r.name.endswith("-list") and not r.kwargs]


@pytest.mark.parametrize("route", API_LISTS, ids=str)
def test_api_lists_return_only_records_in_the_callers_scope(api_client, world, route):
    """Officer B reads nothing of governorate A; partners read nothing location-level."""
    view, model = _api_model(route)
    url = _reverse(route, {})
    for persona in ("officer_b", "partner"):
        api_client.force_authenticate(world.users[persona])
        response = api_client.get(url)
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, f"{route.name} as {persona}: {response.status_code}"
        rows = response.json()["results"] if isinstance(response.json(), dict) else response.json()
        ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
        if model is None or not ids:
            continue
        if persona == "partner" and getattr(view, "detail_level", False):
            pytest.fail(f"{route.name} gives a partner {len(ids)} location-level records")
        governorates = _governorates_of(model, ids)
        if persona == "officer_b":
            assert world.gov_a.pk not in governorates, f"{route.name} leaks governorate A to B"


def test_an_officer_reads_the_locations_of_their_governorate_and_not_the_others(api_client, world):
    api_client.force_authenticate(world.users["officer_a"])
    ids = {row["id"] for row in api_client.get("/api/v1/geo/locations/").json()["results"]}
    assert ids == {world.location_a.pk}
    api_client.force_authenticate(world.users["partner"])
    assert api_client.get("/api/v1/geo/locations/").json()["results"] == []


def test_every_app_with_routes_declares_its_access_samples():
    """A new app's routes are never silently uncovered: its samples file must exist."""
    apps_with_routes = {r.app for r in ROUTES if r.app and not r.admin}
    missing = sorted(apps_with_routes & APPS_WITHOUT_SAMPLES)
    assert not missing, f"apps without tests/access_samples.py: {missing}"
    pending = [r.name for r in ROUTES if r.kwargs and not r.admin and r.name not in SAMPLES]
    assert not pending, f"routes with arguments and no sample: {pending}"


#: Routes that show partners location-level records on purpose, by decision of the lead.
#: The 4W is information about organisations, not about displaced people: every actor must
#: see who does what where to avoid duplicating and to find gaps (issue 7), as OCHA's 3W/4W
#: products are shared with all partners. The test asserts they do show it, so a change of
#: policy is a deliberate edit here.
SHARED_WITH_PARTNERS = {
    "coordination:activity-list": "the 4W list",
    "coordination:activity-export": "the 4W export",
    "coordination:activity-geojson": "the 4W map",
}


def _populate(world: World) -> list[str]:
    """Every sample's records in governorate A at once (each in a savepoint): the names of
    the samples that could not be made beside the others, for the failure message."""
    from django.db import transaction

    failed = []
    for name, sample in sorted(SAMPLES.items()):
        if not callable(sample.kwargs):
            continue
        try:
            with transaction.atomic():
                sample.build(world)
        except Exception as exc:  # noqa: BLE001 (a sample made twice may clash: it is listed)
            failed.append(f"{name}: {type(exc).__name__}")
    return failed


#: Pages, exports and API routes without arguments (logging out would end the session).
LISTS = [r for r in ROUTES if not r.kwargs and not r.admin and r.name not in PUBLIC | LOGOUT]


def test_with_governorate_a_full_of_records_no_list_shows_them_to_officer_b_or_a_partner(
    client, api_client, world
):
    """The per-route cases run on a governorate A holding one sample at a time; here every
    sample's records exist together, and every page, export and API list without arguments
    is opened by officer B and a partner: none may show A's location, and no API list may
    give B a record of A or a partner a location-level record."""
    unmade = _populate(world)
    seen_by_a, leaks = 0, []
    for route in LISTS:
        sample = SAMPLES.get(route.name, Sample())
        url = _reverse(route, {}) + sample.query
        for persona in ("officer_a", *OUTSIDERS):
            client.force_login(world.users[persona])
            response = client.get(url)
            shown = _marker_of_a(response, world)
            client.logout()
            if persona == "officer_a":
                seen_by_a += bool(shown)
            elif shown:
                leaks.append(f"{route.name} shows {shown!r} to {persona}")
    for route in API_LISTS:
        view, model = _api_model(route)
        for persona in OUTSIDERS:
            api_client.force_authenticate(world.users[persona])
            response = api_client.get(_reverse(route, {}))
            if response.status_code != 200 or model is None:
                continue
            data = response.json()
            rows = data["results"] if isinstance(data, dict) and "results" in data else data
            ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
            if ids and persona == "partner" and getattr(view, "detail_level", False):
                leaks.append(f"{route.name} gives a partner {len(ids)} location-level records")
            if ids and persona == "officer_b" and world.gov_a.pk in _governorates_of(model, ids):
                leaks.append(f"{route.name} gives officer B records of governorate A")
    assert seen_by_a >= 10, (
        f"the samples did not fill governorate A: {seen_by_a} lists show it to its officer; "
        f"samples that could not be made: {unmade}"
    )
    shared = [
        leak
        for leak in leaks
        if leak.split(" ", 1)[0] in SHARED_WITH_PARTNERS and leak.endswith("to partner")
    ]
    unknown = [leak for leak in leaks if leak not in shared]
    assert not unknown, "; ".join(unknown)
    not_shown = sorted(set(SHARED_WITH_PARTNERS) - {leak.split(" ", 1)[0] for leak in shared})
    assert not not_shown, f"partners no longer see these shared 4W routes: {not_shown}"
