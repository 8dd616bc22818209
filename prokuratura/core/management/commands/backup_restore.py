"""Restore a folder written by `backup_create` into a FRESH database and store, then verify it.

    manage.py backup_restore --from /var/backups/prokuratura/2026-12-05
    manage.py backup_restore --from DIR --verify-only     # compare the current database and store

Refuses a damaged backup, a database that already has the tables (do not `migrate` first) and a store that holds
files. After restoring it checks every table's row count, every file's SHA-256, `audit_verify` and the audit head
against the manifest, and exits 1 naming each difference.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.backup import BackupError, backup_restore, backup_verify, manifest_read


class Command(BaseCommand):
    help = (
        "Restore a backup_create folder into a fresh database and store, then verify counts, file digests and "
        "the audit chain against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, metavar="DIR", help="The backup folder.")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Restore nothing: compare the current database and store with the manifest.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            if options["verify_only"]:
                problems = backup_verify(manifest=manifest_read(source))
                if problems:
                    raise BackupError("The database or store differs from the manifest.", problems)
                self.stdout.write(self.style.SUCCESS(f"The database and store match {source}."))
                return
            report = backup_restore(source=source)
        except BackupError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(str(error), returncode=1) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified {source}: {report.tables} tables, {report.rows} rows, {report.files} "
                f"files, audit chain intact up to #{report.audit_head['seq']}"
            )
        )
