"""The access matrix's vocabulary, shared by every app's ``tests/access_samples.py``.

The matrix (``tests/test_access_matrix.py``) walks every URL pattern. A route with
arguments (``<int:pk>``, ``<str:pcode>``) needs a *sample*: how to fill its arguments
from objects in governorate A, and which personas may open it. An app declares its
samples in ``amina/<app>/tests/access_samples.py``::

    from amina.lib.testing.access import DETAIL, Sample

    ACCESS_SAMPLES = {
        # key: the route's name as the matrix prints it ("app:name" for pages,
        # "api:basename-detail" for API routes of the router)
        "tracking:round-detail": Sample(lambda w: {"pk": make_round(w.gov_a).pk}, DETAIL),
        "api:tracking-round-detail": Sample(lambda w: {"pk": make_round(w.gov_a).pk}, DETAIL),
        # a route without arguments that only some roles may open
        "tracking:round-upload": Sample(allowed={"admin", "national", "officer_a"}),
    }

A sample's function receives the ``World`` (the personas and places of the matrix) and
returns the route's keyword arguments; it may create the objects it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: The personas of ``conftest.py`` the matrix logs in as.
PERSONAS = ("admin", "national", "officer_a", "officer_b", "field_a", "logistics_a", "partner")
#: Location-level records of governorate A: the roles that see detail in A.
DETAIL = frozenset({"admin", "national", "officer_a", "field_a", "logistics_a"})
#: Governorate-level aggregates of A: the above plus partners with national scope.
AGGREGATE = DETAIL | {"partner"}
#: Every logged-in user (reference lists such as organisations).
EVERYONE = frozenset(PERSONAS)
#: System administrators only.
ADMIN = frozenset({"admin"})
#: Admins and national coordination.
NATIONAL = frozenset({"admin", "national"})


@dataclass
class World:
    """What a sample may use: the personas by name and places in governorates A and B.

    The personas and places are shared by every case of the matrix (read them, never
    change them); ``extra`` is fresh for each case, so a sample may cache there what it
    made for that case (several routes of one sample set up once).
    """

    users: dict
    gov_a: object
    gov_b: object
    district_a: object
    location_a: object
    location_b: object
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    """How to call one route in the matrix, and who may.

    ``kwargs``: a function ``World -> dict`` (or a dict) filling the route's arguments;
    ``allowed``: the personas that get an answer (the others must get 403 or 404);
    ``query``: a query string some views need (``"?field=..."``).
    """

    kwargs: Callable[[World], dict] | dict | None = None
    allowed: frozenset = EVERYONE
    query: str = ""

    def build(self, world: World) -> dict:
        if self.kwargs is None:
            return {}
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)
