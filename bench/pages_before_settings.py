"""The baseline of ``bench/bench_pages.py``: the embedded mode's static files as they were
before they were collected (plain names from the finders, no compressed copies, source
maps reachable). Used by the benchmark only."""

from amina.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = STATIC_ROOT.parent / "static-before"  # noqa: F405 (never collected)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
