"""Household search (``queries.search``): spelling-tolerant names in both scripts,
documents and phones, inside the user's scope only; and the indexes it relies on."""

import pytest
from django.db import connection

from amina.registry import queries
from amina.registry.models import Household

pytestmark = pytest.mark.django_db


def found(user, text) -> set[str]:
    return set(queries.search(user, text).values_list("household_ref", flat=True))


@pytest.fixture
def twin_b(register, location_b, officer_b):
    """Same name, phone-less and document-less, registered in the other governorate."""
    return register(location_b, user=officer_b, document="", phone="", household_ref="B-TWIN")


@pytest.mark.parametrize(
    "text",
    [
        "أحمد العزاوي",
        "احمد العزاوى",  # alef without hamza, final yaa as alef maqsura
        "احمد عزاوي",  # the family name without its article
        "إحمد خالد محمود العزاوي",
        "  أَحْمَد   العزاوي ",  # diacritics and spaces
        "العزاوي احمد",  # any order
    ],
)
def test_arabic_spelling_variants_find_the_household(national_user, household_a, text):
    assert found(national_user, text) == {household_a.household_ref}


def test_an_arabic_token_may_be_any_part_of_the_name(national_user, household_a):
    for part in ("احمد", "خالد", "محمود", "العزاوي"):
        assert household_a.household_ref in found(national_user, part), part


def test_every_arabic_token_must_match(national_user, household_a):
    assert found(national_user, "احمد الخزرجي") == set()
    assert found(national_user, "احمد خالد كريم") == set()


def test_abd_compounds_match_however_they_are_written(national_user, register, location_a):
    household = register(location_a, first="عبد الله", latin="Abdullah Khalid Al-Azzawi")
    for text in ("عبدالله العزاوي", "عبد الله العزاوي", "Abd Allah Azawi"):
        assert household.household_ref in found(national_user, text), text


@pytest.mark.parametrize(
    "text",
    [
        "Ahmed Al-Azzawi",
        "Ahmad Azawi",
        "AHMED el azawi",
        "Ahmad Khaled",
        "Ahm Azz",  # the beginnings of the words are enough
    ],
)
def test_latin_spelling_variants_find_the_household(national_user, household_a, text):
    assert found(national_user, text) == {household_a.household_ref}


def test_a_latin_token_matches_the_start_of_a_word_not_its_middle(
    national_user, register, location_a
):
    ahmed = register(location_a, latin="Ahmed Khalid Al-Azzawi", document="", phone="")
    hamid = register(
        location_a, first="حامد", latin="Hamid Khalid Al-Azzawi", document="", phone=""
    )
    # "Hamid" folds to "hmd", which is inside "ahmd": a substring would find Ahmed too.
    assert found(national_user, "Hamid") == {hamid.household_ref}
    assert found(national_user, "Ahmed") == {ahmed.household_ref}


@pytest.mark.parametrize("text", ["123456789012", "1234 5678 9012", "١٢٣٤٥٦٧٨٩٠١٢"])
def test_the_document_number_finds_the_household(national_user, household_a, text):
    assert found(national_user, text) == {household_a.household_ref}


def test_a_document_with_letters_is_not_also_read_as_a_name(national_user, register, location_a):
    abdullah = register(location_a, first="عبد الله", latin="Abdullah Khalid", document="")
    passport = register(location_a, first="علي", latin="Ali Omar", document="AB-12345", phone="")
    # As a Latin name "AB12345" would fold to "ab", the start of "abdl" (Abdullah).
    assert found(national_user, "AB12345") == {passport.household_ref}
    assert abdullah.household_ref in found(national_user, "Abdullah")


@pytest.mark.parametrize(
    "text", ["07701234567", "+964 770 123 4567", "00964-770-123-4567", "٠٧٧٠١٢٣٤٥٦٧"]
)
def test_the_phone_finds_the_household_however_it_is_written(national_user, household_a, text):
    assert found(national_user, text) == {household_a.household_ref}


def test_children_are_found_under_their_household(national_user, household_a):
    assert found(national_user, "زينب") == {household_a.household_ref}


def test_nothing_to_search_finds_nothing(national_user, household_a):
    for text in ("", "   ", "-", "12"):
        assert found(national_user, text) == set(), text


def test_an_officer_finds_only_households_of_their_governorate(
    officer_a, officer_b, national_user, household_a, twin_b
):
    both = {household_a.household_ref, twin_b.household_ref}
    for text in ("احمد العزاوي", "Ahmad Azawi"):
        assert found(national_user, text) == both
        assert found(officer_a, text) == {household_a.household_ref}
        assert found(officer_b, text) == {twin_b.household_ref}
    # The other governorate's phone and document are as absent as unknown ones.
    assert found(officer_b, "07701234567") == set()
    assert found(officer_b, "123456789012") == set()


def test_users_without_detail_find_nothing(partner, household_a):
    assert found(partner, "احمد العزاوي") == set()


def test_a_broad_search_gives_the_same_households_as_a_narrow_one(
    monkeypatch, officer_a, national_user, household_a, twin_b, register, location_a
):
    other = register(location_a, first="علي", document="", phone="")
    narrow = {user: found(user, "العزاوي") for user in (national_user, officer_a)}
    # Past the threshold the households are read through a subquery instead of by id.
    monkeypatch.setattr(queries, "PINNED_MATCHES", 1)
    broad = {user: found(user, "العزاوي") for user in (national_user, officer_a)}
    assert broad == narrow
    assert broad[national_user] == {
        household_a.household_ref,
        twin_b.household_ref,
        other.household_ref,
    }
    assert broad[officer_a] == {household_a.household_ref, other.household_ref}


def test_the_search_reads_the_members_once_and_returns_a_queryset(
    django_assert_num_queries, national_user, household_a
):
    with django_assert_num_queries(1):
        qs = queries.search(national_user, "Ahmad Azawi")
    with django_assert_num_queries(1):
        assert qs.count() == 1


def test_the_name_parts_a_token_may_be_are_indexed():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "registry_member")
    leading = {info["columns"][0] for info in indexes.values() if info["index"]}
    assert set(queries.ARABIC_NAME_KEYS) <= leading


def test_latin_names_have_a_trigram_index_on_postgresql_only():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "registry_member")
        if connection.vendor != "postgresql":
            assert "member_latin_trgm" not in indexes
            return
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'member_latin_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_a_search_matching_more_than_the_cap_says_so_and_counts_no_further(
    client, officer_a, register, location_a, monkeypatch
):
    from django.urls import reverse
    from django.utils import translation

    from amina.lib import paging

    monkeypatch.setattr(paging, "CAP", 3)
    for _ in range(5):
        register(location_a, phone="", document="")
    client.force_login(officer_a)
    response = client.get(reverse("registry:home"), {"q": "أحمد"})
    assert response.context["capped"] is True
    assert response.context["page"].paginator.count == 3
    assert "More than 3 households match" in response.content.decode()
    narrow = client.get(reverse("registry:home"), {"q": "0000000000"})
    assert narrow.context["capped"] is False
    with translation.override("ar"):
        arabic = client.get(reverse("registry:home"), {"q": "أحمد"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert "تطابق البحثَ أكثرُ من 3 أسرة" in arabic.content.decode()


@pytest.fixture
def common_names(register, location_a):
    """One common name, as a registry holds it: the exact name, longer names, others."""
    made = {}
    for ref, first, father, grandfather, family in [
        ("UNRELATED-1", "علي", "محمد", "", ""),  # both words, another name
        ("LONGER", "محمد", "علي", "حسين", ""),
        ("CONTAINS", "حسن", "محمد", "علي", ""),
        ("EXACT", "محمد", "علي", "", ""),
        ("UNRELATED-2", "محمد", "كاظم", "علي", "الجبوري"),
    ]:
        made[ref] = register(
            location_a,
            household_ref=ref,
            first=first,
            father=father,
            grandfather=grandfather,
            family=family,
            latin="",
            phone="",
            document="",
        )
    return made


def test_a_common_name_ranks_the_exact_name_first_then_longer_names_then_the_rest(
    national_user, common_names
):
    ids, capped = queries.ranked_search(national_user, "محمد علي")
    refs = [Household.objects.get(pk=pk).household_ref for pk in ids]
    assert not capped
    assert refs[:3] == ["EXACT", "LONGER", "CONTAINS"], refs
    assert set(refs[3:]) == {"UNRELATED-1", "UNRELATED-2"}


def test_the_similarity_measure_is_pg_trgm_s(national_user):
    assert queries.similarity("mhmd", "mhmd") == 1.0
    assert queries.similarity("mhmd ali", "zzz") == 0.0
    # pg_trgm: "word" gives "  w", " wo", "wor", "ord", "rd " — 5 trigrams.
    assert queries.similarity("word", "wore") == pytest.approx(3 / 7)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT similarity('mhmd ali hsn', 'mhmd ali')")
            (expected,) = cursor.fetchone()
        assert queries.similarity("mhmd ali hsn", "mhmd ali") == pytest.approx(expected)


def test_the_search_page_shows_the_closest_match_first_within_the_cap(
    client, national_user, common_names, monkeypatch
):
    from django.urls import reverse

    from amina.lib import paging

    client.force_login(national_user)
    page = client.get(reverse("registry:home"), {"q": "محمد علي"})
    refs = [h.household_ref for h in page.context["page"]]
    assert refs[:2] == ["EXACT", "LONGER"]
    monkeypatch.setattr(paging, "CAP", 3)
    page = client.get(reverse("registry:home"), {"q": "محمد علي"})
    assert page.context["capped"] is True
    assert len(page.context["page"].object_list) == 3, "ranked over the capped candidates"
