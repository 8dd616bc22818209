"""The append-only, hash-chained audit trail.

Every entry stores the previous entry's hash and its own hash over a canonical JSON of its fields, so editing,
inserting or deleting any row breaks the chain where it happened. `audit_verify` recomputes it.
Writers call `audit_record` inside their service's transaction; it locks the single `AuditHead` row so two
concurrent writers append one after the other instead of forking the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_repr",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "ip_address",
    "prev_hash",
)


def _json_normal(value: Any) -> Any:
    """What the value will look like after a round trip through a JSON column."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def entry_hash(values: dict[str, Any]) -> str:
    payload = {name: values[name] for name in HASHED_FIELDS}
    created = payload["created_at"]
    if isinstance(created, dt.datetime):
        payload["created_at"] = created.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload["actor_id"] = None if payload["actor_id"] is None else int(payload["actor_id"])
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def object_label(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of `obj` as JSON-ready data (foreign keys by id)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = getattr(obj, attname)
    return _json_normal(data)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields that changed, as {field: {"before": x, "after": y}}."""
    before, after = _json_normal(before), _json_normal(after)
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside the service's transaction."""
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        values: dict[str, Any] = {
            "seq": head.seq + 1,
            "created_at": timezone.now(),
            "actor_id": actor_obj.pk if actor_obj else None,
            "actor_repr": (actor_obj.get_username() if actor_obj else str(actor or ""))[:150],
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:300],
            "changes": _json_normal(changes or {}),
            "reason": reason,
            "ip_address": _client_ip(request),
            "prev_hash": head.hash,
        }
        values["hash"] = entry_hash(values)
        entry = AuditEntry.objects.create(**values)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "edited" | "deleted" | "inserted" | "truncated"
    message: str


def audit_verify_chain(*, chunk_size: int = 5000) -> Iterator[ChainProblem]:
    """Recompute the chain and name every entry that was edited, inserted or deleted."""
    expected_seq = 1
    prev_hash = GENESIS
    last_seq = 0
    fields = ["hash", *HASHED_FIELDS]
    for row in AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size):
        seq = row["seq"]
        if seq > expected_seq:
            missing = f"#{expected_seq}" if seq - 1 == expected_seq else f"#{expected_seq}–#{seq - 1}"
            yield ChainProblem(
                expected_seq,
                "deleted",
                _("Entries %(missing)s are missing (deleted).") % {"missing": missing},
            )
        elif row["prev_hash"] != prev_hash:
            yield ChainProblem(
                seq,
                "inserted",
                _("Entry #%(seq)d does not follow the entry before it (inserted or reordered).")
                % {"seq": seq},
            )
        if entry_hash(row) != row["hash"]:
            yield ChainProblem(
                seq, "edited", _("Entry #%(seq)d was edited after it was written.") % {"seq": seq}
            )
        prev_hash = row["hash"]
        expected_seq = seq + 1
        last_seq = seq
    head = AuditHead.objects.filter(id=1).first()
    if head and head.seq > last_seq:
        yield ChainProblem(
            last_seq + 1,
            "truncated",
            _("Entries after #%(last)d are missing: the chain head records #%(head)d.")
            % {"last": last_seq, "head": head.seq},
        )
