from django.conf import settings
from django.db import models

from prokuratura.core.models import TransitionRecordBase


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_WORK = "in_work", "In work"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=100)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title


class TicketStep(TransitionRecordBase):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="steps")
