import pytest

from prokuratura.core.models import Region
from prokuratura.core.pagination import CappedPaginator
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
