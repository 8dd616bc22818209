"""Recompute the audit trail's hash chain. Meant for a nightly timer (docs/OPERATIONS.md): exit status 1 when
anything was edited, inserted, deleted or truncated, so the timer's failure alerting picks it up.

A chain only proves itself consistent: someone able to rewrite the database could recompute every hash after
the entry they changed. `--expect SEQ:HASH` checks the chain against a head recorded earlier somewhere else
(`SELECT seq, hash FROM core_audithead`, kept with the backups), which such a rewrite cannot match.
"""

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.audit import ChainProblem, ChainReport, audit_verify_chain
from prokuratura.core.models import AuditEntry

_EXPECT = re.compile(r"^(?P<seq>\d+):(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name each edited, inserted, deleted or truncated entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="Entries fetched per database round trip."
        )
        parser.add_argument(
            "--expect",
            metavar="SEQ:HASH",
            help="A chain head recorded outside the database: entry SEQ must still carry HASH.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expected = None
        if options["expect"]:
            expected = _EXPECT.match(options["expect"].strip().lower())
            if expected is None:
                raise CommandError("--expect takes SEQ:HASH, e.g. 1234:<64 hexadecimal digits>.")
        report = ChainReport()
        for problem in audit_verify_chain(chunk_size=options["chunk_size"], report=report):
            self._report(report, problem)
        if expected is not None:
            seq = int(expected["seq"])
            stored = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
            if stored is None:
                self._report(
                    report, ChainProblem(seq, "deleted", f"Entry #{seq}, recorded outside, is missing.")
                )
            elif stored != expected["hash"]:
                self._report(
                    report,
                    ChainProblem(seq, "edited", f"Entry #{seq} no longer carries the hash recorded outside."),
                )
        if report.problem_count:
            raise CommandError(
                f"Audit trail broken: {report.problem_count} problem(s) in {report.checked} entries.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.checked} entries"))

    def _report(self, report: ChainReport, problem: ChainProblem) -> None:
        report.problem_count += 1
        # Printed as found: on a big trail the operator sees the first damage without waiting for the end.
        self.stdout.write(f"#{problem.seq} {problem.kind}: {problem.message}")
