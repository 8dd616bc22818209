from django.utils import timezone

from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import SCHEDULER
from prokuratura.core.lifecycle import (
    Deadline,
    Lifecycle,
    Reason,
    Step,
    When,
    assignee,
    head_over,
    office_staff,
    system,
)

from .models import Ticket, TicketStep

S = Ticket.Status
svc = "prokuratura.core.tests.lifecycle_example.services."

TICKETS = Lifecycle(
    model=Ticket,
    history=TicketStep,
    history_fk="ticket",
    statuses=S,
    initial=S.OPEN,
    record_name="ticket",
    tracked_fields=("status", "assignee", "due_date"),
    deadline_field="due_date",
    steps=(
        Step(
            "take",
            "Take",
            frozenset({S.OPEN}),
            S.IN_WORK,
            office_staff(),
            svc + "ticket_take",
            permission=Perm.APPEALS_WORK,
            form=svc + "TakeForm",
            schema=svc + "TakeIn",
        ),
        Step(
            "finish",
            "Finish",
            frozenset({S.IN_WORK}),
            S.DONE,
            assignee() | head_over(),
            svc + "ticket_finish",
            permission=Perm.APPEALS_WORK,
            deadline=Deadline.STOP,
            schema=svc + "ReasonIn",
        ),
        Step(
            "postpone",
            "Postpone",
            frozenset({S.IN_WORK}),
            S.IN_WORK,
            head_over(),
            svc + "ticket_postpone",
            permission=Perm.APPEALS_EXTEND,
            reason=Reason.REQUIRED,
            deadline=Deadline.SET,
            when=When(lambda t: t.due_date >= timezone.localdate(), lambda t: "The term has run out."),
        ),
        Step(
            "cancel",
            "Cancel",
            frozenset({S.OPEN, S.IN_WORK}),
            S.CANCELLED,
            head_over() | system(SCHEDULER),
            svc + "ticket_cancel",
            permission=Perm.APPEALS_CLOSE,
            reason=Reason.REQUIRED,
        ),
    ),
)
