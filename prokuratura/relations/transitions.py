"""The lifecycles of international relations' records, declared on the kernel (core.lifecycle).

- Event: planned → held, or cancelled (a head over the office or its author, with reasons); a cancelled event may
  be planned again by a head. An event that already took place is recorded held (loaded history, press imports).
- Follow-up task: open → in progress → done (its owner, with the result), cancelled with reasons (a head or the
  event's author); a head reschedules (a new due date, with reasons) and reopens a done task.
- Joint project: proposed → under way → completed (outputs); suspended and resumed; cancelled by a head.
- Recommendation (as OHCHR's tracking databases): not started → in progress (the planned actions) → partially
  implemented / implemented (each report with its evidence); noted (not accepted) or no longer relevant by a
  head with reasons; a head reopens a closed one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import is_user
from prokuratura.core.lifecycle import SAME, Deadline, Lifecycle, Reason, Step, Who, head_over, office_staff

from .models import (
    Event,
    EventStatus,
    EventTransition,
    FollowUpTask,
    ImplementationStatus,
    Project,
    ProjectStatus,
    ProjectTransition,
    Recommendation,
    RecommendationTransition,
    TaskStatus,
    TaskTransition,
)

ES, TS, PS, RS = EventStatus, TaskStatus, ProjectStatus, ImplementationStatus
HEAD = head_over()
STAFF = office_staff()  # staff of the record's office or of an office above it


def _named(field: str) -> Who:
    return Who(lambda a, r: is_user(a) and getattr(r, f"{field}_id") == a.pk, f"the {field}")


AUTHOR = _named("created_by") | HEAD
EDITOR = STAFF | _named("created_by")  # who records what happened: the office's staff, the author
PROJECT_OFFICER = _named("manager") | EDITOR
REC_OFFICER = _named("officer") | EDITOR


def _task_event_head(actor: Any, task: FollowUpTask) -> bool:
    return HEAD(actor, task.event)


def _task_event_author(actor: Any, task: FollowUpTask) -> bool:
    return is_user(actor) and task.event.created_by_id == actor.pk


TASK_HEAD = Who(_task_event_head, "a head over the event's office")
TASK_OWNER = _named("owner") | TASK_HEAD
TASK_MANAGER = TASK_HEAD | Who(_task_event_author, "the event's author") | _named("created_by")

_svc, _form, _api = (
    "prokuratura.relations.services.",
    "prokuratura.relations.forms_steps.",
    "prokuratura.relations.schemas.",
)
_core_form, _core_api = "prokuratura.core.lifecycle.", "prokuratura.core.lifecycle_api."

EVENT_TRACKED = ("status", "start_date", "end_date", "outcomes")

EVENTS: Lifecycle[Event] = Lifecycle(
    model=Event,
    history=EventTransition,
    history_fk="event",
    record_name="event",
    statuses=EventStatus,
    initial=ES.PLANNED,
    also_initial=frozenset({ES.HELD}),
    tracked_fields=EVENT_TRACKED,
    audit_refusals=True,
    steps=(
        Step(
            "hold",
            _("Record as held"),
            frozenset({ES.PLANNED}),
            ES.HELD,
            EDITOR,
            _svc + "event_hold",
            permission=Perm.RELATIONS_WORK,
            form=_form + "EventHoldForm",
            schema=_api + "EventHoldIn",
            done=_("The event is recorded as held."),
            description="Record a planned event as held, with its outcomes (its dates may be corrected).",
        ),
        Step(
            "cancel",
            _("Cancel the event"),
            frozenset({ES.PLANNED}),
            ES.CANCELLED,
            AUTHOR,
            _svc + "event_cancel",
            permission=Perm.RELATIONS_WORK,
            reason=Reason.REQUIRED,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The event is cancelled."),
            description="The event's author or a head over the office cancels a planned event, with reasons.",
        ),
        Step(
            "replan",
            _("Plan again"),
            frozenset({ES.CANCELLED}),
            ES.PLANNED,
            HEAD,
            _svc + "event_replan",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The event is planned again."),
            description="A head over the office plans a cancelled event again, with reasons.",
        ),
    ),
)

TASK_TRACKED = ("status", "due_date", "owner", "result", "done_on")
TASK_OPEN = frozenset({TS.OPEN, TS.IN_PROGRESS})

TASKS: Lifecycle[FollowUpTask] = Lifecycle(
    model=FollowUpTask,
    history=TaskTransition,
    history_fk="task",
    record_name="task",
    statuses=TaskStatus,
    initial=TS.OPEN,
    tracked_fields=TASK_TRACKED,
    deadline_field="due_date",
    audit_refusals=True,
    steps=(
        Step(
            "start",
            _("Start the task"),
            frozenset({TS.OPEN}),
            TS.IN_PROGRESS,
            TASK_OWNER,
            _svc + "task_start",
            permission=Perm.RELATIONS_WORK,
            form=_core_form + "PlainStepForm",
            schema=_core_api + "StepEmptyIn",
            done=_("The task is in progress."),
            description="The task's owner (or a head over the event's office) starts it.",
        ),
        Step(
            "complete",
            _("Mark as done"),
            TASK_OPEN,
            TS.DONE,
            TASK_OWNER,
            _svc + "task_complete",
            permission=Perm.RELATIONS_WORK,
            deadline=Deadline.STOP,
            form=_form + "TaskCompleteForm",
            schema=_api + "TaskCompleteIn",
            done=_("The task is done."),
            description="The owner records the result; the task is done.",
        ),
        Step(
            "reschedule",
            _("Move the due date"),
            TASK_OPEN,
            SAME,
            TASK_MANAGER,
            _svc + "task_reschedule",
            permission=Perm.RELATIONS_WORK,
            reason=Reason.REQUIRED,
            deadline=Deadline.SET,
            form=_form + "TaskRescheduleForm",
            schema=_api + "TaskRescheduleIn",
            done=_("The due date is moved."),
            description="A head over the event's office, the event's or the task's author sets a new due date.",
        ),
        Step(
            "cancel",
            _("Cancel the task"),
            TASK_OPEN,
            TS.CANCELLED,
            TASK_MANAGER,
            _svc + "task_cancel",
            permission=Perm.RELATIONS_WORK,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The task is cancelled."),
            description="A head over the event's office, the event's or the task's author cancels it, with reasons.",
        ),
        Step(
            "reopen",
            _("Reopen the task"),
            frozenset({TS.DONE, TS.CANCELLED}),
            TS.IN_PROGRESS,
            TASK_HEAD,
            _svc + "task_reopen",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.SET,
            form=_form + "TaskRescheduleForm",
            schema=_api + "TaskRescheduleIn",
            done=_("The task is reopened."),
            description="A head over the event's office reopens a task with a new due date and reasons.",
        ),
    ),
)

PROJECT_TRACKED = ("status", "start_date", "end_date", "budget", "currency", "outputs")
PROJECT_OPEN = frozenset({PS.PROPOSED, PS.ACTIVE, PS.SUSPENDED})

PROJECTS: Lifecycle[Project] = Lifecycle(
    model=Project,
    history=ProjectTransition,
    history_fk="project",
    record_name="project",
    statuses=ProjectStatus,
    initial=PS.PROPOSED,
    also_initial=frozenset({PS.ACTIVE, PS.COMPLETED}),
    tracked_fields=PROJECT_TRACKED,
    audit_refusals=True,
    steps=(
        Step(
            "start",
            _("Start the project"),
            frozenset({PS.PROPOSED}),
            PS.ACTIVE,
            PROJECT_OFFICER,
            _svc + "project_start",
            permission=Perm.RELATIONS_WORK,
            form=_core_form + "OptionalReasonForm",
            schema=_core_api + "StepOptionalReasonIn",
            done=_("The project is under way."),
            description="The project officer, the office's staff or the author record that the project started.",
        ),
        Step(
            "suspend",
            _("Suspend"),
            frozenset({PS.ACTIVE}),
            PS.SUSPENDED,
            PROJECT_OFFICER,
            _svc + "project_suspend",
            permission=Perm.RELATIONS_WORK,
            reason=Reason.REQUIRED,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The project is suspended."),
            description="Record that the project is suspended, with reasons.",
        ),
        Step(
            "resume",
            _("Resume"),
            frozenset({PS.SUSPENDED}),
            PS.ACTIVE,
            PROJECT_OFFICER,
            _svc + "project_resume",
            permission=Perm.RELATIONS_WORK,
            reason=Reason.OPTIONAL,
            form=_core_form + "OptionalReasonForm",
            schema=_core_api + "StepOptionalReasonIn",
            done=_("The project is under way again."),
            description="Record that a suspended project resumed.",
        ),
        Step(
            "complete",
            _("Record as completed"),
            frozenset({PS.ACTIVE}),
            PS.COMPLETED,
            PROJECT_OFFICER,
            _svc + "project_complete",
            permission=Perm.RELATIONS_WORK,
            form=_form + "ProjectCompleteForm",
            schema=_api + "ProjectCompleteIn",
            done=_("The project is completed."),
            description="Record the project's outputs and its end date; the project is completed.",
        ),
        Step(
            "cancel",
            _("Cancel the project"),
            PROJECT_OPEN,
            PS.CANCELLED,
            HEAD,
            _svc + "project_cancel",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The project is cancelled."),
            description="A head over the office cancels the project, with reasons.",
        ),
    ),
)

REC_TRACKED = (
    "status",
    "planned_actions",
    "due_date",
    "evidence",
    "status_changed_on",
    "responsible",
    "officer",
)
REC_OPEN = frozenset({RS.NOT_STARTED, RS.IN_PROGRESS, RS.PARTIALLY})
REC_CLOSED = frozenset({RS.IMPLEMENTED, RS.NOTED, RS.NOT_RELEVANT})

RECOMMENDATIONS: Lifecycle[Recommendation] = Lifecycle(
    model=Recommendation,
    history=RecommendationTransition,
    history_fk="recommendation",
    record_name="recommendation",
    statuses=ImplementationStatus,
    initial=RS.NOT_STARTED,
    also_initial=frozenset(RS.values),  # a recommendation entered late comes with its status of the day
    tracked_fields=REC_TRACKED,
    deadline_field="due_date",
    audit_refusals=True,
    steps=(
        Step(
            "start",
            _("Start implementing"),
            frozenset({RS.NOT_STARTED}),
            RS.IN_PROGRESS,
            REC_OFFICER,
            _svc + "recommendation_start",
            permission=Perm.RELATIONS_WORK,
            deadline=Deadline.SET,
            form=_form + "RecommendationStartForm",
            schema=_api + "RecommendationStartIn",
            done=_("The recommendation is being implemented."),
            description="Record the planned actions (and the date they are planned by); implementation starts.",
        ),
        Step(
            "report",
            _("Report progress"),
            frozenset({RS.IN_PROGRESS, RS.PARTIALLY}),
            RS.PARTIALLY,
            REC_OFFICER,
            _svc + "recommendation_report",
            permission=Perm.RELATIONS_WORK,
            also_targets=frozenset({RS.IMPLEMENTED, RS.IN_PROGRESS}),
            form=_form + "RecommendationReportForm",
            schema=_api + "RecommendationReportIn",
            done=_("The implementation status is updated."),
            description="Report what was done, with the evidence, and the status it leaves the recommendation in "
            "(in progress, partially implemented or implemented).",
        ),
        Step(
            "note",
            _("Record as noted (not accepted)"),
            frozenset({RS.NOT_STARTED, RS.IN_PROGRESS}),
            RS.NOTED,
            HEAD,
            _svc + "recommendation_note",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The recommendation is recorded as noted."),
            description="A head over the office records that Kazakhstan noted (did not accept) it, with reasons.",
        ),
        Step(
            "close",
            _("Close as no longer relevant"),
            REC_OPEN,
            RS.NOT_RELEVANT,
            HEAD,
            _svc + "recommendation_close",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The recommendation is closed."),
            description="A head over the office closes a recommendation that is no longer relevant, with reasons.",
        ),
        Step(
            "reopen",
            _("Reopen"),
            REC_CLOSED,
            RS.IN_PROGRESS,
            HEAD,
            _svc + "recommendation_reopen",
            permission=Perm.RELATIONS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.SET,
            form=_core_form + "ReasonForm",
            schema=_core_api + "StepReasonIn",
            done=_("The recommendation is reopened."),
            description="A head over the office reopens a closed recommendation, with reasons.",
        ),
    ),
)
