"""Write the audit-chain head to every sink in AUDIT_ANCHORS (core.anchors). A periodic job (hourly, see
docs/OPERATIONS.md): exits 1 when a sink could not be written — the others are written all the same — so the
timer's failure alerting picks it up."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.anchors import audit_anchor_write, configured_sinks
from prokuratura.core.audit import audit_seal


class Command(BaseCommand):
    help = (
        "Write the audit trail's head (seq, hash) to the anchor sinks outside the database (AUDIT_ANCHORS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sink",
            action="append",
            default=[],
            help="A sink instead of AUDIT_ANCHORS (file:PATH, syslog[:HOST:PORT], mail:ADDRESS); repeatable.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sinks = options["sink"] or configured_sinks()
        if not sinks:
            raise CommandError("No anchor sinks: set AUDIT_ANCHORS (or give --sink).", returncode=1)
        audit_seal()  # the anchor names the head of everything committed up to now
        run = audit_anchor_write(sinks=sinks)
        for sink in run.written:
            self.stdout.write(f"anchored #{run.anchor.seq} {run.anchor.hash} in {sink}")
        for sink, error in run.failed.items():
            self.stderr.write(f"could not anchor in {sink}: {error}")
        if not run.ok:
            raise CommandError(
                f"{len(run.failed)} of {len(sinks)} anchor sink(s) failed.",
                returncode=1,
            )
