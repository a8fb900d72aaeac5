"""Synthetic registrations with realistic Iraqi Arabic names and a known truth.

Families are four-part names (first, father, grandfather, family). Clans of brothers
share father, grandfather and family name and differ by first name, birth year, phone
and document (the hard non-duplicates). A share of families is registered again, by
another team and sometimes in another governorate, with the variations real lists have:
an alef or hamza variant, a taa marbuta written as haa, a dropped grandfather's name,
two swapped phone digits, a missing document number, a year of birth only, another
Latin spelling. ``truth`` maps each household_ref to its family, so tests and benchmarks
compute precision and recall. Nothing here writes: ``demo.py`` and the benchmark do.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from amina.registry import names, vulnerability
from amina.registry.models import Criterion

MALE = [
    ("محمد", "Mohammed", "Muhammad"),
    ("أحمد", "Ahmed", "Ahmad"),
    ("علي", "Ali", "Aly"),
    ("حسين", "Hussein", "Husain"),
    ("حسن", "Hassan", "Hasan"),
    ("عمر", "Omar", "Umar"),
    ("مصطفى", "Mustafa", "Moustafa"),
    ("إبراهيم", "Ibrahim", "Ebrahim"),
    ("خالد", "Khalid", "Khaled"),
    ("عباس", "Abbas", "Abas"),
    ("جاسم", "Jasim", "Jassim"),
    ("كريم", "Kareem", "Karim"),
    ("حيدر", "Haider", "Hayder"),
    ("سعد", "Saad", "Sad"),
    ("نبيل", "Nabeel", "Nabil"),
    ("ياسين", "Yaseen", "Yassin"),
    ("فاضل", "Fadhil", "Fadel"),
    ("عبد الله", "Abdullah", "Abd Allah"),
    ("عبد الرحمن", "Abdulrahman", "Abd Al-Rahman"),
    ("عبد الكريم", "Abdulkareem", "Abd Al-Karim"),
    ("يوسف", "Yousif", "Yusuf"),
    ("إسماعيل", "Ismail", "Esmaeel"),
    ("أسامة", "Osama", "Usama"),
    ("مرتضى", "Murtadha", "Murtada"),
    ("رعد", "Raad", "Ra'ad"),
    ("قاسم", "Qasim", "Kassim"),
    ("ماجد", "Majid", "Majed"),
    ("سلام", "Salam", "Salaam"),
    ("فراس", "Firas", "Feras"),
    ("وليد", "Waleed", "Walid"),
    ("صباح", "Sabah", "Sabbah"),
    ("زياد", "Ziad", "Ziyad"),
    ("طارق", "Tariq", "Tarek"),
    ("هادي", "Hadi", "Hady"),
    ("ناصر", "Nasser", "Nasir"),
    ("منصور", "Mansour", "Mansur"),
    ("أنور", "Anwar", "Anouar"),
    ("إياد", "Iyad", "Eyad"),
    ("مهدي", "Mahdi", "Mehdi"),
    ("جعفر", "Jaafar", "Jafar"),
    ("صالح", "Salih", "Saleh"),
    ("رشيد", "Rasheed", "Rashid"),
    ("سامي", "Sami", "Samy"),
    ("عادل", "Adil", "Adel"),
    ("باسم", "Basim", "Bassem"),
    ("ثامر", "Thamir", "Thamer"),
    ("لؤي", "Luay", "Louai"),
    ("أيمن", "Ayman", "Aiman"),
    ("مؤيد", "Muayad", "Moayad"),
    ("هاشم", "Hashim", "Hashem"),
    ("شاكر", "Shakir", "Shaker"),
    ("عماد", "Imad", "Emad"),
    ("نوري", "Nouri", "Nuri"),
    ("سعيد", "Saeed", "Said"),
    ("حامد", "Hamid", "Hamed"),
    ("محمود", "Mahmoud", "Mahmud"),
    ("عثمان", "Othman", "Uthman"),
    ("بكر", "Bakr", "Baker"),
    ("غازي", "Ghazi", "Gazi"),
    ("فيصل", "Faisal", "Faysal"),
]
FEMALE = [
    ("فاطمة", "Fatima", "Fatimah"),
    ("زينب", "Zainab", "Zaynab"),
    ("مريم", "Maryam", "Mariam"),
    ("هدى", "Huda", "Hoda"),
    ("نور", "Noor", "Nur"),
    ("سارة", "Sara", "Sarah"),
    ("آمنة", "Amina", "Aminah"),
    ("خديجة", "Khadija", "Khadeeja"),
    ("رقية", "Ruqaya", "Rukaya"),
    ("إيمان", "Iman", "Eman"),
    ("أسماء", "Asmaa", "Asma"),
    ("سعاد", "Suad", "Souad"),
    ("رنا", "Rana", "Ranaa"),
    ("شيماء", "Shaimaa", "Shayma"),
    ("بشرى", "Bushra", "Boushra"),
    ("ليلى", "Layla", "Leila"),
    ("وفاء", "Wafaa", "Wafa"),
    ("حنان", "Hanan", "Hanaan"),
    ("سميرة", "Samira", "Sameera"),
    ("أمل", "Amal", "Amel"),
    ("دعاء", "Duaa", "Doaa"),
    ("إسراء", "Israa", "Esraa"),
    ("غادة", "Ghada", "Gada"),
    ("نادية", "Nadia", "Nadiya"),
]
FAMILIES = [
    ("العزاوي", "Al-Azzawi", "Al Azawi"),
    ("التميمي", "Al-Tamimi", "Al Timimi"),
    ("العبيدي", "Al-Obaidi", "Al Ubaydi"),
    ("الخزرجي", "Al-Khazraji", "Al Khazrajy"),
    ("الجبوري", "Al-Jubouri", "Al Jaburi"),
    ("الدليمي", "Al-Dulaimi", "Al Dulaymi"),
    ("الشمري", "Al-Shammari", "Al Shamari"),
    ("الزبيدي", "Al-Zubaidi", "Al Zubaydi"),
    ("الربيعي", "Al-Rubaie", "Al Rubaye"),
    ("الكبيسي", "Al-Kubaisi", "Al Kubaysi"),
    ("الحمداني", "Al-Hamdani", "Al Hamdany"),
    ("الساعدي", "Al-Saadi", "Al Saedi"),
    ("البياتي", "Al-Bayati", "Al Bayaty"),
    ("النعيمي", "Al-Nuaimi", "Al Naimi"),
    ("الطائي", "Al-Taie", "Al Tai"),
    ("المالكي", "Al-Maliki", "Al Malky"),
    ("الحديثي", "Al-Hadithi", "Al Hadeethi"),
    ("العاني", "Al-Ani", "Al Aani"),
    ("الراوي", "Al-Rawi", "Al Rawy"),
    ("السامرائي", "Al-Samarrai", "Al Samaraie"),
    ("الجنابي", "Al-Janabi", "Al Jenabi"),
    ("الفلاحي", "Al-Fahdawi", "Al Fahdawy"),
    ("المحمدي", "Al-Mohammadi", "Al Muhammadi"),
    ("الحلبوسي", "Al-Halbousi", "Al Halbusi"),
    ("العيساوي", "Al-Issawi", "Al Isawi"),
    ("الجميلي", "Al-Jumaili", "Al Jumayli"),
    ("الكرخي", "Al-Karkhi", "Al Karkhy"),
    ("الموسوي", "Al-Musawi", "Al Mousawi"),
    ("الحسيني", "Al-Husseini", "Al Husaini"),
    ("الياسري", "Al-Yasiri", "Al Yassiri"),
    ("اللامي", "Al-Lami", "Al Laami"),
    ("السوداني", "Al-Sudani", "Al Soudani"),
    ("الكعبي", "Al-Kaabi", "Al Kabi"),
    ("الفتلاوي", "Al-Fatlawi", "Al Fatlaawi"),
    ("الخفاجي", "Al-Khafaji", "Al Khafajy"),
    ("الغريري", "Al-Ghariri", "Al Ghareeri"),
    ("السعدي", "Al-Saadi", "Al Sadi"),
    ("الدوري", "Al-Douri", "Al Duri"),
    ("الهيتي", "Al-Hiti", "Al Heeti"),
    ("الكروي", "Al-Karawi", "Al Karwi"),
]
# Letter variants that teams write interchangeably (first match is replaced).
VARIANTS = [
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    ("ؤ", "و"),
    ("عبد ال", "عبدال"),
    ("ي", "ى"),
]
TEAMS = [
    "IOM RART Najaf",
    "IOM RART Erbil",
    "MoMD Najaf branch",
    "MoMD Duhok branch",
    "BMD Duhok",
    "IRCS Anbar",
    "NRC Baghdad",
    "DRC Kirkuk",
]
FLAG_RATES = {
    Criterion.FEMALE_HEADED: 0.0,
    Criterion.ELDERLY_HEADED: 0.08,
    Criterion.CHILD_HEADED: 0.01,
    Criterion.DISABILITY: 0.09,
    Criterion.CHRONIC_ILLNESS: 0.14,
    Criterion.PREGNANT_LACTATING: 0.1,
    Criterion.UNACCOMPANIED_CHILDREN: 0.01,
}


@dataclass
class Person:
    first: tuple[str, str, str]
    father: tuple[str, str, str]
    grandfather: tuple[str, str, str]
    family: tuple[str, str, str]
    sex: str
    birth: datetime.date
    phone: str
    document: str
    doc_type: str


@dataclass
class Batch:
    households: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)


@dataclass
class Generator:
    """Registrations for ``n`` households (duplicates included), in batches.

    ``locations`` maps governorate id → location ids. ``duplicate_rate`` is the share of
    families registered twice (a few three times).
    """

    n: int
    locations: dict[int, list[int]]
    seed: int = 2015
    duplicate_rate: float = 0.1
    members: bool = True
    ref_prefix: str = "GEN"
    truth: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 (synthetic data, not secrets)
        self.govs = sorted(self.locations)
        self.weights = vulnerability.weights()
        self.today = datetime.date(2015, 7, 1)
        # Children's birth dates come from a stream of their own, so that making them
        # plausible changes nothing else the seed gives (names, places, duplicates).
        self.birth_rng = random.Random(self.seed + 1)  # noqa: S311
        self.count = 0
        self.family_no = 0

    # -------------------------------------------------------------- people

    def _phone(self) -> str:
        return (
            "07" + self.rng.choice("789") + "".join(self.rng.choice("0123456789") for _ in range(8))
        )

    def _doc(self) -> tuple[str, str]:
        if self.rng.random() < 0.12:
            return "none", ""
        return self.rng.choice(["national_id", "civil_id"]), "".join(
            self.rng.choice("0123456789") for _ in range(12)
        )

    def _clan(self) -> list[Person]:
        """One to three brothers (rarely a widow) sharing father, grandfather, family."""
        rng = self.rng
        father, grandfather, family = rng.choice(MALE), rng.choice(MALE), rng.choice(FAMILIES)
        brothers = rng.choices([1, 2, 3], [70, 22, 8])[0]
        firsts = rng.sample([m for m in MALE if m != father], brothers)
        base_year = rng.randint(1945, 1995)
        people = []
        for index, first in enumerate(firsts):
            sex = "male"
            if index == 0 and rng.random() < 0.12:
                first, sex = rng.choice(FEMALE), "female"
            doc_type, doc = self._doc()
            birth = datetime.date(
                base_year + index * rng.randint(1, 4), rng.randint(1, 12), rng.randint(1, 28)
            )
            people.append(
                Person(first, father, grandfather, family, sex, birth, self._phone(), doc, doc_type)
            )
        return people

    # -------------------------------------------------------------- perturbation

    def _variant(self, text: str) -> str:
        for old, new in self.rng.sample(VARIANTS, len(VARIANTS)):
            if old in text:
                return text.replace(old, new, 1)
        return text

    def _typo(self, text: str) -> str:
        """One letter dropped, doubled or replaced by a neighbour on the keyboard."""
        if len(text) < 4:
            return text
        i = self.rng.randint(1, len(text) - 2)
        kind = self.rng.choice(["drop", "double", "replace"])
        if kind == "drop":
            return text[:i] + text[i + 1 :]
        if kind == "double":
            return text[:i] + text[i] + text[i:]
        return text[:i] + self.rng.choice("ىيهةسشصض") + text[i + 1 :]

    def _swap_digits(self, phone: str) -> str:
        if len(phone) < 6:
            return phone
        i = self.rng.randint(3, len(phone) - 2)
        chars = list(phone)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)

    def _again(self, head: dict) -> dict:
        """The head of household as another team wrote it down."""
        rng, again = self.rng, dict(head)
        changes = rng.sample(
            [
                "variant",
                "grandfather",
                "phone",
                "document",
                "year",
                "latin",
                "family_variant",
                "phone_missing",
                "typo",
                "year_off",
                "variant",
            ],
            rng.choice([1, 2, 2, 3, 3]),
        )
        if "variant" in changes:
            again["first_name_ar"] = self._variant(again["first_name_ar"])
            again["father_name_ar"] = self._variant(again["father_name_ar"])
        if "family_variant" in changes:
            again["family_name_ar"] = self._variant(again["family_name_ar"])
        if "grandfather" in changes:
            again["grandfather_name_ar"] = ""
        if "phone" in changes:
            again["phone"] = self._swap_digits(again["phone"])
        if "phone_missing" in changes:
            again["phone"] = ""
        if "document" in changes:
            again["document_number"], again["document_type"] = "", "none"
        if "year" in changes and again["birth_date"]:
            again["birth_date"] = None
        if "typo" in changes:
            part = rng.choice(["father_name_ar", "family_name_ar", "first_name_ar"])
            again[part] = self._typo(again[part])
        if "year_off" in changes and again["birth_year"]:
            again["birth_year"] += rng.choice([-1, 1])
            again["birth_date"] = None
        if "latin" in changes:
            again["name_latin"] = again["_latin_alt"]
        return again

    # -------------------------------------------------------------- rows

    def _head_row(self, person: Person) -> dict:
        return {
            "member_no": 1,
            "is_head": True,
            "relationship": "head",
            "first_name_ar": person.first[0],
            "father_name_ar": person.father[0],
            "grandfather_name_ar": person.grandfather[0],
            "family_name_ar": person.family[0],
            "name_latin": f"{person.first[1]} {person.father[1]} {person.family[1]}",
            "_latin_alt": f"{person.first[2]} {person.father[2]} {person.family[2]}",
            "sex": person.sex,
            "birth_date": person.birth,
            "birth_year": person.birth.year,
            "document_type": person.doc_type,
            "document_number": person.document,
            "phone": person.phone,
            "disability": False,
            "chronic_illness": False,
        }

    def _household(
        self, head: dict, size: int, gov: int, team: str, family: int, others: list[dict]
    ) -> None:
        self.count += 1
        ref = f"{self.ref_prefix}-{self.count:07d}"
        self.truth[ref] = family
        loc = self.rng.choice(self.locations[gov])
        flags = {c.value: self.rng.random() < rate for c, rate in FLAG_RATES.items()}
        flags[Criterion.FEMALE_HEADED.value] = head["sex"] == "female"
        flags = vulnerability.derive_flags(flags, size)
        score, reasons = vulnerability.score(flags, self.weights)
        reg = self.today - datetime.timedelta(days=self.rng.randint(0, 200))
        self._batch.households.append(
            {
                "household_ref": ref,
                "location_id": loc,
                "governorate_id": gov,
                "origin_governorate_id": self.rng.choice(self.govs),
                "displacement_date": reg - datetime.timedelta(days=self.rng.randint(10, 300)),
                "shelter_id": None,
                "size": size,
                "status": "open",
                "close_reason": "",
                "closed_at": None,
                "consent": True,
                "consent_date": reg,
                "consent_by": team,
                **{c.value: bool(flags.get(c.value)) for c in Criterion},
                "vulnerability_score": score,
                "vulnerability_reasons": reasons,
                "registration_date": reg,
                "registered_team": team,
                "registered_by_id": None,
                "merged_into_id": None,
                "anonymised_at": None,
            }
        )
        for member in [head, *others] if self.members else [head]:
            row = {k: v for k, v in member.items() if not k.startswith("_")}
            row["household_ref"] = ref
            if row["birth_date"] is None and member.get("birth_year") is None:
                row["birth_year"] = None
            row.update(
                names.member_keys(
                    row["first_name_ar"],
                    row["father_name_ar"],
                    row["grandfather_name_ar"],
                    row["family_name_ar"],
                    row["name_latin"],
                    row["phone"],
                    row["document_number"],
                )
            )
            self._batch.members.append(row)

    def _others(self, head: dict, size: int) -> list[dict]:
        rng, people = self.rng, []
        year = head["birth_year"] or 1970
        if size > 1 and head["sex"] == "male":
            spouse = rng.choice(FEMALE)
            fam = rng.choice(FAMILIES)
            people.append(
                self._plain_member(
                    2, "spouse", spouse, rng.choice(MALE), fam, "female", year + rng.randint(-2, 8)
                )
            )
        for n in range(len(people) + 2, size + 1):
            sex = rng.choice(["male", "female"])
            first = rng.choice(MALE if sex == "male" else FEMALE)
            people.append(
                self._plain_member(
                    n,
                    "child",
                    first,
                    (head["first_name_ar"], "", ""),
                    None,
                    sex,
                    min(self.today.year - 1, year + rng.randint(18, 40)),
                    father_of=head,
                )
            )
        self._plausible_births(head, people)
        return people

    def _plausible_births(self, head: dict, people: list[dict]) -> None:
        """Children born to a mother aged 17 to 44, at least 11 months apart, before
        today; a wife old enough to have them; children who cannot fit become other
        relatives (a nephew, a niece) of the head's generation's children."""
        rng = self.birth_rng
        children = [p for p in people if p["relationship"] == "child"]
        if not children:
            return
        spouse = next((p for p in people if p["relationship"] == "spouse"), None)
        mother = spouse or (head if head["sex"] == "female" else None)
        if mother is None:
            return
        need = (len(children) - 1) * 11 + 1  # months from the first birth to the last
        if spouse is not None:
            latest_year = self.today.year - 17 - need // 12 - 1
            if spouse["birth_year"] > latest_year:
                spouse["birth_year"] = latest_year
                born = spouse["birth_date"]
                spouse["birth_date"] = born.replace(year=latest_year)
        born = mother.get("birth_date") or datetime.date(mother["birth_year"] or 1970, 7, 1)
        earliest = _add_months(born, 17 * 12)
        latest = min(_add_months(born, 44 * 12), _add_months(self.today, -1))
        span = (latest.year - earliest.year) * 12 + latest.month - earliest.month
        fits = 0 if span < 0 else min(len(children), span // 11 + 1)
        slack = max(0, span - (fits - 1) * 11)
        month = rng.randint(0, min(slack, 120))
        slack -= month
        for index, child in enumerate(children):
            if index >= fits:
                child["relationship"] = "relative"
                continue
            if index:
                extra = rng.randint(0, min(slack, 24))
                slack -= extra
                month += 11 + extra
            day = _add_months(earliest, month).replace(day=rng.randint(1, 28))
            child["birth_date"], child["birth_year"] = day, day.year

    def _plain_member(
        self, number, relationship, first, father, family, sex, year, father_of=None
    ) -> dict:
        birth = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return {
            "member_no": number,
            "is_head": False,
            "relationship": relationship,
            "first_name_ar": first[0],
            "father_name_ar": father_of["first_name_ar"] if father_of else father[0],
            "grandfather_name_ar": father_of["father_name_ar"] if father_of else "",
            "family_name_ar": father_of["family_name_ar"] if father_of else family[0],
            "name_latin": first[1],
            "sex": sex,
            "birth_date": birth,
            "birth_year": year,
            "document_type": "none",
            "document_number": "",
            "phone": "",
            "disability": self.rng.random() < 0.03,
            "chronic_illness": self.rng.random() < 0.05,
        }

    def batches(self, size: int = 20_000) -> Iterator[Batch]:
        """Batches of about ``size`` households until ``n`` are made."""
        self._batch = Batch()
        rng = self.rng
        while self.count < self.n:
            for person in self._clan():
                if self.count >= self.n:
                    break
                self.family_no += 1
                family = self.family_no
                gov = rng.choice(self.govs)
                members = rng.choices(range(1, 13), [6, 8, 10, 12, 13, 13, 11, 9, 7, 5, 3, 3])[0]
                head = self._head_row(person)
                others = self._others(head, members)
                self._household(head, members, gov, rng.choice(TEAMS), family, others)
                if rng.random() < self.duplicate_rate and self.count < self.n:
                    copies = 1 if rng.random() < 0.9 else 2
                    for _ in range(copies):
                        if self.count >= self.n:
                            break
                        again = self._again(head)
                        other_gov = gov if rng.random() < 0.6 else rng.choice(self.govs)
                        self._household(
                            again,
                            max(1, members + rng.choice([0, 0, 0, 1, -1])),
                            other_gov,
                            rng.choice(TEAMS),
                            family,
                            others if rng.random() < 0.5 else [],
                        )
                if len(self._batch.households) >= size:
                    yield self._batch
                    self._batch = Batch()
        if self._batch.households:
            yield self._batch


def _add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, min(day.day, 28))


def true_pairs(truth: dict[str, int]) -> set[tuple[str, str]]:
    """Every pair of household_refs registered for the same family (sorted pairs)."""
    by_family: dict[int, list[str]] = {}
    for ref, family in truth.items():
        by_family.setdefault(family, []).append(ref)
    pairs = set()
    for refs in by_family.values():
        refs.sort()
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                pairs.add((a, b))
    return pairs


def precision_recall(
    found: set[tuple[str, str]], truth: set[tuple[str, str]]
) -> tuple[float, float]:
    found = {tuple(sorted(p)) for p in found}
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
