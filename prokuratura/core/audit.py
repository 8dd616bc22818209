"""The append-only, hash-chained audit trail.

Every entry stores the previous entry's hash and its own hash over a canonical JSON of its fields, so editing,
inserting or deleting any row breaks the chain where it happened. `audit_verify` recomputes it.
Writers call `audit_record` inside their service's transaction; it locks the single `AuditHead` row so two
concurrent writers append one after the other instead of forking the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import user_or_none
from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from .actors import Actor

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


def _canonical_numbers(value: Any) -> Any:
    """PostgreSQL's jsonb gives 1e+16 back as 10000000000000000: hash whole floats as the integers they equal."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_numbers(item) for item in value]
    return value


def entry_hash(values: dict[str, Any]) -> str:
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["changes"] = _canonical_numbers(payload["changes"])
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
    """The address as the database will give it back, so the hash survives the round trip.

    GenericIPAddressField stores IPv6 in its compressed, lower-case form ("2001:DB8:0::1" → "2001:db8::1");
    hashing the raw header would make such an entry look edited. Garbage is dropped rather than stored.
    """
    if request is None:
        return None
    raw = (request.META.get("REMOTE_ADDR") or "").strip()
    if not raw:
        return None
    try:
        if ":" in raw:
            return clean_ipv6_address(raw)
        return str(ipaddress.IPv4Address(raw))
    except (ValueError, ValidationError):
        return None


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside the service's transaction.

    A user is recorded by id and username; a system actor (core.actors) by its name, "system:<code>", with no
    id; None (a failed sign-in: nobody is known yet) by nothing at all."""
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    user = user_or_none(actor)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        values: dict[str, Any] = {
            "seq": head.seq + 1,
            "created_at": timezone.now(),
            "actor_id": user.pk if user else None,
            "actor_repr": (user.get_username() if user else str(actor or ""))[:150],
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


def audit_refusal(
    *,
    actor: Actor | None,
    what: str,
    error: Exception,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Record a refused attempt (bad input, a step the lifecycle forbids, no permission) as a security entry, after
    the refused work was rolled back: call it outside the failed transaction."""
    messages = getattr(error, "messages", None) or [str(error) or type(error).__name__]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.SECURITY,
        obj=obj,
        object_type="" if obj is not None else "attempt",
        reason=f"refused {what}: {' '.join(str(m) for m in messages)}"[:2000],
        request=request,
    )


PROBLEM_KINDS = {
    "edited": gettext_lazy("edited"),
    "inserted": gettext_lazy("inserted"),
    "deleted": gettext_lazy("deleted"),
    "truncated": gettext_lazy("truncated"),
}


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # a key of PROBLEM_KINDS
    message: str

    @property
    def kind_label(self) -> str:
        return str(PROBLEM_KINDS.get(self.kind, self.kind))


@dataclass
class ChainReport:
    """What a verification run saw: how many entries it checked and what was wrong with them."""

    checked: int = 0
    problem_count: int = 0
    problems: list[ChainProblem] = dataclass_field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.problem_count == 0


def audit_verify_chain(
    *, chunk_size: int = 5000, report: ChainReport | None = None
) -> Iterator[ChainProblem]:
    """Recompute the chain and name every entry that was edited, inserted or deleted.

    Writers keep appending while this runs. The head is read before the entries, so every entry up to it is
    committed and must be there (missing ones were truncated); an entry is only called "beyond the head" when
    the head read again afterwards still does not reach it (a real append moves the head in the same
    transaction). Entries appended during the run are checked like the others when the walk reaches them.
    """
    head_before = AuditHead.objects.filter(id=1).first()
    expected_seq = 1
    prev_hash = GENESIS
    last_seq = 0
    hash_at_head: str | None = None
    first_beyond_head: int | None = None
    fields = ["hash", *HASHED_FIELDS]
    for row in AuditEntry.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size):
        seq = row["seq"]
        if report is not None:
            report.checked += 1
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
        if head_before is not None and seq == head_before.seq:
            hash_at_head = row["hash"]
        if first_beyond_head is None and (head_before is None or seq > head_before.seq):
            first_beyond_head = seq
        prev_hash = row["hash"]
        expected_seq = seq + 1
        last_seq = seq

    head_seq = head_before.seq if head_before else 0
    if head_seq > last_seq:
        yield ChainProblem(
            last_seq + 1,
            "truncated",
            _("Entries after #%(last)d are missing: the chain head records #%(head)d.")
            % {"last": last_seq, "head": head_seq},
        )
    elif head_before is not None and hash_at_head is not None and hash_at_head != head_before.hash:
        yield ChainProblem(
            head_seq,
            "edited",
            _("Entry #%(seq)d does not match the hash the chain head recorded for it.") % {"seq": head_seq},
        )
    if first_beyond_head is not None:
        head_after = AuditHead.objects.filter(id=1).first()
        head_after_seq = head_after.seq if head_after else 0
        if last_seq > head_after_seq:
            first = max(first_beyond_head, head_after_seq + 1)
            yield ChainProblem(
                first,
                "inserted",
                _("Entries #%(first)d–#%(last)d lie beyond the chain head (#%(head)d): they were inserted.")
                % {"first": first, "last": last_seq, "head": head_after_seq},
            )


def audit_verify(*, chunk_size: int = 5000, keep: int = 1000) -> ChainReport:
    """Run the whole verification; keep the first `keep` problems (all are counted)."""
    report = ChainReport()
    for problem in audit_verify_chain(chunk_size=chunk_size, report=report):
        report.problem_count += 1
        if len(report.problems) < keep:
            report.problems.append(problem)
    return report
