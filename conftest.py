"""The fixed cast every test uses, one user per role, placed in a small office tree:

GPO (general) ─┬─ Astana city office (regional) ── Astana district office (district)
               └─ Almaty city office (regional)
"""

from types import SimpleNamespace

import pytest

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import PASSWORD, UserFactory
from prokuratura.core.models import Office
from prokuratura.core.tests.factories import OfficeFactory, RegionFactory

# Every /api/v1/ response a test receives is checked against the published OpenAPI document.
pytest_plugins = ["prokuratura.core.tests.openapi_check", "prokuratura.core.tests.smtp"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The process's cache and its copies of reference data (core.memo: law-as-data rules, the calendar, routing)
    start empty for each test: a value a test changed and the
    database rolled back must not outlive it. So does the shared cache (throttles, spent challenges, core.throttle):
    its database table is rolled back with each test, except after a transaction=True test, which clears it; on
    Redis (REDIS_URL set for the tests) it is cleared always."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    from prokuratura.core.memo import drop_all

    def clear_shared():
        if not isinstance(caches["shared"], DatabaseCache):
            caches["shared"].clear()
            return
        marker = request.node.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
            request.getfixturevalue("transactional_db")
            caches["shared"].clear()

    cache.clear()
    drop_all()
    clear_shared()
    yield
    cache.clear()
    drop_all()
    clear_shared()


@pytest.fixture
def migrated_rows(django_db_setup):
    """The topics, rules and letter templates of appeals' data migration, loaded again for a `transaction=True`
    test: a transactional test that ran before it on the same test database flushed them."""
    import importlib

    from django.apps import apps

    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )


@pytest.fixture
def offices(db):
    astana = RegionFactory(
        kato_code="710000000",
        unit_type="city_republican",
        name_en="Astana",
        name_ru="г. Астана",
        name_kk="Астана қаласы",
    )
    almaty = RegionFactory(
        kato_code="750000000",
        unit_type="city_republican",
        name_en="Almaty",
        name_ru="г. Алматы",
        name_kk="Алматы қаласы",
    )
    gpo = OfficeFactory(code="GPO", level=Office.Level.GENERAL, name_en="Prosecutor General's Office")
    astana_office = OfficeFactory(
        code="AST",
        level=Office.Level.REGIONAL,
        parent=gpo,
        region=astana,
        name_en="Astana city prosecutor's office",
    )
    astana_district = OfficeFactory(
        code="AST-01",
        level=Office.Level.DISTRICT,
        parent=astana_office,
        region=astana,
        name_en="Yesil district prosecutor's office",
    )
    almaty_office = OfficeFactory(
        code="ALA",
        level=Office.Level.REGIONAL,
        parent=gpo,
        region=almaty,
        name_en="Almaty city prosecutor's office",
    )
    return SimpleNamespace(
        gpo=gpo, astana=astana_office, astana_district=astana_district, almaty=almaty_office
    )


@pytest.fixture
def cast(offices):
    """One user per role. `outsider` is active staff with no role at all."""

    def make(username, office, *roles):
        return UserFactory(username=username, office=office, roles=list(roles))

    return SimpleNamespace(
        registrar_astana=make("registrar_astana", offices.astana, Role.REGISTRAR),
        prosecutor_astana=make("prosecutor_astana", offices.astana_district, Role.PROSECUTOR),
        prosecutor_almaty=make("prosecutor_almaty", offices.almaty, Role.PROSECUTOR),
        head_gpo=make("head_gpo", offices.gpo, Role.HEAD),
        head_astana=make("head_astana", offices.astana, Role.HEAD),
        intl_officer=make("intl_officer", offices.gpo, Role.INTL_OFFICER),
        analyst=make("analyst", offices.gpo, Role.ANALYST),
        auditor=make("auditor", offices.gpo, Role.AUDITOR),
        admin=make("admin", offices.gpo, Role.ADMIN),
        outsider=make("outsider", offices.almaty),
        password=PASSWORD,
    )


@pytest.fixture
def no_2fa(db):
    """Switch off role-enforced 2FA so tests of other things can sign in with a password alone."""
    from prokuratura.accounts.models import RolePolicy

    RolePolicy.objects.update(require_2fa=False)


@pytest.fixture
def client_for(client, no_2fa):
    """client_for(user) → a test client signed in as that user (2FA enforcement off unless a test turns it on)."""

    def login(user):
        client.force_login(user)
        return client

    return login
