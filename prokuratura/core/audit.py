"""The append-only, hash-chained audit trail.

Every entry stores the previous entry's hash and its own hash over a canonical JSON of its fields, so editing,
inserting or deleting any row breaks the chain where it happened. `audit_verify` recomputes it.

Writers call `audit_record` inside their service's transaction. On PostgreSQL it is one INSERT of an *unsealed*
entry (no seq, no hashes) and nothing else, so writers never wait for each other. `audit_seal` — run every
AUDIT_SEAL_SECONDS by each `task_worker`, by `manage.py audit_seal` from a timer, and first by `audit_verify`,
`audit_anchor` and `backup_create` — chains every entry that has committed, in the order of its id, under the
lock of the single `AuditHead` row. An entry of a transaction still open is invisible to it and is sealed by a
later round, after its commit; a rolled-back entry never existed. With AUDIT_SEAL_INLINE (the default on SQLite,
which lets one transaction write at a time anyway) `audit_record` seals its entry at once under the head's lock,
as every write did before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .actors import user_or_none
from .models import AuditEntry, AuditHead
from .prepared import insert

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
    values: dict[str, Any] = {
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
    }
    if not settings.AUDIT_SEAL_INLINE:
        # One INSERT and no lock: audit_seal chains the entry once its transaction has committed.
        return insert(AuditEntry(seq=None, prev_hash="", hash="", **values))
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        values["seq"], values["prev_hash"] = head.seq + 1, head.hash
        values["hash"] = entry_hash(values)
        entry = AuditEntry.objects.create(**values)
        head.seq, head.hash = values["seq"], values["hash"]
        head.save(update_fields=["seq", "hash"])
    return entry


# --- sealing ---------------------------------------------------------------------------------------------------


def _locked_head(*, wait: bool) -> AuditHead | None:
    """The head row, locked until the transaction ends; None when `wait` is off and another sealer holds it."""
    head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(id=1).first()
    if head is None:
        if not wait and AuditHead.objects.filter(id=1).exists():
            return None
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
    return head


def _write_seals(rows: list[tuple[int, int, str, str]]) -> None:
    """Set (id → seq, prev_hash, hash) of every row in one UPDATE joined to a VALUES list."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            # VALUES names its columns column1… on both databases.
            f"UPDATE {table} SET seq = sealed.column2, prev_hash = sealed.column3, hash = sealed.column4 "  # noqa: S608 - placeholders only
            f"FROM (VALUES {values}) AS sealed WHERE {table}.id = sealed.column1 AND {table}.seq IS NULL",
            [value for row in rows for value in row],
        )
        if cursor.rowcount != len(rows):
            raise RuntimeError(f"audit_seal: sealed {cursor.rowcount} of {len(rows)} entries; rolled back")


def _seal_batch(*, wait: bool, limit: int) -> int | None:
    """Seal up to `limit` committed entries in id order; None when another sealer holds the head."""
    fields = [name for name in HASHED_FIELDS if name not in ("seq", "prev_hash")]
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return None
        # Every unsealed entry this statement sees has committed, or is the caller's own (a seal inside a
        # service's or a test's transaction: the head stays locked until that transaction ends, so a rollback
        # takes the seal with it). Entries of transactions still open are sealed by a later round.
        rows = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id").values("id", *fields)[:limit])
        if not rows:
            return 0
        # Numbers above the head already taken can only be rows written behind the sealer's back: they are left
        # where they are (audit_verify names them inserted), and the chain goes on past them.
        taken = set(AuditEntry.objects.filter(seq__gt=head.seq).values_list("seq", flat=True))
        seq, prev_hash = head.seq, head.hash
        seals = []
        for row in rows:
            seq += 1
            while seq in taken:
                seq += 1
            row["seq"], row["prev_hash"] = seq, prev_hash
            prev_hash = entry_hash(row)
            seals.append((row["id"], seq, row["prev_hash"], prev_hash))
        _write_seals(seals)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return len(rows)


def audit_seal(*, wait: bool = True, limit: int = 5000) -> int:
    """Chain every committed unsealed entry in the order of its id, `limit` per transaction; return how many were
    sealed. `wait=False` returns 0 at once when another sealer is at work (the workers' loop).

    Concurrent sealers take turns on the head's row lock. Sealing writes no audit entry of its own: it adds
    nothing but the numbers and hashes the entries' content already determines."""
    if not AuditEntry.objects.filter(seq__isnull=True).exists():
        return 0  # nothing to do: no lock taken (SQLite: no write lock)
    sealed = 0
    while True:
        count = _seal_batch(wait=wait, limit=limit)
        if not count:
            return sealed
        sealed += count
        if count < limit:
            return sealed


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
    "renumbered": gettext_lazy("renumbered"),
    "rewritten": gettext_lazy("rewritten"),
    "unsealed": gettext_lazy("unsealed"),
}

# How far back a broken link is looked up: an entry whose prev_hash names one of the last RECENT_WINDOW entries
# shows that the entries between were inserted. A forged block longer than this is still found, only named less
# precisely (its successor's predecessor is called replaced).
RECENT_WINDOW = 4096
# An entry whose own hash fails is tried with other numbers (renumbered rows) up to this far from where it stands,
# only where its link is broken too, and at most SHIFT_SEARCH_BUDGET times a run: a forger who breaks millions of
# links must not make the nightly check take days.
SHIFT_SEARCH = 256
SHIFT_SEARCH_BUDGET = 1000
# Entries past the head kept to tell real appends during the run from entries inserted behind the head's back.
TAIL_KEEP = 100_000


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # a key of PROBLEM_KINDS
    message: str

    @property
    def kind_label(self) -> str:
        return str(PROBLEM_KINDS.get(self.kind, self.kind))


@dataclass(frozen=True)
class Anchor:
    """A chain head written outside the database (core.anchors): entry `seq` carried `hash` at that time.

    `at` is when it was written, as the anchor says ("" when it does not say); `source` where it was read
    ("anchors.jsonl:12", "--expect"), to name it when it does not say when it was written."""

    seq: int
    hash: str
    at: str = ""
    source: str = ""


@dataclass
class ChainReport:
    """What a verification run saw: how many entries it checked and what was wrong with them."""

    checked: int = 0
    problem_count: int = 0
    problems: list[ChainProblem] = dataclass_field(default_factory=list)
    anchors_checked: int = 0

    @property
    def intact(self) -> bool:
        return self.problem_count == 0


def _numbers(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def _renumbered(first: int, last: int, shift: int) -> ChainProblem:
    return ChainProblem(
        first,
        "renumbered",
        _(
            "Entries %(entries)s carry other numbers than they were written with (moved by %(shift)+d): they "
            "were renumbered to make room for inserted entries or to close the gap of deleted ones."
        )
        % {"entries": _numbers(first, last), "shift": shift},
    )


def _with_seq(row: dict[str, Any], seq: int) -> str:
    return entry_hash({**row, "seq": seq})


class _Walk:
    """The state of one walk along the chain, in the order of the stored numbers.

    Every entry gets an *original* number: the one its own hash was computed with. It equals the stored number
    unless the entry was renumbered; an entry whose hash matches no number tried was edited (and is assumed to
    stand where it was written). Links are judged against the entry the row was chained to, found by its hash
    among the recent ones, so a forgery is named and its genuine neighbour is not blamed."""

    def __init__(self, head: AuditHead | None, anchors: Iterable[Anchor]) -> None:
        self.head_seq = head.seq if head else 0
        self.head_hash = head.hash if head else GENESIS
        # Where the head's entry stands (seq 0 is the genesis, for an empty head).
        self.head_row: int | None = 0 if self.head_seq == 0 else None
        self.tail: list[tuple[int, str]] = []  # rows after the head's entry (or after its number)
        self.tail_first: int | None = None
        self.expected_seq = 1
        self.prev_seq = 0
        self.prev_hash = GENESIS
        self.prev_original = 0
        self.prev_edited = False
        self.shift = 0
        self.run: list[int] | None = None  # [first, last, shift] of the current renumbered run
        self.recent: OrderedDict[str, tuple[int, int]] = OrderedDict()  # hash → (seq, original)
        self.budget = SHIFT_SEARCH_BUDGET
        self.last_seq = 0
        self.edited: set[int] = set()
        self.anchors: dict[tuple[int, str], Anchor] = {}
        for anchor in anchors:
            if anchor.seq > 0:
                self.anchors.setdefault((anchor.seq, anchor.hash), anchor)
        self.anchored_seqs = {seq for seq, _hash in self.anchors}
        self.anchored_hashes = {hash_ for _seq, hash_ in self.anchors}
        self.stored_at: dict[int, str] = {}  # anchored seq → the hash stored there
        self.hash_found: set[str] = set()  # anchored hashes found at any number (renumbered rows)

    def row(self, row: dict[str, Any]) -> Iterator[ChainProblem]:
        seq, own = row["seq"], row["hash"]
        gap = seq > self.expected_seq
        linked = row["prev_hash"] == self.prev_hash
        explained = linked
        ref_original = self.prev_original  # the original number of the entry this one was chained to
        if gap:
            yield ChainProblem(
                self.expected_seq,
                "deleted",
                _("Entries %(missing)s are missing (deleted).")
                % {"missing": _numbers(self.expected_seq, seq - 1)},
            )
            explained = True
            ref_original += seq - self.expected_seq
        elif not linked and row["prev_hash"] in self.recent:
            earlier_seq, ref_original = self.recent[row["prev_hash"]]
            between: list[int] = []
            for seq_between, _original in reversed(self.recent.values()):
                if seq_between == earlier_seq:
                    break
                between.append(seq_between)
            for inserted in reversed(between):
                yield ChainProblem(
                    inserted,
                    "inserted",
                    _("Entry #%(seq)d was inserted: the entry after it is chained to #%(earlier)d.")
                    % {"seq": inserted, "earlier": earlier_seq},
                )
            explained = True

        original = self._original(row, ref_original, search=not linked and not gap)
        if not explained:
            if original is not None and original > ref_original + 1:
                yield ChainProblem(
                    ref_original + 1,
                    "deleted",
                    _(
                        "Entries written as %(missing)s are missing (deleted), and the later ones were renumbered "
                        "to close the gap."
                    )
                    % {"missing": _numbers(ref_original + 1, original - 1)},
                )
            elif self.prev_seq and not self.prev_edited:
                self.edited.add(self.prev_seq)
                yield ChainProblem(
                    self.prev_seq,
                    "edited",
                    _(
                        "Entry #%(seq)d is not the entry that #%(next)d was chained to: it was replaced, or "
                        "edited and its hash recomputed."
                    )
                    % {"seq": self.prev_seq, "next": seq},
                )
            elif not self.prev_seq:
                yield ChainProblem(
                    seq,
                    "inserted",
                    _("Entry #%(seq)d does not follow the entry before it (inserted or reordered).")
                    % {"seq": seq},
                )
        edited = original is None
        if original is None:
            self.edited.add(seq)
            yield ChainProblem(
                seq, "edited", _("Entry #%(seq)d was edited after it was written.") % {"seq": seq}
            )
            original = seq - self.shift
        else:
            yield from self._renumbering(seq, seq - original)

        self._note(seq, own)
        self.recent.pop(own, None)
        self.recent[own] = (seq, original)
        if len(self.recent) > RECENT_WINDOW:
            self.recent.popitem(last=False)
        self.prev_seq, self.prev_hash, self.prev_original, self.prev_edited = seq, own, original, edited
        self.expected_seq = seq + 1
        self.last_seq = seq

    def _original(self, row: dict[str, Any], ref_original: int, *, search: bool) -> int | None:
        seq = row["seq"]
        if entry_hash(row) == row["hash"]:
            return seq
        for candidate in dict.fromkeys((seq - self.shift, ref_original + 1)):
            if candidate > 0 and candidate != seq and _with_seq(row, candidate) == row["hash"]:
                return candidate
        if search and self.budget > 0:
            self.budget -= 1
            for distance in range(1, SHIFT_SEARCH + 1):
                for candidate in (seq + distance, seq - distance):
                    if candidate > 0 and _with_seq(row, candidate) == row["hash"]:
                        return candidate
        return None

    def _renumbering(self, seq: int, shift: int) -> Iterator[ChainProblem]:
        run = self.run
        if run is not None and (shift != run[2] or seq != run[1] + 1):
            yield _renumbered(*run)
            run = self.run = None
        if shift:
            if run is None:
                self.run = [seq, seq, shift]
            else:
                run[1] = seq
        self.shift = shift

    def _note(self, seq: int, own: str) -> None:
        if seq in self.anchored_seqs:
            self.stored_at[seq] = own
        if own in self.anchored_hashes:
            self.hash_found.add(own)
        if self.head_row is not None:
            if seq > self.head_row:
                self._to_tail(seq, own)
        elif own == self.head_hash:
            self.head_row = seq
            # Rows collected by number before the head's own entry turned up were not beyond it.
            self.tail, self.tail_first = [], None
        elif seq > self.head_seq:
            self._to_tail(seq, own)

    def _to_tail(self, seq: int, own: str) -> None:
        if self.tail_first is None:
            self.tail_first = seq
        if len(self.tail) < TAIL_KEEP:
            self.tail.append((seq, own))

    def finish(self, head_after: AuditHead | None) -> Iterator[ChainProblem]:
        if self.run is not None:
            yield _renumbered(*self.run)
            self.run = None
        if self.head_row is None:
            if self.head_seq > self.last_seq:
                yield ChainProblem(
                    self.last_seq + 1,
                    "truncated",
                    _("Entries after #%(last)d are missing: the chain head records #%(head)d.")
                    % {"last": self.last_seq, "head": self.head_seq},
                )
            elif self.head_seq not in self.edited:
                yield ChainProblem(
                    self.head_seq,
                    "edited",
                    _("Entry #%(seq)d does not match the hash the chain head recorded for it.")
                    % {"seq": self.head_seq},
                )
        yield from self._beyond_head(head_after)
        yield from self._anchor_problems()

    def _beyond_head(self, head_after: AuditHead | None) -> Iterator[ChainProblem]:
        """Entries after the head's: appended during the walk (the head moved over them), or inserted."""
        if self.tail_first is None:
            return
        after_seq = head_after.seq if head_after else 0
        after_hash = head_after.hash if head_after else GENESIS
        first: int | None
        if after_hash == self.head_hash:
            first = self.tail_first
        else:
            position = next((i for i, (_seq, own) in enumerate(self.tail) if own == after_hash), None)
            if position is not None:
                first = self.tail[position + 1][0] if position + 1 < len(self.tail) else None
            else:  # the head moved past the walk's end (or past what was kept): judge by number
                first = max(self.tail_first, after_seq + 1) if self.last_seq > after_seq else None
        if first is not None and first <= self.last_seq:
            yield ChainProblem(
                first,
                "inserted",
                _("Entries #%(first)d–#%(last)d lie beyond the chain head (#%(head)d): they were inserted.")
                % {"first": first, "last": self.last_seq, "head": after_seq},
            )

    def _anchor_problems(self) -> Iterator[ChainProblem]:
        for (seq, hash_), anchor in sorted(self.anchors.items()):
            stored = self.stored_at.get(seq)
            if stored == hash_ or hash_ in self.hash_found:
                continue  # found where it was anchored, or renumbered (named as such above)
            when = {"seq": seq, "at": anchor.at, "source": anchor.source}
            if stored is not None:
                message = (
                    _(
                        "Entry #%(seq)d does not match the anchor written at %(at)s: the chain was rewritten after it."
                    )
                    if anchor.at
                    else _(
                        "Entry #%(seq)d does not match the anchor from %(source)s: the chain was rewritten after it."
                    )
                )
                yield ChainProblem(seq, "rewritten", message % when)
            else:
                message = (
                    _("Entry #%(seq)d, named by the anchor written at %(at)s, is missing (deleted).")
                    if anchor.at
                    else _("Entry #%(seq)d, named by the anchor from %(source)s, is missing (deleted).")
                )
                yield ChainProblem(seq, "deleted", message % when)


def audit_verify_chain(
    *,
    chunk_size: int = 5000,
    report: ChainReport | None = None,
    anchors: Iterable[Anchor] = (),
    seal: bool = False,
) -> Iterator[ChainProblem]:
    """Recompute the chain and name every entry that was edited, inserted, deleted or renumbered, then check it
    against the anchors: heads written outside the database earlier (core.anchors), which a forger who rewrote the
    chain consistently (recomputing every later hash and the head) cannot match.

    With `seal`, the committed entries are sealed first, so the chain checked is everything written up to now.
    Entries the sealers had left unsealed for longer than AUDIT_SEAL_STALE_SECONDS are a problem of their own
    ("unsealed"): until sealed, an entry could be changed or removed without a trace.

    Writers keep appending while this runs. The head is read before the entries, so every entry up to it is
    committed and must be there (missing ones were truncated); an entry is only called "beyond the head" when
    the head read again afterwards still does not reach it (a real seal moves the head in the same
    transaction). Entries sealed during the run are checked like the others when the walk reaches them.
    """
    stale = _stale_unsealed()
    if seal:
        audit_seal()
    walk = _Walk(AuditHead.objects.filter(id=1).first(), anchors)
    if report is not None:
        report.anchors_checked = len(walk.anchors)
    fields = ["hash", *HASHED_FIELDS]
    sealed = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    for row in sealed.values(*fields).iterator(chunk_size=chunk_size):
        if report is not None:
            report.checked += 1
        yield from walk.row(row)
    yield from walk.finish(AuditHead.objects.filter(id=1).first())
    if stale is not None:
        count, first, first_id = stale
        message = ngettext(
            "%(count)d entry was still not sealed into the chain more than %(seconds)d seconds after it was "
            "written (the oldest at %(first)s): no sealer was running (task_worker, manage.py audit_seal), or a "
            "database transaction had been open that long.",
            "%(count)d entries were still not sealed into the chain more than %(seconds)d seconds after they were "
            "written (the oldest at %(first)s): no sealer was running (task_worker, manage.py audit_seal), or a "
            "database transaction had been open that long.",
            count,
        ) % {
            "count": count,
            "first": timezone.localtime(first).isoformat(timespec="seconds"),
            "seconds": int(settings.AUDIT_SEAL_STALE_SECONDS),
        }
        # Named by the number the first of them got when sealed (or the next number, when still unsealed).
        seq = AuditEntry.objects.filter(pk=first_id).values_list("seq", flat=True).first()
        yield ChainProblem(seq or walk.last_seq + 1, "unsealed", message)


def _stale_unsealed() -> tuple[int, dt.datetime, int] | None:
    """How many committed entries are unsealed AUDIT_SEAL_STALE_SECONDS after they were written, the oldest
    one's time and the first one's id."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.AUDIT_SEAL_STALE_SECONDS)
    stale = AuditEntry.objects.filter(seq__isnull=True, created_at__lt=cutoff).aggregate(
        count=Count("id"), first=Min("created_at"), first_id=Min("id")
    )
    return (stale["count"], stale["first"], stale["first_id"]) if stale["count"] else None


def audit_verify(
    *, chunk_size: int = 5000, keep: int = 1000, anchors: Iterable[Anchor] = (), seal: bool = True
) -> ChainReport:
    """Run the whole verification (sealing first, see `audit_verify_chain`); keep the first `keep` problems (all
    are counted)."""
    report = ChainReport()
    for problem in audit_verify_chain(chunk_size=chunk_size, report=report, anchors=anchors, seal=seal):
        report.problem_count += 1
        if len(report.problems) < keep:
            report.problems.append(problem)
    return report
