"""Seal the committed audit entries into the hash chain (core.audit.audit_seal).

Every `task_worker` does this every AUDIT_SEAL_SECONDS; the timer (every minute, docs/OPERATIONS.md) covers a time
when no worker runs, and an operator can run it by hand. Waits for a sealer already at work, then seals what is
left; prints how many entries it sealed and the chain's head. Entries of transactions still open are not visible
to it: the next round seals them.
"""

from typing import Any

from django.core.management.base import BaseCommand

from prokuratura.core.audit import audit_seal
from prokuratura.core.models import AuditHead


class Command(BaseCommand):
    help = "Seal the committed audit entries into the hash chain (what every task_worker does every second)."

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        head = AuditHead.objects.filter(id=1).first()
        self.stdout.write(f"sealed {sealed} audit entries; the chain's head is #{head.seq if head else 0}")
