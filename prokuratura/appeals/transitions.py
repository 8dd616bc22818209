"""The appeal lifecycle: which status may follow which, and who may take each step.

registered → assigned → in review → (extended) → answered → closed; forwarded and left without consideration end
the work; a successful complaint about the answer (or about leaving without consideration) reopens it.
`appeals.services.appeal_transition` is the one function that enforces this table.
"""

from __future__ import annotations

from .models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REGISTERED: frozenset({Status.ASSIGNED, Status.FORWARDED, Status.LEFT_WITHOUT_CONSIDERATION}),
    Status.ASSIGNED: frozenset(
        {Status.ASSIGNED, Status.IN_REVIEW, Status.FORWARDED, Status.LEFT_WITHOUT_CONSIDERATION}
    ),
    Status.IN_REVIEW: frozenset(
        {
            Status.ASSIGNED,
            Status.EXTENDED,
            Status.ANSWERED,
            Status.FORWARDED,
            Status.LEFT_WITHOUT_CONSIDERATION,
        }
    ),
    Status.EXTENDED: frozenset(
        {
            Status.ASSIGNED,
            Status.EXTENDED,
            Status.ANSWERED,
            Status.FORWARDED,
            Status.LEFT_WITHOUT_CONSIDERATION,
        }
    ),
    Status.ANSWERED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.FORWARDED: frozenset(),
    Status.LEFT_WITHOUT_CONSIDERATION: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset({Status.ASSIGNED, Status.IN_REVIEW}),
}

# The permission each target status needs (accounts.roles). Assigning and extending (APPC art. 76 p. 2) are the
# head's; working on the appeal is the
# assigned prosecutor's (or a head's); closing and reopening are the head's.
STEP_PERMISSION: dict[str, str] = {
    Status.ASSIGNED: "appeals.assign",
    Status.IN_REVIEW: "appeals.work",
    Status.EXTENDED: "appeals.extend",
    Status.ANSWERED: "appeals.work",
    Status.FORWARDED: "appeals.work",
    Status.LEFT_WITHOUT_CONSIDERATION: "appeals.work",
    Status.CLOSED: "appeals.close",
    Status.REOPENED: "appeals.reopen",
}

# Steps whose `reason` is mandatory (a reasoned decision).
REASON_REQUIRED = frozenset(
    {Status.EXTENDED, Status.FORWARDED, Status.LEFT_WITHOUT_CONSIDERATION, Status.REOPENED}
)


def allowed_targets(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def can_transition(status: str, target: str) -> bool:
    return target in allowed_targets(status)
