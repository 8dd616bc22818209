"""What the reference-data import commands (load_reference, load_cooperation) share: the --source option's
check and the report they print."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prokuratura.core.reference import LoadReport


def source_dir(value: str | None) -> Path | None:
    """The --source folder, resolved; None when the option was not given."""
    if not value:
        return None
    source = Path(value).expanduser().resolve()
    if not source.is_dir():
        raise CommandError(f"--source {source} is not a directory.")
    return source


def write_reports(command: BaseCommand, reports: list[LoadReport]) -> None:
    """Print each data set's report (rejected and skipped rows, notes); fail when a data set did not load."""
    failed = []
    for report in reports:
        if report.error:
            failed.append(report.dataset)
            command.stderr.write(command.style.ERROR(f"{report.dataset}: not loaded — {report.error}"))
            continue
        style = command.style.SUCCESS if not report.rejected else command.style.WARNING
        command.stdout.write(style(f"{report.summary()}  [{report.source}]"))
        for row in report.rejected:
            where = f"line {row.line}" if row.line else "row"
            command.stdout.write(f"  rejected {where} ({row.key}): {row.reason}")
        for row in report.skipped:
            command.stdout.write(f"  skipped line {row.line} ({row.key}): {row.reason}")
        for note in report.notes:
            command.stdout.write(f"  note: {note}")
    if failed:
        raise CommandError(f"Not loaded: {', '.join(failed)}.")
