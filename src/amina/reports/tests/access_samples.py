"""Samples for the access matrix (``tests/test_access_matrix.py``): reports' routes."""

from amina.lib.testing.access import AGGREGATE, EVERYONE, Sample

#: Roles that draft reports: every role that sees detail, in its own scope.
DRAFTERS = EVERYONE - {"partner"}
#: A draft about governorate A: its officer and the national roles.
DRAFT_A = frozenset({"admin", "national", "officer_a", "field_a", "logistics_a"})


def _draft(world) -> dict:
    from amina.reports import services
    from amina.reports.tests.data import make_displacement

    make_displacement()
    report = services.create_report(
        world.users["officer_a"], round_code="R2", governorates=[world.gov_a], language="en"
    )
    return {"pk": report.pk}


def _data(world) -> dict:
    from amina.reports.tests.data import make_displacement

    make_displacement()
    return {}


def _publication(world) -> dict:
    from amina.reports import services

    publication = services.publish_file(
        world.users["officer_a"],
        kind="map",
        title="Map of A",
        content=b"<svg/>",
        filename="a.svg",
        content_type="image/svg+xml",
        governorates=[world.gov_a],
        date="2015-06-01",
    )
    return {"pk": publication.pk}


ACCESS_SAMPLES = {
    "reports:report-list": Sample(allowed=DRAFTERS),
    "reports:report-create": Sample(allowed=DRAFTERS),
    "reports:schedules": Sample(allowed=DRAFTERS),
    "reports:report-edit": Sample(_draft, DRAFT_A),
    "reports:report-preview": Sample(_draft, DRAFT_A),
    "reports:report-preview-pdf": Sample(_draft, DRAFT_A),
    # POST-only actions answer 405 to a GET before looking anything up
    "reports:report-publish": Sample(_draft, EVERYONE),
    "reports:schedule-toggle": Sample({"pk": 1}, EVERYONE),
    "reports:dataset-publish": Sample(
        {"name": "displacement-governorates", "fmt": "hxl"}, EVERYONE
    ),
    "reports:map-publish": Sample(allowed=EVERYONE),
    "reports:map-download": Sample(_data, EVERYONE),
    "reports:publication-detail": Sample(_publication, AGGREGATE),
    "reports:publication-download": Sample(_publication, AGGREGATE),
    "reports:dataset-download": Sample({"name": "displacement-governorates", "fmt": "csv"}),
    "api:reports-publication-detail": Sample(_publication, AGGREGATE),
    "api:reports-publication-download": Sample(_publication, AGGREGATE),
    "api:reports-dataset-detail": Sample({"pk": "displacement-governorates"}),
}
