"""Meetings and visits: recording an event with its participants, the agreements signed, the figures stated, its
documents; correcting it; its lifecycle steps (transitions.EVENTS).

Bad input is refused as a whole: an event that ends before it starts, a participant that is neither a state nor
an organisation or agency, an agreement with neither a treaty nor a title — a message per field, nothing saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.actors import Actor
from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry, Country, Sensitivity
from prokuratura.core.record_services import (
    EARLIEST_DATE,
    create_audited,
    existing,
    require_staff,
    update_audited,
)

from ..models import (
    Agreement,
    Counterpart,
    CounterpartKind,
    Event,
    EventDocument,
    EventKind,
    EventStatus,
    Figure,
    Participant,
    ParticipantSide,
    Topic,
)
from ..transitions import EVENTS
from .common import corrector

# How far ahead an event may be planned (a date further out is a typo).
PLAN_AHEAD_YEARS = 5
EVENT_FIELDS = (
    "kind",
    "status",
    "title",
    "start_date",
    "end_date",
    "place",
    "country",
    "host",
    "principal",
    "holder_name",
    "summary",
    "outcomes",
    "report_symbol",
    "source_url",
    "sensitivity",
    "note",
)


@dataclass
class EventData:
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date | None = None  # one day when empty
    held: bool = False  # it already took place (recorded held) — else planned
    place: str = ""
    country: Country | None = None
    host: Counterpart | None = None
    principal: Counterpart | None = None
    holder_name: str = ""
    topics: list[Topic] = field(default_factory=list)
    summary: str = ""
    outcomes: str = ""
    report_symbol: str = ""
    source_url: str = ""
    source_text: str = ""
    note: str = ""
    sensitivity: str = Sensitivity.INTERNAL


@dataclass
class ParticipantData:
    country: Country | None = None
    counterpart: Counterpart | None = None
    side: str = ParticipantSide.PARTNER
    official_name: str = ""
    official_title: str = ""
    heads_delegation: bool = False
    delegation_size: int | None = None


@dataclass
class AgreementData:
    instrument: object | None = None  # cooperation.Instrument
    title: str = ""
    signed_on: dt.date | None = None


@dataclass
class FigureData:
    value: Decimal
    text: str
    subject: str
    sentence: str = ""


def _event_errors(data: EventData, *, status: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in EventKind.values:
        add("kind", _("Choose the kind of event."))
    if not data.title.strip():
        add("title", _("Give the event a title."))
    end = data.end_date or data.start_date
    today = timezone.localdate()
    if data.start_date < EARLIEST_DATE:
        add("start_date", _("The date is too far in the past."))
    if end < data.start_date:
        add("end_date", _("The event cannot end before it starts."))
    if data.start_date > today.replace(year=today.year + PLAN_AHEAD_YEARS):
        add("start_date", _("The date is too far in the future."))
    if (data.held or status == EventStatus.HELD) and data.start_date > today:
        add("start_date", _("An event that took place cannot start in the future."))
    if end - data.start_date > dt.timedelta(days=366):
        add("end_date", _("An event lasts a year at most; record a longer engagement as a joint project."))
    if data.sensitivity not in Sensitivity.values:
        add("sensitivity", _("Choose who may read the record."))
    incoming = data.kind in (EventKind.INCOMING_VISIT, EventKind.FAMILIARISATION)
    if incoming and data.country is not None and data.country.iso2 != "KZ":
        add("country", _("An incoming visit takes place in Kazakhstan."))
    if data.kind == EventKind.OUTGOING_VISIT and data.country is not None and data.country.iso2 == "KZ":
        add("country", _("An outgoing visit takes place abroad."))
    if data.holder_name and (data.principal is None or data.principal.kind != CounterpartKind.MANDATE):
        add("holder_name", _("A mandate holder is named only for the visit of a mandate."))
    return errors


def participant_errors(participants: list[ParticipantData]) -> list[str]:
    """One message per bad participant row (numbered from 1)."""
    messages: list[str] = []
    for number, p in enumerate(participants, start=1):
        if (p.country is None) == (p.counterpart is None):
            messages.append(
                _("Participant %(n)d: choose either a state or an organisation or agency.") % {"n": number}
            )
        if p.side not in ParticipantSide.values:
            messages.append(_("Participant %(n)d: choose the side.") % {"n": number})
        if p.delegation_size is not None and not 0 < p.delegation_size <= 1000:
            messages.append(_("Participant %(n)d: a delegation has 1 to 1,000 members.") % {"n": number})
        if p.official_title and not p.official_name:
            messages.append(_("Participant %(n)d: name the official who holds this title.") % {"n": number})
    return messages


def agreement_errors(agreements: list[AgreementData]) -> list[str]:
    messages: list[str] = []
    for number, a in enumerate(agreements, start=1):
        if a.instrument is None and not a.title.strip():
            messages.append(
                _("Agreement %(n)d: choose the treaty from the register or give its title.") % {"n": number}
            )
        if a.signed_on is not None and a.signed_on > timezone.localdate():
            messages.append(
                _("Agreement %(n)d: the date of signature cannot be in the future.") % {"n": number}
            )
    return messages


def figure_errors(figures: list[FigureData]) -> list[str]:
    messages: list[str] = []
    for number, f in enumerate(figures, start=1):
        if not f.subject.strip():
            messages.append(_("Figure %(n)d: say what the number counts.") % {"n": number})
        if f.value is None or f.value < 0:
            messages.append(_("Figure %(n)d: give a number that is not negative.") % {"n": number})
    return messages


def _children_errors(
    participants: list[ParticipantData] | None,
    agreements: list[AgreementData] | None,
    figures: list[FigureData] | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if participants is not None and (messages := participant_errors(participants)):
        errors["participants"] = messages
    if agreements is not None and (messages := agreement_errors(agreements)):
        errors["agreements"] = messages
    if figures is not None and (messages := figure_errors(figures)):
        errors["figures"] = messages
    return errors


def _replace_children(
    event: Event,
    participants: list[ParticipantData] | None,
    agreements: list[AgreementData] | None,
    figures: list[FigureData] | None,
) -> None:
    if participants is not None:
        event.participants.all().delete()
        Participant.objects.bulk_create(
            Participant(
                event=event,
                side=p.side,
                country=p.country,
                counterpart=p.counterpart,
                official_name=p.official_name.strip(),
                official_title=p.official_title.strip(),
                heads_delegation=p.heads_delegation,
                delegation_size=p.delegation_size,
            )
            for p in participants
        )
    if agreements is not None:
        event.agreements.all().delete()
        Agreement.objects.bulk_create(
            Agreement(event=event, instrument=a.instrument, title=a.title.strip(), signed_on=a.signed_on)  # type: ignore[misc]
            for a in agreements
        )
    if figures is not None:
        event.figures.all().delete()
        Figure.objects.bulk_create(
            Figure(
                event=event,
                value=f.value,
                text=f.text.strip()[:100],
                subject=f.subject.strip()[:300],
                sentence=f.sentence.strip(),
            )
            for f in figures
        )


def _children_snapshot(event: Event) -> dict[str, list[str]]:
    return {
        "participants": [str(p) for p in event.participants.select_related("country", "counterpart")],
        "agreements": [str(a) for a in event.agreements.select_related("instrument")],
        "figures": [str(f) for f in event.figures.all()],
        "topics": sorted(t.code for t in event.topics.all()),
    }


def event_record(
    *,
    by: User,
    data: EventData,
    participants: list[ParticipantData] | None = None,
    agreements: list[AgreementData] | None = None,
    figures: list[FigureData] | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Event:
    """Record a meeting or visit in the actor's office — planned, or held when it already took place — with its
    participants, agreements and figures, in one transaction. A retry with the same submission key returns the
    event the first call recorded."""
    by = require_staff(by, Perm.RELATIONS_WORK)
    found = existing(Event, submission_key)
    if found is not None:
        return found
    if by.office is None:
        raise ValidationError(_("You are not attached to an office."))
    status = EventStatus.HELD if data.held else EventStatus.PLANNED
    errors = _event_errors(data, status=status)
    errors.update(_children_errors(participants or [], agreements or [], figures or []))
    if errors:
        raise ValidationError(errors)
    if data.sensitivity == Sensitivity.RESTRICTED and not by.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head restricts a record."))
    event = Event(office=by.office, created_by=by, status=status, **_event_values(data))
    event.source_text = data.source_text.strip()

    def after_save(saved: Event) -> None:
        saved.topics.set(data.topics)
        _replace_children(saved, participants or [], agreements or [], figures or [])
        EVENTS.record_history(record=saved, by=by, step="create")

    return create_audited(
        by=by,
        record=event,
        fields=EVENT_FIELDS,
        submission_key=submission_key,
        request=request,
        after_save=after_save,
        described=_children_snapshot,
    )


def _event_values(data: EventData) -> dict[str, object]:
    return {
        "kind": data.kind,
        "title": data.title.strip(),
        "start_date": data.start_date,
        "end_date": data.end_date or data.start_date,
        "place": data.place.strip(),
        "country": data.country,
        "host": data.host,
        "principal": data.principal,
        "holder_name": data.holder_name.strip(),
        "summary": data.summary.strip(),
        "outcomes": data.outcomes.strip(),
        "report_symbol": data.report_symbol.strip(),
        "source_url": data.source_url.strip(),
        "note": data.note.strip(),
        "sensitivity": data.sensitivity,
    }


def event_update(
    *,
    by: User,
    event: Event,
    data: EventData,
    participants: list[ParticipantData] | None = None,
    agreements: list[AgreementData] | None = None,
    figures: list[FigureData] | None = None,
    request: HttpRequest | None = None,
) -> Event:
    """Correct the event; a list given replaces the participants (agreements, figures), None leaves them. The
    status changes only by the lifecycle's steps (`data.held` is ignored here)."""
    from ..access import may_change_event

    errors = _event_errors(data, status=event.status)
    errors.update(_children_errors(participants, agreements, figures))
    by = corrector(
        by,
        may_change=lambda user: may_change_event(user=user, event=event),
        refusal=_("You may not change this event."),
        errors=errors,
        sensitivity=(event.sensitivity, data.sensitivity),
    )

    def after_save(saved: Event) -> None:
        saved.topics.set(data.topics)
        _replace_children(saved, participants, agreements, figures)

    return update_audited(
        by=by,
        record=event,
        changes=_event_values(data),
        fields=EVENT_FIELDS,
        request=request,
        after_save=after_save,
        described=_children_snapshot,
    )


def event_document_add(
    *, by: User, event: Event, title: str, upload: UploadedFile, request: HttpRequest | None = None
) -> EventDocument:
    """Attach a document (programme, minutes, a signed text), checked as the appeals' files are."""
    from prokuratura.appeals.services.attachments import attachment_check

    from ..access import may_change_event

    by = require_staff(by, Perm.RELATIONS_WORK)
    if not may_change_event(user=by, event=event):
        raise PermissionDenied(_("You may not change this event."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the document a title.")]
    try:
        attachment_check(upload=upload)
    except ValidationError as error:
        errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = EventDocument.objects.create(
            event=event, title=title.strip()[:300], file=upload, created_by=by
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=event,
            changes={"documents": {"before": None, "after": document.title}},
            request=request,
        )
    return document


def event_document_remove(*, by: User, document: EventDocument, request: HttpRequest | None = None) -> None:
    from ..access import may_change_event

    by = require_staff(by, Perm.RELATIONS_WORK)
    if not may_change_event(user=by, event=document.event):
        raise PermissionDenied(_("You may not change this event."))
    with transaction.atomic():
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=document.event,
            changes={"documents": {"before": document.title, "after": None}},
            request=request,
        )
        document.delete()


# --- the lifecycle's steps ---------------------------------------------------------------------------------------


def event_hold(
    *,
    by: Actor,
    event: Event,
    outcomes: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Event:
    """The planned event took place: its outcomes, and its dates where they moved (not in the future)."""
    start = start_date or event.start_date
    end = end_date or (event.end_date if start_date is None else start)
    errors: dict[str, list[str]] = {}
    if start > timezone.localdate():
        errors["start_date"] = [_("An event that took place cannot start in the future.")]
    if end < start:
        errors["end_date"] = [_("The event cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    changes: dict[str, object] = {"start_date": start, "end_date": end}
    if outcomes.strip():
        changes["outcomes"] = outcomes.strip()
    return EVENTS.transition(step="hold", by=by, record=event, changes=changes, request=request)


def event_cancel(*, by: Actor, event: Event, reason: str, request: HttpRequest | None = None) -> Event:
    return EVENTS.transition(step="cancel", by=by, record=event, reason=reason, request=request)


def event_replan(*, by: Actor, event: Event, reason: str, request: HttpRequest | None = None) -> Event:
    return EVENTS.transition(step="replan", by=by, record=event, reason=reason, request=request)
