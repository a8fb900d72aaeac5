"""Demo steps of the foundation: organisations, demo users, and locations."""

from __future__ import annotations

from django.db import transaction

from amina.accounts.models import Organisation, Role, User
from amina.core.demo import GOVERNORATE_SHARES, DemoContext, step
from amina.geo.models import District, Governorate, Location

NATIONAL_ORGANISATIONS = [
    ("Ministry of Migration and Displacement", "وزارة الهجرة والمهجرين", "MoMD", "ministry"),
    ("Ministry of Health", "وزارة الصحة", "MoH", "ministry"),
    ("Ministry of Interior", "وزارة الداخلية", "MoI", "ministry"),
    (
        "Bureau of Migration and Displacement (KRG)",
        "مكتب الهجرة والمهجرين - إقليم كوردستان",
        "BMD",
        "krg_body",
    ),
    ("Joint Crisis Coordination Centre (KRG)", "مركز تنسيق الأزمات المشترك", "JCC", "krg_body"),
    ("International Organization for Migration", "المنظمة الدولية للهجرة", "IOM", "iom"),
    (
        "UN High Commissioner for Refugees",
        "المفوضية السامية للأمم المتحدة لشؤون اللاجئين",
        "UNHCR",
        "un_agency",
    ),
    (
        "UN Office for the Coordination of Humanitarian Affairs",
        "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية",
        "OCHA",
        "un_agency",
    ),
    ("World Food Programme", "برنامج الأغذية العالمي", "WFP", "un_agency"),
    ("Iraqi Red Crescent Society", "جمعية الهلال الأحمر العراقي", "IRCS", "ngo"),
    ("Norwegian Refugee Council", "المجلس النرويجي للاجئين", "NRC", "ngo"),
    ("Danish Refugee Council", "المجلس الدنماركي للاجئين", "DRC", "ngo"),
]

# The demo users: one per role. The governorate and field users work in Najaf, one of
# the six southern governorates whose authorities IOM trained in June 2015.
DEMO_USERS = [
    ("admin", Role.ADMIN, [], "IOM", True),
    ("national", Role.NATIONAL, [], "MoMD", True),
    ("najaf", Role.GOVERNORATE, ["IQG04"], "Governor's Office of Al-Najaf", True),
    ("field", Role.FIELD, ["IQG04"], "IOM", True),
    ("logistics", Role.LOGISTICS, ["IQG11", "IQG09", "IQG04"], "IOM", False),
    ("partner", Role.PARTNER, [], "NRC", False),
]

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


def demo_password(seed: int, username: str) -> str:
    """Deterministic per seed, so the printed passwords match what the tests know."""
    return f"{username}-amina-{seed}"


@step(10, "organisations and users")
@transaction.atomic
def organisations_and_users(ctx: DemoContext) -> dict:
    for name_en, name_ar, acronym, kind in NATIONAL_ORGANISATIONS:
        Organisation.objects.get_or_create(
            name_en=name_en, defaults={"name_ar": name_ar, "acronym": acronym, "kind": kind}
        )
    for gov in Governorate.objects.all():
        Organisation.objects.get_or_create(
            name_en=f"Governor's Office of {gov.name_en}",
            defaults={
                "name_ar": f"مكتب محافظ {gov.name_ar}",
                "kind": "governorate_office",
                "governorate": gov,
            },
        )
        Organisation.objects.get_or_create(
            name_en=f"Provincial Council of {gov.name_en}",
            defaults={
                "name_ar": f"مجلس محافظة {gov.name_ar}",
                "kind": "provincial_council",
                "governorate": gov,
            },
        )
    users = ensure_demo_users(ctx.seed)
    return {"organisations": Organisation.objects.count(), "users": len(users)}


def ensure_demo_users(seed: int) -> list[tuple[str, str, str]]:
    """Create the demo users if missing; returns (username, role, password) for printing."""
    from amina.accounts.services import create_user

    printed = []
    for username, role, pcodes, org, personal in DEMO_USERS:
        password = demo_password(seed, username)
        if not User.objects.filter(username=username).exists():
            organisation = (
                Organisation.objects.filter(acronym=org).first()
                or Organisation.objects.filter(name_en=org).first()
            )
            create_user(
                None,
                username,
                role=role,
                password=password,
                governorates=Governorate.objects.filter(pcode__in=pcodes),
                organisation=organisation,
                personal_data=personal,
                national_scope=True if role == Role.PARTNER else None,
                first_name=username.capitalize(),
            )
        printed.append((username, role, password))
    return printed


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
