"""Registering an appeal — one service for all four channels (staff form, public page, API, legacy import).

The law it applies (numbers from appeals.rules):
- registration on the day of receipt, or on the next working day when it arrives after working hours or on a day
  off (APPC art. 64); a unique number per office and year; the applicant gets a receipt with a tracking code;
- time limit: 15 working days from the day of receipt (APPC art. 76 p. 1; a rule can count them from registration);
- anonymous appeals are not considered — except reports of a crime being prepared or committed or of a threat to
  state or public security, which go at once to the competent body. What an anonymous appeal is, is judged by what it
  says: it is registered and waits in the triage list (`selectors.triage_list`) for a registrar or a head, due the
  day it is registered; a registrar who registers one already judged a report forwards it at once (`forward_to`);
- a complaint about a decision filed more than 3 months after the applicant learned of it is registered and
  flagged for a decision on restoring the term (APPC art. 91);
- same applicant, same matter, already answered → linked to the earlier appeal and flagged as repeated.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, fields
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import PUBLIC, SETUP, Actor, SystemActor, is_user, user_or_none
from prokuratura.core.audit import audit_record
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.memo import memo
from prokuratura.core.models import AuditEntry, CrimeCategory, Department, Office, Region, Sensitivity
from prokuratura.core.prepared import PreparedQuery, Slot, insert
from prokuratura.core.transactions import savepoint_needed

from ..models import (
    Appeal,
    AppealKind,
    ApplicantType,
    Channel,
    ReceivedVia,
    RegistrationCounter,
    RoutingRule,
    Status,
    Topic,
)
from ..rules import received_at_error, rule, term_end
from ..transitions import APPEALS
from .attachments import attachment_store, attachments_check

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass
class AppealData:
    """What an intake channel hands over, already parsed (forms, API schemas and the importer build it)."""

    kind: str
    subject: str
    text: str
    region: Region
    topic: Topic
    applicant_type: str
    received_via: str = ReceivedVia.WEB
    received_at: dt.datetime | None = None
    applicant_name: str = ""
    applicant_iin: str = ""
    applicant_bin: str = ""
    applicant_email: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    applicant_language: str = "ru"
    consent_personal_data: bool = False
    respondent_body: str = ""
    respondent_official: str = ""
    crime_focus: CrimeCategory | None = None
    decision_learned_on: dt.date | None = None
    is_urgent_report: bool = False
    sensitivity: str = Sensitivity.INTERNAL
    office: Office | None = None  # manual override of the routing rules
    department: Department | None = None
    forward_to: str = ""  # an urgent anonymous report goes straight to this body
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


@dataclass
class RegistrationResult:
    appeal: Appeal
    created: bool  # False when the submission key matched an appeal registered before (a retry)


def registration_date(received_at: dt.datetime) -> dt.date:
    """The day an appeal received at `received_at` is registered (APPC art. 64)."""
    local = timezone.localtime(received_at)
    day = local.date()
    if is_working_day(day) and local.hour < rule("registration_cutoff_hour"):
        return day
    return add_working_days(day, 1)


def term_start(appeal: Appeal) -> dt.date:
    """The day the 15 working days (and the two-month cap on an extension) run from: the day of receipt (APPC
    art. 76 p. 1), or the day of registration where the `review_term_from_receipt` rule says 0."""
    if rule("review_term_from_receipt"):
        return timezone.localtime(appeal.received_at).date()
    return appeal.registered_on


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_code(value: str) -> str:
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""


def _routing_table() -> tuple[list[RoutingRule], dict[int, Office], Office | None]:
    """The active rules (with their offices and departments), each region's regional office and the General
    Prosecutor's Office: the process's copy (core.memo), read once a minute instead of by every registration."""

    def load() -> tuple[list[RoutingRule], dict[int, Office], Office | None]:
        rules = list(RoutingRule.objects.filter(is_active=True).select_related("office", "department"))
        regional: dict[int, Office] = {}
        for office in Office.objects.filter(level=Office.Level.REGIONAL, is_active=True).order_by("path"):
            if office.region_id is not None:
                regional.setdefault(office.region_id, office)
        general = Office.objects.filter(level=Office.Level.GENERAL).order_by("path").first()
        return rules, regional, general

    return memo("appeals.routing", models_read=[RoutingRule, Office, Department], load=load)


def route(*, region: Region, topic: Topic) -> tuple[Office, Department | None]:
    """The office (and department) the routing rules send an appeal to: the most specific active rule wins
    (region and topic, then region, then topic, then a catch-all), ties by priority. With no rule, the region's
    own regional office; failing that, the Prosecutor General's Office."""
    all_rules, regional, general = _routing_table()
    # A missing region or topic is refused by the field rules afterwards; routing only must not fail on it.
    region_id, topic_id = getattr(region, "pk", None), getattr(topic, "pk", None)
    rules = [r for r in all_rules if r.region_id in (region_id, None) and r.topic_id in (topic_id, None)]
    if rules:
        rules.sort(key=lambda r: (r.region_id is None, r.topic_id is None, r.priority, r.pk))
        best = rules[0]
        return best.office, best.department
    office = (regional.get(region_id) if region_id is not None else None) or general
    if office is None:
        raise ValidationError(_("No prosecutor's office exists to register the appeal in."))
    return office, None


# Fields `full_clean` leaves to others at registration: the generated number and codes, and every relation given a
# row the service has just read (re-checking each would cost one query apiece; a missing required one is still
# refused by the field rules).
_GENERATED = ("reg_number", "tracking_code", "submission_key")
_RELATIONS = tuple((f.name, f.attname) for f in Appeal._meta.concrete_fields if f.is_relation)


def _not_rechecked(appeal: Appeal) -> list[str]:
    return [*_GENERATED, *(name for name, attname in _RELATIONS if getattr(appeal, attname) is not None)]


def _next_number(office: Office, year: int) -> str:
    return f"{office.code}-{year}-{RegistrationCounter.next(office, year):06d}"


def _validate(data: AppealData, channel: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in AppealKind.values:
        add("kind", _("Choose the kind of appeal."))
    if data.applicant_type == ApplicantType.INDIVIDUAL and not data.applicant_name.strip():
        add("applicant_name", _("Give the applicant's full name."))
    if data.applicant_type == ApplicantType.ORGANISATION:
        if not data.applicant_name.strip():
            add("applicant_name", _("Give the organisation's name."))
        if not data.applicant_bin.strip():
            add("applicant_bin", _("An organisation is identified by its BIN."))
    if (
        data.applicant_type != ApplicantType.ANONYMOUS
        and channel != Channel.IMPORT
        and not data.consent_personal_data
    ):
        add(
            "consent_personal_data",
            _(
                "The applicant's consent to the processing of personal data is required (Law No. 94-V, art. 8)."
            ),
        )
    if data.received_at is not None:
        if timezone.is_naive(data.received_at):
            add(
                "received_at",
                _("Give the time of receipt with its time zone, e.g. 2026-12-01T10:30:00+05:00."),
            )
        elif problem := received_at_error(data.received_at):
            add("received_at", problem)
    if data.decision_learned_on and data.decision_learned_on > timezone.localdate():
        add("decision_learned_on", _("This date cannot be in the future."))
    if data.department and data.office and data.department.office_id != data.office.pk:
        add("department", _("The department belongs to another office."))
    if data.forward_to and data.applicant_type != ApplicantType.ANONYMOUS:
        add("forward_to", _("Only an anonymous report of a crime or a threat is forwarded at registration."))
    return errors


def is_late_complaint(*, kind: str, learned_on: dt.date | None, received_on: dt.date) -> bool:
    """A complaint filed after the window from the day the applicant learned of the decision (APPC art. 91 p. 2)."""
    if kind != AppealKind.COMPLAINT or learned_on is None:
        return False
    window_end = term_end(learned_on + relativedelta(months=rule("complaint_filing_months")))
    return received_on > window_end


_IDENTIFIERS = ("applicant_iin", "applicant_bin", "applicant_email", "applicant_phone")


def _same_applicant(appeal: Appeal) -> tuple[str, str] | None:
    """The strongest identifier the applicant gave, as (field, value): IIN, BIN, e-mail, phone (each has an index)."""
    if appeal.applicant_type == ApplicantType.ANONYMOUS:
        return None
    return next(((name, getattr(appeal, name)) for name in _IDENTIFIERS if getattr(appeal, name)), None)


def _lookup(identifier: str) -> str:
    return (
        f"{identifier}__iexact" if identifier == "applicant_email" else identifier
    )  # e-mail addresses are ASCII


def same_applicant_q(*, appeal: Appeal) -> Q | None:
    """The applicant's other appeals, by the strongest identifier given (each has an index); None for an
    anonymous applicant or one who gave none."""
    found = _same_applicant(appeal)
    return Q(**{_lookup(found[0]): found[1]}) if found else None


def _earlier_query(identifier: str, exclude: bool) -> PreparedQuery:
    """The applicant's answered appeals on a topic since a day, newest first: one compiled query per identifier
    (and with or without an appeal left out), since every registration asks (core.prepared)."""
    lookup = _lookup(identifier)

    def build(value: str, topic_id: int, since: dt.date, pk: int = 0) -> Any:
        earlier = Appeal.objects.filter(
            **{lookup: value},
            topic_id=topic_id,
            status__in=[Status.ANSWERED, Status.CLOSED],
            registered_on__gte=since,
        )
        if exclude:
            earlier = earlier.exclude(pk=pk)
        return earlier.order_by("-registered_on", "-pk").values_list("pk", "respondent_body")[:50]

    slots = [
        Slot(Appeal, identifier, "sample %_\\ identifier"),
        Slot(Appeal, "topic", -7_310_001),
        Slot(Appeal, "registered_on", dt.date(1, 2, 3)),
    ]
    if exclude:
        slots.append(Slot(Appeal, "id", -7_310_002))
    return PreparedQuery(f"appeals.earlier.{identifier}.{exclude}", build, slots)


_EARLIER = {
    (name, exclude): _earlier_query(name, exclude) for name in _IDENTIFIERS for exclude in (False, True)
}


def find_repeated_of(*, appeal: Appeal) -> Appeal | None:
    """The latest answered appeal of the same applicant on the same matter (topic and, when given, the body
    complained about) within the look-back period."""
    same_applicant = _same_applicant(appeal)
    if same_applicant is None:
        return None
    identifier, value = same_applicant
    since = appeal.registered_on - relativedelta(months=rule("repeat_lookback_months"))
    values = [value, appeal.topic_id, since, *([appeal.pk] if appeal.pk else [])]
    # SQLite folds only ASCII case, so names of bodies (mostly Cyrillic) are compared here, casefolded; one
    # applicant's answered appeals on one topic are few.
    body = " ".join(appeal.respondent_body.split()).casefold()
    for pk, respondent_body in _EARLIER[identifier, bool(appeal.pk)].rows(*values):
        if not body or " ".join(respondent_body.split()).casefold() == body:
            return Appeal.from_db("default", ["id", "respondent_body"], [pk, respondent_body])
    return None


_BY_SUBMISSION_KEY = PreparedQuery(
    "appeals.by_submission_key",
    lambda key: Appeal.objects.filter(submission_key=key).order_by("pk").values_list("pk")[:1],
    [Slot(Appeal, "submission_key", "sample %_\\ submission key")],
)


# Who registers through each channel: staff and other systems with `appeals.register`, a legacy register's import
# on behalf of the user who uploaded it (`appeals.import`), members of the public as the PUBLIC system actor. SETUP
# (the demo seed, benchmarks) registers through any channel.
CHANNEL_PERMISSIONS: dict[str, str] = {
    Channel.STAFF: Perm.APPEALS_REGISTER,
    Channel.API: Perm.APPEALS_REGISTER,
    Channel.IMPORT: Perm.APPEALS_IMPORT,
}
CHANNEL_SYSTEM_ACTORS: dict[str, SystemActor] = {Channel.PUBLIC_WEB: PUBLIC}


def may_register(*, by: Actor, channel: str) -> bool:
    if by == SETUP:
        return True
    if isinstance(by, SystemActor):
        return CHANNEL_SYSTEM_ACTORS.get(channel) == by
    permission = CHANNEL_PERMISSIONS.get(channel)
    return bool(permission and is_user(by) and by.is_active and by.has_perm(permission))


def appeal_register(
    *,
    by: Actor,
    channel: str,
    data: AppealData,
    uploads: list[Any] | None = None,
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> RegistrationResult:
    """Register an appeal from any channel. With a `submission_key`, a retry returns the appeal the first call
    made instead of registering a second one. Invalid data raises ValidationError and writes nothing; an actor the
    channel does not admit (`may_register`) gets PermissionDenied."""
    if not may_register(by=by, channel=channel):
        raise PermissionDenied(_("You may not register appeals through this channel."))
    # Only the id: a retry is rare, and every registration asks.
    if submission_key and (earlier := _BY_SUBMISSION_KEY.rows(submission_key)):
        return RegistrationResult(Appeal.objects.get(pk=earlier[0][0]), created=False)
    errors = _validate(data, channel)
    checked = []
    if uploads:
        try:
            checked = attachments_check(uploads=list(uploads))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    received_at = data.received_at or timezone.now()
    registered_on = registration_date(received_at)
    office, department = (
        (data.office, data.department) if data.office else route(region=data.region, topic=data.topic)
    )
    anonymous = data.applicant_type == ApplicantType.ANONYMOUS
    staff_user = user_or_none(by)

    appeal = Appeal(
        kind=data.kind,
        channel=channel,
        received_via=data.received_via,
        received_at=received_at,
        registered_on=registered_on,
        status=Status.REGISTERED,
        sensitivity=data.sensitivity,
        applicant_type=data.applicant_type,
        applicant_name="" if anonymous else data.applicant_name.strip(),
        applicant_iin="" if anonymous else data.applicant_iin.strip(),
        applicant_bin="" if anonymous else data.applicant_bin.strip(),
        applicant_email=data.applicant_email.strip(),
        applicant_phone=data.applicant_phone.strip(),
        applicant_address=data.applicant_address.strip(),
        applicant_language=data.applicant_language,
        consent_personal_data=data.consent_personal_data,
        subject=data.subject.strip(),
        text=data.text.strip(),
        respondent_body=data.respondent_body.strip(),
        respondent_official=data.respondent_official.strip(),
        region=data.region,
        topic=data.topic,
        crime_focus=data.crime_focus,
        decision_learned_on=data.decision_learned_on,
        is_urgent_report=data.is_urgent_report,
        office=office,
        department=department,
        registered_by=staff_user,
        submission_key=submission_key or None,
        tracking_code=new_tracking_code(),
        reg_number="-",  # replaced below, once the counter is locked
    )
    appeal.is_late = is_late_complaint(
        kind=data.kind,
        learned_on=data.decision_learned_on,
        received_on=timezone.localtime(received_at).date(),
    )
    statutory_due = add_working_days(term_start(appeal), rule("review_working_days"))
    appeal.statutory_due_date = appeal.due_date = statutory_due
    if anonymous:
        # Triaged at once (appeals.transitions): left without consideration, or forwarded as a report of a crime or
        # a threat on the day of registration itself.
        appeal.forward_due = registered_on
    else:
        appeal.forward_due = add_working_days(registered_on, rule("forwarding_working_days"))
    appeal.repeated_of = find_repeated_of(appeal=appeal)

    # The field rules only: the related rows were just read, the number comes from its counter (unique by it and by
    # the constraint), and the one check constraint (persons restored) cannot fail on a new appeal.
    appeal.full_clean(exclude=_not_rechecked(appeal), validate_unique=False, validate_constraints=False)
    # Inside the API's idempotent create no savepoint is taken (core.transactions): a failure rolls
    # its whole transaction back, and the claim on the Idempotency-Key already keeps a second request with the same
    # submission key waiting until this one is done.
    savepoint = savepoint_needed()
    try:
        with transaction.atomic(savepoint=savepoint):
            appeal.reg_number = _next_number(office, registered_on.year)
            insert(appeal)
            APPEALS.record_history(record=appeal, by=by, step="create")
            for item in checked:
                attachment_store(appeal=appeal, checked=item, by=by)
            audit_record(
                actor=by,
                action=AuditEntry.Action.CREATE,
                obj=appeal,
                changes={
                    "channel": {"before": None, "after": channel},
                    "office": {"before": None, "after": office.code},
                    "due_date": {"before": None, "after": appeal.due_date.isoformat()},
                },
                request=request,
            )
            if channel != Channel.IMPORT:  # a legacy register's applicants had their receipts long ago
                from .notify import notify_applicant

                notify_applicant(appeal_id=appeal.pk, kind="receipt")
            if anonymous and data.forward_to:
                # The registrar judged it a report of a crime or a threat: triaged at once, by them.
                from .workflow import appeal_triage_forward

                appeal_triage_forward(
                    by=by,
                    appeal=appeal,
                    forwarded_to=data.forward_to,
                    reason=_(
                        "Report of a crime or a threat to security, routed at once to the competent body."
                    ),
                    request=request,
                )
    except IntegrityError:
        # Two submissions with the same key raced: the other one won, return what it made.
        if submission_key and savepoint:
            existing = Appeal.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return RegistrationResult(existing, created=False)
        raise
    # What the database gives back for the time of receipt: UTC (the rest of the row is as written).
    appeal.received_at = appeal.received_at.astimezone(dt.UTC)
    return RegistrationResult(appeal, created=True)
