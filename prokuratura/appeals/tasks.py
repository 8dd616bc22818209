"""Background work of the appeals module (django.tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import TaskContext, task


@task
def send_applicant_letter(appeal_id: int, kind: str) -> bool:
    from .models import Appeal
    from .services.notify import applicant_letter_send

    appeal = Appeal.objects.select_related("office", "assignee").filter(pk=appeal_id).first()
    if appeal is None:
        return False
    return applicant_letter_send(appeal=appeal, kind=kind)


@task(takes_context=True)
def run_import_job(context: TaskContext, job_id: int) -> str:
    """Import a legacy register (services.imports); returns the job's final state. A later attempt (the worker of
    an earlier one died: core.tasks) resumes the job where that one stopped."""
    from .models import ImportJob
    from .services.imports import import_job_run

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_job_run(job=job, attempt=context.attempt).state
