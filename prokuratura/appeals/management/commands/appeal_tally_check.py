"""Compare the dashboard's tally (`AppealTally`) with a fresh count of the appeals. A weekly periodic job
(docs/OPERATIONS.md): the triggers of migration 0016 keep the tally current on every write, so a difference means
something went around them — a trigger dropped by a later migration, a restore of one table without the other, a
hand edit of the tally.

Exit status 0 when the two agree; 1 when a trigger is missing or a key differs, each differing key named (office,
region, registration day, due date, and the figures on both sides). `--repair` rebuilds the tally from the appeals
in one transaction (audited as `system:scheduler`; on PostgreSQL writes to the appeals wait until it commits) and
still exits 1, so the timer's failure alerting reports that the dashboard was wrong until then.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.appeals.tally import (
    TallyDifference,
    appeal_tally_differences,
    appeal_tally_rebuild,
    appeal_tally_triggers_missing,
)
from prokuratura.core.actors import SCHEDULER
from prokuratura.core.models import Office, Region


class Command(BaseCommand):
    help = (
        "Compare the appeals dashboard's tally with a fresh count of the appeals; name every differing key. "
        "--repair rebuilds it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="Rebuild the tally from the appeals when it differs."
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="Name at most this many differing keys (default 100)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        missing = appeal_tally_triggers_missing()
        if missing:
            problems.append(
                f"trigger(s) missing on appeals_appeal: {', '.join(missing)} — writes are not being counted; "
                "run migration 0016's trigger SQL again (appeals/migrations/0016_appeal_tally.py)"
            )
        differences, more = appeal_tally_differences(limit=options["limit"])
        for line in self._describe(differences):
            self.stdout.write(line)
        if differences:
            count = f"more than {len(differences)}" if more else str(len(differences))
            problems.append(f"the tally differs from the appeals at {count} key(s)")
        if not problems:
            self.stdout.write(self.style.SUCCESS("The appeals tally agrees with the appeals."))
            return
        if options["repair"] and differences:
            rows = appeal_tally_rebuild(by=SCHEDULER, reason="appeal_tally_check --repair")
            problems.append(f"repaired: the tally was rebuilt from the appeals ({rows} rows)")
        raise CommandError("Appeals tally: " + "; ".join(problems) + ".", returncode=1)

    def _describe(self, differences: list[TallyDifference]) -> list[str]:
        offices = Office.objects.in_bulk({d.key[0] for d in differences})
        regions = Region.objects.in_bulk({d.key[1] for d in differences})
        lines = []
        for difference in differences:
            office_id, region_id, registered_on, due_date = difference.key
            office = offices.get(office_id)
            region = regions.get(region_id)
            lines.append(
                f"{office.code if office else office_id}, region {region.kato_code if region else region_id}, "
                f"registered {registered_on}, due {due_date}: {difference.figures()}"
            )
        return lines
