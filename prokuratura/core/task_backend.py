"""The database task queue production runs: django_tasks_db's backend, whose task row is written with an INSERT built
once per connection (core.prepared) — one row for every appeal registered, letter sent and report built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json

from .prepared import insert

if TYPE_CHECKING:
    from django.tasks import Task
    from django_tasks_db.models import DBTaskResult


class DatabaseBackend(_DatabaseBackend):
    def _task_to_db_task(self, task: Task[Any, Any], args: Any, kwargs: Any) -> DBTaskResult:
        from django_tasks_db.models import DBTaskResult

        return insert(
            DBTaskResult(
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after,  # type: ignore[misc]
                backend_name=self.alias,
            )
        )
