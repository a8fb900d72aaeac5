"""Demo step of accounts: the organisations of the response and one demo user per role."""

from __future__ import annotations

from django.db import transaction

from amina.accounts.models import Organisation, Role, User
from amina.geo.models import Governorate
from amina.lib.demo import DemoContext, step

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
