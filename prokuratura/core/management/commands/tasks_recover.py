"""Hand the background tasks of dead workers to live ones (core.tasks.tasks_recover).

Every `task_worker` does this itself with each heartbeat; run it from a timer (every minute) as well, and by hand
after a host was lost. Prints what it did; exit status 0.
"""

from typing import Any

from django.core.management.base import BaseCommand

from prokuratura.core.tasks import tasks_recover


class Command(BaseCommand):
    help = (
        "Queue again the tasks whose worker died (or fail those lost too often); remove dead workers' rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recovery = tasks_recover()
        for task_id in recovery.requeued:
            self.stdout.write(f"queued again: {task_id}")
        for task_id in recovery.failed:
            self.stdout.write(f"failed (lost too often): {task_id}")
        self.stdout.write(
            f"{len(recovery.requeued)} queued again, {len(recovery.failed)} failed, "
            f"{recovery.workers_removed} dead worker(s) removed"
        )
