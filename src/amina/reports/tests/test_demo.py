"""The demo step publishes an Arabic flash report for the latest round."""

import random

import pytest

from amina.accounts.demo import ensure_demo_users, organisations_and_users
from amina.lib.demo import DemoContext
from amina.reports.demo import flash_report
from amina.reports.models import Publication

pytestmark = pytest.mark.django_db


def context() -> DemoContext:
    return DemoContext(scale="small", seed=2015, rng=random.Random(2015), progress=lambda *a: None)


def test_it_publishes_a_flash_report_once_tracking_has_rounds(displacement):
    organisations_and_users(context())
    ensure_demo_users(2015)
    assert flash_report(context()) == {"reports": 1, "publications": 1}
    publication = Publication.objects.get()
    assert publication.language == "ar" and publication.round_code == "R2"
    assert [g.pcode for g in publication.governorates.all()] == ["IQG04"]
    assert flash_report(context())["reports"] == 1  # a second run adds nothing
    assert Publication.objects.count() == 1


def test_without_rounds_it_skips(reference_geography):
    assert flash_report(context()) == {"skipped": "no round"}
