from django.core.management.base import BaseCommand

from prokuratura.core.management.loading import source_dir, write_reports
from prokuratura.relations.reference import DATASETS, relations_load


class Command(BaseCommand):
    help = (
        "Load international relations' reference data from data/reference: organisations and counterparts "
        "(relations_counterparts.csv), topics (relations_topics.csv), official statements "
        "(relations_statements.csv) and, last, the visits of UN special procedures "
        "(un_special_procedures_visits_kz.csv) as held incoming visits of the root office. Idempotent: a second run "
        "reports 0 created, 0 updated; a counterpart an administrator corrected is kept. Run after load_reference "
        "(it needs the countries); the visits need the office tree (seed_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="DIR", help="Read newer copies of the files from DIR.")
        parser.add_argument("--only", action="append", choices=DATASETS, help="Load only this data set.")

    def handle(self, *args, **options):
        reports = relations_load(
            source=source_dir(options["source"]), datasets=tuple(options["only"] or DATASETS)
        )
        write_reports(self, reports)
