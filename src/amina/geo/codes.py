"""Stable location codes: one per location, given once, never changed, never reused.

A location's code is its DTM place id when it has one (``100057``: what DTM's master
lists and partners already use), otherwise ``<governorate p-code>-L<number>``
(``IQG04-L000123``) with a per-governorate number that only goes up. The code is the
``#loc+code`` of every export, the choice name in the field forms, the key in the API and
what every importer accepts; unlike the database id it survives an export and re-import,
a rebuild and a restore, so a form already on phones keeps working.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models.functions import Length

from amina.geo.models import Governorate, Location, LocationCodeSequence

#: ``IQG04-L000123``: the governorate's p-code, then the number, six digits at least.
ASSIGNED = re.compile(r"^(?P<pcode>.+)-L(?P<number>\d{6,})$")


def assigned_code(pcode: str, number: int) -> str:
    return f"{pcode}-L{number:06d}"


def _highest_number(pcode: str) -> int:
    """The highest number already used in ``pcode``'s codes (a restore may bring
    locations without their sequence row: their codes must still not be given again)."""
    last = (
        Location.objects.filter(code__startswith=f"{pcode}-L")
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    match = ASSIGNED.match(last or "")
    return int(match["number"]) if match else 0


@transaction.atomic
def take_codes(governorate_id: int, count: int) -> list[str]:
    """``count`` new codes of a governorate, the sequence row locked while it moves."""
    if count <= 0:
        return []
    pcode = Governorate.objects.values_list("pcode", flat=True).get(pk=governorate_id)
    LocationCodeSequence.objects.get_or_create(governorate_id=governorate_id)
    sequence = LocationCodeSequence.objects.select_for_update().get(governorate_id=governorate_id)
    start = max(sequence.last_number, _highest_number(pcode)) + 1
    sequence.last_number = start + count - 1
    sequence.save(update_fields=["last_number"])
    return [assigned_code(pcode, n) for n in range(start, start + count)]


def assign_codes(locations: Sequence[Location]) -> None:
    """Give each new location without a code its code (in place, before it is saved):
    its DTM place id unless another location already holds that code, else the next
    number of its governorate."""
    pending = [loc for loc in locations if not loc.code]
    if not pending:
        return
    wanted = {loc.dtm_place_id for loc in pending if loc.dtm_place_id}
    taken = set(Location.objects.filter(code__in=wanted).values_list("code", flat=True))
    by_governorate: dict[int, list[Location]] = defaultdict(list)
    for loc in pending:
        if loc.dtm_place_id and loc.dtm_place_id not in taken:
            loc.code = loc.dtm_place_id
            taken.add(loc.dtm_place_id)
        else:
            by_governorate[loc.governorate_id].append(loc)
    for governorate_id, group in by_governorate.items():
        for loc, code in zip(group, take_codes(governorate_id, len(group)), strict=True):
            loc.code = code
