"""Demo data of coordination: 4W, plans, meetings, contacts and the 2014–2015 MCOF trainings.

The trainings follow what IOM Iraq reported: 75 officials of the central and Kurdistan
Region governments trained on the MCOF before June 2015, then the provincial authorities
of the six southern governorates (Babylon, Baghdad, Kerbala, Missan, Najaf, Qadissiya)
on 8–11 June 2015, with a visit to IOM's warehouse in Erbil. Names are synthetic.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from amina.accounts.models import Organisation, User
from amina.coordination.models import (
    ActionPoint,
    Activity,
    Attendance,
    Contact,
    Meeting,
    Objective,
    Participant,
    ResponsePlan,
    Target,
    Training,
)
from amina.geo.models import Governorate, Location
from amina.lib.demo import STORY_DAY, STORY_END, DemoContext, step
from amina.needs.models import Phase, Sector

D = datetime.date
FIRST = [
    ("Ahmed", "أحمد", "m"),
    ("Ali", "علي", "m"),
    ("Hussein", "حسين", "m"),
    ("Karim", "كريم", "m"),
    ("Mustafa", "مصطفى", "m"),
    ("Omar", "عمر", "m"),
    ("Salah", "صلاح", "m"),
    ("Haider", "حيدر", "m"),
    ("Zainab", "زينب", "f"),
    ("Fatima", "فاطمة", "f"),
    ("Maryam", "مريم", "f"),
    ("Huda", "هدى", "f"),
    ("Nadia", "نادية", "f"),
    ("Shirin", "شيرين", "f"),
    ("Rezan", "ريزان", "m"),
    ("Dilshad", "دلشاد", "m"),
]
LAST = [
    ("Kadhim", "كاظم"),
    ("Jasim", "جاسم"),
    ("Abbas", "عباس"),
    ("Hassan", "حسن"),
    ("Mahmoud", "محمود"),
    ("Rashid", "رشيد"),
    ("Aziz", "عزيز"),
    ("Salih", "صالح"),
]
TITLES = [
    "Director",
    "Deputy director",
    "Head of section",
    "Planning officer",
    "Emergency focal point",
    "Statistician",
    "Engineer",
    "Legal adviser",
]
#: 4W activities by MCOF sector, in English and in Arabic: a ministry reports its activities
#: in Arabic, the UN agencies and international NGOs in English.
ACTIVITIES = {
    1: [
        ("Camp coordination", "تنسيق المخيمات"),
        ("Site monitoring", "متابعة المواقع"),
        ("Displacement tracking round", "جولة تتبع النزوح"),
    ],
    2: [
        ("NFI kit distribution", "توزيع حقائب المواد غير الغذائية"),
        ("Tent distribution", "توزيع الخيام"),
        ("Winterisation kits", "حقائب الشتاء"),
        ("Shelter upgrades", "تحسين المأوى"),
    ],
    4: [
        ("Mobile medical team", "فريق طبي متنقل"),
        ("Vaccination campaign", "حملة تلقيح"),
        ("Primary health care", "الرعاية الصحية الأولية"),
    ],
    5: [
        ("Psychosocial sessions", "جلسات الدعم النفسي والاجتماعي"),
        ("Community centre activities", "أنشطة المركز المجتمعي"),
    ],
    3: [("Transport to camps", "النقل إلى المخيمات")],
}
#: Organisations that write their 4W in Arabic.
WRITES_ARABIC = ("ministry",)


def _person(ctx, i):
    first, first_ar, sex = ctx.rng.choice(FIRST)
    last, last_ar = LAST[i % len(LAST)]
    return f"{first} {last}", f"{first_ar} {last_ar}", sex


def _org(acronym=None, name=None):
    qs = (
        Organisation.objects.filter(acronym=acronym)
        if acronym
        else Organisation.objects.filter(name_en=name)
    )
    return qs.first()


def _training(ctx, title, title_ar, start, end, place, gov, sectors, topics, groups):
    """``groups``: (organisation, governorate, count) of participants."""
    iom = _org("IOM")
    training = Training.objects.create(
        title=title,
        title_ar=title_ar,
        start_date=start,
        end_date=end,
        place=place,
        governorate=gov,
        organiser=iom,
        topics="\n".join(topics),
        trainers="IOM Iraq MCOF team\nIOM DTM unit",
    )
    training.sectors.set(Sector.objects.filter(code__in=sectors))
    days = training.days()
    i = 0
    for org, home, count in groups:
        for _ in range(count):
            name, name_ar, sex = _person(ctx, i)
            pre = ctx.rng.randint(25, 60)
            person = Participant.objects.create(
                training=training,
                name=name,
                name_ar=name_ar,
                title=ctx.rng.choice(TITLES),
                organisation=org,
                governorate=home,
                sex=sex,
                pre_score=pre,
                post_score=min(100, pre + ctx.rng.randint(8, 35)),
            )
            present = [d for d in days if ctx.rng.random() < 0.95]
            Attendance.objects.bulk_create([Attendance(participant=person, day=d) for d in present])
            i += 1
    return training


def _authorities(govs: dict) -> tuple[dict, dict]:
    """The governor's office and the provincial council of each governorate, by p-code."""
    gov_office = {p: _org(name=f"Governor's Office of {govs[p].name_en}") for p in govs}
    council = {p: _org(name=f"Provincial Council of {govs[p].name_en}") for p in govs}
    return gov_office, council


def _central_trainings(ctx, govs: dict, gov_office: dict, council: dict) -> None:
    """75 officials of the central and Kurdistan Region governments before June 2015."""
    krg_rights, _ = Organisation.objects.get_or_create(
        name_en="Independent Human Rights Commission (Kurdistan Region)",
        defaults={
            "name_ar": "الهيئة المستقلة لحقوق الإنسان في إقليم كوردستان",
            "acronym": "IHRC-KR",
            "kind": "krg_body",
        },
    )
    erbil, dahuk, sulay, baghdad = govs["IQG11"], govs["IQG09"], govs["IQG06"], govs["IQG08"]
    _training(
        ctx,
        "The MCOF for central government officials",
        "إطار عمليات الأزمات المتعلقة بالهجرة لموظفي الحكومة الاتحادية",
        D(2014, 11, 16),
        D(2014, 11, 19),
        "Baghdad",
        baghdad,
        [1, 2, 4, 8],
        ["The MCOF: phases and sectors", "Displacement tracking", "Coordination"],
        [(_org("MoMD"), baghdad, 12), (_org("MoH"), baghdad, 7), (_org("MoI"), baghdad, 6)],
    )
    _training(
        ctx,
        "The MCOF for Kurdistan Region authorities",
        "إطار عمليات الأزمات المتعلقة بالهجرة لسلطات إقليم كوردستان",
        D(2015, 2, 8),
        D(2015, 2, 11),
        "Erbil",
        erbil,
        [1, 2, 5, 10],
        ["The MCOF: phases and sectors", "Camp management", "Protection"],
        [
            (_org("BMD"), erbil, 8),
            (gov_office["IQG11"], erbil, 5),
            (gov_office["IQG09"], dahuk, 5),
            (gov_office["IQG06"], sulay, 5),
            (_org("JCC"), erbil, 2),
        ],
    )
    _training(
        ctx,
        "The MCOF and durable solutions",
        "إطار عمليات الأزمات المتعلقة بالهجرة والحلول الدائمة",
        D(2015, 4, 12),
        D(2015, 4, 14),
        "Dahuk",
        dahuk,
        [6, 7, 9, 10],
        ["Durable solutions", "Land and property", "Human rights in displacement"],
        [
            (_org("MoMD"), dahuk, 5),
            (krg_rights, erbil, 6),
            (_org("BMD"), dahuk, 4),
            (council["IQG09"], dahuk, 5),
            (council["IQG06"], sulay, 5),
        ],
    )


def _southern_training(ctx, govs: dict, gov_office: dict, council: dict) -> None:
    """Then the six southern governorates' provincial authorities, 8–11 June 2015, in Erbil."""
    groups = []
    for p in ("IQG07", "IQG08", "IQG12", "IQG14", "IQG04", "IQG05"):
        groups += [(gov_office[p], govs[p], 4), (council[p], govs[p], 2)]
    _training(
        ctx,
        "The MCOF for the provincial authorities of the southern governorates",
        "إطار عمليات الأزمات المتعلقة بالهجرة للسلطات المحلية في المحافظات الجنوبية",
        D(2015, 6, 8),
        D(2015, 6, 11),
        "Erbil",
        govs["IQG11"],
        [1, 2, 3, 4, 8, 15],
        [
            "The MCOF: phases and sectors",
            "Displacement tracking and needs assessment",
            "Stock management: visit to IOM's warehouse in Erbil",
            "Humanitarian communications",
        ],
        groups,
    )


#: Where the demo's 4W activities are, weighted towards where the displaced are.
FOCUS = ["IQG04", "IQG09", "IQG11", "IQG08", "IQG01", "IQG13", "IQG05", "IQG07"]


def _activity(ctx, pcode: str, loc, orgs: list, sectors: dict, govs: dict) -> Activity:
    """One 4W activity whose status matches its dates: nobody reached before it starts."""
    code = ctx.rng.choice([2, 2, 2, 4, 4, 1, 5, 3])
    today = STORY_DAY
    start = today - datetime.timedelta(days=ctx.rng.randint(-30, 200))
    end = min(STORY_END, start + datetime.timedelta(days=ctx.rng.randint(14, 180)))
    status = "planned" if start > today else "completed" if end < today else "ongoing"
    people = [ctx.rng.randint(0, 200) for _ in range(6)]
    if status == "planned":
        people = [0] * 6  # not started yet: nobody reached
    girls, boys, women, men = people[:4]
    elderly_women, elderly_men = people[4] // 4, people[5] // 4
    organisation = ctx.rng.choice(orgs)
    english, arabic = ctx.rng.choice(ACTIVITIES[code])
    return Activity(
        organisation=organisation,
        sector=sectors[code],
        activity_type=arabic if organisation.kind in WRITES_ARABIC else english,
        governorate=govs[pcode],
        district=loc.district if loc else None,
        location=loc,
        start_date=start,
        end_date=end,
        status=status,
        girls=girls,
        boys=boys,
        women=women,
        men=men,
        elderly_women=elderly_women,
        elderly_men=elderly_men,
        people_reached=girls + boys + women + men + elderly_women + elderly_men,
    )


def _activities(ctx, govs: dict) -> None:
    orgs = list(Organisation.objects.filter(kind__in=["iom", "un_agency", "ngo", "ministry"]))
    n = {"small": 60, "medium": 400, "large": 1500}[ctx.scale]
    locations = {p: list(Location.objects.filter(governorate__pcode=p)[:60]) for p in FOCUS}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=ACTIVITIES)}
    rows = []
    for _ in range(n):
        pcode = ctx.rng.choice(FOCUS)
        # Every demo activity names its location, so the demo's 4W joins the displacement
        # figures on #loc+code (a governorate-wide activity would join on #adm1+code only).
        loc = ctx.rng.choice(locations[pcode]) if locations[pcode] else None
        rows.append(_activity(ctx, pcode, loc, orgs, sectors, govs))
    Activity.objects.bulk_create(rows, batch_size=500)


#: A response plan's objectives: MCOF phase, sector, text in English and in Arabic (a
#: governorate writes its plan in Arabic).
OBJECTIVES = [
    ("before", 8, "Contingency stocks and early warning", "مخزون الطوارئ والإنذار المبكر"),
    (
        "during",
        2,
        "Shelter and NFIs for every newly displaced family",
        "المأوى والمواد غير الغذائية لكل أسرة نازحة حديثاً",
    ),
    (
        "during",
        4,
        "Primary health care within reach of every site",
        "الرعاية الصحية الأولية في متناول كل موقع",
    ),
    ("after", 6, "Return and reintegration support", "دعم العودة وإعادة الاندماج"),
]


def _objectives(plan: ResponsePlan, targets: list, govs: dict, sectors: dict) -> None:
    """The plan's objectives by MCOF phase and sector, each with its targets
    (governorate, sector, quantity) of that sector."""
    phases = {p.code: p for p in Phase.objects.all()}
    for phase, code, english, arabic in OBJECTIVES:
        text = arabic if plan.governorate_id else english
        objective = Objective.objects.create(
            plan=plan, phase=phases[phase], sector=sectors[code], text=text
        )
        for pcode, t_code, quantity in targets:
            if t_code == code:
                target = Target.objects.create(
                    plan=plan,
                    objective=objective,
                    sector=sectors[code],
                    governorate=govs[pcode],
                    quantity=quantity,
                    deadline=D(2015, 12, 31),
                    lead=_org("IOM") if code == 2 else _org("MoH"),
                )
                target.partners.set(Organisation.objects.filter(acronym__in=["NRC", "DRC"]))


def _other_targets(plan: ResponsePlan, targets: list, govs: dict, sectors: dict) -> None:
    """Targets outside the objectives: officials trained, and psychosocial support."""
    Target.objects.create(
        plan=plan,
        sector=sectors[1],
        governorate=govs["IQG04"],
        measure="officials_trained",
        quantity=30,
        deadline=D(2015, 12, 31),
        lead=_org("IOM"),
    )
    for pcode, code, quantity in targets:
        if code == 5:
            Target.objects.create(
                plan=plan,
                sector=sectors[5],
                governorate=govs[pcode],
                quantity=quantity,
                deadline=D(2015, 9, 30),
            )


def _plans(govs: dict) -> None:
    """A national plan and the Najaf plan, organised by MCOF phase and sector."""
    sectors = {s.code: s for s in Sector.objects.all()}
    national = ResponsePlan.objects.create(
        title="National IDP response plan 2015 — الخطة الوطنية للاستجابة للنازحين 2015",
        start_date=D(2015, 1, 1),
        end_date=D(2015, 12, 31),
    )
    najaf_plan = ResponsePlan.objects.create(
        title="Al-Najaf response plan 2015 — خطة الاستجابة في محافظة النجف 2015",
        governorate=govs["IQG04"],
        start_date=D(2015, 1, 1),
        end_date=D(2015, 12, 31),
    )
    for plan, targets in (
        (
            national,
            [("IQG09", 2, 12000), ("IQG11", 4, 8000), ("IQG08", 2, 10000), ("IQG04", 2, 5000)],
        ),
        (najaf_plan, [("IQG04", 2, 6000), ("IQG04", 4, 3000), ("IQG04", 5, 1500)]),
    ):
        _objectives(plan, targets, govs, sectors)
        _other_targets(plan, targets, govs, sectors)


def _meetings(govs: dict) -> None:
    """Meetings of Najaf's coordination with action points for the demo users; the
    governor's office keeps its minutes in Arabic."""
    najaf_user = User.objects.filter(username="najaf").first()
    field_user = User.objects.filter(username="field").first()
    meeting = Meeting.objects.create(
        title="Al-Najaf humanitarian coordination meeting — اجتماع التنسيق الإنساني في النجف",
        date=D(2015, 6, 14),
        governorate=govs["IQG04"],
        place="ديوان محافظة النجف",
        chair="نائب المحافظ",
        agenda="1. أرقام الجولة الثانية والعشرين لمصفوفة تتبع النزوح (DTM)\n"
        "2. خط إمداد المواد غير الغذائية\n3. الصحة",
        decisions="إعطاء الأولوية لحقائب المواد غير الغذائية في المواقع الاثني عشر المصنفة "
        "شديدة الحاجة.\nمطالبة دائرة صحة النجف بفريق طبي متنقل ثانٍ.",
        other_attendees="ممثل دائرة صحة النجف\nمنسق ميداني من المنظمة الدولية للهجرة",
    )
    meeting.organisations.set(Organisation.objects.filter(acronym__in=["IOM", "MoMD", "NRC"]))
    if najaf_user and field_user:
        meeting.attendees.set([najaf_user, field_user])
        ActionPoint.objects.create(
            meeting=meeting,
            text="مشاركة قائمة المواقع شديدة الحاجة",
            owner=field_user,
            due_date=D(2015, 6, 18),
        )
        ActionPoint.objects.create(
            meeting=meeting,
            text="طلب الفريق الطبي المتنقل الثاني",
            owner=najaf_user,
            due_date=D(2015, 7, 1),
        )
    Meeting.objects.create(
        title="National coordination meeting",
        date=D(2015, 6, 16),
        place="MoMD, Baghdad",
        agenda="Review of governorate plans",
    )


def _contacts(ctx, govs: dict) -> None:
    """Focal points of the main agencies in Najaf and Duhok."""
    for org in Organisation.objects.filter(acronym__in=["IOM", "NRC", "DRC", "MoMD", "UNHCR"]):
        for pcode in ("IQG04", "IQG09"):
            name, _ar, _sex = _person(ctx, ctx.rng.randint(0, 50))
            contact = Contact.objects.create(
                name=name,
                title="Focal point",
                organisation=org,
                governorate=govs[pcode],
                phone=f"+964 7{ctx.rng.randint(50, 90)} {ctx.rng.randint(100, 999)} "
                f"{ctx.rng.randint(1000, 9999)}",
                email=f"{name.split()[0].lower()}.{pcode.lower()}@"
                f"{(org.acronym or 'org').lower()}.example",
            )
            contact.sectors.set(Sector.objects.filter(code__in=[1, 2]))


@step(70, "coordination")
@transaction.atomic
def coordination(ctx: DemoContext) -> dict:
    if Training.objects.exists():
        return {"trainings": Training.objects.count()}
    govs = {g.pcode: g for g in Governorate.objects.all()}
    gov_office, council = _authorities(govs)
    _central_trainings(ctx, govs, gov_office, council)
    _southern_training(ctx, govs, gov_office, council)
    _activities(ctx, govs)
    _plans(govs)
    _meetings(govs)
    _contacts(ctx, govs)
    return {
        "trainings": Training.objects.count(),
        "participants": Participant.objects.count(),
        "activities": Activity.objects.count(),
        "plans": ResponsePlan.objects.count(),
        "meetings": Meeting.objects.count(),
        "contacts": Contact.objects.count(),
    }
