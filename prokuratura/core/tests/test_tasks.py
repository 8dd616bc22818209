"""Leases of background tasks (core.tasks): a task whose worker died is handed to a live worker or failed,
`manage.py tasks_recover`, and `manage.py task_worker` (django_tasks_db's worker with a heartbeat)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prokuratura.core import tasks as core_tasks
from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry, TaskWorker
from prokuratura.core.tasks import (
    AuditSealer,
    WorkerLease,
    task_pending,
    tasks_recover,
    worker_beat,
    worker_register,
)

BASE_DIR = Path(__file__).resolve().parents[3]
DB_BACKEND = {"default": {"BACKEND": "prokuratura.core.task_backend.DatabaseBackend"}}


@task
def echo(value: int) -> int:
    return value


@pytest.fixture
def db_tasks(settings):
    """The production backend (tests otherwise run tasks at once), a 30-second lease, and a heartbeat thread that
    never fires while a test runs: the test's transaction is invisible to another connection."""
    settings.TASKS = DB_BACKEND
    settings.TASKS_LEASE_SECONDS = 30
    settings.TASKS_HEARTBEAT_SECONDS = 3600
    settings.TASKS_MAX_ATTEMPTS = 3


def ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


def running(value=1, *, workers=("dead",), started_seconds_ago=60):
    """A task that `workers` claimed one after another, the last still holding it."""
    result = DBTaskResult.objects.get(pk=echo.enqueue(value).id)
    for worker in workers:
        result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=ago(started_seconds_ago))
    result.refresh_from_db()
    return result


def worker_seen(worker_id, seconds_ago):
    return TaskWorker.objects.create(
        worker_id=worker_id, hostname="host", pid=1, started_at=ago(3600), seen_at=ago(seconds_ago)
    )


def run_worker_once(worker_id="live"):
    """`task_worker --batch`: run every ready task, then exit (and give up the lease)."""
    out = StringIO()
    call_command(
        "task_worker", "--batch", "--no-startup-delay", "--worker-id", worker_id, verbosity=0, stdout=out
    )
    return out.getvalue()


def recovery_entries():
    return AuditEntry.objects.filter(object_type="django_tasks_database.dbtaskresult").order_by("id")


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_not_seen_within_the_lease_is_queued_again_and_a_live_worker_runs_it(db_tasks):
    result = running(7)
    worker_seen("dead", seconds_ago=31)

    recovery = tasks_recover()

    result.refresh_from_db()
    assert recovery.requeued == [str(result.pk)] and recovery.failed == []
    assert result.status == TaskResultStatus.READY and result.worker_ids == ["dead"]
    assert not TaskWorker.objects.filter(worker_id="dead").exists() and recovery.workers_removed == 1
    (entry,) = recovery_entries()
    assert entry.actor_repr == "system:scheduler" and entry.actor_id is None
    assert entry.object_id == str(result.pk) and "tests.test_tasks.echo" in entry.object_repr
    assert entry.changes["status"] == {"before": "RUNNING", "after": "READY"}
    assert entry.changes["worker_id"]["before"] == "dead" and entry.changes["attempts"]["after"] == 1

    run_worker_once("live")

    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 7
    assert result.worker_ids == ["dead", "live"]
    assert not TaskWorker.objects.exists()  # the batch worker gave its lease up when it stopped


@pytest.mark.django_db
def test_a_live_workers_task_is_not_taken(db_tasks):
    result = running(workers=("alive",), started_seconds_ago=3600)
    worker_seen("alive", seconds_ago=29)

    recovery = tasks_recover()

    result.refresh_from_db()
    assert (recovery.requeued, recovery.failed, recovery.workers_removed) == ([], [], 0)
    assert result.status == TaskResultStatus.RUNNING and not recovery_entries().exists()


@pytest.mark.django_db
def test_a_task_of_a_worker_with_no_row_is_recovered_once_it_started_longer_than_the_lease_ago(db_tasks):
    recent = running(1, workers=("gone",), started_seconds_ago=10)
    old = running(2, workers=("gone",), started_seconds_ago=31)

    recovery = tasks_recover()

    recent.refresh_from_db()
    old.refresh_from_db()
    assert recovery.requeued == [str(old.pk)]
    assert recent.status == TaskResultStatus.RUNNING and old.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_after_the_last_attempt_the_task_is_failed_not_run_again(db_tasks):
    once = running(1, workers=("a",))
    thrice = running(2, workers=("a", "b", "c"))

    recovery = tasks_recover()

    once.refresh_from_db()
    thrice.refresh_from_db()
    assert recovery.requeued == [str(once.pk)] and recovery.failed == [str(thrice.pk)]
    assert thrice.status == TaskResultStatus.FAILED and thrice.finished_at is not None
    assert thrice.exception_class_path == "prokuratura.core.tasks.WorkerLost"
    assert "3 times" in thrice.traceback
    assert thrice.task_result.errors[0].exception_class_path == "prokuratura.core.tasks.WorkerLost"
    failed_entry = recovery_entries().get(object_id=str(thrice.pk))
    assert failed_entry.changes["status"]["after"] == "FAILED" and "not run again" in failed_entry.reason


@pytest.mark.django_db
def test_a_worker_restarted_under_the_same_id_recovers_the_task_its_previous_life_held(db_tasks):
    result = running(workers=("worker-1",), started_seconds_ago=5)
    worker_register(worker_id="worker-1")  # the new process: its row is fresh

    assert tasks_recover().requeued == []
    assert tasks_recover(lost_worker="worker-1").requeued == [str(result.pk)]


@pytest.mark.django_db
def test_a_task_claimed_again_after_it_was_found_lost_is_left_to_its_new_worker(db_tasks):
    result = running()
    lost = core_tasks._lost_tasks(now=timezone.now(), lost_worker="")
    assert [pk for pk, _w, _s in lost] == [result.pk]
    # Meanwhile another recovery queued it and a live worker claimed it.
    result.status = TaskResultStatus.READY
    result.save(update_fields=["status"])
    result.claim("live")

    pk, worker, started_at = lost[0]
    assert (
        core_tasks._recover_one(task_id=pk, worker=worker, started_at=started_at, now=timezone.now()) is None
    )
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING and result.worker_ids == ["dead", "live"]
    assert not recovery_entries().exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite serialises writers instead")
@pytest.mark.django_db(transaction=True)
def test_two_recoveries_at_once_hand_the_task_on_once(db_tasks, monkeypatch):
    """The first recovery holds the task's row (stopped inside its transaction, before committing); the second
    skips the locked row instead of queueing the task a second time."""
    result = running()
    holding, release = threading.Event(), threading.Event()
    real_audit = core_tasks.audit_record
    first: dict = {}

    def audit_then_wait(**kwargs):
        entry = real_audit(**kwargs)
        if threading.current_thread().name == "first":
            holding.set()
            release.wait(timeout=30)
        return entry

    monkeypatch.setattr(core_tasks, "audit_record", audit_then_wait)

    def recover_first():
        try:
            first["recovery"] = tasks_recover()
        finally:
            connection.close()

    thread = threading.Thread(target=recover_first, name="first")
    thread.start()
    assert holding.wait(timeout=30)
    try:
        second = tasks_recover()
    finally:
        release.set()
        thread.join(timeout=30)

    result.refresh_from_db()
    assert second.requeued == [] and first["recovery"].requeued == [str(result.pk)]
    assert result.status == TaskResultStatus.READY and recovery_entries().count() == 1


@pytest.mark.django_db
def test_tasks_recover_command_reports_what_it_did(db_tasks):
    result = running()
    worker_seen("dead", seconds_ago=120)
    out = StringIO()

    call_command("tasks_recover", stdout=out)

    assert f"queued again: {result.pk}" in out.getvalue()
    assert "1 queued again, 0 failed, 1 dead worker(s) removed" in out.getvalue()


@pytest.mark.django_db
def test_task_pending_sees_queued_and_running_runs_with_the_same_arguments(db_tasks):
    assert not task_pending(echo, 5)
    result = DBTaskResult.objects.get(pk=echo.enqueue(5).id)
    assert task_pending(echo, 5) and not task_pending(echo, 6)
    result.claim("w")
    assert task_pending(echo, 5)
    result.set_successful(5)
    assert not task_pending(echo, 5)


@pytest.mark.django_db
def test_task_pending_is_false_for_the_immediate_backend():
    assert not task_pending(echo, 5)


@pytest.mark.django_db
def test_a_heartbeat_writes_seen_at_and_brings_back_a_row_removed_as_dead(db_tasks):
    worker_seen("w", seconds_ago=20)
    worker_beat(worker_id="w")
    assert TaskWorker.objects.get(worker_id="w").seen_at > ago(5)

    TaskWorker.objects.filter(worker_id="w").delete()
    worker_beat(worker_id="w")
    assert TaskWorker.objects.get(worker_id="w").pid == os.getpid()


@pytest.mark.django_db
def test_a_lease_registers_recovers_and_is_given_up_on_stop(db_tasks):
    result = running(workers=("w",), started_seconds_ago=1)
    lease = WorkerLease(worker_id="w")

    lease.start()
    try:
        assert TaskWorker.objects.filter(worker_id="w").exists()
        result.refresh_from_db()
        assert result.status == TaskResultStatus.READY  # its previous life's task
    finally:
        lease.stop()
    assert not TaskWorker.objects.filter(worker_id="w").exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads on separate connections need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_the_audit_sealer_thread_seals_what_writers_commit(settings):
    settings.AUDIT_SEAL_INLINE = False
    sealer = AuditSealer(interval=0.05)
    sealer.start()
    try:
        entry = audit_record(actor=None, action=AuditEntry.Action.SECURITY, object_type="test")
        assert _wait_for(lambda: AuditEntry.objects.filter(pk=entry.pk, seq__isnull=False).exists())
    finally:
        sealer.stop()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker process needs a database it can reach"
)
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_process_heartbeats_resumes_a_lost_task_and_stops_cleanly_on_sigterm(db_tasks):
    result = running(11)
    worker_seen("dead", seconds_ago=31)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_HEARTBEAT_SECONDS": "0.2",
        "AUDIT_SEAL_SECONDS": "0.2",
        "DJANGO_SECRET_KEY": "test-only",
    }
    for name in ("PROKURATURA_TESTING", "DATABASE_TEST_NAME"):
        env.pop(name, None)  # the worker runs with the production backend, on the test database itself
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, no shell
        [
            sys.executable,
            "manage.py",
            "task_worker",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            "sub",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        first_seen = _wait_for(
            lambda: TaskWorker.objects.filter(worker_id="sub").values_list("seen_at", flat=True).first()
        )
        assert _wait_for(lambda: TaskWorker.objects.filter(worker_id="sub", seen_at__gt=first_seen).exists())
        assert _wait_for(
            lambda: DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.SUCCESSFUL).exists()
        )
        # The recovery it audited is sealed into the chain by the worker's own sealer.
        assert _wait_for(lambda: recovery_entries().filter(seq__isnull=False).exists())
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    result.refresh_from_db()
    assert result.return_value == 11 and result.worker_ids == ["dead", "sub"]
    assert not TaskWorker.objects.exists()  # its own row removed on SIGTERM, the dead worker's by recovery


def _wait_for(probe, timeout=30.0):
    """Poll another process's effect; the deadline only bounds a failure, nothing is measured."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("the worker process did not get there")
