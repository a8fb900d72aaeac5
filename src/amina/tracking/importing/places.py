"""Where a master list's rows are, found with only what the file needs.

Governorates and districts come from the gazetteer (a hundred names, each distinct spelling
resolved once per file). Locations are found by DTM place id (or a location's code or
p-code) in an index of codes only; the gazetteer reads its index of location names —
normalising every known location's names, the dearest part of it — only when a row has
no place id (``Gazetteer(locations=False)``), so a published list (every row has one)
never pays for it.
"""

from __future__ import annotations

from amina.geo.gazetteer import Gazetteer, Resolution
from amina.geo.models import Location
from amina.geo.names import code_key


def _code_key(text: str) -> str:
    """``geo.names.code_key``, without its regular expression for a code with no space
    (every published place id): a file's thousands of ids are looked up each import."""
    return text.upper() if text.isalnum() else code_key(text)


class DtmPlaces:
    """The places of one import; answers are cached per distinct text."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer(locations=False)
        self._governorates: dict[str, Resolution] = {}
        self._districts: dict[tuple[int, str], Resolution] = {}
        self.by_code: dict[str, set[int]] = {}
        #: location id → (governorate id, district id)
        self.parent: dict[int, tuple[int, int | None]] = {}
        for pk, code, pcode, dtm_id, gov_id, district_id in Location.objects.values_list(
            "pk", "code", "pcode", "dtm_place_id", "governorate_id", "district_id"
        ):
            self.parent[pk] = (gov_id, district_id)
            for value in (code, pcode, dtm_id):
                if value:
                    self.by_code.setdefault(_code_key(value), set()).add(pk)

    def governorate(self, text: str) -> Resolution:
        found = self._governorates.get(text)
        if found is None:
            found = self._governorates[text] = self.gazetteer.governorate(text)
        return found

    def district(self, text: str, governorate) -> Resolution:
        key = (governorate.pk, text)
        found = self._districts.get(key)
        if found is None:
            found = self._districts[key] = self.gazetteer.district(text, governorate)
        return found

    def by_place_id(self, place_id: str) -> int | None:
        """The one location known under this code; none when unknown or shared."""
        ids = self.by_code.get(_code_key(place_id), ())
        return next(iter(ids)) if len(ids) == 1 else None

    def by_name(self, names: tuple[str, str], governorate, district) -> int | None:
        """The location named so in the district (or governorate), English name first."""
        for text in names:
            if text:
                res = self.gazetteer.location(text, governorate, district)
                if res.ok:
                    return res.place.pk
        return None
