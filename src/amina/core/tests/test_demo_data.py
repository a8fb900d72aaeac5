"""The demo-data generator: deterministic by seed, shaped like the 2015 displacement."""

import pytest

from amina.accounts.demo import organisations_and_users
from amina.accounts.models import Organisation, User
from amina.core.demo import generate
from amina.geo.demo import locations
from amina.geo.models import Governorate, Location
from amina.lib.demo import GOVERNORATE_SHARES


def _foundation(seed):
    import random

    from amina.lib.demo import DemoContext

    ctx = DemoContext("small", seed, random.Random(seed), lambda *a, **k: None)
    organisations_and_users(ctx)
    locations(ctx)


def _fingerprint():
    return (
        sorted(
            Location.objects.values_list(
                "name_en",
                "name_ar",
                "kind",
                "governorate__pcode",
                "district__pcode",
                "centroid_lat",
                "centroid_lon",
                "dtm_place_id",
            )
        ),
        sorted(Organisation.objects.values_list("name_en", "kind")),
        sorted(User.objects.values_list("username", "role", "national_scope")),
    )


def _wipe():
    Location.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(reference_geography):
    _foundation(7)
    first = _fingerprint()
    _wipe()
    _foundation(7)
    assert _fingerprint() == first
    _wipe()
    _foundation(8)
    assert _fingerprint()[0] != first[0]


def test_locations_per_governorate_follow_the_displacement_shares(reference_geography):
    _foundation(2015)
    counts = {g.pcode: g.locations.count() for g in Governorate.objects.all()}
    by_share = sorted(GOVERNORATE_SHARES, key=GOVERNORATE_SHARES.get, reverse=True)
    assert [counts[p] for p in by_share] == sorted(counts.values(), reverse=True)
    assert counts["IQG01"] > counts["IQG04"] > counts["IQG17"] >= 2
    assert sum(counts.values()) == Location.objects.count() >= 120 * 0.95


def _every_amina_table() -> dict:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {c.label for c in apps.get_app_configs() if c.name.startswith("amina.")}
        and model._meta.label not in ("audit.ChangeLog", "audit.AccessLog", "jobs.Job")
    }


def _added_since(before: dict) -> dict:
    return {k: v - before.get(k, 0) for k, v in _every_amina_table().items()}


@pytest.mark.django_db(transaction=True)
def test_generating_twice_on_empty_databases_with_one_seed_gives_identical_data(
    reference_geography,
):
    from django.core.management import call_command

    before = _every_amina_table()
    summary = generate("small", 3)
    assert summary["locations"]["locations"] == Location.objects.count()
    assert {"admin", "national", "najaf", "field", "logistics", "partner"} <= set(
        User.objects.values_list("username", flat=True)
    )
    first = (_fingerprint(), _added_since(before))
    call_command("flush", interactive=False, verbosity=0)
    from amina.geo.models import District, PlaceAlias
    from amina.geo.reference import load_reference_geography
    from amina.needs.models import Phase, Sector
    from amina.needs.reference import load_mcof_reference
    from amina.tracking.models import DisplacementPeriod, ShelterType
    from amina.tracking.reference import load_tracking_reference

    load_reference_geography(Governorate, District, PlaceAlias)
    load_tracking_reference(ShelterType, DisplacementPeriod)
    load_mcof_reference(Sector, Phase)
    before = _every_amina_table()
    generate("small", 3)
    assert _fingerprint() == first[0]
    tables = _added_since(before)
    differ = {k: (first[1].get(k), v) for k, v in tables.items() if first[1].get(k) != v}
    assert differ == {}, f"tables whose demo rows differ between two runs: {differ}"
