"""The pages of acts of response: the list, drafting (in an inspection, on an appeal, on its own), editing a draft,
the page with the type's rule, the answer and the steps."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from prokuratura.appeals.services import appeal_assign, appeal_route
from prokuratura.appeals.tests.factories import register
from prokuratura.supervision.models import Act, ActStatus, ActType

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def running(cast):
    return make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)


def draft_post(code="submission", **overrides):
    data = {
        "act_type": ActType.objects.get(code=code).pk,
        "addressee_name": "Акиму района Есиль",
        "addressee_official": "Сейткали Б.А.",
        "addressee_bin": "",
        "addressee_address": "",
        "language": "ru",
        "subject": "",
        "text": "",
        "submission_key": "act-1",
    }
    data.update(overrides)
    return data


def _issued(cast, running, code="submission", days_ago=0):
    return make_act(
        by=cast.prosecutor_astana,
        inspection=running,
        code=code,
        issue=True,
        issued_on=TODAY - dt.timedelta(days=days_ago),
    )


# --- who may open what -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["prosecutor_astana", "head_astana", "auditor"])
def test_the_list_opens_for_those_who_see_supervision(client_for, cast, role):
    response = client_for(getattr(cast, role)).get(reverse("supervision:act_list"))
    assert response.status_code == 200 and 'id="act-filters"' in response.text


@pytest.mark.parametrize("role", ["analyst", "registrar_astana", "admin"])
def test_the_list_refuses_the_others(client_for, cast, role):
    assert client_for(getattr(cast, role)).get(reverse("supervision:act_list")).status_code == 403


def test_an_act_the_reader_may_not_see_is_404(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running)
    url = reverse("supervision:act_detail", args=[act.pk])
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    listed = client_for(cast.prosecutor_almaty).get(reverse("supervision:act_list"))
    assert list(listed.context["page"].object_list) == []
    assert client_for(cast.head_astana).get(url).status_code == 200


def test_the_list_filters(client_for, cast, running):
    protest = _issued(cast, running, code="protest")
    submission = make_act(by=cast.prosecutor_astana, inspection=running, addressee_name="ТОО Асыл")
    client = client_for(cast.head_astana)
    url = reverse("supervision:act_list")
    by_type = client.get(url, {"kind": "protest"}).context["page"].object_list
    assert list(by_type) == [protest]
    by_status = client.get(url, {"status": "draft"}).context["page"].object_list
    assert list(by_status) == [submission]
    by_words = client.get(url, {"q": "Асыл"}).context["page"].object_list
    assert list(by_words) == [submission]
    mine = client.get(url, {"mine": "on"}).context["page"].object_list
    assert list(mine) == []
    dated = client.get(url, {"date_from": TODAY.isoformat()}).context["page"].object_list
    assert list(dated) == [protest]


# --- drafting --------------------------------------------------------------------------------------------------


def test_an_act_is_drafted_in_an_inspection_from_the_types_template(client_for, cast, running):
    first = make_violation(by=cast.prosecutor_astana, inspection=running)
    make_violation(by=cast.prosecutor_astana, inspection=running, law_violated="КоАП РК, ст. 87")
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    page = client.get(url)
    assert page.status_code == 200 and 'id="act-form"' in page.text
    assert page.context["form"].initial["addressee_name"] == running.subject_name
    assert "start from the type" in page.text
    response = client.post(url, draft_post(violations=[first.pk]))
    act = Act.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:act_detail", args=[act.pk])
    assert act.inspection == running and act.status == ActStatus.DRAFT
    assert list(act.violations.all()) == [first]
    assert act.subject  # from the type's template, or the type's name without one


def test_a_double_submission_drafts_one_act(client_for, cast, running):
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    client.post(url, draft_post())
    client.post(url, draft_post())
    assert Act.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"addressee_name": ""}, "addressee_name"),
        ({"act_type": "999999"}, "act_type"),
        ({"language": "en"}, "language"),
        ({"addressee_bin": "12345"}, "addressee_bin"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_for, cast, running, overrides, field
):
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    response = client_for(cast.prosecutor_astana).post(url, draft_post(**overrides))
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Act.objects.exists()


def test_a_violation_of_another_inspection_is_not_a_choice(client_for, cast, running):
    other = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    foreign = make_violation(by=cast.prosecutor_astana, inspection=other)
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    response = client_for(cast.prosecutor_astana).post(url, draft_post(violations=[foreign.pk]))
    assert response.status_code == 400 and response.context["form"].errors["violations"]
    assert not Act.objects.exists()


def test_an_inactive_type_is_refused_by_the_service(client_for, cast, running):
    ActType.objects.filter(code="order").update(is_active=False)
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    response = client_for(cast.prosecutor_astana).post(url, draft_post(code="order"))
    assert response.status_code == 400 and response.context["form"].errors["act_type"]


def test_drafting_in_someone_elses_inspection_is_refused(client_for, cast, running):
    url = reverse("supervision:act_create") + f"?inspection={running.pk}"
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404
    assert client_for(cast.auditor).get(url).status_code == 403
    assert client_for(cast.analyst).get(url).status_code == 403


def test_an_act_on_its_own_has_no_violations_to_answer(client_for, cast):
    client = client_for(cast.prosecutor_astana)
    page = client.get(reverse("supervision:act_create"))
    assert "violations" not in page.context["form"].fields
    response = client.post(reverse("supervision:act_create"), draft_post(text="Текст акта"))
    assert response.status_code == 302
    act = Act.objects.get()
    assert act.office == cast.prosecutor_astana.office and act.inspection is None


def test_an_act_on_an_appeal_for_who_works_on_it(client_for, cast, offices):
    appeal = register(region=offices.astana.region, respondent_body="Акимат г. Астаны")
    appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    violation = make_violation(by=cast.prosecutor_astana, appeal=appeal)
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:act_create") + f"?appeal={appeal.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["addressee_name"] == "Акимат г. Астаны"
    assert list(page.context["form"].fields["violations"].queryset) == [violation]
    response = client.post(url, draft_post(violations=[violation.pk]))
    assert response.status_code == 302
    act = Act.objects.get()
    assert act.appeal == appeal and list(act.violations.all()) == [violation]
    # An appeal of the prosecutor's office that someone else works on: seen, not acted on.
    other = register(region=offices.astana.region)
    appeal_route(by=cast.registrar_astana, appeal=other, office=offices.astana_district)
    assert client.get(reverse("appeals:detail", args=[other.pk])).status_code == 200
    assert client.get(reverse("supervision:act_create") + f"?appeal={other.pk}").status_code == 403


# --- editing a draft -------------------------------------------------------------------------------------------


def test_the_author_edits_the_draft(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running)
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:act_edit", args=[act.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["subject"] == act.subject
    response = client.post(url, draft_post(subject="Представление", text="Новый текст"))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.text == "Новый текст"
    empty = client.post(url, draft_post(subject="Представление", text=""))
    assert empty.status_code == 400 and empty.context["form"].errors["text"]
    act.refresh_from_db()
    assert act.text == "Новый текст"


def test_an_issued_act_is_not_edited(client_for, cast, running):
    act = _issued(cast, running)
    response = client_for(cast.prosecutor_astana).get(reverse("supervision:act_edit", args=[act.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:act_detail", args=[act.pk])


def test_editing_is_refused_to_who_may_not_change_the_act(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running)
    url = reverse("supervision:act_edit", args=[act.pk])
    assert client_for(cast.auditor).get(url).status_code == 403
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404


# --- the page and its steps ------------------------------------------------------------------------------------


def test_the_page_shows_the_types_rule_and_source(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running, code="protest")
    act_type = act.act_type
    page = client_for(cast.prosecutor_astana).get(reverse("supervision:act_detail", args=[act.pk]))
    assert "10 calendar days" in page.text
    assert act_type.legal_source.replace("'", "&#x27;") in page.text
    assert ('id="act-type-unverified"' in page.text) == (not act_type.verified)
    assert 'id="act-letter"' not in page.text  # a draft is not a letter yet
    assert set(page.context["actions"]) == {"issue"}


def test_the_steps_post_issue_reply_and_result(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running)
    client = client_for(cast.prosecutor_astana)
    page = client.get(reverse("supervision:act_detail", args=[act.pk]))
    version = page.context["actions"]["issue"].initial["version"]
    response = client.post(
        reverse("supervision:act_step", args=[act.pk, "issue"]),
        {"version": version, "issued_on": TODAY.isoformat(), "due_date": "", "step": "issue"},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.ISSUED and act.number and act.due_date > TODAY
    page = client.get(reverse("supervision:act_detail", args=[act.pk]))
    assert act.number in page.text
    try:
        pdf = reverse("supervision:act_letter", kwargs={"act_id": act.pk, "fmt": "pdf"})
    except NoReverseMatch:
        pdf = None
    if pdf:
        assert pdf in page.text
    response = client.post(
        reverse("supervision:act_step", args=[act.pk, "record_reply"]),
        {
            "reply_on": TODAY.isoformat(),
            "reply_number": "12-3/45",
            "result": "partly",
            "reply_summary": "Частично",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("supervision:act_step", args=[act.pk, "record_result"]),
        {
            "persons_restored": "12",
            "amount_recovered": "1500000",
            "persons_disciplinary": "2",
            "persons_administrative": "0",
            "persons_criminal": "0",
            "reason": "",
        },
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.CLOSED and act.persons_restored == 12 and act.persons_disciplinary == 2
    page = client.get(reverse("supervision:act_detail", args=[act.pk]))
    assert 'id="act-outcome"' in page.text and "12-3/45" in page.text


def test_a_reply_dated_before_the_act_is_refused_next_to_the_date(client_for, cast, running):
    act = _issued(cast, running, days_ago=3)
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:act_step", args=[act.pk, "record_reply"]),
        {"reply_on": (TODAY - dt.timedelta(days=5)).isoformat(), "result": "satisfied"},
    )
    assert response.status_code == 400
    assert response.context["actions"]["record_reply"].errors["reply_on"]
    assert response.context["failed_action"] == "record_reply"
    act.refresh_from_db()
    assert act.status == ActStatus.ISSUED and act.reply_on is None


def test_a_negative_amount_is_refused(client_for, cast, running):
    act = _issued(cast, running, code="warning")
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:act_step", args=[act.pk, "record_result"]),
        {
            "persons_restored": "0",
            "amount_recovered": "-1",
            "persons_disciplinary": "0",
            "persons_administrative": "0",
            "persons_criminal": "0",
        },
    )
    assert response.status_code == 400
    assert response.context["actions"]["record_result"].errors["amount_recovered"]
    act.refresh_from_db()
    assert act.status == ActStatus.ISSUED


def test_withdrawing_is_a_heads_step(client_for, cast, running):
    act = _issued(cast, running)
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:act_step", args=[act.pk, "withdraw"]), {"reason": "Ошибка"}
    )
    assert response.status_code == 403
    act.refresh_from_db()
    assert act.status == ActStatus.ISSUED
    response = client_for(cast.head_astana).post(
        reverse("supervision:act_step", args=[act.pk, "withdraw"]), {"reason": "Ошибка в адресате"}
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.WITHDRAWN


def test_a_step_the_lifecycle_forbids_now_shows_why(client_for, cast, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running)  # a draft: no reply yet
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:act_step", args=[act.pk, "record_reply"]),
        {"reply_on": TODAY.isoformat(), "result": "satisfied"},
    )
    assert response.status_code == 400 and "cannot be taken while the status is" in response.text
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT


def test_an_overdue_act_is_highlighted(client_for, cast):
    long_ago = TODAY - dt.timedelta(days=60)
    inspection = make_inspection(
        by=cast.prosecutor_astana, head=cast.head_astana, started=True, period_start=long_ago
    )
    act = make_act(
        by=cast.prosecutor_astana, inspection=inspection, code="protest", issue=True, issued_on=long_ago
    )
    assert act.due_date < TODAY
    client = client_for(cast.head_astana)
    page = client.get(reverse("supervision:act_detail", args=[act.pk]))
    assert page.context["overdue"] and 'id="act-overdue"' in page.text
    listed = client.get(reverse("supervision:act_list"))
    assert "overdue" in listed.text


# --- query counts ----------------------------------------------------------------------------------------------


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_reads_a_fixed_number_of_queries(client_for, cast, running):
    client = client_for(cast.head_astana)
    url = reverse("supervision:act_list")
    make_act(by=cast.prosecutor_astana, inspection=running)
    few = _count(client, url)
    for _i in range(3):
        make_act(by=cast.prosecutor_astana, inspection=running, issue=True)
    assert _count(client, url) == few


def test_the_page_reads_a_fixed_number_of_queries(client_for, cast, running, django_assert_max_num_queries):
    client = client_for(cast.prosecutor_astana)
    one = make_violation(by=cast.prosecutor_astana, inspection=running)
    act = make_act(by=cast.prosecutor_astana, inspection=running, violations=[one])
    url = reverse("supervision:act_detail", args=[act.pk])
    few = _count(client, url)
    more = [make_violation(by=cast.prosecutor_astana, inspection=running) for _i in range(3)]
    act.violations.add(*more)
    assert _count(client, url) == few
    with django_assert_max_num_queries(14):
        client.get(url)
