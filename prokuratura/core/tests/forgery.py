"""What a forger with SQL access and SHA-256 (there is no secret in the chain) can do to the audit trail: the
tests of core.audit and core.anchors tamper with the table through these."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from prokuratura.core.audit import HASHED_FIELDS, entry_hash
from prokuratura.core.models import AuditEntry, AuditHead


def forge_entry(
    seq: int, prev_hash: str, created_at: dt.datetime | None = None, object_repr: str = "Forged"
) -> AuditEntry:
    """A well-formed entry at `seq`, linked to `prev_hash`, with its hash computed as the service would."""
    values = {
        "seq": seq,
        "created_at": created_at or timezone.now(),
        "actor_id": None,
        "actor_repr": "",
        "action": AuditEntry.Action.UPDATE,
        "object_type": "core.office",
        "object_id": "99",
        "object_repr": object_repr,
        "changes": {},
        "reason": "",
        "ip_address": None,
        "prev_hash": prev_hash,
    }
    return AuditEntry.objects.create(**values, hash=entry_hash(values))


def renumber(first: int, by: int) -> None:
    """Move #first and every later entry by `by`, in an order in which the unique seq never collides."""
    seqs = list(AuditEntry.objects.filter(seq__gte=first).order_by("seq").values_list("seq", flat=True))
    for seq in reversed(seqs) if by > 0 else seqs:
        AuditEntry.objects.filter(seq=seq).update(seq=seq + by)


def rehash_from(first: int) -> None:
    """Recompute prev_hash and hash of #first and every later entry, and move the head to the last: the chain is
    consistent in itself again."""
    previous = (
        AuditEntry.objects.filter(seq__lt=first).order_by("-seq").values_list("hash", flat=True).first()
    )
    prev_hash = previous or "0" * 64
    last = None
    for row in AuditEntry.objects.filter(seq__gte=first).order_by("seq").values("pk", *HASHED_FIELDS):
        pk = row.pop("pk")
        row["prev_hash"] = prev_hash
        prev_hash = entry_hash(row)
        AuditEntry.objects.filter(pk=pk).update(prev_hash=row["prev_hash"], hash=prev_hash)
        last = row["seq"]
    if last is not None:
        AuditHead.objects.filter(id=1).update(seq=last, hash=prev_hash)


def insert_and_rehash(*, at: int) -> AuditEntry:
    """Forgery (b): an entry inserted at `at`, the later ones renumbered and re-hashed, the head moved."""
    renumber(at, 1)
    previous = AuditEntry.objects.get(seq=at - 1)
    forged = forge_entry(at, previous.hash, previous.created_at)
    rehash_from(at + 1)
    return forged
