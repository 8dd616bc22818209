"""The appeals list in a real browser, every state checked with axe: a head switches whose appeals the list shows,
sorts it by due date, goes Back and Forward, ticks two appeals and assigns them to a prosecutor at once."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from prokuratura.appeals.models import Appeal, Status
from prokuratura.core.models import Sensitivity


@pytest.fixture(autouse=True)
def _appeal_defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )


def test_a_head_switches_the_view_sorts_by_due_date_and_assigns_two_appeals_at_once(
    page, login, cast, offices
):
    from prokuratura.appeals.tests.factories import register

    today = timezone.localdate()
    later = register(by=cast.registrar_astana, region=offices.astana.region, subject="Позже")
    sooner = register(by=cast.registrar_astana, region=offices.astana.region, subject="Раньше")
    middle = register(by=cast.registrar_astana, office=offices.astana_district, subject="Посередине")
    for appeal, days in ((later, 12), (sooner, 3), (middle, 7)):
        Appeal.objects.filter(pk=appeal.pk).update(due_date=today + dt.timedelta(days=days))
    elsewhere = register(
        by=cast.registrar_astana,
        region=offices.almaty.region,
        subject="Алматы",
        sensitivity=Sensitivity.PUBLIC,
    )

    login(cast.head_astana)
    page.goto("/appeals/")
    results = page.locator("#appeal-results")
    # A head starts from their office: Almaty's public appeal is not there.
    assert page.locator("#view-office").get_attribute("aria-current") == "true"
    assert elsewhere.reg_number not in results.inner_text()

    page.locator("#view-all").click()
    page.wait_for_url("**/appeals/?view=all")
    results.locator(f"text={elsewhere.reg_number}").wait_for()
    assert page.locator("#view-all").get_attribute("aria-current") == "true"
    page.check()

    page.locator("#sort-due").click()
    page.wait_for_url("**/appeals/?view=all&sort=due")
    page.locator("th[aria-sort=ascending] #sort-due").wait_for()
    numbers = page.locator("#appeal-results tbody tr td:nth-child(2)").all_inner_texts()
    assert numbers[:3] == [sooner.reg_number, middle.reg_number, later.reg_number]
    page.check()

    # Back restores the unsorted list and its view; Forward the sorted one, without a script error.
    page.go_back()
    page.wait_for_url("**/appeals/?view=all")
    page.locator("th[aria-sort=descending] #sort-registered").wait_for()
    page.go_forward()
    page.wait_for_url("**/appeals/?view=all&sort=due")
    page.locator("th[aria-sort=ascending] #sort-due").wait_for()
    assert page.locator("#view-all").get_attribute("aria-current") == "true"
    assert page.console_errors == [], page.console_errors

    # Almaty's appeal is not over this head's office: no box to tick.
    assert page.locator(f"#select-{elsewhere.pk}").count() == 0
    assert page.locator("#select-all").is_visible()  # the script shows "select all"
    page.locator(f"#select-{sooner.pk}").check()
    page.locator(f"#select-{middle.pk}").check()
    page.locator("#bulk-assign select[name=assignee]").select_option(str(cast.prosecutor_astana.pk))
    page.locator("#bulk-assign button[type=submit]").click()
    page.wait_for_url("**/appeals/?view=all&sort=due*")
    page.check()
    message = page.locator(".messages").inner_text()
    assert sooner.reg_number in message and middle.reg_number in message
    for appeal in (sooner, middle):
        appeal.refresh_from_db()
        assert appeal.status == Status.ASSIGNED and appeal.assignee == cast.prosecutor_astana
    later.refresh_from_db()
    assert later.assignee is None
    # The list shows the prosecutor by name, and the order and the view stay as they were.
    assert cast.prosecutor_astana.full_name in page.locator("#appeal-results").inner_text()
    assert page.locator("th[aria-sort=ascending] #sort-due").count() == 1
    assert page.console_errors == [], page.console_errors
