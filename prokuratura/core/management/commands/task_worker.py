"""Run a background-task worker that holds a lease (core.tasks): django_tasks_db's `db_worker`, with its options,
plus a heartbeat thread, so the tasks of a worker that is killed are resumed by a live one, and (unless
AUDIT_SEAL_INLINE) a thread that seals the committed audit entries into the chain every AUDIT_SEAL_SECONDS.

Deploy this instead of `db_worker` (docs/OPERATIONS.md). SIGTERM (or Ctrl+C) stops it cleanly: the task it is
running is finished, then it removes its row; a second signal stops the task (django_tasks_db marks it failed).
"""

import logging
import signal
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from prokuratura.core.tasks import AuditSealer, WorkerLease

logger = logging.getLogger(__name__)

SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None)


class Command(DbWorkerCommand):
    help = (
        "Run a database background-task worker with a heartbeat: tasks of a worker that died are run again by a "
        "live one (TASKS_LEASE_SECONDS, TASKS_HEARTBEAT_SECONDS, TASKS_MAX_ATTEMPTS)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload"):
            # The reloader runs the worker in a child process that would hold no lease.
            logger.warning("task_worker does not reload on code changes; --reload is ignored.")
            options["reload"] = False
        lease = WorkerLease(worker_id=options["worker_id"])
        sealer = None if settings.AUDIT_SEAL_INLINE else AuditSealer()
        handlers = {signum: signal.getsignal(signum) for signum in SIGNALS}
        lease.start()
        if sealer is not None:
            sealer.start()
        try:
            super().handle(*args, **options)
        finally:
            if sealer is not None:
                sealer.stop()
            lease.stop()
            # db_worker installs its own handlers; give the caller (a test, call_command) its own back.
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
