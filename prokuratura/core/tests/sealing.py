"""For tests that run in both modes of the audit trail (core.audit): inline, where `audit_record` chains its entry
at once (SQLite's default), and deferred, where the sealer chains committed entries later (PostgreSQL's)."""

from __future__ import annotations

from collections.abc import Iterable

from prokuratura.core.audit import audit_seal
from prokuratura.core.models import AuditEntry


def sealed(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries as the chain holds them, in the same order: sealed (a test's own entries are sealed inside
    its transaction, as a service's would be), then read again with their numbers and hashes."""
    entries = list(entries)
    audit_seal()
    stored = AuditEntry.objects.in_bulk([entry.pk for entry in entries])
    return [stored[entry.pk] for entry in entries]


def sealed_one(entry: AuditEntry) -> AuditEntry:
    [entry] = sealed([entry])
    return entry
