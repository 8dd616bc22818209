"""Paging national-scale lists: the count stops at a cap.

Counting every match of "all appeals I may see" costs seconds at millions of rows, and nobody pages through
ten thousand appeals; the list says "more than 10,000 — narrow the search" instead. The count is one
`SELECT COUNT(*) FROM (… LIMIT cap + 1)`, so it stops scanning at the cap.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

DEFAULT_COUNT_CAP = 10_000
# A full-text search stops counting sooner: its matches are checked row by row (a common word, or one that is rare in
# the reader's own offices), so the cost of the count grows with the cap; a thousand matches already say "narrow the
# search" (docs/PERFORMANCE.md, "Search").
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    def __init__(
        self, object_list: Any, per_page: int, *, cap: int = DEFAULT_COUNT_CAP, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Without the ORDER BY, the database can stop at the cap instead of sorting every match first.
        unordered: Any = self.object_list
        sliced: Any = unordered.order_by()[: self.cap + 1]
        return sliced.count()

    @property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more matches than the cap (the count then says the cap)."""
        return self._counted > self.cap
