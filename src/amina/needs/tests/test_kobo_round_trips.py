"""KoboToolbox and ODK Central round trips (issue 15): the form Amina generates, filled and
exported by either server, comes back in with the stable location code; an edited
submission replaces its original whichever is imported first; a "labels" export and an
ambiguous date are refused with what to do."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from amina.geo.services import NewLocation, create_location
from amina.lib.tabular import ImportFailed
from amina.needs.exports import export_needs
from amina.needs.importing import import_needs_file
from amina.needs.models import NeedsAssessment, Submission
from amina.needs.xlsform import build_form

from .conftest import kobo_csv
from .kobo import headers, location_choices, submission, survey_paths

pytestmark = pytest.mark.django_db

EDIT_META = ["meta/deprecatedID", "meta/rootUuid"]


@pytest.fixture
def place(gov_a, sectors):
    """A place with no DTM id: its code is one Amina gave (IQG04-L000001)."""
    return create_location(
        None,
        NewLocation("Hay Al-Ghadir", gov_a.pk, district_id=gov_a.districts.first().pk),
        source="test",
    )


@pytest.fixture
def form(place, gov_a):
    return build_form([gov_a])


def _answers(place, **over) -> dict:
    values = {
        "start": "2015-06-04T08:00:00.000+03:00",
        "end": "2015-06-04T09:10:00.000+03:00",
        "today": "2015-06-04",
        "deviceid": "collect:abc123",
        "username": "rart2",
        "governorate": place.governorate.pcode,
        "location": place.code,
        "assessed_on": "2015-06-04",
        "team": "RART 2",
        "ki_count": "4",
        "sev_1": "3",
        "sev_2": "4",
        "priority_1": "2",
    }
    values.update(over)
    return values


def _kobo(form, rows: list[dict]) -> bytes:
    paths = survey_paths(form.xlsx)
    return kobo_csv(rows, headers(paths) + EDIT_META)


def _original(form, place, instance="orig-1", **over) -> dict:
    return submission(survey_paths(form.xlsx), _answers(place, **over), instance=instance)


def _edit(form, place, *, root="orig-1", previous=None, instance="edit-1", stated_root=True):
    """A KoboToolbox edit: a new instance ID (and ``_uuid``), the version it replaces in
    ``meta/deprecatedID`` and, in recent KoboToolbox, the first one in ``meta/rootUuid``."""
    row = submission(survey_paths(form.xlsx), _answers(place, sev_1="5"), instance=instance)
    row["meta/deprecatedID"] = f"uuid:{previous or root}"
    if stated_root:
        row["meta/rootUuid"] = f"uuid:{root}"
    return row


def _severity_1(assessment) -> int:
    return assessment.severities.get(sector__code=1).severity


def test_a_submission_from_the_generated_form_lands_with_the_stable_location_code(
    form, place, gov_a
):
    choice = location_choices(form.locations_csv)[0]
    assert choice == place.code == f"{gov_a.pcode}-L000001"
    import_needs_file(None, _kobo(form, [_original(form, place)]), filename="kobo.csv")
    assessment = NeedsAssessment.objects.get()
    assert assessment.location == place
    exported = list(csv.DictReader(io.StringIO(export_needs(None, "csv").decode("utf-8-sig"))))
    assert {row["Location code"] for row in exported} == {choice}


@pytest.mark.parametrize("stated_root", [True, False], ids=["rootUuid", "deprecatedID-only"])
def test_an_edit_imported_after_its_original_replaces_its_values(form, place, stated_root):
    import_needs_file(None, _kobo(form, [_original(form, place)]))
    result = import_needs_file(None, _kobo(form, [_edit(form, place, stated_root=stated_root)]))
    assert (result.created, result.replaced) == (0, 1)
    assessment = NeedsAssessment.objects.get()
    assert _severity_1(assessment) == 5
    sub = Submission.objects.get()
    assert (sub.instance_id, sub.version_id) == ("orig-1", "edit-1")


@pytest.mark.parametrize("stated_root", [True, False], ids=["rootUuid", "deprecatedID-only"])
def test_an_edit_imported_before_its_original_wins_and_the_original_is_superseded(
    form, place, stated_root
):
    first = import_needs_file(None, _kobo(form, [_edit(form, place, stated_root=stated_root)]))
    assert first.created == 1
    later = import_needs_file(None, _kobo(form, [_original(form, place)]))
    assert (later.created, later.replaced, later.superseded) == (0, 0, 1)
    assessment = NeedsAssessment.objects.get()
    assert _severity_1(assessment) == 5
    assert Submission.objects.get().instance_id == "orig-1"


def test_an_original_and_its_edit_in_one_file_give_one_assessment_in_either_order(form, place):
    rows = [_edit(form, place), _original(form, place)]
    result = import_needs_file(None, _kobo(form, rows))
    assert (result.created, result.superseded) == (1, 1)
    assert _severity_1(NeedsAssessment.objects.get()) == 5
    NeedsAssessment.objects.all().delete()
    result = import_needs_file(None, _kobo(form, list(reversed(rows))))
    assert result.created == 1 and _severity_1(NeedsAssessment.objects.get()) == 5


def test_an_older_edit_arriving_after_a_newer_one_changes_nothing(form, place):
    second = _edit(form, place, previous="edit-1", instance="edit-2")
    second["general/team"] = "RART 9"
    import_needs_file(None, _kobo(form, [second]))
    result = import_needs_file(None, _kobo(form, [_edit(form, place)]))
    assert (result.created, result.replaced, result.already_imported) == (0, 0, 1)
    assert NeedsAssessment.objects.get().team == "RART 9"


def _central_csv(form, place, **over) -> bytes:
    """An ODK Central CSV export: ``group-field`` headers, ``meta-instanceID`` and
    ``KEY`` (the submission's first instance ID), Central's own columns after."""
    paths = survey_paths(form.xlsx, sep="-")
    answers = _answers(place, **over)
    central = ["SubmissionDate", *paths.values(), "meta-instanceID", "KEY"]
    central += ["SubmitterID", "SubmitterName", "Status", "ReviewState", "Edits", "FormVersion"]
    row = {paths[name]: value for name, value in answers.items()}
    row.update(SubmissionDate="2015-06-05T10:00:00.000Z", SubmitterID="5", Edits="0")
    row["meta-instanceID"] = row["KEY"] = "uuid:central-1"
    return kobo_csv([row], central)


def test_an_odk_central_csv_export_imports(form, place):
    result = import_needs_file(None, _central_csv(form, place), filename="central.csv")
    assert result.created == 1
    assert Submission.objects.get().instance_id == "central-1"
    assert NeedsAssessment.objects.get().location == place


def test_an_odk_central_edit_replaces_its_submission(form, place):
    import_needs_file(None, _central_csv(form, place))
    edited = _central_csv(form, place, sev_1="5").decode("utf-8")
    edited = edited.replace("uuid:central-1,uuid:central-1", "uuid:central-1b,uuid:central-1")
    result = import_needs_file(None, edited.encode("utf-8"))
    assert result.replaced == 1 and _severity_1(NeedsAssessment.objects.get()) == 5


def test_a_labels_export_is_refused_with_how_to_export_it(form, place):
    header = [
        "start",
        "end",
        "Assessment/Governorate",
        "Assessment/Location",
        "Assessment/Date of assessment",
        "Assessment/Team",
        "Assessment/Number of key informants",
        "_uuid",
    ]
    row = dict(zip(header, ["", "", "Al-Najaf", "Hay Al-Ghadir", "2015-06-04"], strict=False))
    with pytest.raises(ImportFailed) as caught:
        import_needs_file(None, kobo_csv([row], header), filename="labels.csv")
    (problem,) = caught.value.report.errors
    assert "Export → XML values and headers" in str(problem.message)
    assert NeedsAssessment.objects.count() == 0


@pytest.mark.parametrize("text", ["11/06/2015", "21/11/2014", "6-11-2015"])
def test_a_date_that_is_not_iso_is_refused_with_its_row_and_column(form, place, text):
    rows = [_original(form, place), _original(form, place, instance="b", assessed_on=text)]
    with pytest.raises(ImportFailed) as caught:
        import_needs_file(None, _kobo(form, rows))
    (problem,) = caught.value.report.errors
    assert (problem.row, problem.column) == (3, "general/assessed_on")
    assert "YYYY-MM-DD" in str(problem.message)
    assert NeedsAssessment.objects.count() == 0


def test_an_iso_date_with_a_time_is_read_as_its_day(form, place):
    row = _original(form, place, assessed_on="2015-06-04T00:00:00.000+03:00")
    import_needs_file(None, _kobo(form, [row]))
    assert NeedsAssessment.objects.get().assessed_on == datetime.date(2015, 6, 4)


def test_a_database_key_from_an_old_form_is_refused_not_guessed(form, place):
    row = _original(form, place, location=f"L{place.pk}")
    with pytest.raises(ImportFailed) as caught:
        import_needs_file(None, _kobo(form, [row]))
    (problem,) = caught.value.report.errors
    assert problem.column == "general/location" and "download the form again" in str(
        problem.message
    )
