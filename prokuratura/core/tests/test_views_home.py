"""The home page: per-role sections whose cards link only to pages the user may open.

The URL conf here is the project's plus two stand-in pages with real permission policies, so the tests do not
depend on which other modules are installed yet.
"""

import pytest
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core import home as home_registry
from prokuratura.core.calendar import is_working_day
from prokuratura.core.home import HomeCard, sections_for
from prokuratura.core.models import CalendarException
from prokuratura.core.permissions import require
from prokuratura.urls import urlpatterns as project_urlpatterns


@require(Perm.VIEW_AUDIT)
def _audit_stand_in(request):
    return HttpResponse("audit")


@require(Perm.MANAGE_USERS)
def _users_stand_in(request):
    return HttpResponse("users")


def _undeclared(request):
    return HttpResponse("nobody declared who may open this")


stand_ins = (
    [
        path("audit/", _audit_stand_in, name="audit"),
        path("users/", _users_stand_in, name="users"),
        path("undeclared/", _undeclared, name="undeclared"),
    ],
    "standin",
)
urlpatterns = [path("standin/", include(stand_ins)), *project_urlpatterns]

pytestmark = pytest.mark.urls(__name__)

TEST_CARDS = [
    HomeCard(
        key="t.audit", title="Audit card", description="d", url_name="standin:audit", roles={Role.AUDITOR}
    ),
    HomeCard(
        key="t.users", title="Users card", description="d", url_name="standin:users", roles={Role.ADMIN}
    ),
    HomeCard(key="t.tokens", title="Tokens card", description="d", url_name="accounts:token_list", order=900),
    HomeCard(key="t.missing", title="Missing card", description="d", url_name="nowhere:missing"),
    HomeCard(key="t.undeclared", title="Undeclared card", description="d", url_name="standin:undeclared"),
]


@pytest.fixture
def test_cards(monkeypatch):
    monkeypatch.setattr(home_registry, "_REGISTRY", {card.key: card for card in TEST_CARDS})


def _card_titles(sections):
    return [card["title"] for section in sections for card in section["cards"]]


def test_each_role_gets_its_own_section_and_only_cards_it_may_open(cast, test_cards):
    auditor = sections_for(cast.auditor)
    assert [s["role"] for s in auditor] == [Role.AUDITOR, None]
    assert _card_titles(auditor) == ["Audit card", "Tokens card"]
    admin = sections_for(cast.admin)
    assert _card_titles(admin) == ["Users card", "Tokens card"]
    assert "Audit card" not in _card_titles(sections_for(cast.prosecutor_astana))


def test_a_card_the_role_claims_is_hidden_when_the_view_refuses_the_user(cast, test_cards):
    """The policy comes from the view: a head holds no audit permission, so a card for heads to the audit
    page would never be shown to one."""
    home_registry.register_card(
        HomeCard(
            key="t.head_audit", title="Head audit", description="d", url_name="standin:audit", roles={"head"}
        )
    )
    assert "Head audit" not in _card_titles(sections_for(cast.head_gpo))


def test_missing_url_names_and_undeclared_views_are_left_out(cast, test_cards):
    titles = _card_titles(sections_for(cast.admin))
    assert "Missing card" not in titles
    assert "Undeclared card" not in titles


def test_card_policy_adds_to_the_views_policy(cast, test_cards):
    home_registry.register_card(
        HomeCard(
            key="t.strict",
            title="Strict",
            description="d",
            url_name="accounts:token_list",
            policy=Perm.MANAGE_USERS,
            roles={Role.ADMIN, Role.ANALYST},
        )
    )
    assert "Strict" in _card_titles(sections_for(cast.admin))
    assert "Strict" not in _card_titles(sections_for(cast.analyst))


def test_a_page_appears_once_even_when_several_cards_point_to_it(cast, test_cards):
    home_registry.register_card(
        HomeCard(key="t.users2", title="Users again", description="d", url_name="standin:users")
    )
    titles = _card_titles(sections_for(cast.admin))
    assert titles.count("Users card") == 1
    assert "Users again" not in titles


def test_user_with_several_roles_gets_a_section_per_role(cast, test_cards):
    from prokuratura.accounts.models import UserRole

    UserRole.objects.create(user=cast.auditor, role=Role.ADMIN)
    cast.auditor.__dict__.pop("roles", None)
    cast.auditor.__dict__.pop("permission_codes", None)
    sections = sections_for(cast.auditor)
    assert [s["role"] for s in sections] == [Role.AUDITOR, Role.ADMIN, None]


def test_home_page_renders_role_sections_and_links(client_for, cast, test_cards):
    response = client_for(cast.auditor).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert str(Role.AUDITOR.label) in html
    assert str(home_registry.ROLE_SUMMARIES[Role.AUDITOR]) in html
    assert 'href="/standin/audit/"' in html
    assert 'href="/standin/users/"' not in html
    assert 'href="/accounts/tokens/"' in html


def test_every_linked_card_opens(client_for, cast, test_cards):
    for user in (cast.auditor, cast.admin, cast.analyst, cast.outsider):
        client = client_for(user)
        for section in sections_for(user):
            for card in section["cards"]:
                assert client.get(card["url"]).status_code == 200, (user.username, card["url"])


def test_user_without_a_role_is_told_so(client_for, cast, test_cards):
    html = client_for(cast.outsider).get("/").content.decode()
    assert "You have no role yet" in html
    assert 'href="/standin/' not in html


def test_home_shows_office_today_and_working_day(client_for, cast, test_cards):
    today = timezone.localdate()
    CalendarException.objects.create(date=today, kind=CalendarException.Kind.DAY_OFF, reason="test")
    assert not is_working_day(today)
    response = client_for(cast.prosecutor_astana).get("/")
    html = response.content.decode()
    assert "Yesil district prosecutor&#x27;s office" in html or "Yesil district prosecutor's office" in html
    assert f'datetime="{today.isoformat()}"' in html
    assert "Day off" in html
    assert "Working day" not in html


def test_home_says_working_day(client_for, cast, test_cards):
    today = timezone.localdate()
    CalendarException.objects.create(date=today, kind=CalendarException.Kind.WORKING_DAY, reason="test")
    html = client_for(cast.prosecutor_astana).get("/").content.decode()
    assert "Working day" in html


def test_home_needs_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_query_count_is_fixed(client_for, cast, test_cards, django_assert_num_queries):
    client = client_for(cast.admin)
    client.get("/")
    # session, user, 2FA enforcement (TOTP, recovery, roles, role policy), office; the calendar's exceptions come
    # from the process's copy (core.calendar), read by the warm-up request
    with django_assert_num_queries(7):
        client.get("/")


def test_built_in_cards_are_registered():
    keys = {card.key for card in home_registry.registered_cards()}
    assert {"core.audit", "accounts.users", "accounts.tokens", "accounts.role_policies"} <= keys
