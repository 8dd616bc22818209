"""Background work of the appeals module (django.tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def send_applicant_letter(appeal_id: int, kind: str) -> bool:
    from .models import Appeal
    from .services.notify import applicant_letter_send

    appeal = Appeal.objects.select_related("office", "assignee").filter(pk=appeal_id).first()
    if appeal is None:
        return False
    return applicant_letter_send(appeal=appeal, kind=kind)
