"""De-duplication quality against a generated registry whose truth is known, and the
review queue's promise: a rejected pair never comes back."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from amina.geo.models import Location
from amina.registry import bulk, dedupe
from amina.registry.generator import Generator, precision_recall, true_pairs
from amina.registry.models import DuplicateCandidate, Household, Member
from amina.registry.services import reject_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(gov_a, gov_b):
    locations = {}
    for gov in (gov_a, gov_b):
        for i in range(3):
            loc = Location.objects.create(name_en=f"Site {gov.pcode} {i}", governorate=gov)
            locations.setdefault(gov.pk, []).append(loc.pk)
    generator = Generator(2000, locations, seed=11, members=False)
    for batch in generator.batches():
        bulk.write(batch.households, batch.members)
    return generator


def refs(pairs) -> set[tuple[str, str]]:
    names = dict(Household.objects.values_list("pk", "household_ref"))
    return {tuple(sorted((names[a], names[b]))) for a, b in pairs}


def test_splink_finds_the_known_duplicates_and_the_exact_baseline_does_not(generated):
    truth = true_pairs(generated.truth)
    assert len(truth) > 100  # the generated registry has enough duplicates to measure
    outcome = dedupe.find()
    precision, recall = precision_recall(refs((p["a"], p["b"]) for p in outcome.pairs), truth)
    assert precision >= 0.9, precision
    assert recall >= 0.8, recall
    _base_precision, base_recall = precision_recall(refs(dedupe.exact_baseline()), truth)
    assert base_recall < recall - 0.3
    # Every pair says which fields agree and which do not, for the reviewer.
    assert all(p["agreeing"] for p in outcome.pairs)
    assert any(p["disagreeing"] for p in outcome.pairs)
    # Brothers share father's, grandfather's and family name: they are not one family.
    heads = {
        m.household.household_ref: m
        for m in Member.objects.filter(is_head=True).select_related("household")
    }
    found = refs((p["a"], p["b"]) for p in outcome.pairs)
    brothers = {
        (a, b)
        for a, b in found - truth
        if heads[a].key_father == heads[b].key_father and heads[a].key_family == heads[b].key_family
    }
    assert len(brothers) <= 2
    # Clusters hold by strong links only: every pair inside a cluster of more than two
    # households is proposed, and a household is in one cluster of more than two at most.
    members: dict[int, set[int]] = {}
    for pair in outcome.pairs:
        members.setdefault(pair["cluster"], set()).update((pair["a"], pair["b"]))
    proposed = {(p["a"], p["b"]) for p in outcome.pairs}
    big = [sorted(m) for m in members.values() if len(m) > 2]
    assert big  # families registered three times make some
    for households in big:
        assert all(
            (x, y) in proposed for i, x in enumerate(households) for y in households[i + 1 :]
        )
    in_big = [h for households in big for h in households]
    assert len(in_big) == len(set(in_big))
    assert outcome.clusters == len(members) < len(outcome.pairs)


def test_a_family_registered_again_in_another_governorate_without_phone_or_document_is_found(
    generated, register, national_user, gov_a, gov_b
):
    # The loose name keys are compared within a governorate only; across governorates
    # four of the five name-and-year keys must still bring the pair together.
    first = register(
        Location.objects.filter(governorate=gov_a).first(),
        user=national_user,
        first="مرتضى",
        father="قاسم",
        grandfather="هاشم",
        family="الفتلاوي",
        latin="Murtadha Qasim Al-Fatlawi",
        phone="07712223334",
        document="556677889900",
    )
    again = register(
        Location.objects.filter(governorate=gov_b).first(),
        user=national_user,
        first="مرتضى",
        father="قاسسم",  # a typo
        grandfather="هاشم",
        family="الفتلاوي",
        latin="Murtadha Qasem Al Fatlawi",
        phone="",
        document="",
    )
    found = {(p["a"], p["b"]) for p in dedupe.find().pairs}
    assert tuple(sorted((first.pk, again.pk))) in {tuple(sorted(p)) for p in found}


def test_the_heads_are_read_with_empty_keys_as_nulls_and_no_closed_or_merged_household(
    generated,
):
    households = list(Household.objects.order_by("pk")[:3])
    Household.objects.filter(pk=households[0].pk).update(
        status=Household.Status.CLOSED,
        close_reason=Household.CloseReason.RETURNED,
        closed_at=timezone.now(),
    )
    Household.objects.filter(pk=households[1].pk).update(merged_into=households[2])
    # On PostgreSQL the heads leave the server as CSV: the table must be what the ORM says.
    heads = dedupe.load_heads().to_pylist()
    expected = [
        dict(zip(dedupe.COLUMNS, [v if v != "" else None for v in row], strict=True))
        for row in Member.objects.filter(
            is_head=True, household__status="open", household__merged_into__isnull=True
        ).values_list(
            "household_id",
            "household__governorate_id",
            "key_first",
            "key_father",
            "key_grandfather",
            "key_family",
            "key_latin",
            "birth_year",
            "birth_date",
            "key_phone",
            "key_document",
            "sex",
            "document_type",
        )
    ]
    assert sorted(heads, key=lambda h: h["unique_id"]) == sorted(
        expected, key=lambda h: h["unique_id"]
    )
    assert len(heads) == Household.objects.count() - 2
    assert {households[0].pk, households[1].pk}.isdisjoint(h["unique_id"] for h in heads)
    assert any(h["phone"] is None for h in heads) and any(h["document"] is None for h in heads)
    assert any(h["birth_date"] is None for h in heads)
    only_a = dedupe.load_heads([households[2].governorate_id]).column("governorate_id")
    assert set(only_a.to_pylist()) == {households[2].governorate_id}


def test_a_rejected_pair_never_comes_back_and_clusters_export(
    generated, national_user, capsys, tmp_path
):
    call_command("dedupe")
    assert "probable pairs" in capsys.readouterr().out
    pending = DuplicateCandidate.objects.filter(decision="pending")
    count = pending.count()
    assert count > 0
    rejected = pending.first()
    reject_candidate(national_user, rejected)
    call_command("dedupe")
    assert (
        DuplicateCandidate.objects.filter(
            household_a=rejected.household_a, household_b=rejected.household_b
        ).count()
        == 1
    )
    rejected.refresh_from_db()
    assert rejected.decision == "rejected"
    assert DuplicateCandidate.objects.filter(decision="pending").count() == count - 1

    out = tmp_path / "duplicates.csv"
    call_command("export", "duplicates", "-o", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "cluster,households,household_refs,probability,lowest_probability"
    clusters = DuplicateCandidate.objects.filter(decision="pending").values("cluster")
    assert len(lines) == clusters.distinct().count() + 1
    first = lines[1].split(",")
    assert all(ref.startswith("GEN-") for ref in first[2].split())
    assert 0.9 <= float(first[3]) <= 1


def test_dedupe_refuses_an_unknown_governorate(reference_geography):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown governorate"):
        call_command("dedupe", "--governorate", "XX99")
