"""Recording 4W activities, one at a time (imports are in ``imports``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.coordination.models import Activity


def validate_place(activity: Activity) -> None:
    """The district and location, when given, must lie in the governorate (and district)."""
    errors = {}
    if activity.district_id and activity.district.governorate_id != activity.governorate_id:
        errors["district"] = _("This district is not in the governorate.")
    if activity.location_id:
        loc = activity.location
        if loc.governorate_id != activity.governorate_id:
            errors["location"] = _("This location is not in the governorate.")
        elif activity.district_id and loc.district_id and loc.district_id != activity.district_id:
            errors["location"] = _("This location is not in the district.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_activity(user, activity: Activity) -> Activity:
    """Create or change one activity; partners may only touch their own organisation's.

    On a change the rights are checked against both the stored and the new values, so a
    partner can neither edit another's activity nor move theirs to another organisation.
    """
    creating = activity.pk is None
    before = {}
    if not creating:
        stored = Activity.objects.select_related("organisation", "governorate").get(pk=activity.pk)
        access.check(user, "activity.report", stored.governorate, organisation=stored.organisation)
        before = snapshot(stored)
    access.check(user, "activity.report", activity.governorate, organisation=activity.organisation)
    if activity.location_id and not activity.district_id:
        activity.district_id = activity.location.district_id
    validate_place(activity)
    if creating and activity.reported_by_id is None and getattr(user, "pk", None):
        activity.reported_by = user
    activity.full_clean(exclude=["people_reached"])
    activity.save()
    record_change(
        user, activity, "create" if creating else "update", diff(before, snapshot(activity))
    )
    return activity


@transaction.atomic
def delete_activity(user, activity: Activity) -> None:
    access.check(user, "activity.report", activity.governorate, organisation=activity.organisation)
    record_change(user, activity, "delete", snapshot(activity))
    activity.delete()
