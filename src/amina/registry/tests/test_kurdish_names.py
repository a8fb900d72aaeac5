"""A family registered in Arabic in Baghdad and in Kurdish in Erbil is one family to
search, the duplicate warning and de-duplication: the stored name keys are computed with
the one folding rule of ``amina.lib.arabic``, and search compares them in SQL."""

import pytest

from amina.registry import queries
from amina.registry.models import Member

pytestmark = pytest.mark.django_db

ARABIC = {"first": "محمد", "father": "أحمد", "grandfather": "حسن", "family": "الجبوري"}
KURDISH = {"first": "محەمەد", "father": "ئەحمەد", "grandfather": "حەسەن", "family": "جبووری"}


@pytest.fixture
def arabic_family(register, location_a):
    return register(location_a, **ARABIC, latin="", phone="", document="", household_ref="BGD-1")


def test_a_kurdish_spelling_finds_the_family_registered_in_arabic(national_user, arabic_family):
    found = set(queries.search(national_user, "محەمەد ئەحمەد").values_list("pk", flat=True))
    assert found == {arabic_family.pk}
    assert set(queries.search(national_user, "محەمەد حوسێن").values_list("pk", flat=True)) == set()


def test_the_duplicate_warning_names_the_arabic_family_to_a_kurdish_clerk(
    national_user, arabic_family
):
    matches = queries.likely_duplicates(national_user, **KURDISH)
    assert [m["household"].pk for m in matches] == [arabic_family.pk]


def test_both_registrations_store_the_same_keys_for_de_duplication(
    register, arabic_family, location_b, officer_b
):
    kurdish = register(
        location_b,
        user=officer_b,
        **KURDISH,
        latin="",
        phone="",
        document="",
        household_ref="EBL-1",
    )
    keys = ("key_first", "key_father", "key_grandfather", "key_family")
    one, other = (
        Member.objects.filter(household=h, is_head=True).values_list(*keys).get()
        for h in (arabic_family, kurdish)
    )
    assert one == other and all(one)
