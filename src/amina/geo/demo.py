"""Demo step of geo: synthetic locations in every district, as many per governorate as
its share of the displaced."""

from __future__ import annotations

from amina.geo.models import District, Governorate, Location
from amina.lib.demo import GOVERNORATE_SHARES, DemoContext, step

# Syllables for synthetic place names in both scripts (no real village is implied).
NAME_PARTS = [
    ("Al-Nour", "النور"),
    ("Al-Salam", "السلام"),
    ("Al-Zahraa", "الزهراء"),
    ("Al-Amal", "الأمل"),
    ("Al-Wahda", "الوحدة"),
    ("Al-Jamia", "الجامعة"),
    ("Al-Sinaa", "الصناعة"),
    ("Al-Askari", "العسكري"),
    ("Al-Shuhada", "الشهداء"),
    ("Al-Hurriya", "الحرية"),
    ("Al-Mualimeen", "المعلمين"),
    ("Al-Tahrir", "التحرير"),
    ("Al-Qadisiya", "القادسية"),
    ("Al-Andalus", "الأندلس"),
    ("Al-Rasheed", "الرشيد"),
    ("Al-Khadra", "الخضراء"),
    ("Al-Furat", "الفرات"),
    ("Al-Rafidain", "الرافدين"),
]
KIND_WORDS = {
    "neighbourhood": ("Hay", "حي"),
    "village": ("Qaryat", "قرية"),
    "camp": ("Camp", "مخيم"),
    "site": ("Site", "موقع"),
}


@step(20, "locations")
def locations(ctx: DemoContext) -> dict:
    """Locations in every district, as many per governorate as its share of the displaced."""
    if Location.objects.exists():
        return {"locations": Location.objects.count()}
    total = ctx.size["locations"]
    districts = {}
    for d in District.objects.select_related("governorate"):
        districts.setdefault(d.governorate.pcode, []).append(d)
    rows, place_id = [], 100000
    for pcode, share in GOVERNORATE_SHARES.items():
        govs = districts.get(pcode, [])
        count = max(2, round(total * share))
        for i in range(count):
            district = govs[i % len(govs)] if govs else None
            kind = ctx.rng.choices(["neighbourhood", "village", "camp", "site"], [60, 30, 5, 5])[0]
            part_en, part_ar = ctx.rng.choice(NAME_PARTS)
            word_en, word_ar = KIND_WORDS[kind]
            number = ctx.rng.randint(1, 9)
            lat = (district.centroid_lat if district else 33.3) + ctx.rng.uniform(-0.15, 0.15)
            lon = (district.centroid_lon if district else 44.4) + ctx.rng.uniform(-0.15, 0.15)
            place_id += ctx.rng.randint(1, 7)
            rows.append(
                Location(
                    name_en=f"{word_en} {part_en} {number}",
                    name_ar=f"{word_ar} {part_ar} {number}",
                    kind=kind,
                    governorate=district.governorate
                    if district
                    else Governorate.objects.get(pcode=pcode),
                    district=district,
                    centroid_lat=round(lat, 5),
                    centroid_lon=round(lon, 5),
                    dtm_place_id=str(place_id),
                    code=str(place_id),  # the stable code of a DTM place (geo.codes)
                )
            )
    Location.objects.bulk_create(rows, batch_size=1000)
    ctx.progress(len(rows), len(rows), "locations")
    return {"locations": len(rows)}
