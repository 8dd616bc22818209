"""The administrators' corrections of the requests' law as data: the control terms (RequestTerm) and the texts the
request and cover letters start from (RequestTemplate).

A term is corrected with its source (the article, the order, the publication): saved in one transaction and audited
with the source as the reason, as the supervision catalogue's act types are. A template is saved only when it
compiles and uses no tag beyond the logic over its facts (`request_letters.request_template_check`); the change is
audited. A refused correction changes nothing and leaves a security entry naming why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import Actor, is_user
from prokuratura.core.audit import audit_record, audit_refusal, diff, snapshot
from prokuratura.core.models import AuditEntry

from .models_requests import LETTER_LANGUAGES, RequestKind, RequestTemplate, RequestTerm
from .request_letters import request_template_check

P = ParamSpec("P")
R = TypeVar("R")

TERM_FIELDS = (
    "days",
    "unit",
    "urgent_days",
    "remind_days_before",
    "legal_source",
    "legal_source_kk",
    "legal_source_ru",
    "verified",
    "note",
)
TEMPLATE_FIELDS = ("kind", "document", "language", "subject", "body")


def _refusals_audited[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """A refused correction leaves a security entry naming the service and why, after its transaction rolled back."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            record = kwargs.get("term")
            audit_refusal(
                actor=kwargs.get("by"),  # type: ignore[arg-type]
                what=func.__name__,
                error=error,
                obj=record if isinstance(record, RequestTerm) else None,
                request=kwargs.get("request"),  # type: ignore[arg-type]
            )
            raise

    return wrapper


def _manager(by: Actor) -> User:
    if not is_user(by) or not by.is_active or not by.has_perm(Perm.COOP_REQUESTS_MANAGE):
        raise PermissionDenied(_("You may not do this."))
    return by


def _term_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    days, urgent = values.get("days"), values.get("urgent_days")
    if isinstance(days, int) and isinstance(urgent, int):
        if urgent <= 0:
            errors["urgent_days"] = [_("The time limit when urgent is at least one day.")]
        elif urgent > days:
            errors["urgent_days"] = [_("The time limit when urgent cannot be longer than the usual one.")]
    if not str(values.get("legal_source") or "").strip():
        errors["legal_source"] = [_("Name the legal source of the time limit.")]
    return errors


@_refusals_audited
def request_term_update(
    *,
    by: Actor,
    term: RequestTerm,
    changes: dict[str, Any],
    source: str,
    request: HttpRequest | None = None,
) -> RequestTerm:
    """Correct a control term. `source` (required) says where the corrected fact comes from; it is the audit
    entry's reason. Due dates already set stay as they are: the term counts for steps taken from now on."""
    user = _manager(by)
    if not source.strip():
        raise ValidationError(
            {"source": [_("Name the source of the correction (the article, the order, the publication).")]}
        )
    unknown = set(changes) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    with transaction.atomic():
        locked = RequestTerm.objects.select_for_update().get(pk=term.pk)
        before = snapshot(locked, TERM_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        errors = _term_errors(snapshot(locked, TERM_FIELDS))
        if errors:
            raise ValidationError(errors)
        locked.full_clean()
        locked.save()
        changed = diff(before, snapshot(locked, TERM_FIELDS))
        if changed:
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=locked,
                changes=changed,
                reason=source.strip()[:2000],
                request=request,
            )
    return locked


@_refusals_audited
def request_template_save(
    *,
    by: Actor,
    kind: str,
    document: str,
    language: str,
    subject: str,
    body: str,
    request: HttpRequest | None = None,
) -> RequestTemplate:
    """Create or edit the text a letter starts from (one kind, document and language). Refused, with the error next
    to the field, when it does not compile. Letters already filed keep their text."""
    user = _manager(by)
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose the kind of request.")]
    if document not in RequestTemplate.Document.values:
        errors["document"] = [_("Choose the request or the cover letter.")]
    if language not in dict(LETTER_LANGUAGES):
        errors["language"] = [_("Choose Kazakh, Russian or English.")]
    if not subject.strip():
        errors["subject"] = [_("Write the title.")]
    if not body.strip():
        errors["body"] = [_("Write the text.")]
    if errors:
        raise ValidationError(errors)
    request_template_check(subject=subject, body=body)
    values = {"subject": subject.strip(), "body": body.strip()}
    with transaction.atomic():
        current = (
            RequestTemplate.objects.select_for_update()
            .filter(kind=kind, document=document, language=language)
            .first()
        )
        if current is None:
            created = RequestTemplate(kind=kind, document=document, language=language, **values)
            created.full_clean()
            created.save()
            audit_record(
                actor=user,
                action=AuditEntry.Action.CREATE,
                obj=created,
                changes={
                    k: {"before": None, "after": v} for k, v in snapshot(created, TEMPLATE_FIELDS).items()
                },
                request=request,
            )
            return created
        before = snapshot(current, TEMPLATE_FIELDS)
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        changed = diff(before, snapshot(current, TEMPLATE_FIELDS))
        if changed:
            audit_record(
                actor=user, action=AuditEntry.Action.UPDATE, obj=current, changes=changed, request=request
            )
    return current
