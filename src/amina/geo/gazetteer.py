"""The gazetteer resolver: every importer turns a place name or code into a place here.

A name resolves when its normalised key matches exactly one place at the asked level
(its English, Arabic, Kurdish or DTM name, a p-code of either scheme, an ISO code, a location's
stable code or DTM place id, or an alias).
Anything else comes back unresolved with the closest known names as suggestions, or
ambiguous with its candidates: the resolver never guesses.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from amina.geo.models import District, Governorate, Location, PlaceAlias
from amina.geo.names import code_key, place_key
from amina.lib.i18n import Message, Name
from amina.lib.i18n import gettext_deferred as _


@dataclass
class Resolution:
    """The answer for one name: a place, or why not (with suggestions to offer a person)."""

    text: str
    place: object | None = None
    candidates: list = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    suggested: list = field(default_factory=list)  # the places of ``suggestions``

    @property
    def ok(self) -> bool:
        return self.place is not None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def reason(self, what: str) -> Message | str:
        """A one-line message naming the text and what to do about it, translated when
        shown (places named in the reader's language). ``what``: "governorate",
        "district" or "location"."""
        if self.ok:
            return ""
        words = REASONS.get(what, REASONS["location"])
        if self.ambiguous:
            return words["ambiguous"] % {"text": self.text, "names": _labels(self.candidates)}
        if not str(self.text).strip():
            return words["empty"]
        if self.suggested:
            return words["suggest"] % {"text": self.text, "names": _labels(self.suggested)}
        return words["unknown"] % {"text": self.text}


#: One sentence per level and case, so that each reads naturally in Arabic.
REASONS = {
    "governorate": {
        "ambiguous": _("governorate %(text)r is ambiguous: it could be %(names)s"),
        "empty": _("governorate is empty"),
        "suggest": _("unknown governorate %(text)r; did you mean %(names)s?"),
        "unknown": _("unknown governorate %(text)r"),
    },
    "district": {
        "ambiguous": _("district %(text)r is ambiguous: it could be %(names)s"),
        "empty": _("district is empty"),
        "suggest": _("unknown district %(text)r; did you mean %(names)s?"),
        "unknown": _("unknown district %(text)r"),
    },
    "location": {
        "ambiguous": _("location %(text)r is ambiguous: it could be %(names)s"),
        "empty": _("location is empty"),
        "suggest": _("unknown location %(text)r; did you mean %(names)s?"),
        "unknown": _("unknown location %(text)r"),
    },
}


def _labels(places) -> list[Message]:
    """ "Kerbala (IQG12)", each place in the reader's language."""
    return [_("%(name)s (%(code)s)") % {"name": Name.of(p), "code": _code(p)} for p in places]


def _code(place) -> str | None:
    """The code a person quotes back: a location's stable code, else the p-code."""
    return getattr(place, "code", None) or place.pcode


class _Index:
    def __init__(self) -> None:
        self.by_code: dict[str, set[int]] = defaultdict(set)
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.places: dict[int, object] = {}

    def add(self, place, codes=(), names=()) -> None:
        self.places[place.pk] = place
        for code in codes:
            if code:
                self.by_code[code_key(code)].add(place.pk)
        for name in names:
            if name and (key := place_key(name)):
                self.by_key[key].add(place.pk)

    def resolve(self, text, within=None) -> Resolution:
        """Match ``text``; ``within`` limits the candidates (e.g. to one governorate)."""
        res = Resolution(text="" if text is None else str(text).strip())
        if not res.text:
            return res
        allowed = (lambda pk: True) if within is None else within
        ids = {pk for pk in self.by_code.get(code_key(res.text), ()) if allowed(pk)}
        if not ids:
            ids = {pk for pk in self.by_key.get(place_key(res.text), ()) if allowed(pk)}
        if len(ids) == 1:
            res.place = self.places[ids.pop()]
        elif ids:
            res.candidates = sorted((self.places[pk] for pk in ids), key=lambda p: _code(p) or "")
        else:
            keys = [k for k, pks in self.by_key.items() if any(allowed(pk) for pk in pks)]
            close = difflib.get_close_matches(place_key(res.text), keys, n=3, cutoff=0.6)
            seen = []
            for key in close:
                for pk in sorted(self.by_key[key]):
                    place = self.places[pk]
                    code = _code(place)
                    label = f"{place.name_en} ({code})" if code else place.name_en
                    if allowed(pk) and label not in seen:
                        seen.append(label)
                        res.suggested.append(place)
            res.suggestions = seen[:3]
            res.suggested = res.suggested[:3]
        return res


class Gazetteer:
    """An in-memory index of the hierarchy, built once per import (a few thousand rows).

    Build a fresh one after changing places or aliases; it reads the database once.
    ``locations=False`` reads the locations only when a location is first asked for, for
    an importer that finds its locations by code itself: their names cost the most, and
    a file whose every row has a code never pays for them.
    """

    def __init__(self, *, locations: bool = True) -> None:
        self.governorates = _Index()
        self.districts = _Index()
        self.locations = _Index()
        aliases = defaultdict(list)
        for alias in PlaceAlias.objects.all():
            target = (
                ("g", alias.governorate_id)
                if alias.governorate_id
                else ("d", alias.district_id)
                if alias.district_id
                else ("l", alias.location_id)
            )
            aliases[target].append(alias.name)
        for gov in Governorate.objects.all():
            self.governorates.add(
                gov,
                codes=(gov.pcode, gov.pcode_2014, gov.iso_code),
                names=(
                    gov.name_en,
                    gov.name_ar,
                    gov.name_ckb,
                    gov.name_dtm,
                    *aliases[("g", gov.pk)],
                ),
            )
        self._district_gov: dict[int, int] = {}
        for dist in District.objects.all():
            self._district_gov[dist.pk] = dist.governorate_id
            self.districts.add(
                dist,
                codes=(dist.pcode,),
                names=(dist.name_en, dist.name_ar, dist.name_ckb, *aliases[("d", dist.pk)]),
            )
        self._aliases = aliases
        self._location_parent: dict[int, tuple[int, int | None]] = {}
        self._locations_read = False
        if locations:
            self._read_locations()

    def _read_locations(self) -> None:
        """The locations' codes, names and aliases, and each one's governorate and district."""
        self._locations_read = True
        for loc in Location.objects.only(
            "pk",
            "code",
            "pcode",
            "dtm_place_id",
            "name_en",
            "name_ar",
            "name_ckb",
            "governorate_id",
            "district_id",
        ):
            self._location_parent[loc.pk] = (loc.governorate_id, loc.district_id)
            self.locations.add(
                loc,
                codes=(loc.code, loc.pcode, loc.dtm_place_id),
                names=(loc.name_en, loc.name_ar, loc.name_ckb, *self._aliases[("l", loc.pk)]),
            )

    def governorate(self, text) -> Resolution:
        return self.governorates.resolve(text)

    def district(self, text, governorate: Governorate | None = None) -> Resolution:
        within = None
        if governorate is not None:
            gov_id = governorate.pk
            within = lambda pk: self._district_gov.get(pk) == gov_id  # noqa: E731
        return self.districts.resolve(text, within)

    def location(self, text, governorate=None, district=None) -> Resolution:
        if not self._locations_read:
            self._read_locations()
        within = None
        if district is not None:
            within = lambda pk: self._location_parent[pk][1] == district.pk  # noqa: E731
        elif governorate is not None:
            within = lambda pk: self._location_parent[pk][0] == governorate.pk  # noqa: E731
        return self.locations.resolve(text, within)


def resolve_governorate(text) -> Resolution:
    """One-off lookup; importers should build one ``Gazetteer`` and reuse it."""
    return Gazetteer().governorate(text)


def resolve_governorates(texts: Iterable[str]) -> list[Governorate]:
    """The governorates named by any spelling the gazetteer knows (p-code of either scheme,
    ISO code, English or Arabic name, alias), in order and without repeats.

    Every command option and form that takes places calls this, so ``Najaf``, ``النجف``,
    ``IQ-NA`` and ``IQG04`` mean one governorate everywhere. One unknown or ambiguous name
    is a ``ValidationError`` naming each of them, with suggestions.
    """
    from django.core.exceptions import ValidationError

    texts = list(texts)
    if not texts:
        return []
    gazetteer = Gazetteer()
    found: dict[int, Governorate] = {}
    errors = []
    for text in texts:
        res = gazetteer.governorate(text)
        if res.ok:
            found.setdefault(res.place.pk, res.place)
        else:
            errors.append(res.reason("governorate"))
    if errors:
        raise ValidationError(errors)
    return list(found.values())
