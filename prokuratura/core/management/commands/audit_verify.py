"""Recompute the audit trail's hash chain and check it against the anchors. Meant for a nightly timer
(docs/OPERATIONS.md): exit status 1 when anything was edited, inserted, deleted, renumbered, truncated or
rewritten, or left unsealed too long, so the timer's failure alerting picks it up. It seals the committed entries
first (core.audit.audit_seal), so it checks everything written up to the moment it starts.

A chain only proves itself consistent: someone able to rewrite the database could recompute every hash after
the entry they changed and move the head. The anchors — heads written hourly outside the database by
`manage.py audit_anchor` (core.anchors) — show such a rewrite: `--anchors FILE` (repeatable; by default the file
sink's file when one is configured) reads them, one JSON line each or syslog-style "seq=… hash=…" lines copied from
a syslog export or the anchor e-mails. `--expect SEQ:HASH` is one anchor given by hand.
"""

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.anchors import anchor_file_path, read_anchors
from prokuratura.core.audit import Anchor, ChainProblem, ChainReport, audit_verify_chain

_EXPECT = re.compile(r"^(?P<seq>\d+):(?P<hash>[0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain against the anchors written outside the database; name each edited, "
        "inserted, deleted, renumbered, truncated or rewritten entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="Entries fetched per database round trip."
        )
        parser.add_argument(
            "--expect",
            metavar="SEQ:HASH",
            help="A chain head recorded outside the database: entry SEQ must still carry HASH.",
        )
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            action="append",
            default=[],
            help=(
                "A file of anchors (JSON lines, or lines with seq=… hash=…); repeatable. "
                "Default: the file sink of AUDIT_ANCHORS, when there is one."
            ),
        )
        parser.add_argument(
            "--no-anchors", action="store_true", help="Check the chain only, not the configured anchor file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = self._anchors(options)
        report = ChainReport()
        # Sealed first: the chain checked is everything committed up to now.
        problems = audit_verify_chain(
            chunk_size=options["chunk_size"], report=report, anchors=anchors, seal=True
        )
        for problem in problems:
            self._report(report, problem)
        if report.problem_count:
            raise CommandError(
                f"Audit trail broken: {report.problem_count} problem(s) in {report.checked} entries "
                f"({report.anchors_checked} anchor(s) checked).",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.checked} entries, {report.anchors_checked} anchor(s) checked"
            )
        )

    def _anchors(self, options: dict[str, Any]) -> list[Anchor]:
        anchors: list[Anchor] = []
        if options["expect"]:
            expected = _EXPECT.match(options["expect"].strip().lower())
            if expected is None:
                raise CommandError("--expect takes SEQ:HASH, e.g. 1234:<64 hexadecimal digits>.")
            anchors.append(Anchor(int(expected["seq"]), expected["hash"], source="--expect"))
        paths = [Path(name) for name in options["anchors"]]
        default = None if paths or options["no_anchors"] else anchor_file_path()
        if default is not None and not default.exists():
            # Before the first `audit_anchor` run there is no file yet; not a failure, but said.
            self.stderr.write(f"No anchor file yet at {default}: the chain is checked without anchors.")
            default = None
        for path in [*paths, *([default] if default else [])]:
            try:
                read = read_anchors(path)
            except OSError as error:
                raise CommandError(f"Cannot read the anchors in {path}: {error}", returncode=1) from error
            if read.unreadable:
                self.stderr.write(f"{path}: {read.unreadable} line(s) are not anchors and were skipped.")
            anchors.extend(read.anchors)
        return anchors

    def _report(self, report: ChainReport, problem: ChainProblem) -> None:
        report.problem_count += 1
        # Printed as found: on a big trail the operator sees the first damage without waiting for the end.
        self.stdout.write(f"#{problem.seq} {problem.kind}: {problem.message}")
