"""The lifecycles of an inspection and of an act of response, declared on the kernel (core.lifecycle).

Inspection: planned → ordered → in progress → completed → results implemented → closed; cancelled before it is
completed. A head over the office orders, cancels, extends and closes; the responsible prosecutor (or such a head)
starts, completes and reports the results implemented — once no act of the inspection still awaits its answer.

Act: draft → issued (numbered, dated, the due date set from the type's rule) → reply received (or in court) →
result recorded; withdrawn by a head before the answer. What answers an act (a reply, a court decision, nothing)
is the type's `answered_by` (ActType, law as data).
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.lifecycle import SAME, Deadline, Lifecycle, Reason, Step, When, assignee, head_over

from .models import (
    Act,
    ActStatus,
    ActTransition,
    AnsweredBy,
    Inspection,
    InspectionStatus,
    InspectionTransition,
)

IS, A = InspectionStatus, ActStatus
HEAD = head_over()
RESPONSIBLE = assignee("responsible") | HEAD  # the responsible prosecutor, or a head over the office
AUTHOR = assignee("author") | HEAD  # the act's prosecutor, or a head over the office

# An inspection that is over takes no new acts or violations (services.violation_record, act_draft, act_issue).
INSPECTION_OPEN = frozenset({IS.PLANNED, IS.ORDERED, IS.IN_PROGRESS, IS.COMPLETED, IS.IMPLEMENTED})
INSPECTION_RUNNING = frozenset({IS.ORDERED, IS.IN_PROGRESS})
ACT_AWAITING = frozenset({A.DRAFT, A.ISSUED})  # no answer yet
ACT_OPEN = frozenset({A.DRAFT, A.ISSUED, A.REPLIED, A.IN_COURT})


def _acts_answered(inspection: Inspection) -> bool:
    return not inspection.acts.filter(status__in=ACT_AWAITING).exists()


ACTS_ANSWERED = When(
    test=_acts_answered,
    refusal=lambda inspection: gettext(
        "An act of this inspection still awaits its answer: record the replies (or withdraw the act) first."
    ),
)


def _inspection_takes_acts(act: Act) -> bool:
    inspection = act.inspection
    return inspection is None or inspection.status in INSPECTION_OPEN


INSPECTION_NOT_OVER = When(
    test=_inspection_takes_acts,
    refusal=lambda act: gettext("The inspection is closed or cancelled: it takes no new acts."),
)
ANSWERED_BY_REPLY = When(
    test=lambda act: act.act_type.answered_by == AnsweredBy.REPLY,
    refusal=lambda act: gettext("This type of act is not answered by a reply."),
)
ANSWERED_BY_COURT = When(
    test=lambda act: act.status == A.IN_COURT or act.act_type.answered_by == AnsweredBy.COURT,
    refusal=lambda act: gettext("This act is not before a court."),
)
RESULT_DUE = When(
    test=lambda act: act.status == A.REPLIED or act.act_type.answered_by == AnsweredBy.NONE,
    refusal=lambda act: gettext("Record the addressee's reply first."),
)

_svc, _form, _api = (
    "prokuratura.supervision.services.",
    "prokuratura.supervision.forms.",
    "prokuratura.supervision.schemas.",
)

INSPECTION_TRACKED = (
    "status",
    "responsible",
    "period_start",
    "period_end",
    "results",
    "completed_on",
)

INSPECTIONS: Lifecycle[Inspection] = Lifecycle(
    model=Inspection,
    history=InspectionTransition,
    history_fk="inspection",
    record_name="inspection",
    statuses=InspectionStatus,
    initial=IS.PLANNED,
    tracked_fields=INSPECTION_TRACKED,
    deadline_field="period_end",
    steps=(
        Step(
            "order",
            _("Order the inspection"),
            frozenset({IS.PLANNED}),
            IS.ORDERED,
            HEAD,
            _svc + "inspection_order",
            permission=Perm.SUPERVISION_DIRECT,
            reason=Reason.OPTIONAL,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The inspection is ordered."),
            description="A head over the office orders a planned inspection, so that it may start.",
        ),
        Step(
            "start",
            _("Start the inspection"),
            frozenset({IS.ORDERED}),
            IS.IN_PROGRESS,
            RESPONSIBLE,
            _svc + "inspection_start",
            permission=Perm.SUPERVISION_WORK,
            form=_form + "PlainStepForm",
            schema=_api + "EmptyIn",
            done=_("The inspection is in progress."),
            description="The responsible prosecutor (or a head over the office) starts an ordered "
            "inspection.",
        ),
        Step(
            "extend",
            _("Extend the period"),
            INSPECTION_RUNNING,
            SAME,
            HEAD,
            _svc + "inspection_extend",
            permission=Perm.SUPERVISION_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.SET,
            form=_form + "InspectionExtendForm",
            schema=_api + "InspectionExtendIn",
            done=_("The inspection's period is extended."),
            description="A head over the office moves the end of a running inspection's period to a later "
            "date, giving the reasons.",
        ),
        Step(
            "complete",
            _("Complete the inspection"),
            frozenset({IS.IN_PROGRESS}),
            IS.COMPLETED,
            RESPONSIBLE,
            _svc + "inspection_complete",
            permission=Perm.SUPERVISION_WORK,
            deadline=Deadline.STOP,
            form=_form + "InspectionCompleteForm",
            schema=_api + "InspectionCompleteIn",
            done=_("The inspection is completed."),
            description="The responsible prosecutor (or a head) completes the inspection with what it found.",
        ),
        Step(
            "implement",
            _("Report the results implemented"),
            frozenset({IS.COMPLETED}),
            IS.IMPLEMENTED,
            RESPONSIBLE,
            _svc + "inspection_implement",
            permission=Perm.SUPERVISION_WORK,
            reason=Reason.OPTIONAL,
            when=ACTS_ANSWERED,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The inspection's results are implemented."),
            description="The responsible prosecutor (or a head) reports the results implemented, once no "
            "act of the inspection still awaits its answer (record the replies or withdraw the "
            "act first).",
        ),
        Step(
            "close",
            _("Close the inspection"),
            frozenset({IS.IMPLEMENTED}),
            IS.CLOSED,
            HEAD,
            _svc + "inspection_close",
            permission=Perm.SUPERVISION_DIRECT,
            reason=Reason.OPTIONAL,
            form=_form + "OptionalReasonForm",
            schema=_api + "OptionalReasonIn",
            done=_("The inspection is closed."),
            description="A head over the office closes an inspection whose results are implemented.",
        ),
        Step(
            "cancel",
            _("Cancel the inspection"),
            frozenset({IS.PLANNED, IS.ORDERED, IS.IN_PROGRESS}),
            IS.CANCELLED,
            HEAD,
            _svc + "inspection_cancel",
            permission=Perm.SUPERVISION_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            form=_form + "ReasonForm",
            schema=_api + "ReasonIn",
            done=_("The inspection is cancelled."),
            description="A head over the office cancels an inspection that is not yet completed, giving the"
            " reasons.",
        ),
    ),
)

ACT_TRACKED = (
    "status",
    "number",
    "issued_on",
    "due_date",
    "signer",
    "reply_on",
    "reply_number",
    "reply_summary",
    "result",
    "court_decision_on",
    "court_result",
    "persons_restored",
    "amount_recovered",
    "persons_disciplinary",
    "persons_administrative",
    "persons_criminal",
)

ACTS: Lifecycle[Act] = Lifecycle(
    model=Act,
    history=ActTransition,
    history_fk="act",
    record_name="act",
    statuses=ActStatus,
    initial=A.DRAFT,
    tracked_fields=ACT_TRACKED,
    deadline_field="due_date",
    steps=(
        Step(
            "issue",
            _("Sign and issue"),
            frozenset({A.DRAFT}),
            A.ISSUED,
            AUTHOR,
            _svc + "act_issue",
            permission=Perm.SUPERVISION_WORK,
            deadline=Deadline.SET,
            when=INSPECTION_NOT_OVER,
            form=_form + "ActIssueForm",
            schema=_api + "ActIssueIn",
            done=_("The act is issued."),
            description="The act's prosecutor (or a head) signs and issues a draft: the office's next "
            "outgoing number, the date, the signer, and the answer's due date from the type's "
            "rule on the working-day calendar (`due_date` only where the law leaves the term to"
            " the act, or for a shorter one). Not on a closed or cancelled inspection.",
        ),
        Step(
            "record_reply",
            _("Record the reply"),
            frozenset({A.ISSUED}),
            A.REPLIED,
            AUTHOR,
            _svc + "act_record_reply",
            permission=Perm.SUPERVISION_WORK,
            deadline=Deadline.STOP,
            also_targets=frozenset({A.IN_COURT}),
            when=ANSWERED_BY_REPLY,
            form=_form + "ActReplyForm",
            schema=_api + "ActReplyIn",
            done=_("The reply is recorded."),
            description="The addressee's reply and its result; a reply that takes the matter to court "
            "leaves the act in court. Not dated before the act.",
        ),
        Step(
            "record_court_decision",
            _("Record the court decision"),
            frozenset({A.ISSUED, A.IN_COURT}),
            A.CLOSED,
            AUTHOR,
            _svc + "act_record_court_decision",
            permission=Perm.SUPERVISION_WORK,
            deadline=Deadline.STOP,
            when=ANSWERED_BY_COURT,
            form=_form + "ActCourtForm",
            schema=_api + "ActCourtIn",
            done=_("The court decision is recorded."),
            description="The court's decision on a claim, or on an act taken to court, and what came of it."
            " Not dated before the act.",
        ),
        Step(
            "record_result",
            _("Record the result"),
            frozenset({A.ISSUED, A.REPLIED}),
            A.CLOSED,
            AUTHOR,
            _svc + "act_record_result",
            permission=Perm.SUPERVISION_WORK,
            deadline=Deadline.STOP,
            when=RESULT_DUE,
            form=_form + "ActResultForm",
            schema=_api + "ActResultIn",
            done=_("The result is recorded."),
            description="What came of the act (persons restored in their rights, money recovered, persons "
            "brought to responsibility), once the reply is recorded (or at once, for an act no "
            "answer is due to).",
        ),
        Step(
            "withdraw",
            _("Withdraw the act"),
            frozenset({A.DRAFT, A.ISSUED}),
            A.WITHDRAWN,
            HEAD,
            _svc + "act_withdraw",
            permission=Perm.SUPERVISION_DIRECT,
            reason=Reason.REQUIRED,
            deadline=Deadline.STOP,
            form=_form + "ReasonForm",
            schema=_api + "ReasonIn",
            done=_("The act is withdrawn."),
            description="A head over the office withdraws a draft or an issued act before its answer, "
            "giving the reasons.",
        ),
    ),
)
