"""Partial rounds: a master list of part of the country is flagged before import, imported
with the flag, and left out of trends and comparisons so nothing shows a false collapse."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amina.geo.models import Governorate
from amina.jobs.models import Job
from amina.jobs.services import execute
from amina.tracking import queries
from amina.tracking.models import DtmUpload, Round
from amina.tracking.services.dtm import import_dtm_file
from amina.tracking.tests.conftest import DATA

pytestmark = pytest.mark.django_db

R21 = DATA / "dtm-master-list-round21.csv"
R22 = DATA / "dtm-master-list-round22.csv"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def only(path, governorates: set[str]) -> bytes:
    """The master list at ``path`` cut down to the rows of ``governorates`` (DTM names)."""
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("Governorate")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([rows[0]] + [r for r in rows[1:] if r[column] in governorates])
    return buffer.getvalue().encode()


@pytest.fixture
def round21(tracking_reference):
    """A complete round: the eighteen governorates."""
    import_dtm_file(None, R21, round_date=datetime.date(2015, 5, 21))
    rnd = Round.objects.get(code="R21")
    assert not rnd.partial
    assert len(queries.governorate_totals(rnd)) == 18
    return rnd


def preview(client, user, name, content, **fields):
    client.force_login(user)
    response = client.post(
        reverse("tracking:import"),
        {"file": SimpleUploadedFile(name, content), "kind": "idps", **fields},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    execute(Job.objects.get(kind="tracking-dtm-preview", status="queued"))
    return response.url


def test_the_preview_warns_that_a_list_of_two_governorates_after_eighteen_is_partial(
    client, national_user, round21
):
    url = preview(
        client,
        national_user,
        "dtm-master-list-round22.csv",
        only(R22, {"Anbar", "Dahuk"}),
        round_date="2015-06-04",
    )
    record = DtmUpload.objects.get()
    coverage = record.report["coverage"]
    assert coverage["partial"] and coverage["previous"] == "R21"
    assert len(coverage["missing"]) == 16
    assert {g["name_en"] for g in coverage["missing"]} >= {"Baghdad", "Erbil"}
    assert coverage["national_falls"] and coverage["national_drop"] > 60
    page = client.get(url).content.decode()
    assert 'data-testid="partial-round"' in page
    assert "16 governorates of round R21 are missing" in page
    assert 'data-testid="confirm-partial"' in page


def test_a_complete_list_is_not_flagged(client, national_user, round21):
    preview(
        client,
        national_user,
        "dtm-master-list-round22.csv",
        R22.read_bytes(),
        round_date="2015-06-04",
    )
    coverage = DtmUpload.objects.get().report["coverage"]
    assert not coverage["partial"], coverage["reason"]
    assert coverage["missing"] == [] and coverage["drops"] == []


def test_a_governorate_that_falls_by_more_than_the_set_share_is_named(
    client, national_user, round21, settings
):
    settings.AMINA_PARTIAL_ROUND_DROP = 0.3
    with open(R22, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    gov = rows[0].index("Governorate")
    kept = [rows[0]]
    anbar = 0
    for r in rows[1:]:
        if r[gov] == "Anbar":
            anbar += 1
            if anbar % 2:  # every other location of Anbar: about half its people
                continue
        kept.append(r)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(kept)
    preview(
        client,
        national_user,
        "dtm-master-list-round22.csv",
        buffer.getvalue().encode(),
        round_date="2015-06-04",
    )
    coverage = DtmUpload.objects.get().report["coverage"]
    assert [g["pcode"] for g in coverage["drops"]] == ["IQG01"]
    assert coverage["missing"] == [] and not coverage["national_falls"]
    assert coverage["partial"]


def test_a_round_dated_like_another_of_its_kind_is_flagged(client, national_user, round21):
    preview(
        client,
        national_user,
        "dtm-master-list-round22.csv",
        R22.read_bytes(),
        round_date="2015-05-21",
    )
    coverage = DtmUpload.objects.get().report["coverage"]
    assert coverage["same_date"] == ["R21"] and coverage["partial"]


def test_a_partial_list_needs_confirming_then_is_imported_with_the_flag_stored(
    client, national_user, round21, django_capture_on_commit_callbacks
):
    url = preview(
        client,
        national_user,
        "dtm-master-list-round22.csv",
        only(R22, {"Anbar", "Dahuk"}),
        round_date="2015-06-04",
    )
    record = DtmUpload.objects.get()
    commit = reverse("tracking:import-commit", args=[record.pk])
    response = client.post(commit)
    assert response.url == url
    assert not Job.objects.filter(kind="tracking-dtm-import").exists(), "not without consent"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(commit, {"confirm_partial": "1"})
    job = execute(Job.objects.get(kind="tracking-dtm-import"))
    assert job.status == "succeeded", job.error
    rnd = Round.objects.get(code="R22")
    assert rnd.partial and job.result["partial"] is True
    assert "R21" in rnd.partial_reason and "Baghdad" in rnd.partial_reason
    assert len(queries.governorate_totals(rnd)) == 2, "the figures it has are imported"


def test_the_command_line_warns_and_records_the_flag(round21, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "dtm-master-list-round22.csv"
    path.write_bytes(only(R22, {"Anbar", "Dahuk"}))
    call_command("import", "dtm", str(path), "--date", "2015-06-04", "--no-progress")
    out = capsys.readouterr().out
    assert "warning: round R22 looks partial" in out and "Baghdad" in out
    assert Round.objects.get(code="R22").partial
    call_command("import", "dtm", str(path), "--date", "2015-06-04", "--no-progress", "--complete")
    assert not Round.objects.get(code="R22").partial, "--complete: the person says it is whole"


def _three_rounds():
    """R21 complete, R22 partial (two governorates), R23 complete (R22's file, complete)."""
    import_dtm_file(
        None,
        only(R22, {"Anbar", "Dahuk"}),
        filename="r22.csv",
        round_code="R22",
        round_date=datetime.date(2015, 6, 4),
    )
    import_dtm_file(None, R22, round_code="R23", round_date=datetime.date(2015, 6, 18))
    return Round.objects.get(code="R22"), Round.objects.get(code="R23")


def test_the_latest_estimate_ignores_a_newer_partial_round(round21):
    import_dtm_file(
        None,
        only(R22, {"Anbar", "Dahuk"}),
        filename="r22.csv",
        round_code="R22",
        round_date=datetime.date(2015, 6, 4),
    )
    assert queries.latest_round("idps") == round21
    assert queries.latest_round("idps", include_partial=True).code == "R22"
    assert (
        queries.national_total().idp_individuals == queries.national_total(round21).idp_individuals
    )


def test_a_data_manager_marks_and_unmarks_a_round_partial_on_the_rounds_page(
    client, national_user, officer_a, round21
):
    url = reverse("tracking:round-partial", args=["R21"])
    client.force_login(officer_a)
    assert client.post(url, {"partial": "1", "reason": "no access"}).status_code == 403
    client.force_login(national_user)
    client.post(url, {"partial": "1", "reason": "Anbar not assessed"})
    round21.refresh_from_db()
    assert round21.partial and round21.partial_reason == "Anbar not assessed"
    page = client.get(reverse("tracking:rounds")).content.decode()
    assert "Anbar not assessed" in page and 'data-testid="mark-complete"' in page
    client.post(url, {"partial": "0"})
    round21.refresh_from_db()
    assert not round21.partial and round21.partial_reason == ""


def test_a_partial_round_is_left_out_of_the_comparison_on_the_figures_page(
    client, national_user, round21
):
    partial, last = _three_rounds()
    client.force_login(national_user)
    page = client.get(reverse("tracking:figures"), {"round": "R23"}).content.decode()
    assert "Change compared with round R21." in page
    page = client.get(reverse("tracking:figures"), {"round": "R22"}).content.decode()
    assert 'data-testid="partial-round-note"' in page
    assert Governorate.objects.count() == 18
