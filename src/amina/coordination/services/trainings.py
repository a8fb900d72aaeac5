"""Capacity building: trainings, participants, attendance and test scores."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_bulk, record_change, snapshot
from amina.coordination.models import Attendance, Participant, Training

#: Share of the training's days a participant must attend to earn a certificate.
CERTIFICATE_ATTENDANCE = 0.8


@transaction.atomic
def save_training(user, training: Training, sectors=None) -> Training:
    creating = training.pk is None
    before = {} if creating else snapshot(Training.objects.get(pk=training.pk))
    if not creating:
        access.check(user, "training.manage", Training.objects.get(pk=training.pk).governorate)
    access.check(user, "training.manage", training.governorate)
    if creating and getattr(user, "pk", None):
        training.created_by = user
    training.full_clean()
    training.save()
    if sectors is not None:
        training.sectors.set(sectors)
    record_change(
        user, training, "create" if creating else "update", diff(before, snapshot(training))
    )
    return training


@transaction.atomic
def add_participant(user, training: Training, participant: Participant) -> Participant:
    access.check(user, "training.manage", training.governorate)
    participant.training = training
    _check_scores(training, participant.pre_score, participant.post_score)
    participant.full_clean()
    participant.save()
    record_change(user, participant, "create", {}, label=f"participant #{participant.pk}")
    return participant


def _check_scores(training: Training, *scores) -> None:
    for score in scores:
        if score is not None and not 0 <= score <= training.max_score:
            raise ValidationError(
                _("A score must be between 0 and %(max)s.") % {"max": training.max_score}
            )


@transaction.atomic
def record_results(
    user, training: Training, results: dict[int, tuple[int | None, int | None, set[datetime.date]]]
) -> int:
    """Set each participant's scores and the days they attended, in one go.

    ``results`` maps participant id → (pre, post, days present). Every score is checked
    before anything is written; days outside the training are refused.
    """
    access.check(user, "training.manage", training.governorate)
    days = set(training.days())
    people = {p.pk: p for p in training.participants.all()}
    errors = []
    for pk, (pre, post, present) in results.items():
        if pk not in people:
            errors.append(_("Unknown participant %(id)s.") % {"id": pk})
            continue
        try:
            _check_scores(training, pre, post)
        except ValidationError as exc:
            errors.append(f"#{pk}: {exc.messages[0]}")
        if present - days:
            errors.append(_("#%(id)s: a day outside the training.") % {"id": pk})
    if errors:
        raise ValidationError(errors)
    for pk, (pre, post, present) in results.items():
        person = people[pk]
        person.pre_score, person.post_score = pre, post
        person.save(update_fields=["pre_score", "post_score"])
        Attendance.objects.filter(participant=person).exclude(day__in=present).delete()
        have = set(Attendance.objects.filter(participant=person).values_list("day", flat=True))
        Attendance.objects.bulk_create(
            [Attendance(participant=person, day=d) for d in sorted(present - have)]
        )
    record_bulk(
        user,
        Participant,
        "update",
        {"training": training.pk, "participants": len(results)},
        f"results of {training.title}"[:200],
    )
    return len(results)


def attendance_share(participant: Participant, training: Training) -> float:
    n = len(training.days())
    return participant.attendance.count() / n if n else 0.0


def may_have_certificate(participant: Participant) -> bool:
    return attendance_share(participant, participant.training) >= CERTIFICATE_ATTENDANCE
