"""Follow-up tasks: added on the event's page (an owner from the office tree, bad input refused), the list (mine,
the office's, overdue marked, a fixed number of queries), a task's page with its steps and history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ..models import FollowUpTask, TaskStatus
from ..services import task_add
from . import factories as f

pytestmark = pytest.mark.django_db


def test_add_a_task_on_the_event_page(client_for, cast):
    event = f.event(by=cast.intl_officer)
    client = client_for(cast.intl_officer)
    url = reverse("relations:event_task_add", args=[event.pk])
    due = timezone.localdate() + dt.timedelta(days=14)
    refused = client.post(
        url, {"title": "Send the minutes", "owner": cast.analyst.pk, "due_date": due.isoformat()}
    )
    assert refused.status_code == 400 and "owner" in refused.context["task_form"].errors
    past = client.post(
        url, {"title": "Send the minutes", "owner": cast.intl_officer.pk, "due_date": "2020-01-01"}
    )
    assert past.status_code == 400 and "due_date" in past.context["task_form"].errors
    assert not FollowUpTask.objects.exists()
    done = client.post(
        url, {"title": "Send the minutes", "owner": cast.head_gpo.pk, "due_date": due.isoformat()}
    )
    assert done.status_code == 302
    task = FollowUpTask.objects.get()
    assert (task.owner, task.due_date, task.created_by) == (cast.head_gpo, due, cast.intl_officer)
    assert client_for(cast.analyst).post(url, {}).status_code == 403


def test_task_list_mine_office_overdue(client_for, cast, django_assert_max_num_queries):
    event = f.event(by=cast.intl_officer)
    today = timezone.localdate()
    mine = task_add(by=cast.intl_officer, event=event, title="Mine", owner=cast.intl_officer, due_date=today)
    task_add(by=cast.intl_officer, event=event, title="Head's", owner=cast.head_gpo, due_date=today)
    FollowUpTask.objects.filter(pk=mine.pk).update(due_date=today - dt.timedelta(days=2))  # set long ago
    client = client_for(cast.intl_officer)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("relations:task_list"))
    assert [t.title for t in response.context["page"].object_list] == ["Mine"]
    assert response.context["page"].object_list[0].is_overdue
    with django_assert_max_num_queries(11):
        office = client.get(reverse("relations:task_list"), {"scope": "office"})
    assert {t.title for t in office.context["page"].object_list} == {"Mine", "Head's"}
    overdue = client.get(reverse("relations:task_list"), {"scope": "office", "overdue": "on"})
    assert [t.title for t in overdue.context["page"].object_list] == ["Mine"]
    assert client.get(reverse("relations:task_list"), {"status": "nonsense"}).status_code == 400


def test_task_page_steps_and_history(client_for, cast):
    event = f.event(by=cast.intl_officer)
    task = task_add(
        by=cast.intl_officer,
        event=event,
        title="Prepare the draft memorandum",
        owner=cast.intl_officer,
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    client = client_for(cast.intl_officer)
    page = client.get(reverse("relations:task_detail", args=[task.pk]))
    assert page.status_code == 200 and {"start", "complete"} <= set(page.context["actions"])
    version = page.context["actions"]["complete"].initial["version"]
    url = reverse("relations:task_step", args=[task.pk, "complete"])
    assert client.post(url, {"version": version, "result": ""}).status_code == 400
    assert client.post(url, {"version": version, "result": "Sent to the OSCE"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.result == "Sent to the OSCE"
    history = client.get(reverse("relations:task_detail", args=[task.pk])).context["history"]
    assert [row.step for row in history] == ["create", "complete"]
    assert (
        client_for(cast.prosecutor_almaty).get(reverse("relations:task_detail", args=[task.pk])).status_code
        == 404
    )


def test_home_page_lists_my_open_tasks(client_for, cast):
    event = f.event(by=cast.intl_officer)
    task_add(
        by=cast.intl_officer,
        event=event,
        title="Answer the OSCE's letter",
        owner=cast.intl_officer,
        due_date=timezone.localdate(),
    )
    html = client_for(cast.intl_officer).get(reverse("core:home")).content.decode()
    assert "Answer the OSCE&#x27;s letter" in html and reverse("relations:calendar") in html
    assert "Answer the OSCE" not in client_for(cast.head_astana).get(reverse("core:home")).content.decode()
