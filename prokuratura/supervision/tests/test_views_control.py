"""The control lists on the home page (prosecutors: their own; heads: their office's) and the control page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.supervision.services import act_record_reply

from .factories import make_act, make_inspection

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def overdue(by, *, late: int = 3):
    return make_act(by=by, code="protest", issue=True, issued_on=days_ago(late + 5), due_date=days_ago(late))


@pytest.fixture
def lists(cast):
    p = cast.prosecutor_astana
    replied = make_act(by=p, code="submission", issue=True, issued_on=days_ago(12))
    act_record_reply(by=p, act=replied, reply_on=days_ago(2), result="satisfied")
    return {
        "overdue": overdue(p),
        "replied": replied,
        "inspection": make_inspection(
            by=p, head=cast.head_astana, started=True, period_start=days_ago(30), period_end=days_ago(1)
        ),
        "almaty": overdue(cast.prosecutor_almaty),
    }


def _home(client_for, user) -> str:
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_prosecutor_sees_their_own_overdue_acts_on_the_home_page(cast, client_for, lists):
    html = _home(client_for, cast.prosecutor_astana)
    assert "Control of your acts and inspections" in html
    assert 'id="home-control-mine"' in html
    for key in ("overdue", "replied", "inspection"):
        assert lists[key].number in html
    assert lists["almaty"].number not in html
    assert f'href="{reverse("supervision:act_detail", args=[lists["overdue"].pk])}"' in html
    assert f'href="{reverse("supervision:control")}?scope=mine"' in html
    assert "home-control-office" not in html


def test_a_head_sees_the_overdue_act_of_their_office(cast, client_for, lists):
    html = _home(client_for, cast.head_astana)
    assert "Control of acts and inspections in your office and the offices below it" in html
    assert lists["overdue"].number in html
    assert cast.prosecutor_astana.full_name in html  # the office's lists name the prosecutor
    assert lists["almaty"].number not in html
    assert f'href="{reverse("supervision:control")}?scope=office"' in html
    assert lists["almaty"].number in _home(client_for, cast.head_gpo)


def test_the_home_panel_shows_five_of_each_list_and_the_whole_count(cast, client_for):
    made = [overdue(cast.prosecutor_astana, late=n) for n in range(1, 8)]
    html = _home(client_for, cast.prosecutor_astana)
    assert "Answer overdue (7)" in html
    assert sum(act.number in html for act in made) == 5
    assert made[-1].number in html  # the longest overdue first
    assert made[0].number not in html


def test_nothing_overdue_says_so(cast, client_for):
    assert "Nothing is overdue." in _home(client_for, cast.prosecutor_almaty)


def test_roles_without_supervision_have_no_control_panel(cast, client_for, lists):
    for user in (cast.analyst, cast.registrar_astana, cast.admin, cast.outsider):
        assert "home-control-" not in _home(client_for, user)


def test_the_home_page_costs_the_same_queries_however_many_records(cast, client_for, lists):
    client = client_for(cast.head_astana)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(6):
        overdue(cast.prosecutor_astana, late=n + 1)
        make_inspection(
            by=cast.prosecutor_astana,
            head=cast.head_astana,
            started=True,
            period_start=days_ago(30),
            period_end=days_ago(n + 2),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the control page -----------------------------------------------------------------------------------------


def test_the_control_page_opens_on_the_roles_scope_and_switches(cast, client_for, lists):
    client = client_for(cast.head_astana)
    response = client.get(reverse("supervision:control"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="?scope=office" aria-current="page">' in html
    assert lists["overdue"].number in html and lists["inspection"].number in html
    assert lists["almaty"].number not in html
    html = client.get(reverse("supervision:control"), {"scope": "mine"}).content.decode()
    assert '<a href="?scope=mine" aria-current="page">' in html
    assert lists["overdue"].number not in html
    mine = client_for(cast.prosecutor_astana).get(reverse("supervision:control")).content.decode()
    assert '<a href="?scope=mine" aria-current="page">' in mine
    assert lists["replied"].number in mine


def test_the_control_page_needs_supervision(cast, client, client_for):
    assert client_for(cast.analyst).get(reverse("supervision:control")).status_code == 403
    client.logout()
    response = client.get(reverse("supervision:control"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_each_list_pages_on_its_own(cast, client_for, monkeypatch):
    from prokuratura.supervision.views import control

    monkeypatch.setattr(control, "PER_PAGE", 2)
    made = [overdue(cast.prosecutor_astana, late=n) for n in (5, 4, 3)]
    client = client_for(cast.prosecutor_astana)
    html = client.get(reverse("supervision:control")).content.decode()
    assert made[0].number in html and made[1].number in html and made[2].number not in html
    assert 'href="?scope=mine&amp;overdue_page=2#overdue"' in html
    html = client.get(reverse("supervision:control"), {"scope": "mine", "overdue_page": 2}).content.decode()
    assert made[2].number in html and made[0].number not in html
    assert "Page 2 of 2" in html
    assert 'href="?scope=mine#overdue"' in html  # back to the first page


def test_the_control_page_costs_the_same_queries_however_many_records(
    cast, client_for, lists, django_assert_max_num_queries
):
    client = client_for(cast.head_astana)
    client.get(reverse("supervision:control"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision:control"))
    for n in range(4):
        overdue(cast.prosecutor_astana, late=n + 1)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("supervision:control"))
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(14):
        client.get(reverse("supervision:control"))
