"""Paging national-scale lists: the count stops at a cap.

Counting every match of "all appeals I may see" costs seconds at millions of rows, and nobody pages through
ten thousand appeals; the list says "more than 10,000 — narrow the search" instead. The count is one
`SELECT COUNT(*) FROM (… LIMIT cap + 1)`, so it stops scanning at the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

DEFAULT_COUNT_CAP = 10_000
# A full-text search stops counting sooner. A common word is found by reading the reader's appeals newest first and
# checking each, so the search costs in proportion to the cap: at 5 M appeals on PostgreSQL about 15-100 ms to 200
# matches and 150-200 ms to 1,000 (docs/PERFORMANCE.md, "Search"). Two hundred matches are four pages; past them the
# page says "more than 200: narrow the search", which is what a person does with a search that broad.
SEARCH_COUNT_CAP = 200


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


class OrderedIdsPaginator(CappedPaginator):
    """A capped list read by one query for its ids, then one for the page's rows.

    `ids` is the list's primary keys in the list's order (a `values_list("pk", flat=True)` query, or a list already
    read); the first cap + 1 of them give both the count and every
    page the list can show (the last page ends at the cap). `fetch` turns a page's ids into its objects, in any
    order. Where the full count and the first page would each cost a pass over the matches (a full-text search),
    this pays for one.
    """

    def __init__(
        self,
        ids: Any,
        per_page: int,
        *,
        fetch: Callable[[list[Any]], Iterable[Any]],
        cap: int = DEFAULT_COUNT_CAP,
        **kwargs: Any,
    ) -> None:
        super().__init__(ids, per_page, cap=cap, **kwargs)
        self.fetch = fetch

    @cached_property
    def ids(self) -> list[Any]:
        return list(self.object_list[: self.cap + 1])

    @cached_property
    def _counted(self) -> int:
        return len(self.ids)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        wanted = self.ids[bottom:top]
        by_id = {obj.pk: obj for obj in self.fetch(wanted)} if wanted else {}
        rows = [by_id[pk] for pk in wanted if pk in by_id]
        return Page(rows, number, self)
