"""Files people upload for an import: kept under ``MEDIA_ROOT`` only while a job needs them.

An upload is read in a background job, never in the web request (a hostile file would
hold a web worker, and on SQLite the write lock, for its whole parse). The file holds
personal data often enough that every copy is a liability, so it is removed:

- when the job that reads it ends, whatever the outcome (the handlers call ``discard``);
- when its preview finds problems (nothing will ever import it);
- when its preview waits longer than ``AMINA_UPLOAD_PREVIEW_HOURS`` for confirmation,
  or its job died without cleaning up: ``purge`` (``amina purge-uploads``, run from cron
  and at every new upload) removes any file older than that which no queued or running
  job names.
"""

from __future__ import annotations

import datetime
import logging
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

#: The folders under MEDIA_ROOT where importers keep uploads (``tracking/uploads`` is the
#: DTM upload model's ``upload_to``).
FOLDERS = ("registry-imports", "uploads", "tracking/uploads")


def check_size(upload) -> None:
    """Refuse an upload larger than ``AMINA_UPLOAD_MAX_BYTES`` (forms call this)."""
    limit = settings.AMINA_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


def fits(form, *fields: str) -> bool:
    """Whether the form's uploaded files are within the size limit; adds the error to
    the field of the first that is not."""
    for name in fields:
        upload = form.cleaned_data.get(name)
        if upload is None:
            continue
        try:
            check_size(upload)
        except ValidationError as exc:
            form.add_error(name, exc)
            return False
    return True


def save_upload(upload, folder: str) -> Path:
    """Write an uploaded file under ``MEDIA_ROOT/folder`` with a random name, readable by
    this server only; returns its path. Expired uploads are purged on the way."""
    check_size(upload)
    purge_quietly()
    directory = Path(settings.MEDIA_ROOT) / folder
    directory.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name or "").suffix.lower()[:10]
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def discard(*paths: str | Path | None) -> None:
    """Remove uploaded files (missing ones are fine): their job is over."""
    for path in paths:
        if path:
            Path(path).unlink(missing_ok=True)


def expired(when: datetime.datetime | None) -> bool:
    """Whether a preview made at ``when`` waited too long for its confirmation."""
    if when is None:
        return True
    hours = settings.AMINA_UPLOAD_PREVIEW_HOURS
    return timezone.now() - when > datetime.timedelta(hours=hours)


def _active_paths() -> set[str]:
    """Files named by a job that is queued or running: never removed under it."""
    from amina.jobs.models import Job

    active: set[str] = set()
    for parameters in Job.objects.filter(
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).values_list("parameters", flat=True):
        for value in (parameters or {}).values():
            if isinstance(value, str) and value:
                active.add(str(Path(value).resolve()))
    return active


def _files(root: Path) -> Iterable[Path]:
    for folder in FOLDERS:
        directory = root / folder
        if directory.is_dir():
            yield from (p for p in directory.rglob("*") if p.is_file())


def purge(hours: int | None = None) -> list[Path]:
    """Remove uploads older than ``hours`` (default ``AMINA_UPLOAD_PREVIEW_HOURS``) that
    no queued or running job names; returns what was removed."""
    hours = settings.AMINA_UPLOAD_PREVIEW_HOURS if hours is None else hours
    cutoff = timezone.now().timestamp() - hours * 3600
    active = _active_paths()
    removed = []
    for path in _files(Path(settings.MEDIA_ROOT)):
        try:
            if path.stat().st_mtime > cutoff or str(path.resolve()) in active:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    if removed:
        log.info("purged %d expired uploads", len(removed))
    return removed


def purge_quietly() -> None:
    """``purge`` where a failure must not stop the caller (a new upload)."""
    try:
        purge()
    except Exception:  # noqa: BLE001 (a cleanup, retried at the next upload or by cron)
        log.exception("purging expired uploads failed")
