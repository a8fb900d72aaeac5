"""Access-matrix samples for the geography routes (see ``amina.lib.testing.access``)."""

from amina.lib.testing.access import AGGREGATE, DETAIL, Sample


def _sub_district(world):
    from amina.geo.models import SubDistrict

    sub, _ = SubDistrict.objects.get_or_create(
        pcode="IQG04Q01S01", defaults={"name_en": "Test sub-district", "district": world.district_a}
    )
    return {"pcode": sub.pcode}


ACCESS_SAMPLES = {
    "geo:governorate-detail": Sample(lambda w: {"pcode": w.gov_a.pcode}, AGGREGATE),
    "geo:districts-geojson": Sample(lambda w: {"pcode": w.gov_a.pcode}, AGGREGATE),
    "geo:district-detail": Sample(lambda w: {"pcode": w.district_a.pcode}, AGGREGATE),
    "geo:location-detail": Sample(lambda w: {"pk": w.location_a.pk}, DETAIL),
    "geo:location-edit": Sample(
        lambda w: {"pk": w.location_a.pk}, frozenset({"admin", "national", "officer_a"})
    ),
    "geo:location-add": Sample(allowed=frozenset({"admin", "national", "officer_a", "officer_b"})),
    "api:governorate-detail": Sample(lambda w: {"pcode": w.gov_a.pcode}, AGGREGATE),
    "api:district-detail": Sample(lambda w: {"pcode": w.district_a.pcode}, AGGREGATE),
    "api:subdistrict-detail": Sample(_sub_district, AGGREGATE),
    "api:location-detail": Sample(lambda w: {"code": w.location_a.code}, DETAIL),
}

ACCESS_SAMPLES["geo:boundaries-upload"] = Sample(allowed=frozenset({"admin"}))
