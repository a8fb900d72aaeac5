"""What a user may read of reports, publications and schedules (through the access policy).

- Drafts and their editing: roles that see detail, on reports whose governorates all lie
  in their scope (a whole-country report needs national scope). Partners never see drafts.
- The library: every active user sees the published products that touch their scope;
  whole-country products are for everyone (they are already aggregated and protected).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from amina.accounts import access
from amina.reports.models import Publication, Report, Schedule


def _outside_scope(model, user):
    through = model.governorates.through
    fk = f"{model._meta.model_name}_id"
    return through.objects.filter(**{fk: OuterRef("pk")}).exclude(
        governorate_id__in=access.governorate_ids(user)
    )


def reports_for(user) -> QuerySet[Report]:
    if not access.sees_detail(user):
        return Report.objects.none()
    qs = Report.objects.select_related("author")
    if access.has_national_scope(user):
        return qs
    has_any = Report.governorates.through.objects.filter(report_id=OuterRef("pk"))
    return qs.filter(Exists(has_any)).exclude(Exists(_outside_scope(Report, user)))


def publications_for(user) -> QuerySet[Publication]:
    if not access.is_active(user):
        return Publication.objects.none()
    qs = Publication.objects.defer("content").select_related("report")
    if access.has_national_scope(user):
        return qs
    touches = Publication.governorates.through.objects.filter(
        publication_id=OuterRef("pk"), governorate_id__in=access.governorate_ids(user)
    )
    return qs.filter(Q(national=True) | Exists(touches))


def schedules_for(user) -> QuerySet[Schedule]:
    """Schedules are their owner's (and a national coordinator's, to oversee them)."""
    if not access.sees_detail(user):
        return Schedule.objects.none()
    if access.has_national_scope(user) and access.is_admin(user):
        return Schedule.objects.all()
    return Schedule.objects.filter(owner=user)
