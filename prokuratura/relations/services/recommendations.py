"""Recommendations made to Kazakhstan and their implementation (transitions.RECOMMENDATIONS): the planned actions,
each progress report with its evidence, and the history of the status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.actors import Actor
from prokuratura.core.models import Sensitivity
from prokuratura.core.record_services import (
    EARLIEST_DATE,
    create_audited,
    existing,
    require_staff,
    update_audited,
)

from ..models import (
    Counterpart,
    CounterpartKind,
    Event,
    ImplementationStatus,
    Recommendation,
    RecommendationSource,
    Topic,
)
from ..transitions import RECOMMENDATIONS
from .common import corrector

RS = ImplementationStatus
REC_FIELDS = (
    "source_kind",
    "source",
    "event",
    "document",
    "paragraph",
    "issued_on",
    "text",
    "theme",
    "responsible",
    "officer",
    "planned_actions",
    "due_date",
    "status",
    "evidence",
    "sensitivity",
)
EDITABLE = tuple(f for f in REC_FIELDS if f not in ("status", "evidence"))


@dataclass
class RecommendationData:
    source_kind: str
    text: str
    issued_on: dt.date | None
    source: Counterpart | None = None
    event: Event | None = None
    document: str = ""
    paragraph: str = ""
    theme: Topic | None = None
    responsible: Counterpart | None = None
    officer: User | None = None
    planned_actions: str = ""
    due_date: dt.date | None = None
    # A recommendation entered late comes with its status of the day and the evidence for it.
    status: str = RS.NOT_STARTED
    evidence: str = ""
    sensitivity: str = Sensitivity.INTERNAL


def _errors(data: RecommendationData, *, is_new: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.source_kind not in RecommendationSource.values:
        add("source_kind", _("Choose who made the recommendation."))
    if not data.text.strip():
        add("text", _("Give the text of the recommendation."))
    if data.issued_on is None:
        add("issued_on", _("Give the date of the recommendation."))
    elif data.issued_on > timezone.localdate():
        add("issued_on", _("The date cannot be in the future."))
    elif data.issued_on < EARLIEST_DATE:
        add("issued_on", _("The date is too far in the past."))
    if data.event is not None and data.issued_on and data.issued_on < data.event.start_date:
        add("issued_on", _("A recommendation of a visit cannot predate the visit."))
    if data.responsible is not None and data.responsible.kind != CounterpartKind.DOMESTIC_AGENCY:
        add("responsible", _("The responsible body is a Kazakh state body."))
    if data.officer is not None and not data.officer.is_active:
        add("officer", _("Choose an active user."))
    if data.due_date is not None and data.issued_on and data.due_date < data.issued_on:
        add("due_date", _("The planned date cannot precede the recommendation."))
    if data.sensitivity not in Sensitivity.values:
        add("sensitivity", _("Choose who may read the record."))
    if is_new:
        if data.status not in RS.values:
            add("status", _("Choose the implementation status."))
        elif data.status in (RS.PARTIALLY, RS.IMPLEMENTED) and not data.evidence.strip():
            add("evidence", _("Give the evidence of the implementation."))
        elif data.status == RS.IN_PROGRESS and not data.planned_actions.strip():
            add("planned_actions", _("Describe the planned actions."))
    return errors


def recommendation_record(
    *,
    by: User,
    data: RecommendationData,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Recommendation:
    by = require_staff(by, Perm.RELATIONS_WORK)
    found = existing(Recommendation, submission_key)
    if found is not None:
        return found
    if by.office is None:
        raise ValidationError(_("You are not attached to an office."))
    if errors := _errors(data, is_new=True):
        raise ValidationError(errors)
    if data.sensitivity == Sensitivity.RESTRICTED and not by.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head restricts a record."))
    if data.issued_on is None:  # refused above; for the type checker
        raise ValidationError({"issued_on": [_("Give the date of the recommendation.")]})
    rec = Recommendation(
        office=by.office,
        created_by=by,
        source_kind=data.source_kind,
        source=data.source,
        event=data.event,
        document=data.document.strip(),
        paragraph=data.paragraph.strip(),
        issued_on=data.issued_on,
        text=data.text.strip(),
        theme=data.theme,
        responsible=data.responsible,
        officer=data.officer,
        planned_actions=data.planned_actions.strip(),
        due_date=data.due_date,
        status=data.status,
        evidence=data.evidence.strip(),
        status_changed_on=timezone.localdate(),
        sensitivity=data.sensitivity,
    )
    return create_audited(
        by=by,
        record=rec,
        fields=REC_FIELDS,
        submission_key=submission_key,
        request=request,
        after_save=lambda saved: RECOMMENDATIONS.record_history(record=saved, by=by, step="create"),
    )


def recommendation_update(
    *, by: User, recommendation: Recommendation, data: RecommendationData, request: HttpRequest | None = None
) -> Recommendation:
    """Correct the recommendation (its status and evidence change only by the lifecycle's steps)."""
    from ..access import may_change_recommendation

    by = corrector(
        by,
        may_change=lambda user: may_change_recommendation(user=user, recommendation=recommendation),
        refusal=_("You may not change this recommendation."),
        errors=_errors(data, is_new=False),
        sensitivity=(recommendation.sensitivity, data.sensitivity),
    )
    changes = {
        "source_kind": data.source_kind,
        "source": data.source,
        "event": data.event,
        "document": data.document.strip(),
        "paragraph": data.paragraph.strip(),
        "issued_on": data.issued_on,
        "text": data.text.strip(),
        "theme": data.theme,
        "responsible": data.responsible,
        "officer": data.officer,
        "planned_actions": data.planned_actions.strip(),
        "due_date": data.due_date,
        "sensitivity": data.sensitivity,
    }
    return update_audited(by=by, record=recommendation, changes=changes, fields=EDITABLE, request=request)


def recommendation_start(
    *,
    by: Actor,
    recommendation: Recommendation,
    planned_actions: str,
    due_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Recommendation:
    errors: dict[str, list[str]] = {}
    if not planned_actions.strip():
        errors["planned_actions"] = [_("Describe the planned actions.")]
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = [_("The planned date cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    return RECOMMENDATIONS.transition(
        step="start",
        by=by,
        record=recommendation,
        changes={
            "planned_actions": planned_actions.strip(),
            "due_date": due_date,
            "status_changed_on": timezone.localdate(),
        },
        request=request,
    )


REPORTABLE = (RS.IN_PROGRESS, RS.PARTIALLY, RS.IMPLEMENTED)


def recommendation_report(
    *,
    by: Actor,
    recommendation: Recommendation,
    status: str,
    evidence: str,
    request: HttpRequest | None = None,
) -> Recommendation:
    """Report progress: what was done (the evidence, kept in the history as the step's reason) and the status it
    leaves the recommendation in."""
    errors: dict[str, list[str]] = {}
    if status not in REPORTABLE:
        errors["status"] = [_("Choose in progress, partially implemented or implemented.")]
    if not evidence.strip():
        errors["evidence"] = [_("Give the evidence of what was done.")]
    if errors:
        raise ValidationError(errors)
    return RECOMMENDATIONS.transition(
        step="report",
        by=by,
        record=recommendation,
        to=status,
        reason=evidence.strip(),
        changes={"evidence": evidence.strip(), "status_changed_on": timezone.localdate()},
        request=request,
    )


def _closing(step: str):  # type: ignore[no-untyped-def]
    def service(
        *, by: Actor, recommendation: Recommendation, reason: str, request: HttpRequest | None = None
    ) -> Recommendation:
        return RECOMMENDATIONS.transition(
            step=step,
            by=by,
            record=recommendation,
            reason=reason,
            changes={"status_changed_on": timezone.localdate()},
            request=request,
        )

    service.__name__ = f"recommendation_{step}"
    return service


recommendation_note = _closing("note")
recommendation_close = _closing("close")
recommendation_reopen = _closing("reopen")
