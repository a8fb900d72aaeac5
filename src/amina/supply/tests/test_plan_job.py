"""Optimising a plan from its page: a background job with a progress bar, and the plan
page says how far from the proven optimum the plan is."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amina.jobs.models import Job
from amina.jobs.services import execute
from amina.supply.services import planning

from .conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(stocked, logistics_a, site_a, hygiene_kit, location_a):
    for n, score in enumerate([90, 70, 55, 40, 20], start=1):
        make_household(location_a, f"NJF-{n:04d}", score)
    return planning.create_plan(
        logistics_a,
        name="Winter round",
        site=site_a,
        item=hygiene_kit,
        period="2015-winter",
        capacity_kg=36,
    )


def test_optimising_runs_as_a_job_whose_progress_reaches_the_end(client, logistics_a, draft):
    client.force_login(logistics_a)
    response = client.post(reverse("supply:plan-action", args=[draft.pk, "optimise"]))
    job = Job.objects.get(kind=planning.OPTIMISE_JOB)
    assert response.url == reverse("jobs:detail", args=[job.pk])
    draft.refresh_from_db()
    assert draft.status == "draft", "nothing is optimised in the request"
    job = execute(job)
    assert job.status == "succeeded", job.error
    assert job.total == 4 and job.done == 4
    assert job.result["selected"] == 3
    assert job.result["next_url"] == reverse("supply:plan-detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "optimised" and draft.selected_count == 3


def test_the_plan_page_shows_the_proven_distance_to_the_optimum(client, logistics_a, draft):
    plan = planning.optimise_plan(logistics_a, draft)
    assert plan.gap == 0  # one site, one item: the relaxation is integral
    client.force_login(logistics_a)
    page = client.get(reverse("supply:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-gap"' in page and "optimal" in page
    plan.gap = 0.0012
    plan.save(update_fields=["gap"])
    page = client.get(reverse("supply:plan-detail", args=[plan.pk])).content.decode()
    assert "at most 0.12 %" in page


def test_an_approved_plan_is_not_queued_for_optimisation(logistics_a, draft):
    plan = planning.optimise_plan(logistics_a, draft)
    planning.approve_plan(logistics_a, plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        planning.start_optimise(logistics_a, plan)
    assert not Job.objects.filter(kind=planning.OPTIMISE_JOB).exists()


def test_a_job_for_a_plan_approved_meanwhile_fails_with_the_reason(logistics_a, draft):
    job = planning.start_optimise(logistics_a, draft)
    plan = planning.optimise_plan(logistics_a, draft)
    planning.approve_plan(logistics_a, plan)
    job = execute(job)
    assert job.status == "failed" and "cannot be changed" in job.error
