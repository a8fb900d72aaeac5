"""Drafting, editing and publishing flash reports; who may do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amina.audit.models import ChangeLog
from amina.reports import services
from amina.reports.models import Publication, Report

pytestmark = pytest.mark.django_db


def test_an_officer_drafts_edits_and_publishes_versions(displacement, officer_a, gov_a):
    report = services.create_report(officer_a, round_code="R2", governorates=[gov_a], language="ar")
    assert report.status == Report.Status.DRAFT and report.version == 0
    assert report.title == "تقرير عاجل: النجف، الجولة R2"  # made in the report's language
    services.update_report(officer_a, report, story="وصلت أسر جديدة.", contacts="مكتب المحافظ")
    first = services.publish_report(officer_a, report)
    services.update_report(officer_a, report, story="قصة ثانية.")
    second = services.publish_report(officer_a, report)
    assert (first.version, second.version) == (1, 2)
    assert bytes(first.content).startswith(b"%PDF") and first.size == len(bytes(first.content))
    assert list(first.governorates.all()) == [gov_a] and not first.national
    assert first.round_code == "R2" and first.date.isoformat() == "2015-06-01"
    assert "النجف" in first.summary
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED and report.version == 2
    actions = list(
        ChangeLog.objects.filter(model__startswith="reports.").values_list("action", flat=True)
    )
    assert actions.count("publish") == 2 and "create" in actions and "update" in actions


def test_a_published_version_does_not_change_when_the_data_do(displacement, officer_a, gov_a):
    from amina.tracking.models import LocationAssessment

    report = services.create_report(officer_a, round_code="R2", governorates=[gov_a])
    first = services.publish_report(officer_a, report)
    digest = first.sha256
    LocationAssessment.objects.filter(round__code="R2", location__governorate=gov_a).update(
        families=500, individuals=3000
    )
    second = services.publish_report(officer_a, report)
    first.refresh_from_db()
    assert first.sha256 == digest and second.sha256 != digest


def test_an_officer_cannot_report_on_another_governorate(displacement, officer_a, gov_b):
    with pytest.raises(PermissionDenied):
        services.create_report(officer_a, round_code="R2", governorates=[gov_b])


def test_only_national_users_report_on_the_whole_country(displacement, officer_a, national_user):
    with pytest.raises(PermissionDenied):
        services.create_report(officer_a, round_code="R2", governorates=[])
    report = services.create_report(national_user, round_code="R2", governorates=[], language="en")
    publication = services.publish_report(national_user, report)
    assert publication.national


def test_partners_never_draft(displacement, partner, gov_a):
    with pytest.raises(PermissionDenied):
        services.create_report(partner, round_code="R2", governorates=[gov_a])


def test_it_refuses_an_unknown_round_and_changes_nothing(displacement, officer_a, gov_a):
    from amina.reports.figures import NoData

    with pytest.raises(NoData, match="unknown round"):
        services.create_report(officer_a, round_code="R9", governorates=[gov_a])
    assert not Report.objects.exists()


def test_only_narrative_parts_can_be_edited(displacement, officer_a, gov_a):
    report = services.create_report(officer_a, round_code="R2", governorates=[gov_a])
    with pytest.raises(ValidationError):
        services.update_report(officer_a, report, round_code="R1")
    with pytest.raises(ValidationError):
        services.update_report(officer_a, report, language="fr")
    assert Report.objects.get().round_code == "R2"


def test_publishing_a_dataset_makes_versions_by_title(displacement, national_user):
    a = services.publish_file(
        national_user,
        kind="export",
        title="IDPs",
        content=b"x",
        filename="a.csv",
        content_type="text/csv",
        governorates=[],
        date="2015-06-01",
    )
    b = services.publish_file(
        national_user,
        kind="export",
        title="IDPs",
        content=b"y",
        filename="a.csv",
        content_type="text/csv",
        governorates=[],
        date="2015-06-01",
    )
    assert (a.version, b.version) == (1, 2)
    assert Publication.objects.filter(kind="export").count() == 2
