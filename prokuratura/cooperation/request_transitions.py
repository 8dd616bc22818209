"""The lifecycle of a request for legal assistance, declared on the kernel (core.lifecycle).

Outgoing: draft → checked (the completeness check passes) → signed (a head) → sent → acknowledged → in execution
→ executed / partly executed / refused; withdrawn by a head before the end. A checked request goes back to draft
to be corrected.

Incoming: received → registered → checked (complete) or returned for completion (→ registered again when the
partner completes it) → assigned to an executing body → executed / partly executed → materials sent back; refused
by a head, with the grounds of the checklist that apply.

Both directions share one record type and so one lifecycle: a step that starts from a status both directions use
("checked", "executed") is held to its direction by a condition.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.lifecycle import Deadline, Lifecycle, Reason, Step, When, assignee, head_over

from .models_requests import (
    AssistanceRequest,
    Direction,
    GroundFinding,
    RequestStatus,
    RequestTransition,
)

S = RequestStatus
HEAD = head_over()
OFFICER = assignee("officer") | HEAD  # the officer in charge, or a head over the office

OUTGOING_EDITABLE = frozenset({S.DRAFT})
INCOMING_EDITABLE = frozenset({S.RECEIVED, S.REGISTERED, S.RETURNED})
# Still running: the numbers' "open" and the reminders.
OPEN = frozenset(
    {
        S.DRAFT,
        S.CHECKED,
        S.SIGNED,
        S.SENT,
        S.ACKNOWLEDGED,
        S.IN_EXECUTION,
        S.RECEIVED,
        S.REGISTERED,
        S.RETURNED,
        S.ASSIGNED,
    }
)
# Awaiting the partner (outgoing) or the executing body (incoming): the states a due date runs in.
AWAITING = frozenset({S.SENT, S.ACKNOWLEDGED, S.IN_EXECUTION, S.RECEIVED, S.REGISTERED, S.ASSIGNED})


def _complete(request: AssistanceRequest) -> bool:
    from .completeness import request_completeness

    return request_completeness(request).complete


def _missing(request: AssistanceRequest) -> str:
    from .completeness import request_completeness

    items = request_completeness(request).missing
    return gettext("The request is not complete: %(items)s") % {"items": " ".join(i.message for i in items)}


def _outgoing(request: AssistanceRequest) -> bool:
    return request.direction == Direction.OUTGOING


def _incoming(request: AssistanceRequest) -> bool:
    return request.direction == Direction.INCOMING


OUTGOING_COMPLETE = When(
    test=lambda r: _outgoing(r) and _complete(r),
    refusal=lambda r: _missing(r) if _outgoing(r) else gettext("This step is for outgoing requests."),
)
INCOMING_COMPLETE = When(
    test=lambda r: _incoming(r) and _complete(r),
    refusal=lambda r: _missing(r) if _incoming(r) else gettext("This step is for incoming requests."),
)
OUTGOING_ONLY = When(test=_outgoing, refusal=lambda r: gettext("This step is for outgoing requests."))
INCOMING_ONLY = When(test=_incoming, refusal=lambda r: gettext("This step is for incoming requests."))


def _ground_applies(request: AssistanceRequest) -> bool:
    return _incoming(request) and request.grounds.filter(finding=GroundFinding.APPLIES).exists()


REFUSAL_GROUNDED = When(
    test=_ground_applies,
    refusal=lambda r: (
        gettext("Record in the checklist the ground of refusal that applies first.")
        if _incoming(r)
        else gettext("This step is for incoming requests.")
    ),
)

_svc, _form, _api = (
    "prokuratura.cooperation.request_services.",
    "prokuratura.cooperation.forms_requests.",
    "prokuratura.cooperation.request_schemas.",
)

TRACKED = (
    "status",
    "officer",
    "due_date",
    "signed_on",
    "sent_on",
    "acknowledged_on",
    "executed_on",
    "materials_sent_on",
    "executing_body",
    "executing_office",
    "foreign_reference",
    "outcome",
    "refusal_reasons",
    "signer",
)

REQUESTS: Lifecycle[AssistanceRequest] = Lifecycle(
    model=AssistanceRequest,
    history=RequestTransition,
    history_fk="request",
    record_name="assistance_request",
    statuses=RequestStatus,
    initial=S.DRAFT,
    also_initial=frozenset({S.RECEIVED}),  # an incoming request is created "received"
    audit_refusals=True,
    tracked_fields=TRACKED,
    deadline_field="due_date",
    steps=(
        # --- outgoing ---
        Step(
            "check",
            _("Mark as checked"),
            frozenset({S.DRAFT}),
            S.CHECKED,
            OFFICER,
            _svc + "request_check",
            permission=Perm.COOP_REQUESTS_WORK,
            when=OUTGOING_COMPLETE,
            form=_form + "NoInputStepForm",
            schema=_api + "NoInputIn",
            done=_("The request is complete and checked."),
            description="The officer confirms an outgoing request is complete (the completeness check passes).",
        ),
        Step(
            "revise",
            _("Back to draft"),
            frozenset({S.CHECKED}),
            S.DRAFT,
            OFFICER,
            _svc + "request_revise",
            permission=Perm.COOP_REQUESTS_WORK,
            reason=Reason.OPTIONAL,
            when=OUTGOING_ONLY,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The request is a draft again."),
            description="A checked outgoing request goes back to draft to be corrected.",
        ),
        Step(
            "sign",
            _("Sign"),
            frozenset({S.CHECKED}),
            S.SIGNED,
            HEAD,
            _svc + "request_sign",
            permission=Perm.COOP_REQUESTS_DIRECT,
            when=OUTGOING_COMPLETE,
            form=_form + "NoInputStepForm",
            schema=_api + "NoInputIn",
            done=_("The request is signed."),
            description="A head over the office signs a checked, complete outgoing request.",
        ),
        Step(
            "send",
            _("Record the sending"),
            frozenset({S.SIGNED}),
            S.SENT,
            OFFICER,
            _svc + "request_send",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.SET,
            form=_form + "SendForm",
            schema=_api + "SendIn",
            done=_("The sending is recorded."),
            description="The signed request was sent (date); the term for the acknowledgement starts.",
        ),
        Step(
            "acknowledge",
            _("Record the acknowledgement"),
            frozenset({S.SENT}),
            S.ACKNOWLEDGED,
            OFFICER,
            _svc + "request_acknowledge",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.SET,
            form=_form + "AcknowledgeForm",
            schema=_api + "AcknowledgeIn",
            done=_("The acknowledgement is recorded."),
            description="The partner acknowledged receipt (date, its reference); the term for execution starts.",
        ),
        Step(
            "start_execution",
            _("Record that execution started"),
            frozenset({S.ACKNOWLEDGED}),
            S.IN_EXECUTION,
            OFFICER,
            _svc + "request_start_execution",
            permission=Perm.COOP_REQUESTS_WORK,
            reason=Reason.OPTIONAL,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("Execution is under way."),
            description="The partner reports that the request is being executed.",
        ),
        Step(
            "record_result",
            _("Record the result"),
            frozenset({S.SENT, S.ACKNOWLEDGED, S.IN_EXECUTION}),
            S.EXECUTED,
            OFFICER,
            _svc + "request_record_result",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.STOP,
            also_targets=frozenset({S.PARTLY_EXECUTED, S.REFUSED}),
            when=OUTGOING_ONLY,
            form=_form + "ResultForm",
            schema=_api + "ResultIn",
            done=_("The result is recorded."),
            description="The partner executed the request, in full or in part, or refused it (date, outcome).",
        ),
        Step(
            "withdraw",
            _("Withdraw"),
            frozenset({S.DRAFT, S.CHECKED, S.SIGNED, S.SENT, S.ACKNOWLEDGED, S.IN_EXECUTION}),
            S.WITHDRAWN,
            HEAD,
            _svc + "request_withdraw",
            permission=Perm.COOP_REQUESTS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            when=OUTGOING_ONLY,
            form=_form + "ReasonForm",
            schema=_api + "ReasonIn",
            done=_("The request is withdrawn."),
            description="A head withdraws an outgoing request (reasons required).",
        ),
        # --- incoming ---
        Step(
            "register",
            _("Register"),
            frozenset({S.RECEIVED}),
            S.REGISTERED,
            OFFICER,
            _svc + "request_register",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.SET,
            form=_form + "NoInputStepForm",
            schema=_api + "NoInputIn",
            done=_("The request is registered."),
            description="Register a received request; the completeness check is shown and the term to check it starts.",
        ),
        Step(
            "accept",
            _("Mark as checked"),
            frozenset({S.REGISTERED}),
            S.CHECKED,
            OFFICER,
            _svc + "request_accept",
            permission=Perm.COOP_REQUESTS_WORK,
            when=INCOMING_COMPLETE,
            form=_form + "NoInputStepForm",
            schema=_api + "NoInputIn",
            done=_("The request is complete and checked."),
            description="The officer confirms an incoming request is complete.",
        ),
        Step(
            "return",
            _("Return for completion"),
            frozenset({S.REGISTERED}),
            S.RETURNED,
            OFFICER,
            _svc + "request_return",
            permission=Perm.COOP_REQUESTS_WORK,
            reason=Reason.OPTIONAL,
            deadline=Deadline.STOP,
            when=INCOMING_ONLY,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The request is returned for completion."),
            description="Ask the partner to complete the request; the missing items are the reasons.",
        ),
        Step(
            "resume",
            _("Record the completion"),
            frozenset({S.RETURNED}),
            S.REGISTERED,
            OFFICER,
            _svc + "request_resume",
            permission=Perm.COOP_REQUESTS_WORK,
            reason=Reason.OPTIONAL,
            deadline=Deadline.RESTART,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The completed request is registered again."),
            description="The partner completed the request: it is checked again.",
        ),
        Step(
            "assign",
            _("Assign to an executing body"),
            frozenset({S.CHECKED}),
            S.ASSIGNED,
            OFFICER,
            _svc + "request_assign",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.SET,
            when=INCOMING_ONLY,
            form=_form + "AssignForm",
            schema=_api + "AssignIn",
            done=_("The request is assigned for execution."),
            description="Send a checked incoming request to the body that executes it; the term for execution starts.",
        ),
        Step(
            "record_execution",
            _("Record the execution"),
            frozenset({S.ASSIGNED}),
            S.EXECUTED,
            OFFICER,
            _svc + "request_record_execution",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.SET,
            also_targets=frozenset({S.PARTLY_EXECUTED}),
            form=_form + "ExecutionForm",
            schema=_api + "ExecutionIn",
            done=_("The execution is recorded."),
            description="The executing body executed the request, in full or in part (date, outcome).",
        ),
        Step(
            "send_materials",
            _("Record the materials sent back"),
            frozenset({S.EXECUTED, S.PARTLY_EXECUTED}),
            S.MATERIALS_SENT,
            OFFICER,
            _svc + "request_send_materials",
            permission=Perm.COOP_REQUESTS_WORK,
            deadline=Deadline.STOP,
            when=INCOMING_ONLY,
            form=_form + "MaterialsForm",
            schema=_api + "MaterialsIn",
            done=_("The materials are recorded as sent back."),
            description="The materials of the execution were sent to the requesting state (date).",
        ),
        Step(
            "refuse",
            _("Refuse"),
            frozenset({S.REGISTERED, S.CHECKED, S.ASSIGNED}),
            S.REFUSED,
            HEAD,
            _svc + "request_refuse",
            permission=Perm.COOP_REQUESTS_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            when=REFUSAL_GROUNDED,
            form=_form + "ReasonForm",
            schema=_api + "ReasonIn",
            done=_("The refusal is recorded."),
            description="A head refuses an incoming request on a ground of the checklist that applies (reasons required).",
        ),
    ),
)
