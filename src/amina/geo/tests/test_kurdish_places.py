"""Places in Kurdish: the gazetteer resolves Kurdish names and spellings (aliases plus the
one folding rule of ``amina.lib.arabic``), pages name places in Kurdish, and the
location search finds an Arabic-named place from its Kurdish spelling."""

import pytest
from django.urls import reverse

from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Location


@pytest.fixture
def gazetteer(reference_geography):
    return Gazetteer()


@pytest.mark.parametrize(
    "text",
    [
        "هەولێر",
        "ھەولێر",
        "هه\u200cولێر",
        "ههولێر",
        "أربيل",
        "اربيل",
        "Erbil",
        "Arbil",
        "Hewlêr",
        "IQG11",
    ],
)
def test_every_spelling_of_erbil_resolves_to_one_governorate(gazetteer, text):
    resolution = gazetteer.governorate(text)
    assert resolution.ok, text
    assert resolution.place.pcode == "IQG11"


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("دهۆک", "IQG09"),
        ("دهوک", "IQG09"),
        ("سلێمانی", "IQG06"),
        ("کەرکووک", "IQG13"),
        ("نەینەوا", "IQG15"),
        ("بەغدا", "IQG08"),
    ],
)
def test_kurdish_governorate_names_resolve(gazetteer, text, pcode):
    assert gazetteer.governorate(text).place.pcode == pcode


@pytest.mark.parametrize(
    ("text", "pcode"),
    [("هەڵەبجە", "IQG06Q05"), ("حلبجة", "IQG06Q05"), ("زاخۆ", "IQG09Q04"), ("شنگال", "IQG15Q07")],
)
def test_kurdish_district_names_resolve(gazetteer, text, pcode):
    assert gazetteer.district(text).place.pcode == pcode


def test_a_kurdish_reader_sees_kurdish_names_right_to_left(client, national_user):
    client.force_login(national_user)
    client.post("/i18n/setlang/", {"language": "ckb", "next": "/"})
    page = client.get(reverse("geo:governorate-list")).content.decode()
    assert '<html lang="ckb" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "هەولێر" in page and "دهۆک" in page and "کەرکووک" in page
    # The switcher offers the two other languages, each named in itself.
    assert 'value="en" lang="en"' in page and 'value="ar" lang="ar"' in page


def test_the_location_search_finds_an_arabic_name_from_its_kurdish_spelling(
    client, national_user, gov_b
):
    Location.objects.create(
        name_en="Kabarto camp",
        name_ar="مخيم كبرتو",
        governorate=gov_b,
        district=gov_b.districts.first(),
    )
    client.force_login(national_user)
    page = client.get(reverse("geo:location-list"), {"q": "کبرتۆ"}).content.decode()
    assert "Kabarto camp" in page
    page = client.get(reverse("geo:location-list"), {"q": "قامشلو"}).content.decode()
    assert "Kabarto camp" not in page
