"""The hash-chained audit trail: recording, verification, and `manage.py audit_verify`."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import RequestFactory
from django.utils import timezone

from prokuratura.core.audit import (
    GENESIS,
    HASHED_FIELDS,
    audit_record,
    audit_seal,
    audit_verify,
    audit_verify_chain,
    diff,
    entry_hash,
)
from prokuratura.core.models import AuditEntry, AuditHead
from prokuratura.core.tests.forgery import forge_entry, insert_and_rehash, renumber
from prokuratura.core.tests.sealing import sealed, sealed_one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _append(n, actor=None, **kwargs):
    """n entries, sealed into the chain."""
    return sealed(
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="core.office",
            object_id=str(i),
            object_repr=f"Office {i}",
            changes={"name_en": {"before": f"old {i}", "after": f"new {i}"}},
            **kwargs,
        )
        for i in range(n)
    )


def _problems():
    audit_seal()
    return [(p.seq, p.kind) for p in audit_verify_chain()]


def _verify_command():
    return _verify_command_with()


def test_a_chain_of_several_entries_verifies(cast):
    already = AuditEntry.objects.count()  # the cast's offices were created through the audited service
    _append(5, actor=cast.admin)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, already + 6))
    assert entries[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(entries, entries[1:], strict=False))
    assert _problems() == []
    report = audit_verify()
    assert report.intact and report.checked == already + 5


def test_the_command_reports_an_intact_trail_and_exits_0():
    _append(3)
    code, out, _error = _verify_command()
    assert code == 0
    assert "Audit trail intact: 3 entries" in out


def test_an_empty_trail_is_intact():
    code, out, _error = _verify_command()
    assert code == 0
    assert "Audit trail intact: 0 entries" in out


def test_editing_a_field_with_queryset_update_is_named_edited():
    _append(5)
    AuditEntry.objects.filter(seq=3).update(object_repr="Something else")
    assert _problems() == [(3, "edited")]
    code, out, error = _verify_command()
    assert code == 1
    assert "#3 edited" in out
    assert "1 problem(s) in 5 entries" in error


def test_editing_the_changes_is_named_edited():
    _append(4)
    AuditEntry.objects.filter(seq=2).update(changes={"name_en": {"before": "old 1", "after": "forged"}})
    assert _problems() == [(2, "edited")]


def test_editing_an_entry_and_recomputing_its_hash_names_that_entry_not_the_next():
    """The next entry still links to the hash #2 was written with: #2 was replaced, #3 is genuine."""
    _append(4)
    row = AuditEntry.objects.filter(seq=2).values(*HASHED_FIELDS).get()
    row["object_repr"] = "Forged"
    AuditEntry.objects.filter(seq=2).update(object_repr="Forged", hash=entry_hash(row))
    problems = list(audit_verify_chain())
    assert [(p.seq, p.kind) for p in problems] == [(2, "edited")]
    assert "#3 was chained to" in problems[0].message


def test_rehashing_the_last_entry_disagrees_with_the_head():
    _append(3)
    row = AuditEntry.objects.filter(seq=3).values(*HASHED_FIELDS).get()
    row["reason"] = "forged"
    AuditEntry.objects.filter(seq=3).update(reason="forged", hash=entry_hash(row))
    assert _problems() == [(3, "edited")]


def test_deleting_a_middle_entry_is_named_deleted():
    _append(5)
    AuditEntry.objects.filter(seq=3).delete()
    assert _problems() == [(3, "deleted")]
    code, out, _error = _verify_command()
    assert code == 1
    assert "#3 deleted" in out


def test_deleting_several_entries_names_the_range():
    _append(6)
    AuditEntry.objects.filter(seq__in=[1, 2]).delete()
    problems = list(audit_verify_chain())
    assert [(p.seq, p.kind) for p in problems] == [(1, "deleted")]
    assert "#1–#2" in problems[0].message


def test_inserting_a_forged_entry_and_renumbering_the_later_ones_is_detected():
    entries = _append(5)
    # The forger shifts #3..#5 up by one (from the top, so the unique seq never collides) and writes a
    # well-formed entry at #3 that links correctly to #2.
    for seq in (5, 4, 3):
        AuditEntry.objects.filter(seq=seq).update(seq=seq + 1)
    forged = {
        "seq": 3,
        "created_at": entries[2].created_at,
        "actor_id": None,
        "actor_repr": "",
        "action": AuditEntry.Action.UPDATE,
        "object_type": "core.office",
        "object_id": "99",
        "object_repr": "Forged",
        "changes": {},
        "reason": "",
        "ip_address": None,
        "prev_hash": entries[1].hash,
    }
    AuditEntry.objects.create(**forged, hash=entry_hash(forged))
    problems = list(audit_verify_chain())
    # The forged entry is named; the genuine #3-#5, now #4-#6, are named once, as renumbered, not as edited, and
    # the head (which still names the hash of the old #5) does not make #6 look inserted.
    assert [(p.seq, p.kind) for p in problems] == [(3, "inserted"), (4, "renumbered")]
    assert "#4–#6" in problems[1].message and "+1" in problems[1].message
    code, out, _error = _verify_command()
    assert code == 1
    assert out.splitlines()[0].startswith("#3 inserted")


def test_deleting_the_last_entries_is_named_truncated():
    _append(5)
    AuditEntry.objects.filter(seq__gte=4).delete()
    problems = list(audit_verify_chain())
    assert [(p.seq, p.kind) for p in problems] == [(4, "truncated")]
    assert "#3" in problems[0].message and "#5" in problems[0].message
    code, out, _error = _verify_command()
    assert code == 1
    assert "#4 truncated" in out


def _verify_command_with(*args):
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as error:
        return 1, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


def test_a_rewritten_chain_is_caught_by_the_head_recorded_outside():
    """Whoever can rewrite the table can rehash every later entry and the head; only a head kept elsewhere
    (with the backups) shows it."""
    entries = _append(4)
    recorded = f"{entries[-1].seq}:{entries[-1].hash}"
    assert _verify_command_with("--expect", recorded)[0] == 0
    prev = entries[0].hash
    for entry in entries[1:]:
        row = AuditEntry.objects.filter(pk=entry.pk).values(*HASHED_FIELDS).get()
        row["object_repr"] = "Rewritten"
        row["prev_hash"] = prev
        prev = entry_hash(row)
        AuditEntry.objects.filter(pk=entry.pk).update(
            object_repr="Rewritten", prev_hash=row["prev_hash"], hash=prev
        )
    AuditHead.objects.update(hash=prev)
    assert _problems() == []  # consistent in itself
    code, out, _error = _verify_command_with("--expect", recorded)
    assert code == 1
    assert f"#{entries[-1].seq} rewritten" in out


def test_a_malformed_expect_is_refused():
    code, _out, error = _verify_command_with("--expect", "twelve")
    assert code == 1
    assert "SEQ:HASH" in error


def test_an_entry_appended_behind_the_heads_back_is_inserted():
    entries = _append(2)
    values = {
        "seq": 3,
        "created_at": entries[-1].created_at,
        "actor_id": None,
        "actor_repr": "",
        "action": AuditEntry.Action.LOGIN,
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "changes": {},
        "reason": "",
        "ip_address": None,
        "prev_hash": entries[-1].hash,
    }
    AuditEntry.objects.create(**values, hash=entry_hash(values))
    assert _problems() == [(3, "inserted")]


def test_the_hash_survives_a_database_round_trip(cast, monkeypatch):
    """Microseconds, Kazakh and Russian text, None next to "", nested JSON, IPv6 spelled loosely, whole floats."""
    written_at = dt.datetime(2026, 3, 21, 23, 59, 58, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    monkeypatch.setattr("prokuratura.core.audit.timezone.now", lambda: written_at)
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000::0001")
    changes = {
        "name_kk": {"before": "Астана қаласының прокуратурасы", "after": "Нұр-Сұлтан — «ө» ү ұ і ң ғ қ һ"},
        "middle_name": {"before": None, "after": ""},
        "roles": {"before": ["head"], "after": ["admin", "head"]},
        "amount": {"before": 1e16, "after": 2.5},
        "nested": {"before": {"b": 1, "a": [1, None, "x"]}, "after": {}},
    }
    entry = audit_record(
        actor=cast.admin,
        action=AuditEntry.Action.UPDATE,
        obj=cast.head_astana,
        changes=changes,
        reason="Өзгерту себебі: тексеру",
        request=request,
    )
    stored = sealed_one(entry)
    assert stored.created_at == written_at
    assert stored.created_at.microsecond == 123456
    assert stored.ip_address == "2001:db8::1"
    assert stored.changes["middle_name"] == {"before": None, "after": ""}
    assert entry_hash({name: getattr(stored, name) for name in HASHED_FIELDS}) == stored.hash
    assert _problems() == []


def test_none_and_empty_string_hash_differently():
    base = {
        "seq": 1,
        "created_at": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "actor_id": None,
        "actor_repr": "",
        "action": "update",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "reason": "",
        "ip_address": None,
        "prev_hash": GENESIS,
    }
    with_none = entry_hash(base | {"changes": {"x": {"before": None, "after": "a"}}})
    with_empty = entry_hash(base | {"changes": {"x": {"before": "", "after": "a"}}})
    assert with_none != with_empty
    # The same instant in another time zone hashes the same: the hash normalises to UTC.
    almaty = dt.timezone(dt.timedelta(hours=5))
    moved = base | {"created_at": base["created_at"].astimezone(almaty), "changes": {}}
    assert entry_hash(moved) == entry_hash(base | {"changes": {}})


def test_a_garbage_remote_address_is_not_stored():
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    entry = audit_record(actor=None, action=AuditEntry.Action.LOGIN_FAILED, request=request)
    assert entry.ip_address is None
    assert _problems() == []


def test_records_the_actor_and_the_object(cast):
    entry = audit_record(
        actor=cast.admin,
        action=AuditEntry.Action.UPDATE,
        obj=cast.outsider,
        changes=diff({"is_active": True}, {"is_active": False}),
    )
    assert entry.actor_id == cast.admin.pk
    assert entry.actor_repr == "admin"
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(cast.outsider.pk))
    assert entry.changes == {"is_active": {"before": True, "after": False}}
    entry = sealed_one(entry)
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (entry.seq, entry.hash)


# --- writers without a global lock, and the sealer ------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="transactions on several connections need PostgreSQL"
)


def _write(name="writer", i=0):
    return audit_record(actor=name, action=AuditEntry.Action.UPDATE, object_type="test", object_id=str(i))


def _in_thread(work):
    """Run work() on a connection of its own; its result, or the exception it raised."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


def _append_with_lock_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")
    with transaction.atomic():
        return _write("second").pk


@on_postgresql
def test_audit_record_is_one_insert_on_postgresql(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        entry = _write()
    # A prepared statement (core.prepared) is logged as its SQL with its parameters beside it.
    assert 'INSERT INTO "core_auditentry"' in captured.captured_queries[0]["sql"]
    assert (entry.seq, entry.prev_hash, entry.hash) == (None, "", "")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_in_open_transactions_do_not_wait_for_each_other(settings):
    with transaction.atomic():
        _write("first")
        # The first transaction is still open; the second one would fail after a second if it had to wait.
        outcome = _in_thread(_append_with_lock_timeout)
    assert "error" not in outcome
    assert audit_seal() == 2
    assert audit_verify().intact

    # The same with the entry chained as it is written (the old way): the second writer waits on the head's lock.
    settings.AUDIT_SEAL_INLINE = True
    with transaction.atomic():
        _write("first")
        outcome = _in_thread(_append_with_lock_timeout)
    assert "lock timeout" in str(outcome["error"])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_entry_of_a_transaction_that_began_earlier_is_sealed_after_it_commits_not_before_and_not_lost():
    def later_writer_commits_and_seals():
        with transaction.atomic():
            later = _write("later")
        return later.pk, audit_seal()

    with transaction.atomic():
        earlier = _write("earlier")  # written first, committed last
        later_pk, sealed_meanwhile = _in_thread(later_writer_commits_and_seals)["result"]
        assert sealed_meanwhile == 1  # the committed one; the earlier entry is not visible yet
    assert AuditEntry.objects.get(pk=earlier.pk).seq is None
    assert audit_seal() == 1
    chain = list(AuditEntry.objects.order_by("seq").values_list("pk", "seq"))
    assert chain == [(later_pk, 1), (earlier.pk, 2)]  # in the order they committed
    assert audit_verify().intact


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_sealer_that_may_not_wait_skips_a_round_while_another_seals():
    _write()
    assert audit_seal() == 1  # the head's row exists: the very first seal creates it
    _write()
    with transaction.atomic():
        AuditHead.objects.select_for_update().get(id=1)  # another sealer at work
        assert _in_thread(lambda: audit_seal(wait=False))["result"] == 0
    assert audit_seal(wait=False) == 1


def test_a_rolled_back_entry_never_enters_the_chain():
    kept = _write("kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        _write("rolled back")
        raise RuntimeError("the service failed")
    _write("kept too")
    audit_seal()
    assert list(AuditEntry.objects.order_by("seq").values_list("actor_repr", flat=True)) == [
        "kept",
        "kept too",
    ]
    assert AuditEntry.objects.get(pk=kept.pk).seq == 1
    assert audit_verify().intact


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_writers_is_sealed_once_each_without_gaps():
    """8 writers × 25 entries, each in a transaction of its own, while two sealers run: every entry is sealed
    exactly once, the numbers run 1..200 without a gap, and the chain verifies."""
    writers, per_writer = 8, 25
    done = threading.Event()
    barrier = threading.Barrier(writers + 2)
    errors = []
    sealed_by = [0, 0]

    def writer(n):
        try:
            barrier.wait(timeout=30)
            for i in range(per_writer):
                with transaction.atomic():
                    _write(f"writer-{n}", i)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def sealer(n):
        try:
            barrier.wait(timeout=30)
            while not done.is_set():
                sealed_by[n] += audit_seal(wait=n == 0, limit=7)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    sealers = [threading.Thread(target=sealer, args=(n,)) for n in range(2)]
    for thread in threads + sealers:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    for thread in sealers:
        thread.join(timeout=60)
    assert errors == []
    total = writers * per_writer
    sealed_at_the_end = audit_seal()
    assert sum(sealed_by) + sealed_at_the_end == total
    assert AuditEntry.objects.count() == total
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditHead.objects.get().seq == total
    report = audit_verify()
    assert report.intact and report.checked == total


def test_an_entry_written_behind_the_sealers_back_is_named_and_the_chain_goes_on(settings):
    """A forged row at the next number does not stop the sealer: it seals past it, and the forgery is named."""
    settings.AUDIT_SEAL_INLINE = False
    entries = _append(2)
    forge_entry(3, entries[-1].hash)
    genuine = _write()
    assert audit_seal() == 1
    assert AuditEntry.objects.get(pk=genuine.pk).seq == 4
    assert _problems() == [(3, "inserted")]


def test_an_entry_left_unsealed_too_long_is_a_problem_even_once_sealed(settings):
    """Until it is sealed an entry can be changed or removed without a trace: a sealer that does not run (or a
    transaction open for minutes) is reported, by the check that then seals it."""
    settings.AUDIT_SEAL_INLINE = False
    _append(2)
    fresh = _write()
    assert audit_verify(seal=False).intact  # written a moment ago: the sealer has not come round yet
    AuditEntry.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    code, out, _error = _verify_command()
    assert code == 1
    assert out.startswith(
        "#3 unsealed: 1 entry was still not sealed into the chain more than 300 seconds after"
    )
    assert AuditEntry.objects.get(pk=fresh.pk).seq == 3  # sealed all the same
    assert audit_verify().intact


def test_the_seal_command_seals_and_says_what_is_left(settings):
    settings.AUDIT_SEAL_INLINE = False
    _write()
    out = StringIO()
    call_command("audit_seal", stdout=out)
    assert out.getvalue() == "sealed 1 audit entries; the chain's head is #1\n"


# --- naming the forged entries precisely ----------------------------------------------------------------------


def test_two_inserted_entries_are_each_named_and_the_head_moved_to_match_changes_nothing():
    """The forger makes room for two entries, links them properly and moves the head's number so the service
    keeps appending: the two are named, the renumbering once, and later genuine appends are not blamed."""
    entries = _append(5)
    renumber(3, 2)
    first = forge_entry(3, entries[1].hash, entries[2].created_at)
    forge_entry(4, first.hash, entries[2].created_at, "Forged too")
    AuditHead.objects.update(seq=7)
    _append(2)  # genuine entries #8 and #9, written after the forgery
    problems = list(audit_verify_chain())
    assert [(p.seq, p.kind) for p in problems] == [(3, "inserted"), (4, "inserted"), (5, "renumbered")]
    assert "#5–#7" in problems[2].message and "+2" in problems[2].message


def test_an_insertion_before_thousands_of_entries_is_reported_in_two_lines(django_assert_num_queries):
    entries = _append(300)
    renumber(10, 1)
    forge_entry(10, entries[8].hash, entries[9].created_at)
    with django_assert_num_queries(4):  # the entries left unsealed, the head, the entries, the head again
        problems = list(audit_verify_chain(chunk_size=100))
    assert [(p.seq, p.kind) for p in problems] == [(10, "inserted"), (11, "renumbered")]
    assert "#11–#301" in problems[1].message


def test_deleting_an_entry_and_renumbering_the_later_ones_down_names_the_deleted_one():
    _append(6)
    AuditEntry.objects.filter(seq=3).delete()
    renumber(4, -1)
    problems = list(audit_verify_chain())
    # The head still names the old #6's hash, now found at #5: no truncation is claimed.
    assert [(p.seq, p.kind) for p in problems] == [(3, "deleted"), (3, "renumbered")]
    assert "written as #3" in problems[0].message
    assert "#3–#5" in problems[1].message and "-1" in problems[1].message


def test_deleting_an_entry_and_writing_another_in_its_place_names_that_entry():
    entries = _append(5)
    AuditEntry.objects.filter(seq=3).delete()
    forge_entry(3, entries[1].hash, entries[2].created_at)
    assert _problems() == [(3, "edited")]


def test_a_fully_rewritten_tail_is_consistent_in_itself():
    """Inserted with a correct link and hash, every later entry re-hashed and renumbered, the head moved: the
    chain alone cannot show it (core/tests/test_audit_anchors.py shows the anchors catching it)."""
    _append(5)
    insert_and_rehash(at=3)
    assert _problems() == []
    assert AuditEntry.objects.count() == 6
