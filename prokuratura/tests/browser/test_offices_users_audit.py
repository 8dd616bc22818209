"""Offices, user administration and the audit trail in a real browser, each page checked with axe.

Locators avoid visible text where they can: the language the pages come in depends on the user's settings."""

from prokuratura.accounts.models import User
from prokuratura.core.models import Office


def test_an_administrator_adds_an_office_and_a_user(page, login, cast, offices):
    login(cast.admin)
    page.goto("/offices/")
    assert page.locator("ul.tree > li > ul > li").count() == 2  # Astana and Almaty under the GPO

    page.goto("/offices/add/")
    page.locator("#id_code").fill("AST-02")
    page.locator("#id_level").select_option("district")
    page.locator("#id_parent").select_option(str(offices.gpo.pk))  # wrong: a district office under the GPO
    page.locator("#id_name_kk").fill("Сарыарқа ауданының прокуратурасы")
    page.locator("#id_name_ru").fill("Прокуратура района Сарыарка")
    page.locator("#id_name_en").fill("Saryarka district prosecutor's office")
    page.locator("main form button[type=submit]").click()
    page.check()
    assert page.locator("#id_parent_errors").count() == 1
    page.locator("#id_parent").select_option(str(offices.astana.pk))
    page.locator("main form button[type=submit]").click()
    page.check()
    office = Office.objects.get(code="AST-02")
    assert page.url.endswith(f"/offices/{office.pk}/")

    page.goto("/accounts/users/add/")
    page.locator("#id_username").fill("new_registrar")
    page.locator("#id_last_name").fill("Сейтқали")
    page.locator("#id_office").select_option(str(office.pk))
    page.locator("input[name=roles][value=registrar]").check()
    page.locator("#id_no_password").check()
    page.locator("main form button[type=submit]").click()
    page.check()
    person = User.objects.get(username="new_registrar")
    assert page.url.endswith(f"/accounts/users/{person.pk}/")
    assert person.office_id == office.pk

    page.goto("/accounts/users/?role=registrar")
    assert page.locator("main tbody tr").count() == 2
    page.goto("/accounts/role-policies/")


def test_an_auditor_filters_the_trail_and_verifies_it(page, login, cast, offices):
    login(cast.auditor)
    page.goto("/audit/")
    page.locator("#id_action").select_option("create")  # htmx reloads the results on change
    page.wait_for_url("**/audit/?*action=create*")
    page.locator("#audit-results tbody tr").first.wait_for()
    page.check()
    actions = page.locator("#audit-results tbody tr td:nth-child(4)").all_inner_texts()
    assert actions and len(set(actions)) == 1
    page.locator("#audit-results tbody tr th a").first.click()
    page.check()
    page.goto("/audit/")
    page.locator("form[action='/audit/verify/'] button").click()
    page.check()
    assert page.locator("main .message-success").count() == 1
