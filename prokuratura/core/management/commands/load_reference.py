from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prokuratura.core.reference import DATASETS, reference_load


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
        failed = []
        for report in reports:
            if report.error:
                failed.append(report.dataset)
                self.stderr.write(self.style.ERROR(f"{report.dataset}: not loaded — {report.error}"))
                continue
            style = self.style.SUCCESS if not report.rejected else self.style.WARNING
            self.stdout.write(style(f"{report.summary()}  [{report.source}]"))
            for row in report.rejected:
                where = f"line {row.line}" if row.line else "row"
                self.stdout.write(f"  rejected {where} ({row.key}): {row.reason}")
            for row in report.skipped:
                self.stdout.write(f"  skipped line {row.line} ({row.key}): {row.reason}")
            for note in report.notes:
                self.stdout.write(f"  note: {note}")
        if failed:
            raise CommandError(f"Not loaded: {', '.join(failed)}.")
