"""De-duplication that knows Iraqi families (issue 17): namesakes are not merged, a family
registered again under another head is proposed and merged with both adults, clusters
hold by strong links only, and the model keeps its evidence."""

import datetime

import pytest
from django.db import connection, models

from amina.geo.models import Location
from amina.registry import bulk, dedupe, dedupe_model
from amina.registry.family_generator import FamilyGenerator
from amina.registry.models import DuplicateCandidate, Household, Member
from amina.registry.services import confirm_candidate, ordered

pytestmark = pytest.mark.django_db

NAMES = {
    "first": "محمد",
    "father": "علي",
    "grandfather": "حسين",
    "family": "الجبوري",
    "latin": "Mohammed Ali Al-Jubouri",
}


@pytest.fixture
def registry(gov_a, gov_b):
    """A background registry with members, for the model to learn from."""
    locations = {}
    for gov in (gov_a, gov_b):
        for i in range(3):
            loc = Location.objects.create(name_en=f"Site {gov.pcode} {i}", governorate=gov)
            locations.setdefault(gov.pk, []).append(loc.pk)
    generator = FamilyGenerator(1500, locations, seed=7)
    for batch in generator.batches():
        bulk.write(batch.households, batch.members)
    return generator


def children(father: str, *kids: tuple[str, int, str]) -> list[dict]:
    return [
        {
            "first_name_ar": first,
            "father_name_ar": father,
            "relationship": "child",
            "sex": sex,
            "birth_year": year,
        }
        for first, year, sex in kids
    ]


def proposed(outcome) -> dict[tuple[int, int], dict]:
    return {(p["a"], p["b"]): p for p in outcome.pairs}


def test_namesakes_with_different_national_ids_are_not_proposed_but_one_id_missing_is(
    registry, register, location_a
):
    born = datetime.date(1975, 4, 12)
    kids = children("محمد", ("زينب", 2001, "female"), ("حسن", 2004, "male"))
    one = register(
        location_a, **NAMES, birth=born, phone="07701112223", document="111122223333", members=kids
    )
    namesake = register(
        location_a, **NAMES, birth=born, phone="07701112223", document="999988887777", members=kids
    )
    # Another man of the same four names and year, and his registration again without
    # the document: everything else is equal.
    other = {**NAMES, "first": "حسين", "latin": "Hussein Ali Al-Jubouri"}
    kept = register(location_a, **other, birth=born, phone="07807654321", document="222233334444")
    again = register(location_a, **other, birth=born, phone="07807654321", document="")
    pairs = proposed(dedupe.find())
    assert ordered(one.pk, namesake.pk) not in pairs
    pair = pairs[ordered(kept.pk, again.pk)]
    assert pair["kind"] == dedupe.SAME_HEAD
    assert "document" in pair["missing"] and "phone" in pair["agreeing"]


def test_a_family_registered_again_by_the_wife_is_proposed_as_another_head_with_its_reason(
    registry, register, location_a, location_b, national_user
):
    kids = [("زينب", 2003, "female"), ("حسن", 2006, "male"), ("علي", 2010, "male")]
    husband = register(
        location_a,
        user=national_user,
        first="كاظم",
        father="جواد",
        grandfather="عبد الله",
        family="الساعدي",
        latin="Kadhim Jawad Al-Saadi",
        phone="07711112222",
        document="123412341234",
        members=[
            {
                "first_name_ar": "فاطمة",
                "father_name_ar": "حسين",
                "relationship": "spouse",
                "sex": "female",
                "birth_year": 1982,
            },
            *children("كاظم", *kids),
        ],
    )
    wife = register(
        location_b,
        user=national_user,
        first="فاطمة",
        father="حسين",
        grandfather="",
        family="الزبيدي",
        latin="Fatima Hussein Al-Zubaidi",
        sex="female",
        birth=datetime.date(1982, 1, 1),
        phone="",
        document="",
        female_headed=True,
        members=children("كاظم", *kids, ("مريم", 2015, "female")),
    )
    summary = dedupe.run(national_user)
    assert summary["other_head"] >= 1
    candidate = DuplicateCandidate.objects.get(
        household_a_id=min(husband.pk, wife.pk), household_b_id=max(husband.pk, wife.pk)
    )
    assert candidate.kind == DuplicateCandidate.Kind.OTHER_HEAD
    assert {"children", "children_father", "spouse"} <= set(candidate.agreeing)
    assert "head" in candidate.disagreeing


@pytest.mark.django_db(transaction=True)
def test_merging_another_head_keeps_both_adults_every_child_once_and_every_record(
    reference_geography, officer_a, location_a, register
):
    class Assistance(models.Model):
        household = models.ForeignKey(Household, models.PROTECT, related_name="+")
        period = models.CharField(max_length=7)

        class Meta:
            app_label = "registry"

        def __str__(self) -> str:
            return self.period

    with connection.schema_editor() as editor:
        editor.create_model(Assistance)
    try:
        kids = [("زينب", 2003, "female"), ("حسن", 2006, "male")]
        husband = register(
            location_a,
            first="كاظم",
            father="جواد",
            members=[
                {
                    "first_name_ar": "فاطمة",
                    "relationship": "spouse",
                    "sex": "female",
                    "birth_year": 1982,
                },
                *children("كاظم", *kids),
            ],
        )
        wife = register(
            location_a,
            first="فاطمة",
            father="حسين",
            sex="female",
            birth=datetime.date(1982, 3, 3),
            document="",
            phone="07811112222",
            members=children("كاظم", *kids, ("مريم", 2015, "female")),
        )
        Assistance.objects.create(household=husband, period="2015-06")
        Assistance.objects.create(household=wife, period="2015-07")
        a, b = ordered(husband.pk, wife.pk)
        candidate = DuplicateCandidate.objects.create(
            household_a_id=a,
            household_b_id=b,
            governorate_id=husband.governorate_id,
            kind=DuplicateCandidate.Kind.OTHER_HEAD,
            probability=0.75,
            agreeing=["children", "children_father"],
            disagreeing=["head"],
        )
        # The wife's registration is kept: the husband joins it as her spouse.
        survivor = confirm_candidate(officer_a, candidate, keep=wife)
        people = list(survivor.members.order_by("member_no"))
        assert [m.first_name_ar for m in people if m.is_head] == ["فاطمة"]
        spouses = [m for m in people if m.relationship == Member.Relationship.SPOUSE]
        assert [m.first_name_ar for m in spouses] == ["كاظم"]
        assert sorted(m.first_name_ar for m in people if m.relationship == "child") == [
            "حسن",
            "زينب",
            "مريم",
        ]
        survivor.refresh_from_db()
        assert survivor.size == len(people) == 5
        assert set(Assistance.objects.values_list("household_id", flat=True)) == {wife.pk}
        husband.refresh_from_db()
        assert husband.merged_into_id == wife.pk and husband.members.count() == 4
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Assistance)
        from django.apps import apps

        del apps.all_models["registry"]["assistance"]
        apps.clear_cache()


def pair(a, b, probability, kind=dedupe.SAME_HEAD):
    return {"a": a, "b": b, "probability": probability, "kind": kind}


def test_a_weak_chain_does_not_become_one_cluster():
    weak = [pair(1, 2, 0.95), pair(2, 3, 0.95)]
    dedupe.clusters(weak)
    assert weak[0]["cluster"] != weak[1]["cluster"]
    # Strong links that chain A to C through B, A and C never proposed together: pairs.
    chain = [pair(1, 2, 0.999), pair(2, 3, 0.999)]
    dedupe.clusters(chain)
    assert chain[0]["cluster"] != chain[1]["cluster"]
    # Three registrations strongly linked to one another: one cluster, and a weak pair
    # to a fourth household stays apart.
    family = [pair(1, 2, 0.999), pair(1, 3, 0.999), pair(2, 3, 0.93), pair(3, 4, 0.92)]
    assert dedupe.clusters(family) == 2
    assert len({p["cluster"] for p in family[:3]}) == 1
    assert family[3]["cluster"] != family[0]["cluster"]
    # A pair of another head is never part of a cluster.
    other = [
        pair(1, 2, 0.999),
        pair(1, 3, 0.999),
        pair(2, 3, 0.999),
        pair(2, 5, 1.0, dedupe.OTHER_HEAD),
    ]
    dedupe.clusters(other)
    assert other[3]["cluster"] != other[0]["cluster"]


def test_the_model_compares_documents_birth_dates_and_members_both_ways():
    comparisons = {c.create_output_column_name(): c for c in dedupe_model.comparisons()}
    assert {"document", "birth", "children", "spouse", "phone"} <= set(comparisons)
    assert list(comparisons) == list(dedupe_model.FIELDS)

    def labels(name):
        return [
            level.create_label_for_charts()
            for level in comparisons[name].create_comparison_levels()
        ]

    assert "different documents of the same kind" in labels("document")
    assert "same year, a date known only by its year" in labels("birth")
    assert "full dates of birth that differ within a year" in labels("birth")
    assert {"the same children", "other children"} <= set(labels("children"))
    assert {"the same spouse", "another spouse"} <= set(labels("spouse"))
    # The hard rule names a level the model has.
    for name, label in dedupe_model.HARD_RULES:
        assert label in labels(name)
    rules = [" ".join(rule) for rule in dedupe_model.PREDICTION_RULES]
    assert "document" in rules and "phone" in rules
    assert "kids_sig" in rules  # the same children, across governorates
    assert dedupe_model.THRESHOLD < dedupe_model.LINK_THRESHOLD < 1
    assert dedupe_model.settings() is not None


def test_the_review_page_shows_both_households_with_their_members_and_each_field_marked(
    client, officer_a, location_a, register
):
    from django.urls import reverse

    kids = [("زينب", 2003, "female"), ("حسن", 2006, "male")]
    husband = register(
        location_a,
        first="كاظم",
        members=[
            {
                "first_name_ar": "فاطمة",
                "relationship": "spouse",
                "sex": "female",
                "birth_year": 1982,
            },
            *children("كاظم", *kids),
        ],
    )
    wife = register(
        location_a,
        first="فاطمة",
        father="حسين",
        sex="female",
        birth=datetime.date(1982, 7, 1),  # the year only
        document="",
        members=children("كاظم", *kids),
    )
    a, b = ordered(husband.pk, wife.pk)
    candidate = DuplicateCandidate.objects.create(
        household_a_id=a,
        household_b_id=b,
        governorate_id=husband.governorate_id,
        kind=DuplicateCandidate.Kind.OTHER_HEAD,
        probability=1.0,
        agreeing=["children", "children_father", "spouse"],
        disagreeing=["head"],
    )
    client.force_login(officer_a)
    url = reverse("registry:duplicate", args=[candidate.pk])
    body = client.get(url).content.decode()
    assert husband.household_ref in body and wife.household_ref in body
    assert "Same family, another head" in body
    assert "the children&#x27;s father is the other head" in body
    for name in ("زينب", "حسن", "فاطمة", "كاظم"):
        assert name in body
    # Heads: first names differ, family names agree, the wife's document is missing.
    assert 'data-status="differ"' in body and 'data-status="agree"' in body
    assert 'data-status="missing"' in body
    # The wife (head of one, spouse of the other) and both children are paired; the
    # husband is in one registration only.
    members = body.split('data-testid="members"')[1]
    assert members.count('data-status="agree"') == 3
    assert members.count('data-status="missing"') == 1
    client.cookies["django_language"] = "ar"
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar"' in arabic
