"""A registry that looks like Iraq's, for measuring de-duplication where it fails.

``FamilyGenerator`` extends ``generator.Generator`` (the same names, clans of brothers
and light re-registrations) with what the first model got wrong:

- **namesakes**: groups of two or three families whose heads have the same four names
  and year of birth, mostly in one governorate, with their own document (always
  recorded, of either kind), full date of birth (or, for one in three groups, a
  year-only one), phone, spouse and children: different families;
- **heavy re-registrations**: the family registered months later by another team, with
  three or four things changed at once — another Latin transliteration, the birth date
  known only by its year (1 January, 1 July or no date), a new SIM card, the tribe
  written for the family name or the family name left out, the grandfather dropped, a
  move to another governorate, a baby born since, a child's name spelled another way;
- **head changes**: the husband missing, detained or stayed behind, the wife registers
  the family: another head, the same children (whose father's name is the husband's).

Every household has its members (spouse, children with the head's first name as their
father's name). ``truth`` maps household_ref → family as before; ``pair_kinds`` maps
each pair of refs of one family to ``light``, ``heavy`` or ``head_change`` (the
hardest registration of the two decides), and ``namesake_pairs`` lists the pairs of
namesakes, so the benchmark measures each separately.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from amina.registry.generator import FAMILIES, FEMALE, MALE, Batch, Generator, Person

#: More Latin spellings of the names teams write most differently.
LATIN_MORE = {
    "محمد": ["Mohamad", "Mohammad", "Mohamed"],
    "حسين": ["Hossein", "Husayn", "Hussain"],
    "كاظم": ["Kazim", "Kathem", "Kadim"],
    "جاسم": ["Jassem", "Casim"],
    "عبد الله": ["Abdallah", "Abdulla"],
}
#: Heads' first names as they are spread in Iraq: a few very common ones.
COMMON_FIRST = {"محمد": 12, "علي": 8, "حسين": 6, "أحمد": 5, "حسن": 4, "عباس": 3}
MALE_NAMES = [*MALE, ("كاظم", "Kadhim", "Kazim")]

KIND_ORDER = {"light": 0, "heavy": 1, "head_change": 2}


@dataclass
class FamilyGenerator(Generator):
    """See the module's docstring. Rates are shares of families (clans' members)."""

    duplicate_rate: float = 0.1
    heavy_share: float = 0.4
    namesake_rate: float = 0.04
    head_change_rate: float = 0.03
    pair_kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    namesake_pairs: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._first_weights = [COMMON_FIRST.get(m[0], 1) for m in MALE_NAMES]

    # -------------------------------------------------------------- people

    def _male(self) -> tuple[str, str, str]:
        return self.rng.choices(MALE_NAMES, self._first_weights)[0]

    def _birth(self, year: int) -> datetime.date:
        return datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def _person(self, first, father, grandfather, family, sex, year) -> Person:
        """A namesake: like any head, except that the document is always recorded
        (namesakes are told apart by their documents first)."""
        doc_type, doc = "none", ""
        while not doc:
            doc_type, doc = self._doc()
        return Person(
            first, father, grandfather, family, sex, self._birth(year), self._phone(), doc, doc_type
        )

    def _year_only(self, head: dict) -> None:
        """The date of birth written as only its year: 1 January, 1 July, or no date."""
        year = head["birth_year"]
        head["birth_date"] = self.rng.choice(
            [datetime.date(year, 1, 1), datetime.date(year, 7, 1), None]
        )

    def _members(self, head: dict, size: int) -> list[dict]:
        return self._others(head, size)

    # -------------------------------------------------------------- registrations

    def _register(self, head, members, gov, family, kind) -> str:
        size = 1 + len(members)
        self._household(head, size, gov, self.rng.choice(self._teams()), family, members)
        ref = f"{self.ref_prefix}-{self.count:07d}"
        self._kinds[ref] = kind
        self._family_refs.setdefault(family, []).append(ref)
        return ref

    def _teams(self) -> list[str]:
        from amina.registry.generator import TEAMS

        return TEAMS

    def _heavy(self, head: dict, members: list[dict], gov: int) -> tuple[dict, list[dict], int]:
        """Three or four changes at once (see the module's docstring)."""
        rng, again = self.rng, dict(head)
        changes = rng.sample(
            ["latin", "year", "phone", "family", "grandfather", "move", "baby", "child_variant"],
            rng.choice([3, 4]),
        )
        latin_first = LATIN_MORE.get(again["first_name_ar"])
        if "latin" in changes:
            words = again["_latin_alt"].split(" ")
            if latin_first:
                words[0] = rng.choice(latin_first)
            again["name_latin"] = " ".join(words)
        if "year" in changes:
            self._year_only(again)
        if "phone" in changes:
            again["phone"] = self._phone() if rng.random() < 0.8 else ""
        if "family" in changes:
            tribe = rng.choice([f for f in FAMILIES if f[0] != again["family_name_ar"]])
            again["family_name_ar"] = tribe[0] if rng.random() < 0.6 else ""
        if "grandfather" in changes:
            again["grandfather_name_ar"] = ""
        if "move" in changes:
            gov = rng.choice([g for g in self.govs if g != gov] or self.govs)
        listed = [dict(m) for m in members] if rng.random() < 0.85 else []
        if listed and "child_variant" in changes:
            for member in listed:
                if member["relationship"] == "child":
                    member["first_name_ar"] = self._variant(member["first_name_ar"])
        if listed and "baby" in changes and again["sex"] == "male":
            listed.append(self._baby(again, len(listed) + 2))
        if rng.random() < 0.3:
            again["document_number"], again["document_type"] = "", "none"
        return again, listed, gov

    def _baby(self, father: dict, number: int) -> dict:
        sex = self.rng.choice(["male", "female"])
        first = self._male() if sex == "male" else self.rng.choice(FEMALE)
        return self._plain_member(
            number, "child", first, None, None, sex, self.today.year, father_of=father
        )

    def _wife_registers(self, head: dict, members: list[dict], gov: int):
        """The wife as head of the same family: her own name, document and phone; the
        children as they are (a baby born since, sometimes); the husband not listed."""
        rng = self.rng
        spouse = next(m for m in members if m["relationship"] == "spouse")
        wife = dict(spouse)
        wife.update(
            member_no=1,
            is_head=True,
            relationship="head",
            grandfather_name_ar=rng.choice(MALE)[0] if rng.random() < 0.7 else "",
            name_latin=spouse["name_latin"],
            phone=self._phone() if rng.random() < 0.7 else "",
        )
        wife["_latin_alt"] = wife["name_latin"]
        wife["document_type"], wife["document_number"] = self._doc()
        if rng.random() < 0.3:
            self._year_only(wife)
        children = [dict(m) for m in members if m["relationship"] == "child"]
        for number, child in enumerate(children, 2):
            child["member_no"] = number
        if rng.random() < 0.3:
            children.append(self._baby(head, len(children) + 2))
        if rng.random() < 0.2:
            gov = rng.choice(self.govs)
        return wife, children, gov

    # -------------------------------------------------------------- families

    def _family(
        self, person: Person, gov: int, *, head_change_ok: bool = True, year_only: bool = False
    ) -> None:
        """One family: its first registration, and perhaps others."""
        rng = self.rng
        self.family_no += 1
        family = self.family_no
        head = self._head_row(person)
        if year_only:
            self._year_only(head)
        size = rng.choices(range(1, 13), [6, 8, 10, 12, 13, 13, 11, 9, 7, 5, 3, 3])[0]
        if not head_change_ok:
            # A namesake's family: a spouse and children of their own (the case).
            size = max(size, 3)
        members = self._members(head, size)
        self._register(head, members, gov, family, "original")
        children = sum(m["relationship"] == "child" for m in members)
        spouse = any(m["relationship"] == "spouse" for m in members)
        if head_change_ok and spouse and children >= 2 and rng.random() < self.head_change_rate:
            if self.count < self.n:
                self._register(*self._wife_registers(head, members, gov), family, "head_change")
        if rng.random() < self.duplicate_rate:
            for _ in range(1 if rng.random() < 0.9 else 2):
                if self.count >= self.n:
                    break
                if rng.random() < self.heavy_share:
                    again, listed, other_gov = self._heavy(head, members, gov)
                    kind = "heavy"
                else:
                    again = self._again(head)
                    other_gov = gov if rng.random() < 0.6 else rng.choice(self.govs)
                    listed, kind = (members if rng.random() < 0.5 else []), "light"
                self._register(again, listed, other_gov, family, kind)

    def _namesakes(self, gov: int) -> None:
        """Two or three families whose heads share four names and a year of birth."""
        rng = self.rng
        first, father, grandfather = self._male(), self._male(), rng.choice(MALE)
        family, year = rng.choice(FAMILIES), rng.randint(1950, 1995)
        refs = []
        for _ in range(rng.choice([2, 2, 3])):
            if self.count >= self.n:
                break
            person = self._person(first, father, grandfather, family, "male", year)
            start = self.count
            place = gov if rng.random() < 0.8 else rng.choice(self.govs)
            self._family(person, place, head_change_ok=False, year_only=rng.random() < 0.3)
            refs.append(f"{self.ref_prefix}-{start + 1:07d}")
        for i, a in enumerate(refs):
            for b in refs[i + 1 :]:
                self.namesake_pairs.add(tuple(sorted((a, b))))

    def batches(self, size: int = 20_000) -> Iterator[Batch]:
        self._batch = Batch()
        self._kinds: dict[str, str] = {}
        self._family_refs: dict[int, list[str]] = {}
        rng = self.rng
        while self.count < self.n:
            gov = rng.choice(self.govs)
            if rng.random() < self.namesake_rate:
                self._namesakes(gov)
            else:
                clan = self._clan()
                if len(clan) == 1 and clan[0].sex == "male" and rng.random() < 0.5:
                    # Common first names as common as they are (brothers keep theirs).
                    clan[0].first = self._male()
                for person in clan:
                    if self.count >= self.n:
                        break
                    self._family(person, rng.choice(self.govs))
            if len(self._batch.households) >= size:
                yield self._batch
                self._batch = Batch()
        if self._batch.households:
            yield self._batch
        self._pair_kinds()

    def _pair_kinds(self) -> None:
        for refs in self._family_refs.values():
            for i, a in enumerate(refs):
                for b in refs[i + 1 :]:
                    kinds = [k for k in (self._kinds[a], self._kinds[b]) if k != "original"]
                    kind = max(kinds, key=KIND_ORDER.__getitem__)
                    if kind == "head_change" and len(kinds) > 1:
                        # The wife's registration against a re-registration of the
                        # husband's (which may list no child): counted as true, measured
                        # apart from the head changes proper.
                        kind = "head_change_indirect"
                    self.pair_kinds[tuple(sorted((a, b)))] = kind


def measure(found: set[tuple[str, str]], generator: FamilyGenerator) -> dict:
    """Precision over every pair proposed, recall per kind of true pair, and the share of
    namesake pairs proposed (``found``: sorted pairs of household_refs)."""
    found = {tuple(sorted(p)) for p in found}
    truth = set(generator.pair_kinds)
    hits = found & truth
    result = {
        "proposed": len(found),
        "precision": len(hits) / len(found) if found else 1.0,
        "namesake_pairs": len(generator.namesake_pairs),
        "namesakes_proposed": len(found & generator.namesake_pairs),
    }
    result["namesake_share"] = (
        result["namesakes_proposed"] / result["namesake_pairs"] if generator.namesake_pairs else 0.0
    )
    for kind in ("light", "heavy", "head_change", "head_change_indirect"):
        pairs = {p for p, k in generator.pair_kinds.items() if k == kind}
        result[f"{kind}_pairs"] = len(pairs)
        result[f"{kind}_recall"] = len(pairs & found) / len(pairs) if pairs else 1.0
    reregistrations = {p for p, k in generator.pair_kinds.items() if k in ("light", "heavy")}
    result["reregistration_recall"] = (
        len(reregistrations & found) / len(reregistrations) if reregistrations else 1.0
    )
    return result
