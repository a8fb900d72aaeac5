import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from amina.audit.models import ChangeLog
from amina.lib.tabular import ImportFailed
from amina.needs.importing import import_needs_file
from amina.needs.models import NeedsAssessment, PriorityNeed, SectorSeverity, Submission
from amina.needs.xlsform import build_xlsform, location_code

from .conftest import kobo_csv
from .kobo import as_xlsx, headers, submission, survey_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(location_a, location_b, gov_a, gov_b):
    return build_xlsform([gov_a, gov_b])


def _answers(place, **over):
    location = place
    values = {
        "start": "2015-06-04T08:00:00.000+03:00",
        "end": "2015-06-04T09:10:00.000+03:00",
        "governorate": location.governorate.pcode,
        "location": location_code(location),
        "assessed_on": "2015-06-04",
        "team": "RART 2",
        "ki_count": "4",
        "ki_description": "mukhtar, school director",
        "population": "1200",
        "phase": "during",
        "sev_1": "3",
        "sev_2": "5",
        "sev_4": "4",
        "sev_5": "2",
        "priority_1": "2",
        "priority_1_text": "tents before winter",
        "priority_2": "4",
        "priority_3": "1",
        "access_constraints": "checkpoint on the main road",
        "notes": "",
    }
    values.update(over)
    return values


def test_an_export_of_the_filled_form_imports(form, location_a, location_b):
    paths = survey_paths(form)
    rows = [
        submission(paths, _answers(location_a), instance="a1"),
        submission(paths, _answers(location_b, sev_2="", sev_10="4", priority_3=""), instance="b1"),
    ]
    result = import_needs_file(None, kobo_csv(rows, headers(paths)), filename="kobo.csv")
    assert result.created == 2 and result.already_imported == 0
    a = NeedsAssessment.objects.get(submission__instance_id="a1")
    assert a.location == location_a and a.assessed_on == datetime.date(2015, 6, 4)
    assert a.team == "RART 2" and a.key_informants_count == 4
    assert a.population_individuals == 1200 and a.phase.code == "during"
    assert dict(a.severities.values_list("sector__code", "severity")) == {1: 3, 2: 5, 4: 4, 5: 2}
    assert list(a.priorities.values_list("rank", "sector__code", "detail")) == [
        (1, 2, "tents before winter"),
        (2, 4, ""),
        (3, 1, ""),
    ]
    b = NeedsAssessment.objects.get(submission__instance_id="b1")
    assert dict(b.severities.values_list("sector__code", "severity")) == {1: 3, 4: 4, 5: 2, 10: 4}
    assert b.priorities.count() == 2
    assert ChangeLog.objects.filter(model="needs.needsassessment", action="import").exists()


def test_an_odk_central_xlsx_export_with_dash_separators_imports(form, location_a):
    paths = survey_paths(form, sep="-")
    rows = [
        submission(
            paths, _answers(location_a, ki_count=4, population=None), instance="x9", meta_sep="-"
        )
    ]
    result = import_needs_file(
        None, as_xlsx(rows, headers(paths, meta_sep="-")), filename="central.xlsx"
    )
    assert result.created == 1
    assert Submission.objects.get().instance_id == "x9"


def test_importing_the_same_submission_twice_changes_nothing(form, location_a):
    paths = survey_paths(form)
    data = kobo_csv([submission(paths, _answers(location_a), instance="dup")], headers(paths))
    assert import_needs_file(None, data).created == 1
    counts = (
        NeedsAssessment.objects.count(),
        SectorSeverity.objects.count(),
        PriorityNeed.objects.count(),
    )
    again = import_needs_file(None, data)
    assert again.created == 0 and again.already_imported == 1
    assert counts == (
        NeedsAssessment.objects.count(),
        SectorSeverity.objects.count(),
        PriorityNeed.objects.count(),
    )


def test_a_submission_repeated_inside_one_file_is_imported_once(form, location_a):
    paths = survey_paths(form)
    row = submission(paths, _answers(location_a), instance="twice")
    result = import_needs_file(None, kobo_csv([row, row], headers(paths)))
    assert (result.created, result.already_imported) == (1, 1)


@pytest.mark.parametrize(
    ("override", "row", "column", "message"),
    [
        ({"sev_4": "7"}, 3, "severity/sev_4", "not a severity"),
        ({"priority_2": "2"}, 3, "priorities/priority_2", "already an earlier priority"),
        ({"location": "999999999"}, 3, "general/location", "unknown location"),
        ({"assessed_on": "yesterday"}, 3, "general/assessed_on", "not a date"),
        ({"ki_count": "four"}, 3, "general/ki_count", "not a whole number"),
        ({"team": ""}, 3, "general/team", "required"),
        ({"priority_1": ""}, 3, "priorities/priority_1", "required"),
        ({"governorate": "IQG09"}, 3, "general/governorate", "not the governorate"),
    ],
)
def test_a_malformed_export_is_refused_with_row_and_column(
    form, location_a, override, row, column, message
):
    paths = survey_paths(form)
    rows = [
        submission(paths, _answers(location_a), instance="good"),
        submission(paths, _answers(location_a, **override), instance="bad"),
    ]
    with pytest.raises(ImportFailed) as caught:
        import_needs_file(None, kobo_csv(rows, headers(paths)))
    problems = caught.value.report.errors
    assert any(p.row == row and p.column == column and message in p.message for p in problems), [
        str(p) for p in problems
    ]
    assert not NeedsAssessment.objects.exists() and not Submission.objects.exists()


def test_a_file_without_instance_ids_is_refused(form, location_a):
    paths = survey_paths(form)
    header = [h for h in headers(paths) if h not in ("meta/instanceID", "_uuid")]
    data = kobo_csv([submission(paths, _answers(location_a))], header)
    with pytest.raises(ImportFailed, match="instanceID"):
        import_needs_file(None, data)


def test_a_file_that_is_not_this_form_is_refused(location_a):
    with pytest.raises(ImportFailed, match="no header row|missing required column"):
        import_needs_file(None, b"name,age\nAli,4\n")


def test_the_command_imports_and_fails_cleanly(tmp_path, form, location_a, capsys):
    paths = survey_paths(form)
    good = tmp_path / "good.csv"
    good.write_bytes(kobo_csv([submission(paths, _answers(location_a))], headers(paths)))
    call_command("import", "needs", str(good))
    assert "imported 1 needs assessments" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(kobo_csv([submission(paths, _answers(location_a, sev_1="x"))], headers(paths)))
    with pytest.raises(CommandError, match="row 2, column 'severity/sev_1'"):
        call_command("import", "needs", str(bad))
    assert NeedsAssessment.objects.count() == 1


def _upload_and_run(client, user, data):
    """Upload as ``user``, then run the import job as a worker would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amina.jobs.models import Job
    from amina.jobs.services import execute

    client.force_login(user)
    response = client.post(
        reverse("needs:import"), {"file": SimpleUploadedFile("kobo.csv", data, "text/csv")}
    )
    job = Job.objects.get(kind="needs-import")
    assert response.url == reverse("jobs:detail", args=[job.pk]), "nothing is read in the request"
    return execute(job)


def test_an_upload_outside_the_users_governorates_is_refused(
    client, form, officer_b, location_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    paths = survey_paths(form)
    data = kobo_csv([submission(paths, _answers(location_a))], headers(paths))
    job = _upload_and_run(client, officer_b, data)
    assert job.status == "failed" and "outside your governorates" in job.error
    assert not NeedsAssessment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*")), "the upload is removed"


def test_a_field_user_uploads_an_export(client, form, field_a, location_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    paths = survey_paths(form)
    data = kobo_csv([submission(paths, _answers(location_a))], headers(paths))
    job = _upload_and_run(client, field_a, data)
    assert job.status == "succeeded", job.error
    assert job.result["created"] == 1 and job.result["next_url"] == reverse("needs:assessments")
    assert NeedsAssessment.objects.get().location == location_a
    assert not any(p.is_file() for p in tmp_path.rglob("*")), "the upload is removed"
