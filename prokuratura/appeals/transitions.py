"""The appeal lifecycle, declared on the kernel (core.lifecycle): each step, where it may start, where it leads,
who may take it and what it does to the term.

registered → assigned → in review → (extended) → answered → closed; forwarded and left without consideration end
the work; a successful complaint about the answer (or about leaving without consideration) reopens it. The APPC's
numbers (15 working days, the two-month cap) are in `AppealRule`; the services apply them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.lifecycle import (
    SAME,
    Deadline,
    Lifecycle,
    Reason,
    Step,
    When,
    Who,
    assignee,
    head_over,
    office_staff,
)

from .models import Appeal, AppealTransition, ApplicantType, OfficeAppealSetting, Status

S = Status
HEAD = head_over()  # a head of the appeal's office or of an office above it
WORKER = assignee() | HEAD  # the assigned prosecutor, or a head over the office
# An extension is asked for and decided while the term runs: a term that has run out cannot be extended (APPC
# art. 76 p. 2), and the new term would begin in the past.
TERM_RUNS = When(
    test=lambda appeal: appeal.due_date >= timezone.localdate(),
    refusal=lambda appeal: (
        gettext(
            "The term ran out on %(date)s: a term that has run out cannot be extended (APPC art. 76 p. 2)."
        )
        % {"date": appeal.due_date.strftime("%d.%m.%Y")}
    ),
)
# The APPC does not consider anonymous appeals, except reports of a crime being prepared or committed or of a threat
# to state or public security, which go at once to the competent body (the article is not cited: it was not
# confirmed against the Code's text). So an anonymous appeal is triaged by a registrar or a head on what it says,
# never assigned for consideration.
ANONYMOUS = When(
    test=lambda appeal: appeal.applicant_type == ApplicantType.ANONYMOUS,
    refusal=lambda appeal: gettext("Only an anonymous appeal is triaged."),
)
NAMED = When(
    test=lambda appeal: appeal.applicant_type != ApplicantType.ANONYMOUS,
    refusal=lambda appeal: gettext(
        "An anonymous appeal is not considered: it is triaged — left without consideration, or forwarded at once "
        "as a report of a crime or a threat."
    ),
)
# A prosecutor's request for a longer term waits for the head's decision (extend, or decline).
REQUEST_PENDING = When(
    test=lambda appeal: appeal.extension_requested_until is not None,
    refusal=lambda appeal: gettext("No extension has been requested."),
)


def signoff_required(appeal: Appeal) -> bool:
    """Whether the appeal's office requires a head's sign-off before an answer goes out (its setting). Read once
    per record and office: the page asks it for each step it offers."""
    cached = getattr(appeal, "_signoff_required", None)
    if cached is None or cached[0] != appeal.office_id:
        required = OfficeAppealSetting.objects.filter(
            office_id=appeal.office_id, answer_signoff_required=True
        ).exists()
        cached = (appeal.office_id, required)
        appeal._signoff_required = cached  # type: ignore[attr-defined]
    return bool(cached[1])


# In an office that requires sign-off, a prosecutor submits the answer and a head signs it off; a head's own
# answer needs no one else's signature. Elsewhere the assigned prosecutor answers.
SIGNOFF_NOT_REQUIRED = Who(
    lambda actor, appeal: not signoff_required(appeal), "where no sign-off is required"
)
SIGNOFF_REQUIRED = Who(lambda actor, appeal: signoff_required(appeal), "where a head's sign-off is required")
OPEN_WORK = frozenset({S.REGISTERED, S.ASSIGNED, S.IN_REVIEW, S.EXTENDED})
IN_WORK = frozenset({S.IN_REVIEW, S.EXTENDED})
_svc, _form, _api = (
    "prokuratura.appeals.services.",
    "prokuratura.appeals.forms.",
    "prokuratura.appeals.schemas.",
)

# What a registrar may correct after registration, before the work on the appeal starts (the `correct` step).
CORRECTABLE_FIELDS = (
    "kind",
    "subject",
    "text",
    "applicant_name",
    "applicant_iin",
    "applicant_bin",
    "applicant_email",
    "applicant_phone",
    "applicant_address",
    "applicant_language",
    "region",
    "topic",
    "crime_focus",
    "respondent_body",
    "respondent_official",
    "decision_learned_on",
)

TRACKED_FIELDS = (
    *CORRECTABLE_FIELDS,
    "is_late",
    "status",
    "is_urgent_report",
    "office",
    "department",
    "assignee",
    "due_date",
    "extended_until",
    "extension_reason",
    "extension_decided_by",
    "extension_notice_due",
    "extension_requested_until",
    "extension_request_reason",
    "forwarded_to",
    "forwarded_on",
    "outcome",
    "rights_restored",
    "persons_restored",
    "answer_text",
    "answered_on",
    "closed_on",
    "sensitivity",
)

STEPS = (
    Step(
        "route",
        _("Send to another office"),
        sources=frozenset({S.REGISTERED, S.ASSIGNED}),
        target=SAME,
        also_targets=frozenset({S.REGISTERED}),  # the prosecutor assigned was outside the new office
        permission=Perm.APPEALS_ROUTE,
        who=office_staff(),
        reason=Reason.OPTIONAL,
        service=_svc + "appeal_route",
        form=_form + "RouteForm",
        schema=_api + "RouteIn",
        done=_("Appeal sent to another office."),
        description="Overrides the routing rules while nobody works on the appeal yet: another office within "
        "your own subtree (and department). A prosecutor assigned outside the new office is released.",
    ),
    Step(
        "correct",
        _("Correct the details"),
        sources=frozenset({S.REGISTERED, S.ASSIGNED}),
        target=SAME,
        permission=Perm.APPEALS_REGISTER,
        who=office_staff(),
        reason=Reason.REQUIRED,
        service=_svc + "appeal_correct",
        form=_form + "CorrectForm",
        schema=_api + "CorrectIn",
        done=_("Details corrected."),
        description="Staff who register appeals correct a registered appeal's details (applicant, subject, text, "
        "region, topic, the body complained about) before the review starts, saying what was wrong; every "
        "changed field is audited. Send only the fields to change.",
    ),
    Step(
        "assign",
        _("Assign"),
        sources=frozenset({*OPEN_WORK, S.REOPENED}),
        target=S.ASSIGNED,
        permission=Perm.APPEALS_ASSIGN,
        who=HEAD,
        when=NAMED,
        reason=Reason.OPTIONAL,
        service=_svc + "appeal_assign",
        form=_form + "AssignForm",
        schema=_api + "AssignIn",
        done=_("Appeal assigned."),
        description="A head assigns the appeal to a prosecutor of its office or an office below it.",
    ),
    Step(
        "start",
        _("Start the review"),
        sources=frozenset({S.ASSIGNED, S.REOPENED}),
        target=S.IN_REVIEW,
        permission=Perm.APPEALS_WORK,
        who=WORKER,
        reason=Reason.OPTIONAL,
        service=_svc + "appeal_start_review",
        form=_form + "OptionalReasonForm",
        schema=_api + "OptionalReasonIn",
        done=_("Review started."),
        description="The assigned prosecutor (or a head) starts work on an assigned appeal.",
    ),
    Step(
        "request_extension",
        _("Ask the head to extend the term"),
        sources=IN_WORK,
        target=SAME,
        permission=Perm.APPEALS_WORK,
        who=assignee() & ~HEAD,  # a head over the office extends it directly
        when=TERM_RUNS,
        reason=Reason.REQUIRED,
        service=_svc + "appeal_request_extension",
        form=_form + "ExtendForm",
        schema=_api + "ExtendIn",
        done=_("Extension requested from the head."),
        description="The assigned prosecutor asks the head for a longer term; the head decides (extend).",
    ),
    Step(
        "extend",
        _("Extend the term"),
        sources=IN_WORK,
        target=S.EXTENDED,
        permission=Perm.APPEALS_EXTEND,
        who=HEAD,
        when=TERM_RUNS,
        reason=Reason.REQUIRED,
        deadline=Deadline.SET,
        service=_svc + "appeal_extend",
        form=_form + "ExtendForm",
        schema=_api + "ExtendIn",
        done=_("Term extended; the applicant will be told."),
        description="A head's reasoned decision; at most two months in total (APPC art. 76 p. 2).",
    ),
    Step(
        "decline_extension",
        _("Decline the extension request"),
        sources=IN_WORK,
        target=SAME,
        permission=Perm.APPEALS_EXTEND,
        who=HEAD,
        when=REQUEST_PENDING,
        reason=Reason.REQUIRED,
        service=_svc + "appeal_decline_extension",
        form=_form + "ReasonForm",
        schema=_api + "ReasonIn",
        done=_("Extension request declined; the term stays."),
        description="A head declines a prosecutor's request for a longer term, with the reasons; the term stays.",
    ),
    Step(
        "answer",
        _("Answer"),
        sources=IN_WORK,
        target=S.ANSWERED,
        permission=Perm.APPEALS_WORK,
        who=HEAD | (assignee() & SIGNOFF_NOT_REQUIRED),
        deadline=Deadline.STOP,
        service=_svc + "appeal_answer",
        form=_form + "AnswerForm",
        schema=_api + "AnswerIn",
        done=_("Answer sent; the applicant is sent the letter."),
        description="Records the decision and the answer and issues the answer letter (outgoing number, date, "
        "signed by whoever answers); the applicant is e-mailed it. In an office that requires a head's sign-off, "
        "only a head answers directly: the prosecutor submits the answer (submit_answer).",
    ),
    Step(
        "submit_answer",
        _("Submit the answer for the head's sign-off"),
        sources=IN_WORK,
        target=S.AWAITING_SIGNOFF,
        permission=Perm.APPEALS_WORK,
        who=assignee() & ~HEAD & SIGNOFF_REQUIRED,
        service=_svc + "appeal_submit_answer",
        form=_form + "AnswerForm",
        schema=_api + "AnswerIn",
        done=_("Answer submitted to the head for sign-off."),
        description="In an office that requires a head's sign-off, the assigned prosecutor submits the decision and "
        "the answer; nothing goes to the applicant until a head signs it off. The term keeps running.",
    ),
    Step(
        "sign_off",
        _("Sign off and send the answer"),
        sources=frozenset({S.AWAITING_SIGNOFF}),
        target=S.ANSWERED,
        permission=Perm.APPEALS_WORK,
        who=HEAD,
        reason=Reason.OPTIONAL,
        deadline=Deadline.STOP,
        service=_svc + "appeal_sign_off",
        form=_form + "OptionalReasonForm",
        schema=_api + "OptionalReasonIn",
        done=_("Answer signed off and sent; the applicant is sent the letter."),
        description="A head over the office signs off the submitted answer: the answer letter is issued over the "
        "head's name and position and the applicant is e-mailed it.",
    ),
    Step(
        "return_answer",
        _("Return the answer for rework"),
        sources=frozenset({S.AWAITING_SIGNOFF}),
        target=S.IN_REVIEW,
        also_targets=frozenset({S.EXTENDED}),  # back to where it was: a term extended stays extended
        permission=Perm.APPEALS_WORK,
        who=HEAD,
        reason=Reason.REQUIRED,
        service=_svc + "appeal_return_answer",
        form=_form + "ReasonForm",
        schema=_api + "ReasonIn",
        done=_("Answer returned to the prosecutor."),
        description="A head returns the submitted answer to the prosecutor with the reasons; the draft stays for "
        "rework and the term keeps running.",
    ),
    Step(
        "forward",
        _("Forward to the competent body"),
        sources=OPEN_WORK,
        target=S.FORWARDED,
        permission=Perm.APPEALS_WORK,
        who=WORKER,
        when=NAMED,
        reason=Reason.REQUIRED,
        deadline=Deadline.STOP,
        service=_svc + "appeal_forward",
        form=_form + "ForwardForm",
        schema=_api + "ForwardIn",
        done=_("Appeal forwarded to the competent body."),
        description="Outside the office's competence: forwarded within 3 working days (APPC art. 65); the "
        "applicant is told.",
    ),
    Step(
        "leave",
        _("Leave without consideration"),
        sources=OPEN_WORK,
        target=S.LEFT_WITHOUT_CONSIDERATION,
        permission=Perm.APPEALS_WORK,
        who=WORKER,
        when=NAMED,
        reason=Reason.REQUIRED,
        deadline=Deadline.STOP,
        service=_svc + "appeal_leave_without_consideration",
        form=_form + "ReasonForm",
        schema=_api + "ReasonIn",
        done=_("Appeal left without consideration."),
        description="With the reasons (e.g. anonymous, or the same matter already answered).",
    ),
    Step(
        "triage_leave",
        _("Leave without consideration: an anonymous appeal"),
        sources=frozenset({S.REGISTERED}),
        target=S.LEFT_WITHOUT_CONSIDERATION,
        permission=Perm.APPEALS_TRIAGE,
        who=office_staff(),
        when=ANONYMOUS,
        reason=Reason.REQUIRED,
        deadline=Deadline.STOP,
        service=_svc + "appeal_triage_leave",
        form=_form + "ReasonForm",
        schema=_api + "ReasonIn",
        done=_("Anonymous appeal left without consideration."),
        description="An anonymous appeal that reports no crime and no threat is not considered (APPC). Staff of "
        "its office or an office above it decide, with the reasons.",
    ),
    Step(
        "triage_forward",
        _("Forward at once: a report of a crime or a threat"),
        sources=frozenset({S.REGISTERED}),
        target=S.FORWARDED,
        permission=Perm.APPEALS_TRIAGE,
        who=office_staff(),
        when=ANONYMOUS,
        reason=Reason.REQUIRED,
        deadline=Deadline.STOP,
        service=_svc + "appeal_triage_forward",
        form=_form + "ForwardForm",
        schema=_api + "ForwardIn",
        done=_("Report forwarded at once to the competent body."),
        description="An anonymous report of a crime being prepared or committed, or of a threat to state or public "
        "security, goes at once to the competent body (APPC).",
    ),
    Step(
        "close",
        _("Close"),
        sources=frozenset({S.ANSWERED}),
        target=S.CLOSED,
        permission=Perm.APPEALS_CLOSE,
        who=HEAD,
        reason=Reason.OPTIONAL,
        service=_svc + "appeal_close",
        form=_form + "OptionalReasonForm",
        schema=_api + "OptionalReasonIn",
        done=_("Appeal closed."),
        description="A head closes an answered appeal.",
    ),
    Step(
        "reopen",
        _("Reopen (complaint about the answer upheld)"),
        sources=frozenset({S.ANSWERED, S.CLOSED, S.LEFT_WITHOUT_CONSIDERATION}),
        target=S.REOPENED,
        permission=Perm.APPEALS_REOPEN,
        who=HEAD,
        reason=Reason.REQUIRED,
        deadline=Deadline.RESTART,
        service=_svc + "appeal_reopen",
        form=_form + "ReasonForm",
        schema=_api + "ReasonIn",
        done=_("Appeal reopened."),
        description="When a complaint about the answer succeeds: a new 15-working-day term from today.",
    ),
)

APPEALS: Lifecycle[Appeal] = Lifecycle(
    model=Appeal,
    history=AppealTransition,
    history_fk="appeal",
    statuses=Status,
    initial=Status.REGISTERED,
    steps=STEPS,
    tracked_fields=TRACKED_FIELDS,
    record_name="appeal",
    deadline_field="due_date",
    clean_exclude=("tracking_code", "submission_key", "reg_number"),
)
