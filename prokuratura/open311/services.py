"""Writes for the Open311 interface: its clients (added and revoked by administrators or a deployer's command),
and filing a service request — which is the one intake service, `appeal_register`, on the public channel."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.accounts.services import token_digest as key_digest
from prokuratura.appeals.models import Appeal, Channel
from prokuratura.appeals.services.intake import AppealData, appeal_register
from prokuratura.core.actors import PUBLIC, SETUP, Actor, is_user, user_or_none
from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry

from .models import Open311Client, Open311Request

KEY_PREFIX = "o311_"  # noqa: S105 - a public marker, not a secret
LAST_USED_EVERY_SECONDS = 60


def may_manage_clients(by: Actor) -> bool:
    """A deployer's command (SETUP) or an administrator of the appeals settings."""
    if by == SETUP:
        return True
    return bool(is_user(by) and by.is_active and by.has_perm(Perm.APPEALS_MANAGE))


def open311_client_create(
    *,
    by: Actor,
    name: str,
    contact: str = "",
    hourly_limit: int = 100,
    relay: bool = False,
    request: HttpRequest | None = None,
) -> tuple[Open311Client, str]:
    """Add a client; returns it and its api_key, which is never stored and cannot be shown again."""
    if not may_manage_clients(by):
        raise PermissionDenied(_("You may not manage Open311 clients."))
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the client a name.")
    elif Open311Client.objects.filter(name=name).exists():
        errors["name"] = _("A client with this name exists already.")
    if hourly_limit < 1:
        errors["hourly_limit"] = _("Allow at least one submission an hour.")
    if errors:
        raise ValidationError(errors)
    api_key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client(
            name=name,
            contact=(contact or "").strip(),
            key_prefix=api_key[:10],
            key_digest=key_digest(api_key),
            hourly_limit=hourly_limit,
            relay=relay,
            created_at=timezone.now(),
            created_by=user_or_none(by),
        )
        client.full_clean()
        client.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=client,
            changes={
                "hourly_limit": {"before": None, "after": hourly_limit},
                "relay": {"before": None, "after": relay},
            },
            request=request,
        )
    return client, api_key


def open311_client_revoke(
    *, by: Actor, client: Open311Client, request: HttpRequest | None = None
) -> Open311Client:
    """Stop a client's key at once. The requests it filed stay (they are appeals)."""
    if not may_manage_clients(by):
        raise PermissionDenied(_("You may not manage Open311 clients."))
    if client.revoked_at is not None:
        return client
    with transaction.atomic():
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=client,
            changes={"revoked_at": {"before": None, "after": client.revoked_at.isoformat()}},
            request=request,
        )
    return client


def open311_client_authenticate(*, api_key: str) -> Open311Client | None:
    """The active client holding `api_key`, or None. Notes the last use at most once a minute."""
    if not api_key:
        return None
    client = Open311Client.objects.filter(key_digest=key_digest(api_key)).first()
    if client is None or client.revoked_at is not None:
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
        # Bookkeeping, not a change anybody decided: not audited, and not a read-modify-write of the row.
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client


@dataclass
class SubmissionResult:
    appeal: Appeal
    created: bool  # False when the submission key matched an appeal filed before (a retry)


def open311_request_submit(
    *,
    client: Open311Client,
    data: AppealData,
    submission_key: str,
    body_sha256: str,
    idempotency_key_sha256: str = "",
    request: HttpRequest | None = None,
) -> SubmissionResult:
    """File an appeal for a client's user: the intake's `appeal_register` as the public page (the PUBLIC actor, the
    public web channel: the same checks, consent included), then the note of which client filed it. Invalid data
    raises the intake's ValidationError and writes nothing."""
    with transaction.atomic():
        result = appeal_register(
            by=PUBLIC, channel=Channel.PUBLIC_WEB, data=data, submission_key=submission_key, request=request
        )
        link, made = Open311Request.objects.get_or_create(
            appeal=result.appeal,
            defaults={
                "client": client,
                "requested_at": result.appeal.received_at,
                "body_sha256": body_sha256,
                "idempotency_key_sha256": idempotency_key_sha256,
                "created_at": timezone.now(),
            },
        )
        if made:
            audit_record(
                actor=PUBLIC,
                action=AuditEntry.Action.CREATE,
                obj=link,
                changes={
                    "client": {"before": None, "after": client.name},
                    "appeal": {"before": None, "after": result.appeal.reg_number},
                },
                reason="Open311",
                request=request,
            )
    return SubmissionResult(result.appeal, created=result.created)
