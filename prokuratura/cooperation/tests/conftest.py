import pytest


@pytest.fixture
def coop_reference(db):
    """Countries, crime categories and the real treaty register from data/reference, as `make run` loads them."""
    from prokuratura.cooperation.reference import cooperation_load
    from prokuratura.core.reference import COUNTRIES, CRIME_CATEGORIES, reference_load

    reports = reference_load(datasets=(COUNTRIES, CRIME_CATEGORIES))
    assert not any(r.error for r in reports)
    reports = cooperation_load()
    assert not any(r.error or r.rejected for r in reports), [(r.error, r.rejected) for r in reports]
    return reports
