"""Writes on requests for legal assistance: recording one (the single intake service, with a submission key),
correcting it while it may be corrected, its persons, letters, translations and refusal checklist, and the step
services of its lifecycle (cooperation.request_transitions.REQUESTS).

Every refused attempt — bad input, a step the lifecycle forbids, no permission — changes nothing and leaves a
security entry in the audit trail (`_refusals_audited`; steps taken through REQUESTS.perform are audited by the
kernel).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import Actor, is_user, user_or_none
from prokuratura.core.audit import audit_record, audit_refusal, diff, snapshot
from prokuratura.core.letters import signer_name, signer_position
from prokuratura.core.models import AuditEntry, Country, CrimeCategory, Office, Sensitivity

from .completeness import request_completeness, required_languages
from .models import Instrument
from .models_requests import (
    KIND_SUBJECT,
    AssistanceRequest,
    Assurance,
    BasisKind,
    Correspondence,
    Direction,
    ExtraditionPurpose,
    Facts,
    GroundFinding,
    LetterDirection,
    Measure,
    Milestone,
    PersonRole,
    RefusalAssessment,
    RefusalGround,
    RequestCounter,
    RequestKind,
    RequestPerson,
    RequestStatus,
    TranslationStatus,
    TranslationTask,
    Urgency,
)
from .request_rules import request_due_date
from .request_transitions import INCOMING_EDITABLE, OUTGOING_EDITABLE, REQUESTS

P = ParamSpec("P")
R = TypeVar("R")
S = RequestStatus
KAZAKHSTAN = "KZ"
# Focus areas whose requests are restricted by default (terrorism and extremism matters).
RESTRICTED_FOCUS = frozenset({"terrorism", "extremism"})
# Nothing the service records predates the Republic's independence (16 December 1991): an earlier date is a typo.
EARLIEST_DATE = dt.date(1991, 12, 16)


def _refusals_audited[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """A refused call (ValidationError, PermissionDenied) leaves a security entry naming the service and why, once
    its own transaction has rolled back."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            record = kwargs.get("assistance_request")
            audit_refusal(
                actor=kwargs.get("by"),  # type: ignore[arg-type]
                what=func.__name__,
                error=error,
                obj=record if isinstance(record, AssistanceRequest) else None,
                request=kwargs.get("request"),  # type: ignore[arg-type]
            )
            raise

    return wrapper


def _staff(by: Actor, permission: str) -> User:
    if not is_user(by) or not by.is_active or not by.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))
    return by


def _date_error(value: dt.date) -> str | None:
    if value > timezone.localdate():
        return _("The date cannot be in the future.")
    if value < EARLIEST_DATE:
        return _("The date is too far in the past.")
    return None


def _check_date(value: dt.date | None, name: str, errors: dict[str, list[str]]) -> None:
    if value is not None:
        problem = _date_error(value)
        if problem:
            errors.setdefault(name, []).append(problem)


def _fmt(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


# --- the record itself -----------------------------------------------------------------------------------------


@dataclass
class RequestData:
    """What the officer writes on a request (the same for recording and correcting it)."""

    kind: str
    partner: Country
    foreign_authority: str
    basis_kind: str = ""
    basis: Instrument | None = None
    reciprocity_assurance: str = ""
    extradition_purpose: str = ""
    measures: list[str] = field(default_factory=list)
    urgency: str = Urgency.NORMAL
    foreign_reference: str = ""
    case_number: str = ""
    offence_article: str = ""
    offence_category: CrimeCategory | None = None
    focus_area: CrimeCategory | None = None
    transnational: str = Facts.UNKNOWN
    organised_group: str = Facts.UNKNOWN
    requesting_authority: str = ""
    proceedings_subject: str = ""
    conducting_authority: str = ""
    facts_summary: str = ""
    assistance_sought: str = ""
    procedure: str = ""
    purpose: str = ""
    penalty: str = ""
    limitation: str = ""
    warrant: str = ""
    judgment: str = ""
    sentence_remaining: str = ""
    assurances: list[str] = field(default_factory=list)
    language: str = "ru"
    prosecutor: User | None = None
    dated: dt.date | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


DATA_FIELDS = tuple(RequestData.__dataclass_fields__)
CREATED_FIELDS = (
    "direction",
    "office",
    "number",
    "status",
    "officer",
    "sensitivity",
    "received_on",
    "due_date",
    *DATA_FIELDS,
)


def _basis_error(data: RequestData, *, on_date: dt.date) -> dict[str, list[str]]:
    """The legal basis must be chosen, and a treaty or convention must be one the resolver offers for this partner,
    kind and offence on the date (cooperation.resolver)."""
    from .resolver import legal_basis_resolve

    if data.basis_kind not in BasisKind.values:
        return {"basis_kind": [_("Choose the legal basis: a treaty or convention, or reciprocity.")]}
    if data.basis_kind == BasisKind.RECIPROCITY:
        if data.basis is not None:
            return {"basis": [_("A request on reciprocity names no treaty.")]}
        if not data.reciprocity_assurance.strip():
            return {
                "reciprocity_assurance": [_("A request on reciprocity needs the assurance of reciprocity.")]
            }
        return {}
    if data.basis is None:
        return {"basis": [_("Choose the treaty or convention the request rests on.")]}
    resolution = legal_basis_resolve(
        country=data.partner.iso2,
        kind=KIND_SUBJECT[RequestKind(data.kind)],
        on_date=on_date,
        iccs_section=data.offence_category.code if data.offence_category else "",
        focus_area=data.focus_area.code if data.focus_area else "",
        facts={"transnational": data.transnational, "organised_group": data.organised_group},
    )
    offered = {c.instrument.pk for c in resolution.applicable if c.instrument is not None}
    if data.basis.pk in offered:
        return {}
    reasons = [
        r
        for c in resolution.candidates
        if c.instrument is not None and c.instrument.pk == data.basis.pk
        for r in c.reasons
    ]
    message = _("%(instrument)s is not a legal basis for this request with %(state)s on %(date)s.") % {
        "instrument": str(data.basis),
        "state": data.partner.name,
        "date": _fmt(on_date),
    }
    if reasons:
        message = f"{message} {reasons[-1]}"
    return {"basis": [message]}


def _data_errors(data: RequestData, *, direction: str, on_date: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in RequestKind.values:
        errors["kind"] = [_("Choose the kind of request.")]
        return errors
    if data.partner.iso2 == KAZAKHSTAN:
        errors["partner"] = [_("The partner is a foreign state.")]
    if not data.foreign_authority.strip():
        errors["foreign_authority"] = [_("Name the foreign authority.")]
    unknown = [m for m in data.measures if m not in Measure.values]
    if unknown:
        errors["measures"] = [_("Unknown measure: %(code)s.") % {"code": ", ".join(unknown)}]
    if data.kind != RequestKind.MLA and data.measures:
        errors["measures"] = [_("Measures are sought by a request for mutual legal assistance only.")]
    if data.kind == RequestKind.EXTRADITION:
        if data.extradition_purpose and data.extradition_purpose not in ExtraditionPurpose.values:
            errors["extradition_purpose"] = [_("Choose the purpose of the extradition.")]
    elif data.extradition_purpose:
        errors["extradition_purpose"] = [_("Only an extradition request has this purpose.")]
    bad = [a for a in data.assurances if a not in Assurance.values]
    if bad:
        errors["assurances"] = [_("Unknown assurance: %(code)s.") % {"code": ", ".join(bad)}]
    if data.offence_category is not None and data.offence_category.kind != CrimeCategory.Kind.ICCS_SECTION:
        errors["offence_category"] = [_("Choose an ICCS section.")]
    if data.focus_area is not None and data.focus_area.kind != CrimeCategory.Kind.FOCUS_AREA:
        errors["focus_area"] = [_("Choose a focus area.")]
    if data.prosecutor is not None and not data.prosecutor.is_active:
        errors["prosecutor"] = [_("This user is not active.")]
    _check_date(data.dated, "dated", errors)
    if direction == Direction.OUTGOING and data.dated is not None:
        errors.setdefault("dated", []).append(_("An outgoing request is dated when it is signed."))
    if not errors:
        errors.update(_basis_error(data, on_date=on_date))
    return errors


def _sensitivity(data: RequestData, chosen: str | None) -> str:
    restricted = data.focus_area is not None and data.focus_area.code in RESTRICTED_FOCUS
    if restricted:
        if chosen and chosen != Sensitivity.RESTRICTED:
            raise ValidationError({"sensitivity": [_("Terrorism and extremism matters are restricted.")]})
        return Sensitivity.RESTRICTED
    if chosen and chosen not in Sensitivity.values:
        raise ValidationError({"sensitivity": [_("Choose the sensitivity.")]})
    return chosen or Sensitivity.INTERNAL


def request_number(*, office: Office, year: int, sequence: int, direction: str, kind: str) -> str:
    """E.g. AST-2026/OUT-MLA-12: the office, the year, the direction, the kind and the office's sequence."""
    kinds = {
        RequestKind.MLA: "MLA",
        RequestKind.EXTRADITION: "EXT",
        RequestKind.TRANSFER_SENTENCED: "TSP",
        RequestKind.TRANSFER_PROCEEDINGS: "TCP",
    }
    arrow = "OUT" if direction == Direction.OUTGOING else "IN"
    return f"{office.code}-{year}/{arrow}-{kinds[RequestKind(kind)]}-{sequence}"


@_refusals_audited
def request_create(
    *,
    by: Actor,
    direction: str,
    office: Office,
    data: RequestData,
    officer: User | None = None,
    received_on: dt.date | None = None,
    sensitivity: str | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    """Record a request: an outgoing one as a draft, an incoming one as received (on `received_on`), numbered in
    the office's series for the year. The officer in charge is the author unless another is named. A retry with
    the same submission key returns the first request."""
    user = _staff(by, Perm.COOP_REQUESTS_WORK)
    if submission_key:
        found = AssistanceRequest.objects.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    errors: dict[str, list[str]] = {}
    if direction not in Direction.values:
        raise ValidationError({"direction": [_("Choose the direction.")]})
    if user.office is None or not office.is_within(user.office):
        errors["office"] = [_("Choose your office or an office below it.")]
    today = timezone.localdate()
    if direction == Direction.INCOMING:
        if received_on is None:
            errors["received_on"] = [_("Give the date the request was received.")]
        else:
            _check_date(received_on, "received_on", errors)
            if data.dated is not None and received_on < data.dated:
                errors.setdefault("received_on", []).append(_("A request is received after it is dated."))
    elif received_on is not None:
        errors["received_on"] = [_("An outgoing request is not received.")]
    officer = officer or user
    if not officer.is_active or not officer.has_perm(Perm.COOP_REQUESTS_WORK):
        errors["officer"] = [_("The officer in charge works on requests for legal assistance.")]
    errors.update(_data_errors(data, direction=direction, on_date=received_on or today))
    if errors:
        raise ValidationError(errors)
    chosen = _sensitivity(data, sensitivity)
    incoming = direction == Direction.INCOMING
    record = AssistanceRequest(
        direction=direction,
        office=office,
        status=S.RECEIVED if incoming else S.DRAFT,
        officer=officer,
        created_by=user,
        sensitivity=chosen,
        received_on=received_on,
        submission_key=submission_key or None,
        **data.values(),
    )
    record.due_date = (
        request_due_date(
            direction=direction,
            kind=data.kind,
            milestone=Milestone.REGISTER,
            start=received_on,
            urgency=data.urgency,
        )
        if incoming and received_on
        else None
    )
    record.translations_required = required_languages(record)
    year = (received_on or today).year
    try:
        with transaction.atomic():
            record.year = year
            record.sequence = RequestCounter.next(office, year)
            record.number = request_number(
                office=office, year=year, sequence=record.sequence, direction=direction, kind=data.kind
            )
            record.full_clean(exclude=["submission_key"])
            record.save()
            REQUESTS.record_history(record=record, by=user, step="create")
            audit_record(
                actor=user,
                action=AuditEntry.Action.CREATE,
                obj=record,
                changes={
                    k: {"before": None, "after": v} for k, v in snapshot(record, CREATED_FIELDS).items()
                },
                request=request,
            )
    except IntegrityError:
        found = (
            AssistanceRequest.objects.filter(submission_key=submission_key).first()
            if submission_key
            else None
        )
        if found is None:
            raise
        return found
    return record


def _editable(record: AssistanceRequest) -> None:
    allowed = OUTGOING_EDITABLE if record.direction == Direction.OUTGOING else INCOMING_EDITABLE
    if record.status not in allowed:
        raise ValidationError(
            _("A request cannot be corrected while the status is “%(status)s”.")
            % {"status": record.get_status_display()}
        )


def _may_change(by: Actor, record: AssistanceRequest) -> User:
    from .request_access import may_change_request

    user = _staff(by, Perm.COOP_REQUESTS_WORK)
    if not may_change_request(user=user, assistance_request=record):
        raise PermissionDenied(_("Only the officer in charge or a head changes this request."))
    return user


@_refusals_audited
def request_update(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    data: RequestData,
    sensitivity: str | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    """Correct a draft (outgoing) or a request not yet checked (incoming), audited field by field."""
    user = _may_change(by, assistance_request)
    _editable(assistance_request)
    on_date = assistance_request.received_on or timezone.localdate()
    errors = _data_errors(data, direction=assistance_request.direction, on_date=on_date)
    if assistance_request.received_on and data.dated and assistance_request.received_on < data.dated:
        errors.setdefault("dated", []).append(_("A request is received after it is dated."))
    if errors:
        raise ValidationError(errors)
    chosen = _sensitivity(data, sensitivity or assistance_request.sensitivity)
    fields = (*DATA_FIELDS, "sensitivity", "translations_required")
    with transaction.atomic():
        locked = AssistanceRequest.objects.select_for_update().get(pk=assistance_request.pk)
        _editable(locked)
        before = snapshot(locked, fields)
        for name, value in data.values().items():
            setattr(locked, name, value)
        locked.sensitivity = chosen
        locked.translations_required = required_languages(locked)
        locked.full_clean(exclude=["submission_key"])
        locked.save()
        changed = diff(before, snapshot(locked, fields))
        if changed:
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=locked,
                changes=changed,
                reason=reason,
                request=request,
            )
    return locked


# --- the persons concerned ---------------------------------------------------------------------------------------


@dataclass
class PersonData:
    role: str
    full_name: str
    birth_date: dt.date | None = None
    nationality: Country | None = None
    stateless: bool = False
    location: str = ""
    identity_document: str = ""
    description: str = ""


PERSON_FIELDS = tuple(PersonData.__dataclass_fields__)


def _person_errors(data: PersonData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.role not in PersonRole.values:
        errors["role"] = [_("Choose the person's role.")]
    if not data.full_name.strip():
        errors["full_name"] = [_("Give the person's name.")]
    if data.stateless and data.nationality is not None:
        errors["nationality"] = [_("A stateless person has no nationality.")]
    if data.birth_date is not None and data.birth_date > timezone.localdate():
        errors["birth_date"] = [_("The date cannot be in the future.")]
    return errors


@_refusals_audited
def request_person_add(
    *, by: Actor, assistance_request: AssistanceRequest, data: PersonData, request: HttpRequest | None = None
) -> RequestPerson:
    user = _may_change(by, assistance_request)
    _editable(assistance_request)
    errors = _person_errors(data)
    if errors:
        raise ValidationError(errors)
    person = RequestPerson(request=assistance_request, **asdict(data))
    person.full_clean()
    with transaction.atomic():
        person.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=person,
            object_repr=f"{assistance_request.number}: {PersonRole(data.role).label}",  # no personal data
            changes={"role": {"before": None, "after": data.role}},
            request=request,
        )
        _refresh_translations(assistance_request)
    return person


@_refusals_audited
def request_person_update(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    person: RequestPerson,
    data: PersonData,
    request: HttpRequest | None = None,
) -> RequestPerson:
    user = _may_change(by, assistance_request)
    _editable(assistance_request)
    if person.request_id != assistance_request.pk:
        raise ValidationError(_("This person is not named in this request."))
    errors = _person_errors(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(person, PERSON_FIELDS)
        for name, value in asdict(data).items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        changed = sorted(diff(before, snapshot(person, PERSON_FIELDS)))
        if changed:
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=person,
                object_repr=f"{assistance_request.number}: {PersonRole(person.role).label}",
                # Which fields changed, not their values: the audit trail keeps no personal data.
                changes={name: {"before": "…", "after": "…"} for name in changed},
                request=request,
            )
    return person


@_refusals_audited
def request_person_remove(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    person: RequestPerson,
    request: HttpRequest | None = None,
) -> None:
    user = _may_change(by, assistance_request)
    _editable(assistance_request)
    if person.request_id != assistance_request.pk:
        raise ValidationError(_("This person is not named in this request."))
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEntry.Action.DELETE,
            obj=person,
            object_repr=f"{assistance_request.number}: {PersonRole(person.role).label}",
            request=request,
        )
        person.delete()


def _refresh_translations(record: AssistanceRequest) -> None:
    wanted = required_languages(record)
    if wanted != record.translations_required:
        record.translations_required = wanted
        AssistanceRequest.objects.filter(pk=record.pk).update(translations_required=wanted)


# --- correspondence and translations -----------------------------------------------------------------------------


@_refusals_audited
def request_letter_add(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    direction: str,
    dated: dt.date,
    counterpart: str,
    summary: str,
    reference: str = "",
    attachment: UploadedFile | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Correspondence:
    """Log a letter received or sent about the request, with its attachment (checked as the appeals' files are)."""
    from prokuratura.appeals.services.attachments import attachment_check

    user = _may_change(by, assistance_request)
    if submission_key:
        found = Correspondence.objects.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    errors: dict[str, list[str]] = {}
    if direction not in LetterDirection.values:
        errors["direction"] = [_("Say whether the letter was received or sent.")]
    _check_date(dated, "dated", errors)
    if not counterpart.strip():
        errors["counterpart"] = [_("Say who the letter is from or to.")]
    if not summary.strip():
        errors["summary"] = [_("Summarise the letter.")]
    if attachment is not None:
        try:
            attachment_check(upload=attachment)
        except ValidationError as error:
            errors["attachment"] = error.messages
    if errors:
        raise ValidationError(errors)
    letter = Correspondence(
        request=assistance_request,
        direction=direction,
        dated=dated,
        counterpart=counterpart.strip(),
        summary=summary.strip(),
        reference=reference.strip(),
        created_by=user,
        submission_key=submission_key or None,
    )
    if attachment is not None:
        letter.attachment = attachment
    with transaction.atomic():
        letter.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=letter,
            object_repr=f"{assistance_request.number}: {letter}",
            changes={
                "direction": {"before": None, "after": direction},
                "dated": {"before": None, "after": dated},
            },
            request=request,
        )
    return letter


@_refusals_audited
def translation_order(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    language: str,
    document: str,
    due_date: dt.date | None = None,
    translator: str = "",
    request: HttpRequest | None = None,
) -> TranslationTask:
    from .completeness import LANGUAGE_NAMES

    user = _may_change(by, assistance_request)
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGE_NAMES:
        errors["language"] = [_("Choose the language.")]
    if not document.strip():
        errors["document"] = [_("Say which document is translated.")]
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = [_("The due date cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    task = TranslationTask(
        request=assistance_request,
        language=language,
        document=document.strip(),
        due_date=due_date,
        translator=translator.strip(),
    )
    with transaction.atomic():
        task.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=task,
            changes={
                "language": {"before": None, "after": language},
                "due_date": {"before": None, "after": due_date},
            },
            request=request,
        )
    return task


TRANSLATION_MOVES = {
    TranslationStatus.ORDERED: {
        TranslationStatus.IN_PROGRESS,
        TranslationStatus.DONE,
        TranslationStatus.CANCELLED,
    },
    TranslationStatus.IN_PROGRESS: {TranslationStatus.DONE, TranslationStatus.CANCELLED},
    TranslationStatus.DONE: set(),
    TranslationStatus.CANCELLED: set(),
}


@_refusals_audited
def translation_set_status(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    task: TranslationTask,
    status: str,
    done_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TranslationTask:
    """Move a translation on: ordered → in progress → done (dated), or cancelled."""
    user = _may_change(by, assistance_request)
    if task.request_id != assistance_request.pk:
        raise ValidationError(_("This translation is not of this request."))
    if status not in TRANSLATION_MOVES.get(TranslationStatus(task.status), set()):
        raise ValidationError(
            {
                "status": [
                    _("A translation cannot move from “%(from)s” to this status.")
                    % {"from": task.get_status_display()}
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    if status == TranslationStatus.DONE:
        done_on = done_on or timezone.localdate()
        _check_date(done_on, "done_on", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(task, ("status", "done_on"))
        task.status = status
        task.done_on = done_on if status == TranslationStatus.DONE else None
        task.full_clean()
        task.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=task,
            changes=diff(before, snapshot(task, ("status", "done_on"))),
            request=request,
        )
    return task


# --- the refusal-grounds checklist (incoming) --------------------------------------------------------------------


@_refusals_audited
def request_grounds_assess(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    findings: dict[str, tuple[str, str]],
    request: HttpRequest | None = None,
) -> list[RefusalAssessment]:
    """Record the checklist: for each ground, whether it applies, with a note. A ground found to apply needs its
    note (the decision must say why)."""
    user = _may_change(by, assistance_request)
    if assistance_request.direction != Direction.INCOMING:
        raise ValidationError(_("The refusal grounds are weighed for incoming requests."))
    if assistance_request.status not in {S.RECEIVED, S.REGISTERED, S.RETURNED, S.CHECKED, S.ASSIGNED}:
        raise ValidationError(_("The decision on this request is taken: the checklist is closed."))
    errors: dict[str, list[str]] = {}
    for ground, (finding, note) in findings.items():
        if ground not in RefusalGround.values:
            errors.setdefault("grounds", []).append(_("Unknown ground: %(code)s.") % {"code": ground})
        elif finding not in GroundFinding.values:
            errors.setdefault(ground, []).append(_("Choose a finding."))
        elif finding == GroundFinding.APPLIES and not note.strip():
            errors.setdefault(ground, []).append(_("Say why this ground applies."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    rows = []
    with transaction.atomic():
        for ground, (finding, note) in findings.items():
            row, _created = RefusalAssessment.objects.select_for_update().get_or_create(
                request=assistance_request, ground=ground
            )
            if row.finding == finding and row.note == note.strip():
                rows.append(row)
                continue
            before = {"finding": row.finding, "note": row.note}
            row.finding, row.note, row.assessed_by, row.assessed_at = finding, note.strip(), user, now
            row.save()
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=assistance_request,
                changes={f"ground:{ground}": {"before": before["finding"], "after": finding}},
                reason=note.strip(),
                request=request,
            )
            rows.append(row)
    return rows


# --- the lifecycle's steps (called through REQUESTS.perform, which checks the table, the actor and the when) --


def _not_before(value: dt.date, floor: dt.date | None, name: str, message: str) -> None:
    if floor is not None and value < floor:
        raise ValidationError({name: message % {"date": _fmt(floor)}})


def _step_date(value: dt.date | None, name: str) -> dt.date:
    value = value or timezone.localdate()
    problem = _date_error(value)
    if problem:
        raise ValidationError({name: problem})
    return value


def _due(record: AssistanceRequest, milestone: str, start: dt.date) -> dt.date | None:
    """The step's control term for the request (its direction, kind and urgency) counted from `start`."""
    return request_due_date(
        direction=record.direction, kind=record.kind, milestone=milestone, start=start, urgency=record.urgency
    )


def request_check(
    *, by: Actor, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> AssistanceRequest:
    return REQUESTS.transition(step="check", by=by, record=assistance_request, request=request)


def request_revise(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    return REQUESTS.transition(
        step="revise", by=by, record=assistance_request, reason=reason, request=request
    )


def request_sign(
    *, by: Actor, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> AssistanceRequest:
    """A head signs: today's date and the signer's name and position in the request's language."""
    signer = user_or_none(by)
    return REQUESTS.transition(
        step="sign",
        by=by,
        record=assistance_request,
        changes={
            "signed_on": timezone.localdate(),
            "dated": timezone.localdate(),
            "signer": signer,
            "signer_name": signer_name(signer),
            "signer_position": signer_position(signer, assistance_request.language),
        },
        request=request,
    )


def request_send(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    sent_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    sent_on = _step_date(sent_on, "sent_on")
    _not_before(
        sent_on,
        assistance_request.signed_on,
        "sent_on",
        _("A request is sent after it is signed (%(date)s)."),
    )
    due = _due(assistance_request, Milestone.ACKNOWLEDGE, sent_on)
    return REQUESTS.transition(
        step="send",
        by=by,
        record=assistance_request,
        changes={"sent_on": sent_on, "due_date": due},
        request=request,
    )


def request_acknowledge(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    acknowledged_on: dt.date | None = None,
    foreign_reference: str = "",
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    acknowledged_on = _step_date(acknowledged_on, "acknowledged_on")
    _not_before(
        acknowledged_on,
        assistance_request.sent_on,
        "acknowledged_on",
        _("The acknowledgement cannot be dated before the sending (%(date)s)."),
    )
    due = _due(assistance_request, Milestone.EXECUTE, acknowledged_on)
    changes: dict[str, Any] = {"acknowledged_on": acknowledged_on, "due_date": due}
    if foreign_reference.strip():
        changes["foreign_reference"] = foreign_reference.strip()
    return REQUESTS.transition(
        step="acknowledge", by=by, record=assistance_request, changes=changes, request=request
    )


def request_start_execution(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    return REQUESTS.transition(
        step="start_execution", by=by, record=assistance_request, reason=reason, request=request
    )


RESULTS = {
    "executed": S.EXECUTED,
    "partly_executed": S.PARTLY_EXECUTED,
    "refused": S.REFUSED,
}


def request_record_result(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    result: str,
    executed_on: dt.date | None = None,
    outcome: str = "",
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    """What the partner did: executed (in full or in part, dated) or refused, with what came of it."""
    if result not in RESULTS:
        raise ValidationError({"result": [_("Choose the result.")]})
    if not outcome.strip():
        raise ValidationError({"outcome": [_("Describe the outcome.")]})
    executed_on = _step_date(executed_on, "executed_on")
    _not_before(
        executed_on,
        assistance_request.sent_on,
        "executed_on",
        _("The execution cannot be dated before the sending (%(date)s)."),
    )
    changes: dict[str, Any] = {"executed_on": executed_on, "outcome": outcome.strip(), "due_date": None}
    if result == "refused":
        changes["refusal_reasons"] = outcome.strip()
    return REQUESTS.transition(
        step="record_result",
        by=by,
        record=assistance_request,
        changes=changes,
        to=RESULTS[result],
        request=request,
    )


def request_withdraw(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    return REQUESTS.transition(
        step="withdraw",
        by=by,
        record=assistance_request,
        reason=reason,
        changes={"due_date": None},
        request=request,
    )


def request_register(
    *, by: Actor, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> AssistanceRequest:
    """Register a received request; the term to check it starts. The completeness check is shown on its page."""
    due = _due(assistance_request, Milestone.CHECK, timezone.localdate())
    return REQUESTS.transition(
        step="register", by=by, record=assistance_request, changes={"due_date": due}, request=request
    )


def request_accept(
    *, by: Actor, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> AssistanceRequest:
    return REQUESTS.transition(step="accept", by=by, record=assistance_request, request=request)


def request_return(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    """Return for completion; without a reason the reason is the list of what is missing."""
    if not reason.strip():
        reason = " ".join(i.message for i in request_completeness(assistance_request).missing)
    if not reason.strip():
        raise ValidationError({"reason": [_("The request is complete: say what the partner must complete.")]})
    return REQUESTS.transition(
        step="return",
        by=by,
        record=assistance_request,
        reason=reason,
        changes={"due_date": None},
        request=request,
    )


def request_resume(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    due = _due(assistance_request, Milestone.CHECK, timezone.localdate())
    return REQUESTS.transition(
        step="resume",
        by=by,
        record=assistance_request,
        reason=reason,
        changes={"due_date": due},
        request=request,
    )


def request_assign(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    executing_body: str,
    executing_office: Office | None = None,
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    if not executing_body.strip() and executing_office is None:
        raise ValidationError({"executing_body": [_("Name the executing body.")]})
    due = _due(assistance_request, Milestone.EXECUTE, timezone.localdate())
    return REQUESTS.transition(
        step="assign",
        by=by,
        record=assistance_request,
        changes={
            "executing_body": executing_body.strip() or (executing_office.name if executing_office else ""),
            "executing_office": executing_office,
            "due_date": due,
        },
        request=request,
    )


def request_record_execution(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    executed_on: dt.date | None = None,
    outcome: str = "",
    partly: bool = False,
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    if not outcome.strip():
        raise ValidationError({"outcome": [_("Describe the outcome.")]})
    executed_on = _step_date(executed_on, "executed_on")
    _not_before(
        executed_on,
        assistance_request.received_on,
        "executed_on",
        _("The execution cannot be dated before the request was received (%(date)s)."),
    )
    return REQUESTS.transition(
        step="record_execution",
        by=by,
        record=assistance_request,
        changes={"executed_on": executed_on, "outcome": outcome.strip(), "due_date": None},
        to=S.PARTLY_EXECUTED if partly else S.EXECUTED,
        request=request,
    )


def request_send_materials(
    *,
    by: Actor,
    assistance_request: AssistanceRequest,
    materials_sent_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> AssistanceRequest:
    materials_sent_on = _step_date(materials_sent_on, "materials_sent_on")
    _not_before(
        materials_sent_on,
        assistance_request.executed_on,
        "materials_sent_on",
        _("The materials cannot be sent before the execution (%(date)s)."),
    )
    return REQUESTS.transition(
        step="send_materials",
        by=by,
        record=assistance_request,
        changes={"materials_sent_on": materials_sent_on, "due_date": None},
        request=request,
    )


def request_refuse(
    *, by: Actor, assistance_request: AssistanceRequest, reason: str = "", request: HttpRequest | None = None
) -> AssistanceRequest:
    """A head refuses on the grounds of the checklist that apply (REFUSAL_GROUNDED), with the reasons."""
    return REQUESTS.transition(
        step="refuse",
        by=by,
        record=assistance_request,
        reason=reason,
        changes={"refusal_reasons": reason.strip(), "due_date": None},
        request=request,
    )
