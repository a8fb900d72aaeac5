"""A coordinator runs a training: creates it, adds a participant, records attendance and
scores, and downloads the participant's certificate (a two-page PDF in Arabic and English)."""

import io

import pytest

from conftest import PASSWORD, make_user
from tests.browser.conftest import ARTIFACTS, login


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_runs_a_training_and_downloads_a_certificate(
    browser_page, live_server, reference_geography
):
    from pypdf import PdfReader

    from amina.accounts.models import Organisation
    from amina.coordination.models import Participant, Training
    from amina.geo.models import Governorate

    najaf = Governorate.objects.get(pcode="IQG04")
    iom = Organisation.objects.create(
        name_en="International Organization for Migration", acronym="IOM", kind="iom"
    )
    momd = Organisation.objects.create(
        name_en="Ministry of Migration and Displacement", acronym="MoMD", kind="ministry"
    )
    make_user("coordinator", "governorate", [najaf], personal_data=True)
    page = browser_page

    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/coordination/trainings/")
    page.get_by_role("link", name="New training").click()
    page.fill("#id_title", "The MCOF for provincial authorities")
    page.fill("#id_title_ar", "إطار عمليات الهجرة في الأزمات للسلطات المحلية")
    page.fill("#id_start_date", "2015-06-08")
    page.fill("#id_end_date", "2015-06-09")
    page.fill("#id_place", "Erbil")
    page.select_option("#id_governorate", str(najaf.pk))
    page.select_option("#id_organiser", str(iom.pk))
    page.select_option("#id_sectors", index=[0, 1])
    page.click("main button[type=submit]")
    page.wait_for_url("**/coordination/trainings/*/")
    training = Training.objects.get()
    assert training.sectors.count() == 2

    page.get_by_test_id("add-participant").click()
    page.fill("#id_name", "Zainab Jasim")
    page.fill("#id_name_ar", "زينب جاسم")
    page.fill("#id_title", "Planning officer")
    page.select_option("#id_organisation", str(momd.pk))
    page.select_option("#id_governorate", str(najaf.pk))
    page.select_option("#id_sex", "f")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/coordination/trainings/{training.pk}/")
    person = Participant.objects.get()

    # Before attendance is recorded there is no certificate to download.
    assert page.get_by_test_id("certificate").count() == 0
    for box in page.locator(f"input[name=day_{person.pk}]").all():
        box.check()
    page.fill(f"input[name=pre_{person.pk}]", "٤٠")  # Eastern Arabic digits are accepted
    page.fill(f"input[name=post_{person.pk}]", "85")
    page.get_by_test_id("save-results").click()
    page.wait_for_url(f"**/coordination/trainings/{training.pk}/")
    person.refresh_from_db()
    assert (person.pre_score, person.post_score, person.attendance.count()) == (40, 85, 2)
    assert "45.0" in page.get_by_test_id("gain").inner_text()

    with page.expect_download() as download_info:
        page.get_by_test_id("certificate").click()
    download = download_info.value
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "certificate.pdf"
    download.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 2
    assert "زينب جاسم" in reader.pages[0].extract_text()
    assert "Zainab Jasim" in reader.pages[1].extract_text()
