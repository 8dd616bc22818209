"""An import whose worker died: the task is handed to a live worker (core.tasks) and the job resumes where the
lost run stopped, registering nothing twice; past the last attempt the job page offers to run it again."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prokuratura.appeals.models import Appeal, ImportJob
from prokuratura.appeals.services import imports
from prokuratura.appeals.services.imports import (
    Stall,
    import_job_create,
    import_job_retry,
    import_job_run,
    import_job_stall,
)
from prokuratura.appeals.tasks import run_import_job
from prokuratura.appeals.tests.test_imports import csv_upload, row
from prokuratura.core.models import AuditEntry, TaskWorker
from prokuratura.core.tasks import tasks_recover

# Nine rows; the 3rd and 7th name a region that does not exist (file rows 4 and 8).
ROWS = [
    row(legacy_number=f"L-{n}", region_kato="770000000" if n in (3, 7) else "710000000") for n in range(1, 10)
]
UNINTERRUPTED = {"total_rows": 9, "processed_rows": 9, "imported_rows": 7, "rejected_rows": [4, 8]}


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs (the test also stops `_finish`)."""


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, cast):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "prokuratura.core.task_backend.DatabaseBackend"}}
    settings.TASKS_LEASE_SECONDS = 30
    # The worker's heartbeat thread stays idle: the test's transaction is invisible to its connection.
    settings.TASKS_HEARTBEAT_SECONDS = 3600
    settings.TASKS_MAX_ATTEMPTS = 3
    cast.registrar_astana.preferred_language = "en"
    cast.registrar_astana.save(update_fields=["preferred_language"])


def ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


def queue_import(cast, offices, capture):
    """Upload the file: the job is QUEUED and its task READY in the database queue."""
    with capture(execute=True):
        job = import_job_create(by=cast.registrar_astana, upload=csv_upload(ROWS), office=offices.astana)
    return job, DBTaskResult.objects.get(task_path=run_import_job.module_path)


def run_worker_once(worker_id="live"):
    """`task_worker --batch`: run every ready task, then exit. Its connection housekeeping is switched off: it
    would close the test's connection, which holds the test's transaction."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "task_worker",
            "--batch",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
            verbosity=0,
            stdout=StringIO(),
        )


def die_after(monkeypatch, job, *, rows, progress_every=2):
    """Run the job through the real code as a worker that is killed while importing row `rows + 1`: the progress
    saved every `progress_every` rows stays, nothing else is written (no `_finish`)."""
    real_import_row = imports._import_row
    calls = []

    def import_row(**kwargs):
        calls.append(kwargs["row_number"])
        if len(calls) > rows:
            raise Killed
        return real_import_row(**kwargs)

    monkeypatch.setattr(imports, "PROGRESS_EVERY", progress_every)
    monkeypatch.setattr(imports, "_import_row", import_row)
    monkeypatch.setattr(imports, "_finish", lambda job, **kwargs: None)
    with pytest.raises(Killed):
        import_job_run(job=job)
    monkeypatch.undo()
    # Time passes: the dead run's heartbeat and its worker's are older than the lease.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago(31))


def claimed_by_dead_worker(task_result, *, workers=("dead",)):
    for worker in workers:
        task_result.claim(worker)
    DBTaskResult.objects.filter(pk=task_result.pk).update(started_at=ago(40))
    TaskWorker.objects.create(worker_id=workers[-1], hostname="h", pid=1, started_at=ago(60), seen_at=ago(35))


def outcome(job):
    job.refresh_from_db()
    return {
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "imported_rows": job.imported_rows,
        "rejected_rows": [item["row"] for item in job.rejected],
    }


def job_appeals(job):
    return Appeal.objects.filter(submission_key__startswith=f"import:{imports._file_digest(job)}:")


def provenance_entries(job):
    appeal_ids = [str(pk) for pk in job_appeals(job).values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        object_type="appeals.appeal", object_id__in=appeal_ids, action=AuditEntry.Action.UPDATE
    )


@pytest.mark.django_db
def test_an_uninterrupted_run_through_the_worker(offices, cast, django_capture_on_commit_callbacks):
    job, task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)

    run_worker_once()

    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.SUCCESSFUL and task_result.return_value == "done"
    assert outcome(job) == UNINTERRUPTED and job.heartbeat_at is not None
    assert job_appeals(job).count() == 7


@pytest.mark.django_db
def test_a_job_whose_worker_died_mid_file_is_resumed_by_a_live_worker_with_nothing_lost_or_doubled(
    offices, cast, django_capture_on_commit_callbacks, monkeypatch
):
    job, task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    claimed_by_dead_worker(task_result)
    die_after(monkeypatch, job, rows=5)  # rows 2–6 done (row 4 rejected), progress saved after 4 of them

    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING and job.finished_at is None
    assert (job.processed_rows, job.imported_rows, [r["row"] for r in job.rejected]) == (4, 3, [4])
    assert job_appeals(job).count() == 4  # row 6 was registered after the last progress save
    assert import_job_stall(job=job) == Stall.RESUMING

    assert tasks_recover().requeued == [str(task_result.pk)]
    run_worker_once("live")

    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.SUCCESSFUL and task_result.worker_ids == ["dead", "live"]
    assert outcome(job) == UNINTERRUPTED and job.state == ImportJob.State.DONE
    assert job_appeals(job).count() == 7 and provenance_entries(job).count() == 7
    resumed = AuditEntry.objects.get(
        object_type="appeals.importjob", object_id=str(job.pk), changes__has_key="run"
    )
    assert resumed.actor_repr == "system:scheduler" and "after 4 processed rows" in resumed.reason
    assert import_job_stall(job=job) is None


@pytest.mark.django_db
def test_a_fresh_run_takes_over_a_running_job_only_when_its_heartbeat_is_stale(
    offices, cast, django_capture_on_commit_callbacks, monkeypatch
):
    job, _task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    die_after(monkeypatch, job, rows=3)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago(5))  # its worker may be alive

    assert import_job_run(job=job).state == ImportJob.State.RUNNING
    assert job_appeals(job).count() == 2 and import_job_stall(job=job) is None  # rows 2 and 3; row 4 rejected

    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago(31))
    assert import_job_run(job=job).state == ImportJob.State.DONE
    assert outcome(job) == UNINTERRUPTED and job_appeals(job).count() == 7


@pytest.mark.django_db
def test_a_later_attempt_leaves_a_job_its_lost_run_had_finished(
    offices, cast, django_capture_on_commit_callbacks
):
    job, _task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    assert import_job_run(job=job).state == ImportJob.State.DONE
    finished_at = ImportJob.objects.get(pk=job.pk).finished_at

    assert import_job_run(job=job, attempt=2).finished_at == finished_at


@pytest.mark.django_db
def test_past_the_last_attempt_the_job_offers_a_retry_which_finishes_it(
    offices, cast, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    job, task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    claimed_by_dead_worker(task_result, workers=("a", "b", "c"))
    die_after(monkeypatch, job, rows=3)
    client = client_for(cast.registrar_astana)

    assert tasks_recover().failed == [str(task_result.pk)]

    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING and import_job_stall(job=job) == Stall.STOPPED
    page = client.get(reverse("appeals:import_detail", args=[job.pk])).content.decode()
    assert "will not be resumed by itself" in page and "Run the import again" in page
    status = client.get(reverse("appeals:import_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert status["HX-Refresh"] == "true" and 'hx-trigger="every 2s"' not in status.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:import_detail", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED and import_job_stall(job=job) is None
    run_worker_once("live")

    assert outcome(job) == UNINTERRUPTED and job.state == ImportJob.State.DONE
    assert job_appeals(job).count() == 7 and provenance_entries(job).count() == 7


@pytest.mark.django_db
def test_a_job_being_resumed_says_so_and_refuses_a_retry(
    offices, cast, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    job, task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    claimed_by_dead_worker(task_result)
    die_after(monkeypatch, job, rows=3)
    client = client_for(cast.registrar_astana)

    body = client.get(reverse("appeals:import_status", args=[job.pk])).content.decode()
    assert "the import will be resumed where it stopped" in body and 'hx-trigger="every 2s"' in body
    page = client.get(reverse("appeals:import_detail", args=[job.pk])).content.decode()
    assert "Run the import again" not in page
    with pytest.raises(imports.ValidationError):
        import_job_retry(by=cast.registrar_astana, job=job)
    listed = client.get(reverse("appeals:import_list")).content.decode()
    assert "the worker stopped" in listed


@pytest.mark.django_db
def test_a_live_import_shows_no_stall_and_a_long_queued_one_waits_for_its_task(
    offices, cast, client_for, django_capture_on_commit_callbacks
):
    job, task_result = queue_import(cast, offices, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(created_at=ago(600), heartbeat_at=None)
    job.refresh_from_db()
    assert import_job_stall(job=job) is None  # queued behind other tasks: its task is still READY

    task_result.delete()  # the queue lost it (never happens with the worker; a job from before the queue did)
    assert import_job_stall(job=job) == Stall.STOPPED
    with django_capture_on_commit_callbacks(execute=True):
        import_job_retry(by=cast.registrar_astana, job=job)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, heartbeat_at=ago(10))
    body = (
        client_for(cast.registrar_astana)
        .get(reverse("appeals:import_status", args=[job.pk]))
        .content.decode()
    )
    assert 'id="import-stall"' not in body
