"""Leases for background tasks: a task whose worker died is run again by a live worker, or failed.

django_tasks_db marks a task RUNNING when a worker claims it and never looks at it again, so a worker killed with
`kill -9` (or whose machine is lost) leaves its task RUNNING for good. Here each worker started with
`manage.py task_worker` keeps a `TaskWorker` row whose `seen_at` a daemon thread writes every
`TASKS_HEARTBEAT_SECONDS`. `tasks_recover` (run by every worker at start and with each heartbeat, and by
`manage.py tasks_recover` from a timer) finds the RUNNING tasks of workers not seen for `TASKS_LEASE_SECONDS` and
makes them READY again, so any live worker takes them; a task that has already been run `TASKS_MAX_ATTEMPTS` times
(its `worker_ids`, one per claim) is marked FAILED instead. A task run again must therefore be safe to re-run: the
import (appeals.services.imports) resumes where the lost run stopped and registers no row twice.

Each recovery is a compare-and-set on the task's row (still RUNNING, claimed at the same moment), taken under
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers), so two workers recovering at once hand
the task on once, and a task that a live worker claimed meanwhile is left alone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .actors import SCHEDULER
from .audit import audit_record, audit_seal
from .models import AuditEntry, TaskWorker

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """What a task is failed with when its workers died while running it TASKS_MAX_ATTEMPTS times."""


def lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_LEASE_SECONDS)


# ---------------------------------------------------------------------------------------------------------------
# A worker's row


def worker_register(*, worker_id: str) -> TaskWorker:
    """Record a starting worker (or one whose row was removed while it was paused) as alive now."""
    now = timezone.now()
    worker, _created = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "seen_at": now,
        },
    )
    return worker


def worker_beat(*, worker_id: str) -> None:
    """The worker is alive. Its row is written back if a recovery removed it: the worker was paused (a frozen
    virtual machine, a lost database) for longer than the lease, and its task may already run elsewhere."""
    if not TaskWorker.objects.filter(worker_id=worker_id).update(seen_at=timezone.now()):
        logger.warning(
            "task worker %s was taken for dead while it was paused; registering it again", worker_id
        )
        worker_register(worker_id=worker_id)


def worker_forget(*, worker_id: str) -> None:
    """A worker stopping cleanly removes its row: it holds no task any more."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


# ---------------------------------------------------------------------------------------------------------------
# Recovery


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)  # ids of tasks made READY for a live worker
    failed: list[str] = field(default_factory=list)  # ids of tasks failed after TASKS_MAX_ATTEMPTS lost runs
    workers_removed: int = 0


def _lost_tasks(*, now: datetime, lost_worker: str) -> list[tuple[Any, str, datetime | None]]:
    """(id, worker, claimed at) of each RUNNING task whose worker is dead: its row was not written within the
    lease, or it has no row and claimed the task longer than the lease ago (a worker removed as dead, or one that
    never had a row)."""
    cutoff = now - lease()
    seen = dict(TaskWorker.objects.values_list("worker_id", "seen_at"))
    lost = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", "worker_ids", "started_at"
    )
    for pk, worker_ids, started_at in running:
        worker = worker_ids[-1] if worker_ids else ""
        if worker and worker == lost_worker:
            dead = True
        elif worker in seen:
            dead = seen[worker] < cutoff
        else:
            dead = started_at is None or started_at < cutoff
        if dead:
            lost.append((pk, worker, started_at))
    return lost


def _recover_one(*, task_id: Any, worker: str, started_at: datetime | None, now: datetime) -> str | None:
    """Hand one lost task on (READY) or fail it; None when another recovery or a live worker got there first."""
    with transaction.atomic():
        task = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
            .first()
        )
        if task is None:
            return None
        attempts = len(task.worker_ids)
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            task.status = TaskResultStatus.FAILED
            task.finished_at = now
            task.return_value = None
            task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            # The task's record for administrators (django_tasks_db's traceback field), not a page of the app.
            task.traceback = (
                f"WorkerLost: the worker running this task stopped (killed, or its machine lost) {attempts} "
                f"times; TASKS_MAX_ATTEMPTS is {settings.TASKS_MAX_ATTEMPTS}, so it is not run again.\n"
            )
            task.save(
                update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"]
            )
            reason = ngettext(
                "The worker running this task stopped; the task has been started %(count)d time and is not "
                "run again.",
                "The worker running this task stopped; the task has been started %(count)d times and is not "
                "run again.",
                attempts,
            ) % {"count": attempts}
        else:
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            reason = _("The worker running this task stopped; the task is handed to a live worker.")
        audit_record(
            actor=SCHEDULER,
            action=AuditEntry.Action.TRANSITION,
            obj=task,
            object_repr=f"{task.task_path} {task.args_kwargs.get('args', [])}"[:300],
            changes={
                "status": {"before": TaskResultStatus.RUNNING, "after": task.status},
                "worker_id": {"before": worker, "after": None},
                "attempts": {"before": None, "after": attempts},
            },
            reason=reason,
        )
    log = logger.error if task.status == TaskResultStatus.FAILED else logger.warning
    log(
        "task %s (%s) lost its worker %s after %d attempt(s): %s",
        task.pk,
        task.task_path,
        worker or "-",
        attempts,
        "failed" if task.status == TaskResultStatus.FAILED else "queued again",
    )
    return task.status


def tasks_recover(*, lost_worker: str = "") -> Recovery:
    """Hand the tasks of dead workers to live ones, fail those lost too often, and remove dead workers' rows.

    `lost_worker`: a worker starting under the id of an earlier one (a fixed `--worker-id`) names itself, so the
    tasks its previous life held are recovered although its row looks alive."""
    now = timezone.now()
    recovery = Recovery()
    for task_id, worker, started_at in _lost_tasks(now=now, lost_worker=lost_worker):
        status = _recover_one(task_id=task_id, worker=worker, started_at=started_at, now=now)
        if status == TaskResultStatus.READY:
            recovery.requeued.append(str(task_id))
        elif status == TaskResultStatus.FAILED:
            recovery.failed.append(str(task_id))
    # After the tasks: a task of a worker removed here is still found next time (no row, claimed long ago).
    recovery.workers_removed, _by_model = TaskWorker.objects.filter(seen_at__lt=now - lease()).delete()
    return recovery


def enqueue_with_work(task: Task, *args: Any) -> None:
    """Queue `task` so that it exists exactly when the caller's work does.

    With the database queue (production) the task's row is one more INSERT in the caller's transaction: committed
    with the work or rolled back with it, and a process that dies between the commit and a separate enqueue cannot
    lose it (a worker sees the row only once it is committed). Any other backend — tests run tasks at once — is
    queued after the commit, so a task never runs on work that is then rolled back."""
    if isinstance(task.get_backend(), DatabaseBackend) and connection.in_atomic_block:
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def task_pending(task: Task, *args: Any) -> bool:
    """Whether a run of `task` with these arguments is queued or running in the database backend, including one
    whose worker died and that recovery will queue again. False for a backend that keeps no queue."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    results = DBTaskResult.objects.filter(
        backend_name=backend.alias,
        task_path=task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    wanted = list(args)
    return any((value or {}).get("args") == wanted for value in results)


# ---------------------------------------------------------------------------------------------------------------
# A worker's daemon threads: the heartbeat and the audit sealer


class _Every:
    """A daemon thread that runs `tick()` every `interval` seconds with its own database connection, until
    stopped. A tick that fails is logged and the next one tried: a database that is away for a moment must not stop
    the thread for good."""

    name = "every"

    def __init__(self, *, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                close_old_connections()
                try:
                    self.tick()
                except Exception:
                    logger.exception("%s: a round failed", self.name)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(self.interval, 1) * 2)


class WorkerLease(_Every):
    """A worker's row kept fresh from a daemon thread, which also recovers other workers' lost tasks. The thread
    has its own database connection; it never touches the task the worker runs."""

    def __init__(self, *, worker_id: str, interval: float | None = None) -> None:
        super().__init__(interval=settings.TASKS_HEARTBEAT_SECONDS if interval is None else interval)
        self.worker_id = worker_id
        self.name = f"heartbeat-{worker_id}"

    def start(self) -> None:
        worker_register(worker_id=self.worker_id)
        tasks_recover(lost_worker=self.worker_id)
        super().start()
        logger.info("task worker %s holds a lease (heartbeat every %ss)", self.worker_id, self.interval)

    def tick(self) -> None:
        worker_beat(worker_id=self.worker_id)
        tasks_recover()

    def stop(self) -> None:
        super().stop()
        worker_forget(worker_id=self.worker_id)
        logger.info("task worker %s stopped and gave up its lease", self.worker_id)


class AuditSealer(_Every):
    """Seals the committed audit entries into the chain (core.audit.audit_seal) every AUDIT_SEAL_SECONDS from a
    daemon thread with its own database connection. Every worker runs one: when another worker's sealer holds the
    chain's head, this one skips the round instead of waiting (`wait=False`)."""

    name = "audit-sealer"

    def __init__(self, *, interval: float | None = None) -> None:
        super().__init__(interval=settings.AUDIT_SEAL_SECONDS if interval is None else interval)

    def start(self) -> None:
        super().start()
        logger.info("audit sealer started (every %ss)", self.interval)

    def tick(self) -> None:
        audit_seal(wait=False)
