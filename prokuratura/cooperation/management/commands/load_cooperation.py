from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prokuratura.cooperation.reference import DATASETS, cooperation_load


class Command(BaseCommand):
    help = (
        "Load the treaty register (bilateral treaties, multilateral conventions and their parties, official "
        "counts) from data/reference. Idempotent and versioned: a second run reports 0 created, 0 updated; "
        "administrators' corrections are kept. Run after load_reference (it needs the countries)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="DIR", help="Read a newer copy of the shared data folder.")
        parser.add_argument("--only", action="append", choices=DATASETS, help="Load only this data set.")

    def handle(self, *args, **options):
        source = None
        if options["source"]:
            source = Path(options["source"]).expanduser().resolve()
            if not source.is_dir():
                raise CommandError(f"--source {source} is not a directory.")
        reports = cooperation_load(source=source, datasets=tuple(options["only"] or DATASETS))
        failed = []
        for report in reports:
            if report.error:
                failed.append(report.dataset)
                self.stderr.write(self.style.ERROR(f"{report.dataset}: not loaded — {report.error}"))
                continue
            style = self.style.SUCCESS if not report.rejected else self.style.WARNING
            self.stdout.write(style(f"{report.summary()}  [{report.source}]"))
            for row in report.rejected:
                self.stdout.write(f"  rejected line {row.line} ({row.key}): {row.reason}")
            for note in report.notes:
                self.stdout.write(f"  note: {note}")
        if failed:
            raise CommandError(f"Not loaded: {', '.join(failed)}.")
