"""The step services: each checks its own facts and calls the kernel (plus the page's form and the API's input,
which a real module keeps in forms.py and schemas.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from prokuratura.core.actors import Actor
from prokuratura.core.lifecycle import StepForm
from prokuratura.core.lifecycle_api import StepSchema

from .models import Ticket
from .transitions import TICKETS


def ticket_take(*, by: Actor, ticket: Ticket, request: HttpRequest | None = None) -> Ticket:
    return TICKETS.transition(step="take", by=by, record=ticket, changes={"assignee": by}, request=request)


def ticket_finish(
    *, by: Actor, ticket: Ticket, reason: str = "", request: HttpRequest | None = None
) -> Ticket:
    return TICKETS.transition(step="finish", by=by, record=ticket, reason=reason, request=request)


def ticket_postpone(*, by: Actor, ticket: Ticket, until: dt.date, reason: str, **kw: Any) -> Ticket:
    if until <= ticket.due_date:
        raise ValidationError({"until": "Later than the present term."})
    return TICKETS.transition(
        step="postpone", by=by, record=ticket, reason=reason, changes={"due_date": until}
    )


def ticket_cancel(*, by: Actor, ticket: Ticket, reason: str, request: HttpRequest | None = None) -> Ticket:
    return TICKETS.transition(step="cancel", by=by, record=ticket, reason=reason, request=request)


class TakeForm(StepForm):
    pass


class TakeIn(StepSchema):
    pass


class ReasonIn(StepSchema):
    reason: str = ""
