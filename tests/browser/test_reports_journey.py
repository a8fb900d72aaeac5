"""A governorate officer writes, previews and publishes a flash report in Arabic; a
partner finds it in the library and downloads the PDF."""

import re

import pytest

from conftest import PASSWORD

from .conftest import ARTIFACTS, login


@pytest.mark.django_db(transaction=True)
def test_an_officer_publishes_an_arabic_flash_report_and_a_partner_finds_it(
    browser_page, live_server, reference_geography, officer_a, partner, gov_a
):
    from amina.reports.models import Publication, Report
    from amina.reports.tests.data import make_displacement

    make_displacement()
    page = browser_page
    login(page, live_server, officer_a.username, PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[lang=ar][dir=rtl]")
    # The home dashboard shows the governorate's figures; Chart.js draws the trend.
    assert page.locator("[data-testid=kpi-idp-families]").inner_text() == "215"
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_function("Chart.getChart(document.getElementById('chart-trend')) !== undefined")
    # The officer's map: each located location of the governorate, none elsewhere.
    from amina.geo.models import Location

    page.wait_for_selector("#map[data-loaded]")
    located = Location.objects.filter(governorate=gov_a, centroid_lat__isnull=False).count()
    assert page.locator("#map path.amina-place").count() == located
    assert page.locator("[data-testid=kpi-idp-individuals]").inner_text() == "1,260"
    page.screenshot(path=str(ARTIFACTS / "reports-dashboard-ar.png"), full_page=True)

    page.goto(f"{live_server.url}/reports/new/")
    page.select_option("#id_round_code", "R2")
    page.check(f"#id_governorates input[value='{gov_a.pk}']")
    page.select_option("#id_language", "ar")
    page.click("[data-testid=create-draft]")
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))

    page.fill("#id_story", "وصلت خلال الأسبوع الماضي أسر جديدة من الأنبار إلى أحياء النجف.")
    page.fill("#id_quotes", "نحتاج إلى بطانيات قبل الشتاء — أم علي، حي النور")
    page.fill("#id_contacts", "غرفة عمليات النازحين في مكتب المحافظ")
    page.click("[data-testid=save-preview]")
    page.wait_for_url(re.compile(r".*/reports/\d+/preview/$"))
    preview = page.frame_locator("[data-testid=preview]")
    headline = preview.locator("[data-testid=headline]").inner_text()
    assert headline.startswith("تستضيف النجف 1,260 من النازحين"), headline
    assert "أم علي" in preview.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports-preview-ar.png"), full_page=True)
    page.click("[data-testid=publish]")
    page.wait_for_url(re.compile(r".*/reports/library/\d+/$"))
    publication = Publication.objects.get()
    assert Report.objects.get().status == "published" and publication.version == 1
    assert bytes(publication.content).startswith(b"%PDF")

    page.context.clear_cookies()
    login(page, live_server, partner.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/library/")
    page.select_option("#id_governorate", str(gov_a.pk))
    page.click("[data-testid=library-filter] button[type=submit]")
    page.wait_for_url(re.compile(r".*governorate=.*"))
    entries = page.locator("[data-testid=library] a")
    assert entries.count() == 1 and "النجف" in entries.first.inner_text()
    entries.first.click()
    page.wait_for_url(re.compile(r".*/reports/library/\d+/$"))
    assert "تستضيف النجف" in page.locator("[data-testid=summary]").inner_text()
    with page.expect_download() as download:
        page.evaluate("""() => { const a = document.querySelector("[data-testid=download]");
                               a.setAttribute("download", ""); a.click(); }""")
    assert download.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=str(ARTIFACTS / "reports-library-partner.png"), full_page=True)
