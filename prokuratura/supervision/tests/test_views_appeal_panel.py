"""Supervision on an appeal's page (inspections, violations and acts it led to, and the links to open them), the
home page's cards and the menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.appeals.services import appeal_assign
from prokuratura.appeals.tests.factories import register
from prokuratura.supervision.models import Ground, Violation

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeal(cast, offices):
    appeal = register(region=offices.astana.region, respondent_body="Акимат г. Астаны")
    appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return appeal


def violation_post(**overrides):
    data = {
        "found_on": timezone.localdate().isoformat(),
        "description": "Ответ заявителю дан с нарушением срока",
        "law_violated": "АППК РК, ст. 76",
        "category": "citizens",
        "persons_affected": "1",
        "damage": "0",
        "submission_key": "appeal-violation-1",
    }
    data.update(overrides)
    return data


def test_who_works_on_the_appeal_is_offered_the_three_links(client_for, cast, appeal):
    page = client_for(cast.prosecutor_astana).get(reverse("appeals:detail", args=[appeal.pk]))
    assert 'id="appeal-supervision"' in page.text
    assert f"{reverse('supervision:inspection_create')}?appeal={appeal.pk}" in page.text
    assert reverse("supervision:appeal_violation_new", args=[appeal.pk]) in page.text
    assert f"{reverse('supervision:act_create')}?appeal={appeal.pk}" in page.text


def test_a_head_who_does_not_work_on_it_may_open_an_inspection_only(client_for, cast, appeal):
    page = client_for(cast.head_gpo).get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.context["supervision"]["may_open_inspection"]
    assert page.context["supervision"]["may_record"]  # a head over the office works on it (appeals' WORKER)
    auditor = client_for(cast.auditor).get(reverse("appeals:detail", args=[appeal.pk]))
    assert auditor.context["supervision"] == {
        "inspections": [],
        "violations": [],
        "acts": [],
        "may_open_inspection": False,
        "may_record": False,
    }
    assert 'id="appeal-open-inspection"' not in auditor.text


def test_who_does_not_see_supervision_gets_no_section(client_for, cast, appeal):
    page = client_for(cast.registrar_astana).get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.status_code == 200
    assert page.context["supervision"] is None and 'id="appeal-supervision"' not in page.text


def test_the_section_lists_what_the_appeal_led_to(client_for, cast, appeal):
    inspection = make_inspection(
        by=cast.prosecutor_astana,
        ground=Ground.APPEAL,
        ground_appeal=appeal,
        head=cast.head_astana,
        started=True,
    )
    violation = make_violation(by=cast.prosecutor_astana, appeal=appeal, law_violated="АППК РК, ст. 76")
    act = make_act(by=cast.prosecutor_astana, appeal=appeal, violations=[violation])
    page = client_for(cast.prosecutor_astana).get(reverse("appeals:detail", args=[appeal.pk]))
    assert reverse("supervision:inspection_detail", args=[inspection.pk]) in page.text
    assert "АППК РК, ст. 76" in page.text
    assert reverse("supervision:act_detail", args=[act.pk]) in page.text


def test_a_violation_found_while_answering_is_recorded_once(client_for, cast, appeal):
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:appeal_violation_new", args=[appeal.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="violation-form"' in page.text and appeal.reg_number in page.text
    first = client.post(url, violation_post())
    client.post(url, violation_post())
    assert first.status_code == 302 and first["Location"] == reverse("appeals:detail", args=[appeal.pk])
    violation = Violation.objects.get()
    assert violation.appeal == appeal and violation.inspection is None
    assert violation.office == appeal.office and violation.sensitivity == appeal.sensitivity


def test_a_bad_violation_on_an_appeal_saves_nothing(client_for, cast, appeal):
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:appeal_violation_new", args=[appeal.pk]), violation_post(damage="-100")
    )
    assert response.status_code == 400 and response.context["form"].errors["damage"]
    assert 'id="violation-damage_errors"' in response.text
    assert not Violation.objects.exists()


def test_recording_on_an_appeal_is_for_who_works_on_it(client_for, cast, offices, appeal):
    url = reverse("supervision:appeal_violation_new", args=[appeal.pk])
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    assert client_for(cast.auditor).post(url, violation_post()).status_code == 403
    assert client_for(cast.registrar_astana).get(url).status_code == 403
    assert not Violation.objects.exists()


def test_the_section_adds_a_fixed_number_of_queries_to_the_appeals_page(client_for, cast, appeal):
    client = client_for(cast.prosecutor_astana)
    url = reverse("appeals:detail", args=[appeal.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _i in range(3):
        make_inspection(by=cast.prosecutor_astana, ground=Ground.APPEAL, ground_appeal=appeal)
        violation = make_violation(by=cast.prosecutor_astana, appeal=appeal)
        make_act(by=cast.prosecutor_astana, appeal=appeal, violations=[violation])
    assert count() == before


# --- home page and menu ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["prosecutor_astana", "head_astana"])
def test_the_home_page_offers_the_supervision_cards(client_for, cast, role):
    page = client_for(getattr(cast, role)).get(reverse("core:home"))
    for name in ("inspection_create", "inspection_list", "act_list", "visit_list"):
        assert reverse(f"supervision:{name}") in page.text
    assert "Plan an inspection" in page.text


@pytest.mark.parametrize("role", ["analyst", "registrar_astana", "admin"])
def test_the_others_are_not_offered_the_pages(client_for, cast, role):
    page = client_for(getattr(cast, role)).get(reverse("core:home"))
    assert reverse("supervision:inspection_list") not in page.text
    assert reverse("supervision:visit_list") not in page.text


def test_the_menu_names_the_supervision_pages(client_for, cast):
    page = client_for(cast.auditor).get(reverse("core:home"))
    names = [item["name"] for item in page.context["nav_items"]]
    assert {"supervision:inspection_list", "supervision:act_list", "supervision:visit_list"} <= set(names)
    assert reverse("supervision:inspection_create") not in page.text  # an auditor reads, does not plan
