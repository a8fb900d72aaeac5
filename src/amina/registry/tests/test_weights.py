import pytest
from django.urls import reverse

from amina.registry.models import Criterion, Household

pytestmark = pytest.mark.django_db


def test_an_admin_changes_a_weight_and_every_score_follows(client, admin_user, household_b):
    assert household_b.vulnerability_score == 20  # female-headed, default weight
    client.force_login(admin_user)
    data = {c.value: 5 for c in Criterion}
    data["female_headed"] = 40
    response = client.post(reverse("registry:weights"), data)
    assert response.status_code == 302
    household_b.refresh_from_db()
    assert household_b.vulnerability_score == 40


def test_the_score_is_capped_at_100(register, location_a):
    household = register(
        location_a,
        female_headed=True,
        disability=True,
        chronic_illness=True,
        size=9,
        members=[{"first_name_ar": f"ولد{i}"} for i in range(8)],
    )
    assert Household.objects.get(pk=household.pk).vulnerability_score <= 100
    assert "large_household" in household.vulnerability_reasons


def test_only_admins_open_the_weights_page(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("registry:weights")).status_code == 403


def test_the_household_page_shows_the_score_and_its_reasons(
    client, officer_a, household_b, officer_b
):
    client.force_login(officer_b)
    body = client.get(reverse("registry:detail", args=[household_b.pk])).content.decode()
    assert 'data-testid="score">20<' in body
    assert str(Criterion.FEMALE_HEADED.label) in body
