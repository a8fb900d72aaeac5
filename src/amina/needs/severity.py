"""The severity scale of needs and the people-in-need rule, in one place.

Every assessment rates each MCOF sector from 1 to 5. The meanings below are what the
field team reads on the form (web and XLSForm) and what the authorities read on the
heat table, in English, Arabic and Kurdish, so that a "4" means the same thing in Duhok
and in Najaf.

People in need (``IN_NEED_FROM``): a sector rated 3 (severe) or worse at a location
counts the whole population covered by that location's latest assessment as in need in
that sector; a sector rated 1 or 2 counts nobody. The rule is deliberately simple and
explicit, so anyone can recompute the figure from the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from amina.lib.i18n import localised

#: A sector rated at least this counts the covered population as in need.
IN_NEED_FROM = 3
#: A sector rated at least this is a severe need (gap report, home panel).
SEVERE_FROM = 4


@dataclass(frozen=True)
class Level:
    value: int
    label_en: str
    label_ar: str
    meaning_en: str
    meaning_ar: str
    colour: str  # background of the heat-table cell and map marker
    text_colour: str
    label_ckb: str = ""
    meaning_ckb: str = ""

    @property
    def label(self) -> str:
        return localised(self.label_en, self.label_ar, self.label_ckb)

    @property
    def meaning(self) -> str:
        return localised(self.meaning_en, self.meaning_ar, self.meaning_ckb)


SCALE: tuple[Level, ...] = (
    Level(
        1,
        "None or minimal",
        "لا توجد أو طفيفة",
        "Needs are met; services and goods are available and accessible as before the crisis.",
        "الاحتياجات ملبّاة؛ الخدمات والسلع متوفرة ويمكن الوصول إليها كما كانت قبل الأزمة.",
        "#fff5eb",
        "#212529",
        label_ckb="هیچ یان کەم",
        meaning_ckb=(
            "پێداویستییەکان دابین کراون؛ خزمەتگوزاری و کاڵاکان وەک "
            "پێش قەیرانەکە بەردەستن و دەستیان پێ ڕادەگات."
        ),
    ),
    Level(
        2,
        "Stressed",
        "ضغط",
        "Needs are mostly met, but people cope by reducing other essentials or using savings.",
        "الاحتياجات ملبّاة في معظمها، لكن السكان يتدبرون أمرهم "
        "بتقليص ضرورات أخرى أو باستنفاد مدخراتهم.",
        "#fdd0a2",
        "#212529",
        label_ckb="لەژێر فشار",
        meaning_ckb=(
            "پێداویستییەکان زۆربەیان دابین کراون، بەڵام خەڵک بە کەمکردنەوەی "
            "پێداویستییە بنەڕەتییەکانی تر یان خەرجکردنی پاشەکەوتەکانیان خۆیان ڕادەگرن."
        ),
    ),
    Level(
        3,
        "Severe",
        "شديدة",
        "Significant unmet needs; people lack essential goods or services "
        "and depend on assistance.",
        "احتياجات كبيرة غير ملبّاة؛ يفتقر السكان إلى سلع أو خدمات أساسية ويعتمدون على المساعدات.",
        "#fd8d3c",
        "#212529",
        label_ckb="توند",
        meaning_ckb=(
            "پێداویستیی گەورەی دابیننەکراو؛ خەڵک کاڵا یان خزمەتگوزاریی "
            "بنەڕەتییان نییە و پشت بە هاوکاری دەبەستن."
        ),
    ),
    Level(
        4,
        "Extreme",
        "حادة جداً",
        "Life-threatening gaps for many people; harmful coping "
        "and serious risks to health and safety.",
        "فجوات تهدد حياة كثيرين؛ آليات تكيّف ضارة ومخاطر جسيمة على الصحة والسلامة.",
        "#d94801",
        "#ffffff",
        label_ckb="زۆر توند",
        meaning_ckb=(
            "کەلێنی مەترسیدار بۆ ژیانی زۆر کەس؛ ڕێگای زیانبەخشی "
            "خۆگونجاندن و مەترسیی جددی بۆ تەندروستی و سەلامەتی."
        ),
    ),
    Level(
        5,
        "Catastrophic",
        "كارثية",
        "Total collapse of services and coping; loss of life is occurring "
        "or imminent without help.",
        "انهيار تام للخدمات ولقدرة التكيّف؛ وفيات تقع أو وشيكة الوقوع من دون مساعدة فورية.",
        "#7f2704",
        "#ffffff",
        label_ckb="کارەساتبار",
        meaning_ckb=(
            "داڕمانی تەواوی خزمەتگوزارییەکان و توانای خۆگونجاندن؛ بەبێ "
            "یارمەتیی خێرا گیان لەدەستدان ڕوودەدات یان نزیکە."
        ),
    ),
)

BY_VALUE = {level.value: level for level in SCALE}


def level(value: int | None) -> Level | None:
    return BY_VALUE.get(value) if value is not None else None


def in_need(severity: int, population: int | None) -> int:
    """People in need in one sector at one location, by the rule above."""
    return (population or 0) if severity >= IN_NEED_FROM else 0
