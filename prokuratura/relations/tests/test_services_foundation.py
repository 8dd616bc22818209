"""The foundation's services: records with history and audit, bad input refused whole, the lifecycles' steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.core.models import AuditEntry

from ..models import (
    Event,
    EventStatus,
    FollowUpTask,
    ImplementationStatus,
    Participant,
    ProjectStatus,
    TaskStatus,
)
from ..services import (
    ParticipantData,
    event_cancel,
    event_hold,
    project_start,
    recommendation_report,
    recommendation_start,
    task_add,
    task_complete,
)
from ..transitions import RECOMMENDATIONS
from . import factories as f

pytestmark = pytest.mark.django_db


def test_event_recorded_with_participants_history_and_audit(cast):
    event = f.event(
        by=cast.intl_officer,
        participants=[
            ParticipantData(country=f.country(), official_name="J. Smith", official_title="Ambassador"),
            ParticipantData(counterpart=f.counterpart("osce")),
        ],
    )
    assert event.status == EventStatus.HELD and event.office == cast.intl_officer.office
    assert event.participants.count() == 2
    assert [t.step for t in event.transitions.all()] == ["create"]
    assert AuditEntry.objects.filter(object_type="relations.event", action=AuditEntry.Action.CREATE).exists()


def test_bad_event_refused_whole(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        f.event(
            by=cast.intl_officer,
            start_date=today - dt.timedelta(days=3),
            end_date=today - dt.timedelta(days=5),
            participants=[ParticipantData()],
        )
    assert set(caught.value.message_dict) == {"end_date", "participants"}
    assert not Event.objects.exists() and not Participant.objects.exists()


def test_planned_event_held_or_cancelled(cast):
    planned = f.event(by=cast.intl_officer, held=False)
    with pytest.raises(ValidationError):
        event_hold(by=cast.intl_officer, event=planned)  # the start is still ahead
    with pytest.raises(ValidationError):
        event_cancel(by=cast.intl_officer, event=planned, reason="")
    event_cancel(by=cast.intl_officer, event=planned, reason="The partner postponed")
    assert planned.status == EventStatus.CANCELLED


def test_task_lifecycle(cast):
    event = f.event(by=cast.intl_officer)
    task = task_add(
        by=cast.intl_officer,
        event=event,
        title="Send the draft memorandum",
        owner=cast.intl_officer,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    assert task.status == TaskStatus.OPEN
    with pytest.raises(PermissionDenied):
        task_complete(by=cast.analyst, task=task, result="done")
    task_complete(by=cast.intl_officer, task=task, result="Sent on time")
    assert FollowUpTask.objects.get().status == TaskStatus.DONE


def test_project_and_recommendation_steps(cast):
    project = f.project(by=cast.intl_officer)
    project_start(by=cast.intl_officer, project=project)
    assert project.status == ProjectStatus.ACTIVE
    rec = f.recommendation(by=cast.intl_officer)
    recommendation_start(
        by=cast.intl_officer, recommendation=rec, planned_actions="Draft amendments to the CPC"
    )
    with pytest.raises(ValidationError):
        recommendation_report(by=cast.intl_officer, recommendation=rec, status="implemented", evidence=" ")
    recommendation_report(
        by=cast.intl_officer, recommendation=rec, status="partially", evidence="Law No. 1 of 2026 adopted"
    )
    assert rec.status == ImplementationStatus.PARTIALLY
    assert [s.name for s in RECOMMENDATIONS.available(actor=cast.head_gpo, record=rec)] == ["report", "close"]
