"""The administrators' appeals settings: rule values (law as data), the topic taxonomy, routing rules and the
letter templates. Each write validates, saves in one transaction and audits what changed (before/after).

Nothing here deletes a topic: appeals keep the topic they were registered under, so a topic that is no longer
wanted is deactivated (new appeals cannot choose it) instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import HttpRequest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.calendar import add_working_days
from prokuratura.core.letters import Letterhead, signer_name, signer_position
from prokuratura.core.models import AuditEntry, Office, Region

from ..models import (
    Appeal,
    AppealKind,
    AppealRule,
    ApplicantType,
    Channel,
    LetterTemplate,
    OfficeAppealSetting,
    Outcome,
    ReceivedVia,
    RoutingRule,
    Status,
    Topic,
)
from ..rules import rule as rule_value
from ..rules import rules_changed
from .letters import Letter, letter_context, template_check

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# The values an administrator may set, per rule code, inclusive. A value outside them is either meaningless
# (a zero-day time limit, hour 24) or far beyond anything the law or the service could intend, so it is most
# likely a typing slip. Codes not listed get DEFAULT_RULE_BOUNDS.
RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "registration_cutoff_hour": (0, 23),
    "review_working_days": (1, 60),
    "review_term_from_receipt": (0, 1),
    "term_end_moves_to_working_day": (0, 1),
    "extension_max_months": (1, 12),
    "extension_notice_working_days": (1, 30),
    "forwarding_working_days": (1, 30),
    "complaint_filing_months": (1, 36),
    "repeat_lookback_months": (1, 120),
    "attachment_max_mb": (1, 100),
    "attachment_max_count": (1, 50),
    "reminder_working_days": (1, 30),
}
DEFAULT_RULE_BOUNDS = (1, 1000)

RULE_FIELDS = ["value"]
TOPIC_FIELDS = ["code", "name_kk", "name_ru", "name_en", "ordering", "is_active"]
ROUTING_FIELDS = ["region", "topic", "office", "department", "priority", "is_active"]
TEMPLATE_FIELDS = ["kind", "language", "subject", "body"]

validate_topic_code = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    gettext_lazy("Use lower-case Latin letters, digits and underscores, starting with a letter."),
    code="invalid",
)


def rule_bounds(code: str) -> tuple[int, int]:
    return RULE_BOUNDS.get(code, DEFAULT_RULE_BOUNDS)


# --- rules ---------------------------------------------------------------------------------------------------


def appeal_rule_update(
    *, by: User, rule: AppealRule, value: int, reason: str = "", request: HttpRequest | None = None
) -> AppealRule:
    """Change a rule's value (only the value: its code is what the code reads, its source is the law's)."""
    with transaction.atomic():
        # Fresh and locked: the audit entry must record what the database held, not the caller's copy.
        row = AppealRule.objects.select_for_update().get(pk=rule.pk)
        before = snapshot(row, RULE_FIELDS)
        low, high = rule_bounds(row.code)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                {"value": _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}},
                code="out_of_bounds",
            )
        row.value = value
        row.full_clean()
        row.save(update_fields=["value"])
        changes = diff(before, snapshot(row, RULE_FIELDS))
        if changes:
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                obj=row,
                changes=changes,
                reason=reason,
                request=request,
            )
            # Other workers drop their cached values only once the new one is visible to them.
            transaction.on_commit(rules_changed)
    rules_changed()
    return row


# --- topics --------------------------------------------------------------------------------------------------


def validate_topic_code_field(code: str) -> None:
    try:
        validate_topic_code(code)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from None


def topic_create(*, by: User, data: dict[str, Any], request: HttpRequest | None = None) -> Topic:
    with transaction.atomic():
        topic = Topic(**{key: value for key, value in data.items() if key in TOPIC_FIELDS})
        validate_topic_code_field(topic.code)
        topic.full_clean()
        topic.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=topic,
            changes=diff({}, snapshot(topic, TOPIC_FIELDS)),
            request=request,
        )
    return topic


def topic_update(
    *, by: User, topic: Topic, data: dict[str, Any], request: HttpRequest | None = None
) -> Topic:
    """Rename, reorder, deactivate or reactivate a topic. The code stays: data files and imports name it."""
    with transaction.atomic():
        row = Topic.objects.select_for_update().get(pk=topic.pk)
        before = snapshot(row, TOPIC_FIELDS)
        if "code" in data and data["code"] != row.code:
            raise ValidationError({"code": _("A topic's code cannot be changed.")}, code="code_fixed")
        for key, value in data.items():
            if key in TOPIC_FIELDS and key != "code":
                setattr(row, key, value)
        row.full_clean()
        row.save()
        changes = diff(before, snapshot(row, TOPIC_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=row, changes=changes, request=request)
    return row


def topic_next_ordering() -> int:
    """Where a new topic goes by default: after the last one."""
    last = Topic.objects.order_by("-ordering").values_list("ordering", flat=True).first()
    return 0 if last is None else last + 10


# --- routing rules -------------------------------------------------------------------------------------------


def _validate_routing_rule(routing_rule: RoutingRule) -> None:
    errors: dict[str, str] = {}
    department = routing_rule.department
    if department is not None and department.office_id != routing_rule.office_id:
        errors["department"] = _(
            "This department belongs to another office: choose a department of the rule's office, or none."
        )
    if routing_rule.is_active and routing_rule.office_id and not routing_rule.office.is_active:
        errors["office"] = _("This office is closed: an active rule cannot send appeals to it.")
    if routing_rule.is_active and department is not None and not department.is_active:
        errors.setdefault(
            "department", _("This department is closed: an active rule cannot send appeals to it.")
        )
    if errors:
        raise ValidationError(errors)


def _routing_rule_set(routing_rule: RoutingRule, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in ROUTING_FIELDS:
            setattr(routing_rule, key, value)


def routing_rule_create(*, by: User, data: dict[str, Any], request: HttpRequest | None = None) -> RoutingRule:
    with transaction.atomic():
        routing_rule = RoutingRule()
        _routing_rule_set(routing_rule, data)
        routing_rule.full_clean()
        _validate_routing_rule(routing_rule)
        routing_rule.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=routing_rule,
            changes=diff({}, snapshot(routing_rule, ROUTING_FIELDS)),
            request=request,
        )
    return routing_rule


def routing_rule_update(
    *, by: User, routing_rule: RoutingRule, data: dict[str, Any], request: HttpRequest | None = None
) -> RoutingRule:
    with transaction.atomic():
        row = RoutingRule.objects.select_for_update().get(pk=routing_rule.pk)
        before = snapshot(row, ROUTING_FIELDS)
        _routing_rule_set(row, data)
        row.full_clean()
        _validate_routing_rule(row)
        row.save()
        changes = diff(before, snapshot(row, ROUTING_FIELDS))
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=row, changes=changes, request=request)
    return row


def routing_rule_delete(*, by: User, routing_rule: RoutingRule, request: HttpRequest | None = None) -> None:
    """Appeals already routed keep their office; only future registrations are affected."""
    with transaction.atomic():
        row = RoutingRule.objects.select_for_update().get(pk=routing_rule.pk)
        audit_record(
            actor=by,
            action=AuditEntry.Action.DELETE,
            obj=row,
            changes=diff(snapshot(row, ROUTING_FIELDS), {}),
            request=request,
        )
        row.delete()


# --- letter templates ----------------------------------------------------------------------------------------


def _normalise_newlines(text: str) -> str:
    # Browsers send textarea lines as CRLF; letters split paragraphs on blank lines ("\n\n").
    return text.replace("\r\n", "\n").replace("\r", "\n")


def letter_template_update(
    *,
    by: User,
    kind: str,
    language: str,
    subject: str,
    body: str,
    request: HttpRequest | None = None,
) -> LetterTemplate:
    """Change the subject and body of the template for one kind of letter in one language (creating it when the
    defaults lack that combination). A template that does not compile is refused."""
    subject = _normalise_newlines(subject).strip()
    body = _normalise_newlines(body)
    with transaction.atomic():
        row = LetterTemplate.objects.select_for_update().filter(kind=kind, language=language).first()
        before = snapshot(row, TEMPLATE_FIELDS) if row else {}
        if row is None:
            row = LetterTemplate(kind=kind, language=language)
        row.subject, row.body = subject, body
        row.full_clean()
        template_check(body=body, subject=subject)
        row.save()
        changes = diff(before, snapshot(row, TEMPLATE_FIELDS))
        if changes:
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                obj=row,
                changes=changes,
                request=request,
            )
    return row


def sample_appeal(*, user: User, language: str) -> Appeal:
    """An unsaved, made-up appeal to preview letters with, at every stage a letter may need (answered, extended,
    forwarded), so no real applicant's data has to be shown. Its texts are in the letter's language."""
    today = timezone.localdate()
    office = (getattr(user, "office", None) if getattr(user, "office_id", None) else None) or (
        Office.objects.filter(level=Office.Level.GENERAL).order_by("path").first()
    )
    region = (office.region if office is not None and office.region_id else None) or Region.objects.first()
    topic = Topic.objects.filter(is_active=True).first()
    due = add_working_days(today, rule_value("review_working_days"))
    with translation.override(language):
        appeal = Appeal(
            reg_number=f"{office.code if office else 'GPO'}-{today.year}-000123",
            tracking_code="AB12-CD34-EF56",
            kind=AppealKind.COMPLAINT,
            channel=Channel.STAFF,
            received_via=ReceivedVia.POST,
            received_at=timezone.now(),
            registered_on=today,
            due_date=due,
            statutory_due_date=due,
            status=Status.ANSWERED,
            applicant_type=ApplicantType.INDIVIDUAL,
            applicant_language=language,
            applicant_name=_("Aigerim Serikovna Nurlanova"),
            applicant_address=_("12 Abay Avenue, flat 34, Astana"),
            subject=_("Unpaid wages"),
            text=_("My employer has not paid my wages for three months."),
            outcome=Outcome.EXPLAINED,
            answer_text=_("Here comes the text of the answer that the prosecutor writes."),
            answered_on=today,
            extended_until=today + dt.timedelta(days=30),
            extension_reason=_("Documents were requested from the employer."),
            forwarded_to=_("the Labour Inspectorate of Astana"),
            forwarded_on=today,
        )
    if office is not None:
        appeal.office = office
    if region is not None:
        appeal.region = region
    if topic is not None:
        appeal.topic = topic
    return appeal


def letter_template_preview(
    *, appeal: Appeal, kind: str, language: str, subject: str, body: str, signer: str = ""
) -> Letter:
    """The letter an unsaved subject and body would make for `appeal`: the same context and language as
    `letters.letter_render`, so what the administrator sees is what the applicant would get. Not a write."""
    subject, body = _normalise_newlines(subject), _normalise_newlines(body)
    template_check(body=body, subject=subject)
    user = appeal.assignee if appeal.assignee_id else None
    if not signer:
        signer = signer_name(user)
    try:
        with translation.override(language):
            context = Context(
                letter_context(appeal=appeal, signer=signer, language=language), autoescape=False
            )
            rendered_subject = Template(subject).render(context).strip()
            rendered_body = Template(body).render(context).strip()
    except Exception as exc:  # an edited template may fail in any way while rendering
        raise ValidationError(
            {"body": _("The template could not be rendered for this appeal: %(error)s") % {"error": exc}}
        ) from exc
    return Letter(
        kind=kind,
        language=language,
        subject=rendered_subject,
        body=rendered_body,
        appeal=appeal,
        signer=signer,
        signer_position=signer_position(user, language),
        date=timezone.localdate(),
        letterhead=Letterhead.of(appeal.office if appeal.office_id else None),
        preview=True,
    )


def office_signoff_set(*, by: User, office: Office, required: bool) -> OfficeAppealSetting:
    """Whether the office's answers need a head's sign-off before they go out. An answer already submitted stays
    with the head; turning sign-off off does not send it."""
    with transaction.atomic():
        setting, _created = OfficeAppealSetting.objects.select_for_update().get_or_create(office=office)
        before = setting.answer_signoff_required
        if before != required:
            setting.answer_signoff_required = required
            setting.save(update_fields=["answer_signoff_required", "updated_at"])
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                obj=setting,
                changes=diff({"answer_signoff_required": before}, {"answer_signoff_required": required}),
            )
    return setting
