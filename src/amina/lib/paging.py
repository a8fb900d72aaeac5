"""Pages of results whose count is capped.

A search for one common first name matches a hundred thousand households on a national
registry: counting them all costs most of a second and tells the person nothing they
can act on. Counting up to the cap is a few index reads; past it, the page says "more
than …" and asks for a narrower search.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    """A ``Paginator`` that counts at most ``cap`` results (``capped`` says if there
    were more); pages past the cap are not offered."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)
