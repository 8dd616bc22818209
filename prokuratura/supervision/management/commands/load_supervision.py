from django.core.management.base import BaseCommand

from prokuratura.core.management.loading import source_dir, write_reports
from prokuratura.supervision.reference import DATASETS, supervision_load


class Command(BaseCommand):
    help = (
        "Load the places of detention (data/reference/detention_facilities.csv) and add any act type of "
        "data/reference/supervision_act_types.csv the catalogue lacks. Idempotent: a second run reports 0 created, "
        "0 updated; a facility an administrator corrected and every existing act type are kept. Run after "
        "load_reference (it needs the regions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="DIR", help="Read newer copies of the files from DIR.")
        parser.add_argument("--only", action="append", choices=DATASETS, help="Load only this data set.")

    def handle(self, *args, **options):
        reports = supervision_load(
            source=source_dir(options["source"]), datasets=tuple(options["only"] or DATASETS)
        )
        write_reports(self, reports)
