"""Static files in every mode: collected with hashed names, cached for a year, served
compressed, and never a source map."""

import pytest
from django.http import HttpResponseNotFound
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

from amina.core.staticfiles import ensure_collected


@pytest.fixture
def collected(settings, tmp_path):
    """The project's own static files (vendor libraries included) collected as `amina
    serve` collects them; the apps' files (admin, API docs) are left out for speed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "amina.core.staticfiles.StaticStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["amina.core.staticfiles.FileSystemFinder"]
    settings.DEBUG = False
    assert ensure_collected() is True
    return tmp_path


def serve(path: str, encoding: str = ""):
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())
    request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING=encoding)
    return middleware(request)


def test_source_maps_are_neither_collected_nor_served_nor_pointed_at(collected):
    from django.templatetags.static import static

    assert not list(collected.rglob("*.map")) and not list(collected.rglob("*.map.*"))
    assert serve("/static/vendor/chartjs/chart.umd.min.js.map").status_code == 404
    assert serve("/static/vendor/bootstrap/css/bootstrap.min.css.map").status_code == 404
    for name in ("vendor/chartjs/chart.umd.min.js", "vendor/bootstrap/css/bootstrap.min.css"):
        response = serve(static(name))
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert b"sourceMappingURL" not in body, name


def test_pages_link_hashed_names_served_compressed_and_cached_for_a_year(collected):
    from django.templatetags.static import static

    url = static("vendor/leaflet/leaflet.js")
    assert url != "/static/vendor/leaflet/leaflet.js" and url.endswith(".js")
    response = serve(url, "gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    assert serve(url, "gzip")["Content-Encoding"] == "gzip"
    # Leaflet's stylesheet points at its images by their hashed names too.
    css = b"".join(serve(static("vendor/leaflet/leaflet.css")).streaming_content)
    assert b"images/layers." in css and b"images/layers.png" not in css


def test_collecting_again_is_skipped_until_a_source_changes(collected, settings, tmp_path_factory):
    assert ensure_collected() is False
    extra = tmp_path_factory.mktemp("more-static")
    (extra / "new.js").write_text("console.log(1);\n" * 200)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    assert ensure_collected() is True
    assert list(collected.glob("new.*.js.br"))
