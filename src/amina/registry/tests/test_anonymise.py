import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from amina.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def aggregates():
    return (
        list(
            Household.objects.values("governorate", "location", "status")
            .annotate(n=Count("pk"), people=Sum("size"), score=Sum("vulnerability_score"))
            .order_by("governorate", "location", "status")
        ),
        list(
            Member.objects.values("sex", "birth_year")
            .annotate(n=Count("pk"))
            .order_by("sex", "birth_year")
        ),
    )


def test_households_closed_longer_than_the_retention_are_anonymised_keeping_aggregates(
    household_a, household_b, officer_a, capsys
):
    from amina.registry.services import close_household

    close_household(officer_a, household_a, "returned")
    Household.objects.filter(pk=household_a.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=800)
    )
    before = aggregates()
    call_command("anonymise")  # default: settings.AMINA_RETENTION_DAYS (730)
    assert "anonymised 1 households" in capsys.readouterr().out
    assert aggregates() == before
    head = household_a.members.get(is_head=True)
    assert head.first_name_ar == head.phone == head.document_number == head.key_first == ""
    assert head.birth_date is None and head.birth_year == 1970
    household_a.refresh_from_db()
    assert household_a.anonymised_at is not None
    assert household_b.members.get(is_head=True).first_name_ar == "فاطمة"


def test_recently_closed_and_open_households_are_kept(household_a, officer_a):
    from amina.registry.services import close_household

    close_household(officer_a, household_a, "relocated")
    call_command("anonymise", "--older-than", "30")
    assert household_a.members.get(is_head=True).first_name_ar == "أحمد"
