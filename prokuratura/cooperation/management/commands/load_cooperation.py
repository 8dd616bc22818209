from django.core.management.base import BaseCommand

from prokuratura.cooperation.reference import DATASETS, cooperation_load
from prokuratura.core.management.loading import source_dir, write_reports


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
        reports = cooperation_load(
            source=source_dir(options["source"]), datasets=tuple(options["only"] or DATASETS)
        )
        write_reports(self, reports)
