"""Every write on appeals. Split by stage; import from here."""

from .attachments import attachment_check, attachments_check
from .intake import AppealData, RegistrationResult, appeal_register, registration_date, route, term_start
from .letters import letter_file, letter_render
from .workflow import (
    appeal_answer,
    appeal_assign,
    appeal_attachments_add,
    appeal_close,
    appeal_decline_extension,
    appeal_extend,
    appeal_forward,
    appeal_leave_without_consideration,
    appeal_note_add,
    appeal_reopen,
    appeal_request_extension,
    appeal_route,
    appeal_start_review,
    appeal_triage_forward,
    appeal_triage_leave,
    extension_limit,
)

__all__ = [
    "AppealData",
    "RegistrationResult",
    "appeal_answer",
    "appeal_assign",
    "appeal_attachments_add",
    "appeal_close",
    "appeal_decline_extension",
    "appeal_extend",
    "appeal_forward",
    "appeal_leave_without_consideration",
    "appeal_note_add",
    "appeal_register",
    "appeal_reopen",
    "appeal_request_extension",
    "appeal_route",
    "appeal_start_review",
    "appeal_triage_forward",
    "appeal_triage_leave",
    "appeal_triage_forward",
    "appeal_triage_leave",
    "attachment_check",
    "attachments_check",
    "extension_limit",
    "letter_file",
    "letter_render",
    "registration_date",
    "route",
    "term_start",
]
