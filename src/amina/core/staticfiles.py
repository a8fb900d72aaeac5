"""Static files light on a slow link, in every mode: hashed names cached for a year,
gzip and brotli copies beside each file, and no source maps.

- ``StaticStorage``: whitenoise's compressed manifest storage (``name.<hash>.js`` plus
  ``.gz`` and ``.br``; whitenoise serves hashed names with ``Cache-Control: max-age=…,
  immutable``). The ``sourceMappingURL`` comments of the vendored libraries are taken out
  of the collected copies, since their ``.map`` files are not collected (a browser would
  otherwise ask for a file that is not there). A name missing from the manifest (a file
  added since the last collection, or no collection at all: tests, a command rendering a
  template) falls back to its plain name instead of failing the page.
- ``FileSystemFinder`` / ``AppDirectoriesFinder``: Django's finders without ``*.map``, so
  neither ``collectstatic`` nor whitenoise (which lists the finders too) ever sees a
  source map. The maps stay committed under ``static/vendor/`` for developers.
- ``ensure_collected``: runs ``collectstatic`` when the source files changed since the
  last collection (or there was none). ``amina serve`` (and so ``amina demo``) calls it
  before starting, so a fresh checkout needs no manual step.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: What the finders leave out, beside the ignore patterns of collectstatic (CVS, .*, *~).
IGNORE = ["*.map"]
SOURCE_MAP = re.compile(r"sourceMappingURL", re.IGNORECASE)


class _WithoutSourceMaps:
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *IGNORE])

    def find(self, path, find_all=False, **kwargs):
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in IGNORE):
            return [] if find_all or kwargs.get("all") else None
        return super().find(path, find_all=find_all, **kwargs)


class FileSystemFinder(_WithoutSourceMaps, finders.FileSystemFinder):
    pass


class AppDirectoriesFinder(_WithoutSourceMaps, finders.AppDirectoriesFinder):
    pass


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url_converter(self, name, hashed_files, template=None):
        if template and SOURCE_MAP.search(template):
            # The map is not collected: drop the comment rather than point at nothing.
            return lambda match: ""
        return super().url_converter(name, hashed_files, template)

    def compress_files(self, paths):
        # Pages link the hashed names only: compressing the plain copies too doubled the
        # time of a collection for nothing.
        hashed = set(self.hashed_files.values())
        return super().compress_files([path for path in paths if path in hashed])

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            # Not collected (yet): the plain name, served by the finders in development
            # and by the test server.
            return name


def _fingerprint() -> str:
    """Names, sizes and modification times of every file collectstatic would copy."""
    from django.apps import apps
    from django.conf import settings

    ignore = apps.get_app_config("staticfiles").ignore_patterns
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    entries.sort()
    entries.append(settings.STORAGES["staticfiles"]["BACKEND"])
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


def ensure_collected(stdout=None) -> bool:
    """Collect the static files if they changed since the last collection; True if it ran."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root / ".amina-sources.json"
    current = _fingerprint()
    manifest = root / "staticfiles.json"
    try:
        if manifest.exists() and json.loads(stamp.read_text())["sources"] == current:
            return False
    except (OSError, ValueError, KeyError):
        pass
    if stdout is not None:
        stdout.write("Collecting and compressing the static files …")
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(json.dumps({"sources": current}))
    return True
