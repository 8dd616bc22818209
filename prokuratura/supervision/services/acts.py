"""Acts of prosecutorial response: drafting one (in an inspection, on an appeal, after a visit to a place of
detention, or on its own), and the step services of its lifecycle (supervision.transitions.ACTS).

Issuing gives the act the office's next outgoing number for the year (row-locked), its date, its signer as signed
and the addressee's due date from the type's rule on the working-day calendar (supervision.rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import can_see_appeal
from prokuratura.appeals.access import may_change as may_change_appeal
from prokuratura.appeals.models import Appeal
from prokuratura.core.actors import Actor, user_or_none
from prokuratura.core.letters import signer_name, signer_position
from prokuratura.core.models import Sensitivity
from prokuratura.core.record_services import (
    create_audited,
    date_error,
    existing,
    require_staff,
    update_audited,
)

from ..models import (
    LETTER_LANGUAGES,
    Act,
    ActCounter,
    ActResult,
    ActStatus,
    ActType,
    AnsweredBy,
    CourtResult,
    DetentionVisit,
    Inspection,
    Violation,
)
from ..rules import act_due_date
from ..transitions import ACTS, INSPECTION_OPEN

CREATED_FIELDS = (
    "office",
    "act_type",
    "inspection",
    "appeal",
    "visit",
    "author",
    "addressee_name",
    "addressee_official",
    "addressee_bin",
    "addressee_address",
    "language",
    "subject",
    "text",
    "sensitivity",
)
DRAFT_FIELDS = (
    "act_type",
    "addressee_name",
    "addressee_official",
    "addressee_bin",
    "addressee_address",
    "language",
    "subject",
    "text",
)


@dataclass
class ActData:
    act_type: ActType
    addressee_name: str
    language: str = "ru"
    subject: str = ""  # empty: the type's template in the act's language
    text: str = ""
    addressee_official: str = ""
    addressee_bin: str = ""
    addressee_address: str = ""
    violations: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """What came of an act: persons whose rights were restored, money recovered, persons brought to
    responsibility."""

    persons_restored: int = 0
    amount_recovered: Decimal = Decimal("0")
    persons_disciplinary: int = 0
    persons_administrative: int = 0
    persons_criminal: int = 0

    def check(self) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for name in (
            "persons_restored",
            "persons_disciplinary",
            "persons_administrative",
            "persons_criminal",
        ):
            if getattr(self, name) < 0:
                errors.setdefault(name, []).append(_("The number cannot be negative."))
        if self.amount_recovered < 0:
            errors.setdefault("amount_recovered", []).append(_("The amount cannot be negative."))
        if errors:
            raise ValidationError(errors)
        return {
            "persons_restored": self.persons_restored,
            "amount_recovered": self.amount_recovered,
            "persons_disciplinary": self.persons_disciplinary,
            "persons_administrative": self.persons_administrative,
            "persons_criminal": self.persons_criminal,
        }


def _source_allowed(
    *, by: User, inspection: Inspection | None, appeal: Appeal | None, visit: DetentionVisit | None
) -> None:
    from ..access import may_change_inspection, may_change_visit

    if sum(x is not None for x in (inspection, appeal, visit)) > 1:
        raise ValidationError(_("An act answers one inspection, one appeal or one visit."))
    if inspection is not None:
        if not may_change_inspection(user=by, inspection=inspection):
            raise PermissionDenied(
                _("Only the responsible prosecutor or a head issues the inspection's acts.")
            )
        if inspection.status not in INSPECTION_OPEN:
            raise ValidationError(_("The inspection is closed or cancelled: it takes no new acts."))
    if appeal is not None and not (
        can_see_appeal(user=by, appeal=appeal) and may_change_appeal(user=by, appeal=appeal)
    ):
        raise PermissionDenied(_("Only who works on the appeal issues acts on it."))
    if visit is not None and not may_change_visit(user=by, visit=visit):
        raise PermissionDenied(_("Only the visiting prosecutor or a head issues acts after the visit."))


def _validate(data: ActData, *, inspection: Inspection | None, appeal: Appeal | None) -> None:
    errors: dict[str, list[str]] = {}
    if not data.act_type.is_active:
        errors.setdefault("act_type", []).append(_("This type of act is no longer in use."))
    if not data.addressee_name.strip():
        errors.setdefault("addressee_name", []).append(_("Name the addressee."))
    if data.language not in dict(LETTER_LANGUAGES):
        errors.setdefault("language", []).append(_("An act is written in Kazakh or Russian."))
    for violation in data.violations:
        same_source = (inspection is not None and violation.inspection_id == inspection.pk) or (
            appeal is not None and violation.appeal_id == appeal.pk
        )
        if not same_source:
            errors.setdefault("violations", []).append(
                _("An act answers the violations of its own inspection or appeal.")
            )
            break
    if errors:
        raise ValidationError(errors)


def act_draft(
    *,
    by: User,
    data: ActData,
    inspection: Inspection | None = None,
    appeal: Appeal | None = None,
    visit: DetentionVisit | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Act:
    """Draft an act. Without a title or text, the type's template in the act's language gives them."""
    from .act_letters import act_template_text

    by = require_staff(by, Perm.SUPERVISION_WORK)
    found = existing(Act, submission_key)
    if found is not None:
        return found
    _source_allowed(by=by, inspection=inspection, appeal=appeal, visit=visit)
    _validate(data, inspection=inspection, appeal=appeal)
    source: Any = inspection or appeal or visit
    office = source.office if source is not None else by.office
    if office is None:
        raise ValidationError(_("You are not attached to an office."))
    act = Act(
        office=office,
        sensitivity=source.sensitivity if source is not None else Sensitivity.INTERNAL,
        act_type=data.act_type,
        inspection=inspection,
        appeal=appeal,
        visit=visit,
        author=by,
        addressee_name=data.addressee_name.strip(),
        addressee_official=data.addressee_official.strip(),
        addressee_bin=data.addressee_bin.strip(),
        addressee_address=data.addressee_address.strip(),
        language=data.language,
        subject=data.subject.strip(),
        text=data.text.strip(),
        created_by=by,
    )
    if not act.subject or not act.text:
        subject, text = act_template_text(act=act, violations=data.violations)
        act.subject, act.text = act.subject or subject, act.text or text

    def linked(record: Act) -> None:
        record.violations.set(data.violations)
        ACTS.record_history(record=record, by=by, step="create")

    return create_audited(
        by=by,
        record=act,
        fields=CREATED_FIELDS,
        submission_key=submission_key,
        request=request,
        after_save=linked,
    )


def act_update(*, by: User, act: Act, data: ActData, request: HttpRequest | None = None) -> Act:
    """Edit a draft (an issued act is as it was sent)."""
    from ..access import may_change_act

    by = require_staff(by, Perm.SUPERVISION_WORK)
    if not may_change_act(user=by, act=act):
        raise PermissionDenied(_("You may not change this act."))
    if act.status != ActStatus.DRAFT:
        raise ValidationError(_("An issued act is not changed."))
    _validate(data, inspection=act.inspection, appeal=act.appeal)
    changes = {name: getattr(data, name) for name in DRAFT_FIELDS}
    for name in (
        "addressee_name",
        "addressee_official",
        "addressee_bin",
        "addressee_address",
        "subject",
        "text",
    ):
        changes[name] = changes[name].strip()
    if not changes["subject"] or not changes["text"]:
        raise ValidationError({"text": _("The act needs a title and a text.")})
    updated = update_audited(by=by, record=act, changes=changes, fields=DRAFT_FIELDS, request=request)
    updated.violations.set(data.violations)
    return updated


# --- the lifecycle's steps -------------------------------------------------------------------------------------


def _not_future(value: dt.date, field_name: str) -> None:
    if (error := date_error(value)) is not None:
        raise ValidationError({field_name: error})


def act_number(act: Act, year: int, sequence: int) -> str:
    # Н for «надзор»: acts have their own series beside the appeals' letters.
    return f"{act.office.code}-{year}/Н-{sequence}"


def act_issue(
    *,
    by: Actor,
    act: Act,
    issued_on: dt.date | None = None,
    due_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Act:
    """Sign and issue the act: its outgoing number and date, the signer (the issuer) in the act's language, and the
    due date — the type's rule, or the term the act itself names where the law leaves it to the act (a shorter one
    than the rule's may be set)."""
    issued_on = issued_on or timezone.localdate()
    _not_future(issued_on, "issued_on")
    if act.inspection_id is not None and issued_on < act.inspection.period_start:  # type: ignore[union-attr]
        raise ValidationError({"issued_on": _("An act of the inspection cannot be dated before it starts.")})
    if not act.subject.strip() or not act.text.strip():
        raise ValidationError(_("The act needs a title and a text."))
    rule_due = act_due_date(act_type=act.act_type, issued_on=issued_on)
    if due_date is not None and due_date <= issued_on:
        raise ValidationError({"due_date": _("The answer is due after the act's date.")})
    if due_date is not None and rule_due is not None and due_date > rule_due:
        raise ValidationError(
            {
                "due_date": _("The law's term for this act ends on %(date)s: a later date cannot be set.")
                % {"date": rule_due.strftime("%d.%m.%Y")}
            }
        )
    if rule_due is None and due_date is None and act.act_type.answered_by == AnsweredBy.REPLY:
        raise ValidationError(
            {"due_date": _("The law sets no term for this act: enter the term the act names.")}
        )
    signer = user_or_none(by)
    year = issued_on.year
    with transaction.atomic():  # the number is taken only if the step is
        sequence = ActCounter.next(act.office, year)
        return ACTS.transition(
            step="issue",
            by=by,
            record=act,
            changes={
                "year": year,
                "sequence": sequence,
                "number": act_number(act, year, sequence),
                "issued_on": issued_on,
                "due_date": due_date or rule_due,
                "signer": signer,
                "signer_name": signer_name(signer),
                "signer_position": signer_position(signer, act.language),
            },
            request=request,
        )


def _answer_date(act: Act, value: dt.date, field_name: str) -> None:
    _not_future(value, field_name)
    if act.issued_on is not None and value < act.issued_on:
        raise ValidationError(
            {
                field_name: _("The answer cannot be dated before the act (%(date)s).")
                % {"date": act.issued_on.strftime("%d.%m.%Y")}
            }
        )


def act_record_reply(
    *,
    by: Actor,
    act: Act,
    reply_on: dt.date,
    result: str,
    reply_number: str = "",
    reply_summary: str = "",
    request: HttpRequest | None = None,
) -> Act:
    """The addressee's reply and its result; a reply that takes the matter to court leaves the act "in court"."""
    _answer_date(act, reply_on, "reply_on")
    if result not in ActResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    return ACTS.transition(
        step="record_reply",
        by=by,
        record=act,
        changes={
            "reply_on": reply_on,
            "reply_number": reply_number.strip(),
            "reply_summary": reply_summary.strip(),
            "result": result,
        },
        to=ActStatus.IN_COURT if result == ActResult.APPEALED else ActStatus.REPLIED,
        request=request,
    )


def act_record_court_decision(
    *,
    by: Actor,
    act: Act,
    court_decision_on: dt.date,
    court_result: str,
    outcome: Outcome | None = None,
    request: HttpRequest | None = None,
) -> Act:
    _answer_date(act, court_decision_on, "court_decision_on")
    if court_result not in CourtResult.values:
        raise ValidationError({"court_result": _("Choose the court's decision.")})
    changes = (outcome or Outcome()).check()
    changes.update({"court_decision_on": court_decision_on, "court_result": court_result})
    return ACTS.transition(step="record_court_decision", by=by, record=act, changes=changes, request=request)


def act_record_result(
    *,
    by: Actor,
    act: Act,
    outcome: Outcome,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Act:
    """What came of the act: persons restored in their rights, money recovered, persons brought to responsibility."""
    return ACTS.transition(
        step="record_result", by=by, record=act, changes=outcome.check(), reason=reason, request=request
    )


def act_withdraw(*, by: Actor, act: Act, reason: str, request: HttpRequest | None = None) -> Act:
    return ACTS.transition(step="withdraw", by=by, record=act, reason=reason, request=request)
