from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prokuratura.core.reference import DATASETS, LoadReport, reference_load


class Command(BaseCommand):
    help = (
        "Load reference data (countries, Kazakhstan's regions, crime categories, calendar exceptions) from "
        "data/reference. Idempotent: a second run reports 0 created, 0 updated. Each data set is atomic."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            metavar="DIR",
            help="Read a newer copy of the shared data folder; files missing there come from data/reference.",
        )
        parser.add_argument(
            "--include-unverified",
            action="store_true",
            help="Also load rows whose confidence is 'unverified' (skipped and reported by default).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=DATASETS,
            help="Load only this data set (may be repeated).",
        )

    def handle(self, *args, **options):
        source = None
        if options["source"]:
            source = Path(options["source"]).expanduser().resolve()
            if not source.is_dir():
                raise CommandError(f"--source {source} is not a directory.")
        reports = reference_load(
            source=source,
            include_unverified=options["include_unverified"],
            datasets=options["only"] or DATASETS,
        )
        write_reports(self, reports)


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
