"""Open data: aggregated datasets in HXL, CSV and XLSX, with small cells withheld."""

import csv
import io

import hxl
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from amina.reports import datasets

pytestmark = pytest.mark.django_db


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_governorate_dataset_is_valid_hxl_with_the_standard_hashtags(
    client, partner, displacement
):
    client.force_login(partner)
    response = client.get(
        reverse("reports:dataset-download", args=["displacement-governorates", "hxl"])
    )
    assert response.status_code == 200
    source = hxl.data(io.BytesIO(response.content), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in source.columns]
    assert {
        "#adm1+code",
        "#affected+idps+hh",
        "#affected+idps+ind",
        "#affected+returnees+hh",
    } <= set(tags)
    by_code = {row.get("#adm1+code"): row for row in source}
    assert by_code["IQG04"].get("#affected+idps+hh") == str(150 + 65)
    assert by_code["IQG09"].get("#affected+idps+ind") == str(5200 + 300)


def test_a_location_below_the_threshold_is_blank_and_cannot_be_recovered(displacement):
    rows = datasets.rows("displacement-locations", None)
    small = next(r for r in rows if r["loc_name"] == "Qaryat Al-Andalus 5")
    assert small["idp_families"] is None and small["idp_individuals"] is None
    # its governorate has two locations: the other one is withheld too, or the
    # governorate total (published in the other datasets) would give it away
    anbar = [r for r in rows if r["adm1_code"] == "IQG01"]
    assert all(r["idp_families"] is None for r in anbar)
    published = [r["idp_families"] for r in rows if r["idp_families"] is not None]
    assert all(v == 0 or v >= 5 for v in published)


def test_every_level_is_protected_together(displacement):
    levels = {
        name: datasets.rows(f"displacement-{name}", None)
        for name in ("governorates", "districts", "locations")
    }
    gov = {r["adm1_code"]: r["idp_families"] for r in levels["governorates"]}
    loc_sum = sum(
        r["idp_families"]
        for r in levels["locations"]
        if r["adm1_code"] == "IQG01" and r["idp_families"] is not None
    )
    # Al-Anbar's total minus its published locations must not equal the small cell (3)
    if gov["IQG01"] is not None:
        assert gov["IQG01"] - loc_sum != 3


def test_no_personal_data_column_exists_in_any_dataset():
    forbidden = ("name_ar_member", "phone", "document", "household", "member", "birth")
    for dataset in datasets.DATASETS.values():
        for column in dataset.columns:
            assert not any(word in column.key for word in forbidden), column.key


def test_partners_get_no_location_level_dataset(client, partner, displacement):
    client.force_login(partner)
    url = reverse("reports:dataset-download", args=["displacement-locations", "csv"])
    assert client.get(url).status_code == 403
    page = client.get(reverse("reports:datasets")).content.decode()
    assert "displacement-locations" not in page and "displacement-districts" in page


def test_an_officer_gets_their_governorates_only(client, officer_a, displacement):
    client.force_login(officer_a)
    response = client.get(
        reverse("reports:dataset-download", args=["displacement-districts", "csv"])
    )
    codes = {row[2] for row in rows_of(response.content)[1:]}
    assert codes == {"IQG04"}


def test_the_xlsx_dataset_has_the_hashtag_row(client, national_user, displacement):
    client.force_login(national_user)
    response = client.get(
        reverse("reports:dataset-download", args=["displacement-governorates", "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 3).value == "#adm1+code"


def test_a_national_user_publishes_a_dataset_to_the_library(
    client, national_user, partner, displacement
):
    client.force_login(national_user)
    url = reverse("reports:dataset-publish", args=["displacement-governorates", "hxl"])
    response = client.post(url)
    assert response.status_code == 302
    client.force_login(partner)
    library = client.get(reverse("reports:library"))
    assert [p.kind for p in library.context["page"]] == ["export"]
    assert client.post(url).status_code == 403


def test_an_unknown_dataset_or_format_is_not_found(client, national_user, displacement):
    client.force_login(national_user)
    assert (
        client.get(reverse("reports:dataset-download", args=["households", "csv"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("reports:dataset-download", args=["displacement-governorates", "pdf"])
        ).status_code
        == 404
    )


def test_the_governorate_map_is_an_svg_image_and_can_be_published(
    client, national_user, partner, displacement
):
    client.force_login(partner)
    response = client.get(reverse("reports:map-download"))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"R2" in response.content
    assert client.post(reverse("reports:map-publish")).status_code == 403
    client.force_login(national_user)
    assert client.post(reverse("reports:map-publish")).status_code == 302
    client.force_login(partner)
    assert [p.kind for p in client.get(reverse("reports:library")).context["page"]] == ["map"]
