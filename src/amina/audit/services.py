"""Writing the audit trail. Services call these inside their own transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable

from django.db.models import Model
from django.forms.models import model_to_dict

from amina.audit.models import AccessLog, ChangeLog


def _actor(user) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "system"
    return user.pk, user.get_username()


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: Model, exclude: Iterable[str] = ()) -> dict:
    """The instance's field values as JSON-able data, to diff before and after a change."""
    return {k: _jsonable(v) for k, v in model_to_dict(instance).items() if k not in set(exclude)}


def diff(before: dict, after: dict) -> dict:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_change(
    user, instance: Model, action: str, changes: dict | None = None, *, label: str | None = None
) -> ChangeLog:
    """Record that ``user`` did ``action`` on ``instance``; ``changes`` maps field → [old, new]."""
    actor_id, actor_name = _actor(user)
    return ChangeLog.objects.create(
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk or ""),
        object_repr=(label or str(instance))[:200],
        diff=changes or {},
    )


def record_bulk(user, model: type[Model], action: str, summary: dict, label: str) -> ChangeLog:
    """One row for an import or other bulk write, with a summary instead of a diff per row."""
    actor_id, actor_name = _actor(user)
    return ChangeLog.objects.create(
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        model=model._meta.label_lower,
        object_repr=label[:200],
        diff=summary,
    )


def log_access(
    user,
    model: type[Model],
    object_ids: Iterable,
    action: str,
    *,
    purpose: str = "",
    channel: str = "web",
) -> AccessLog:
    """Record that ``user`` saw or exported personal data of these records, and why."""
    ids = [str(pk) for pk in object_ids]
    actor_id, actor_name = _actor(user)
    return AccessLog.objects.create(
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        model=model._meta.label_lower,
        object_ids=ids[:1000],
        count=len(ids),
        purpose=purpose[:300],
        channel=channel,
    )
