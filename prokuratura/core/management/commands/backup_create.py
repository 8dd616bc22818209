"""Back up the database and every stored file into a new folder with a manifest (prokuratura.core.backup).

    manage.py backup_create --to /var/backups/prokuratura/2026-12-05

Exit status 1 (and nothing claimed) when pg_dump or a file copy fails. docs/OPERATIONS.md, "Backup and restore".
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: the online backup), every file of the default "
        "storage and a manifest (row counts, file digests, audit head) into a new folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, metavar="DIR", help="A new or empty folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(to=Path(options["to"]))
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from error
        head = manifest["audit_head"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['to']}: {len(manifest['tables'])} tables, "
                f"{sum(manifest['tables'].values())} rows, {len(manifest['files'])} files, "
                f"audit head #{head['seq']} {head['hash']}"
            )
        )
