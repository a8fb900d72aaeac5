"""Every filter a list accepts is in the OpenAPI document (issue 14).

The filters are declared once, as each view's django-filter ``FilterSet``; this test reads
the declarations from the router and the parameters from the generated document, so a
filter added to a view without reaching the document (or parsed by hand beside it) fails.
"""

from functools import cache

from drf_spectacular.generators import SchemaGenerator

import amina.api_urls  # noqa: F401  (registers every app's viewsets on the router)
from amina.lib.api import router

PREFIX = "/api/v1/"


@cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _documented(path: str) -> set[str]:
    operation = _schema()["paths"][path]["get"]
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def _declared_routes():
    """(path, filter names) for each list and each action with its own filter set."""
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is not None and hasattr(viewset, "list"):
            yield f"{PREFIX}{prefix}/", set(filterset.base_filters), viewset
        for extra in viewset.get_extra_actions():
            own = extra.kwargs.get("filterset_class")
            if own is not None and "get" in extra.mapping:
                where = (
                    f"{{{viewset.lookup_url_kwarg or viewset.lookup_field}}}/"
                    if (extra.detail)
                    else ""
                )
                if extra.detail and where == "{pk}/":
                    where = "{id}/"
                yield (
                    f"{PREFIX}{prefix}/{where}{extra.url_path}/",
                    set(own.base_filters),
                    viewset,
                )


def test_every_list_documents_each_filter_its_view_accepts():
    missing = {}
    routes = list(_declared_routes())
    for path, names, viewset in routes:
        undocumented = names - _documented(path)
        if undocumented:
            missing[f"{path} ({viewset.__name__})"] = sorted(undocumented)
    assert not missing, f"filters accepted but not documented: {missing}"
    # the lists the issue named, so an empty router cannot pass this test
    paths = {path for path, _names, _viewset in routes}
    for named in (
        "coordination/activities/",
        "reports/publications/",
        "supply/movements/",
        "supply/plans/{id}/households/",
        "tracking/summaries/",
        "needs/summary/",
    ):
        assert f"{PREFIX}{named}" in paths, named


def test_every_documented_filter_is_validated_by_its_view():
    """The converse: a query parameter in the document is a declared filter or paging."""
    declared = {path: names for path, names, _viewset in _declared_routes()}
    stray = {}
    for path, item in _schema()["paths"].items():
        if "get" not in item or path not in declared:
            continue
        extra = _documented(path) - declared[path] - {"page"}
        if extra:
            stray[path] = sorted(extra)
    assert not stray, f"documented but not declared as filters: {stray}"
