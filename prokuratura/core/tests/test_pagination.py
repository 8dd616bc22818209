import pytest

from prokuratura.core.models import Region
from prokuratura.core.pagination import CappedPaginator, OrderedIdsPaginator
from prokuratura.core.tests.factories import RegionFactory


@pytest.fixture
def regions(db):
    for _i in range(7):
        RegionFactory()
    return Region.objects.order_by("kato_code")


def test_below_the_cap_the_count_is_exact(regions):
    paginator = CappedPaginator(regions, 2, cap=10)
    assert paginator.count == 7 and not paginator.capped and paginator.num_pages == 4


def test_above_the_cap_the_count_stops_there(regions, django_assert_num_queries):
    paginator = CappedPaginator(regions, 2, cap=5)
    with django_assert_num_queries(1):
        assert paginator.count == 5
        assert paginator.capped
    assert paginator.num_pages == 3
    assert len(paginator.get_page(3).object_list) == 1


def ids_paginator(regions, per_page, cap):
    fetched = []

    def fetch(ids):
        fetched.append(list(ids))
        return Region.objects.filter(pk__in=ids).order_by(
            "-pk"
        )  # any order: the paginator restores the list's

    ids = regions.values_list("pk", flat=True)
    return OrderedIdsPaginator(ids, per_page, cap=cap, fetch=fetch), fetched


def test_ordered_ids_pages_are_the_lists_pages(regions, django_assert_num_queries):
    paginator, fetched = ids_paginator(regions, 3, cap=10)
    expected = list(regions[3:6])
    with django_assert_num_queries(2):  # the ids once, then the page's rows
        page = paginator.get_page(2)
    assert list(page.object_list) == expected
    assert paginator.count == 7 and not paginator.capped and paginator.num_pages == 3
    assert list(paginator.get_page(3).object_list) == list(regions[6:])
    assert fetched[-1] == [regions[6].pk]


def test_ordered_ids_count_stops_at_the_cap(regions):
    paginator, _fetched = ids_paginator(regions, 2, cap=5)
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 3
    assert len(paginator.ids) == 6  # cap + 1: enough to know there are more
    assert list(paginator.get_page(3).object_list) == [regions[4]]  # the last page ends at the cap
    assert list(paginator.get_page("nonsense").object_list) == list(regions[:2])


def test_ordered_ids_of_an_empty_list_fetch_nothing(db):
    paginator = OrderedIdsPaginator(
        Region.objects.none().values_list("pk", flat=True), 5, fetch=lambda ids: pytest.fail("fetched")
    )
    page = paginator.get_page(1)
    assert list(page.object_list) == [] and paginator.count == 0
