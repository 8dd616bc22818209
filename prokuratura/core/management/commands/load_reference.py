from django.core.management.base import BaseCommand

from prokuratura.core.management.loading import source_dir, write_reports
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
        reports = reference_load(
            source=source_dir(options["source"]),
            include_unverified=options["include_unverified"],
            datasets=options["only"] or DATASETS,
        )
        write_reports(self, reports)
