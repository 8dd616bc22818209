"""Who may see and change international relations' records.

See (`relations.view`): the record rule of core.access — role × office subtree × sensitivity — with the persons a
record names as participants: an event's author and the owners of its follow-up tasks, a project's officer and
author, a recommendation's officer in charge and author. Most of this work is internal (the default); a head
may restrict a record (a confidential negotiation), which then reads only for the people it names and heads over
its office, each read audited.

Change (`relations.work`): the office's staff (or an office above it) and the people the record names; a head's
steps are the lifecycles' (transitions.py). Every record is fetched through `access_*`: 404 when it does not exist
or may not be seen, 403 when it may be seen but not changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404, HttpRequest

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import can_see_record, checked_record, visible_records_q

from .models import Event, FollowUpTask, Project, Recommendation
from .transitions import EDITOR, PROJECT_OFFICER, REC_OFFICER, TASK_MANAGER, TASK_OWNER

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

EVENT_PARTICIPANTS = ("created_by",)
PROJECT_PARTICIPANTS = ("manager", "created_by")
RECOMMENDATION_PARTICIPANTS = ("officer", "created_by")


def _ids(*ids: int | None) -> list[int]:
    return [i for i in ids if i is not None]


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _may_view(user: User) -> bool:
    return _active(user) and user.has_perm(Perm.RELATIONS_VIEW)


def events_visible_q(*, user: User) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    owned = FollowUpTask.objects.filter(owner=user).values("event_id")
    return visible_records_q(user=user, participant_fields=EVENT_PARTICIPANTS) | Q(pk__in=owned)


def projects_visible_q(*, user: User) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=PROJECT_PARTICIPANTS)


def recommendations_visible_q(*, user: User) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=RECOMMENDATION_PARTICIPANTS)


def tasks_visible_q(*, user: User) -> Q:
    """A task is seen with its event (the record rule on the event's columns, through the task's join), and
    always by its owner."""
    if not _may_view(user):
        return Q(pk__in=[])
    on_event = visible_records_q(
        user=user,
        office_field="event__office",
        sensitivity_field="event__sensitivity",
        participant_fields=tuple(f"event__{name}" for name in EVENT_PARTICIPANTS),
    )
    return Q(owner=user) | on_event


def can_see_event(*, user: User, event: Event) -> bool:
    if not _may_view(user):
        return False
    if can_see_record(
        user=user,
        office=event.office,
        sensitivity=event.sensitivity,
        participant_ids=_ids(event.created_by_id),
    ):
        return True
    return event.tasks.filter(owner=user).exists()


def can_see_project(*, user: User, project: Project) -> bool:
    return _may_view(user) and can_see_record(
        user=user,
        office=project.office,
        sensitivity=project.sensitivity,
        participant_ids=_ids(project.manager_id, project.created_by_id),
    )


def can_see_recommendation(*, user: User, recommendation: Recommendation) -> bool:
    return _may_view(user) and can_see_record(
        user=user,
        office=recommendation.office,
        sensitivity=recommendation.sensitivity,
        participant_ids=_ids(recommendation.officer_id, recommendation.created_by_id),
    )


def can_see_task(*, user: User, task: FollowUpTask) -> bool:
    return _may_view(user) and (task.owner_id == user.pk or can_see_event(user=user, event=task.event))


def may_change_event(*, user: User, event: Event) -> bool:
    """Edit the event, its participants, agreements, figures and documents, add follow-up tasks."""
    return user.has_perm(Perm.RELATIONS_WORK) and EDITOR(user, event)


def may_change_project(*, user: User, project: Project) -> bool:
    return user.has_perm(Perm.RELATIONS_WORK) and PROJECT_OFFICER(user, project)


def may_change_recommendation(*, user: User, recommendation: Recommendation) -> bool:
    return user.has_perm(Perm.RELATIONS_WORK) and REC_OFFICER(user, recommendation)


def may_change_task(*, user: User, task: FollowUpTask) -> bool:
    return user.has_perm(Perm.RELATIONS_WORK) and (TASK_OWNER(user, task) or TASK_MANAGER(user, task))


def access_event(
    *, user: User, event_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Event:
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Event.objects.select_related("office", "country", "host", "principal__parent", "created_by")
        .filter(pk=event_id)
        .first(),
        can_see=lambda r: can_see_event(user=user, event=r),
        may_change=lambda r: may_change_event(user=user, event=r),
        for_write=for_write,
        request=request,
    )


def access_project(
    *, user: User, project_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Project:
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Project.objects.select_related("office", "partner", "manager", "created_by")
        .filter(pk=project_id)
        .first(),
        can_see=lambda r: can_see_project(user=user, project=r),
        may_change=lambda r: may_change_project(user=user, project=r),
        for_write=for_write,
        request=request,
    )


def access_recommendation(
    *, user: User, recommendation_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Recommendation:
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Recommendation.objects.select_related(
            "office", "source__parent", "event", "theme", "responsible", "officer", "created_by"
        )
        .filter(pk=recommendation_id)
        .first(),
        can_see=lambda r: can_see_recommendation(user=user, recommendation=r),
        may_change=lambda r: may_change_recommendation(user=user, recommendation=r),
        for_write=for_write,
        request=request,
    )


def access_task(
    *, user: User, task_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> FollowUpTask:
    if not _active(user):
        raise Http404
    task = (
        FollowUpTask.objects.select_related("event__office", "owner", "created_by").filter(pk=task_id).first()
    )
    return checked_record(
        user=user,
        found=task,
        can_see=lambda r: can_see_task(user=user, task=r),
        may_change=lambda r: may_change_task(user=user, task=r),
        for_write=for_write,
        request=request,
        sensitivity=task.event.sensitivity if task is not None else None,  # a task reads as its event
    )
