from django.core.management.base import BaseCommand, CommandError

from prokuratura.core.demo import demo_letters_refresh, demo_office_names_refresh, seed_offices, seed_users
from prokuratura.core.models import Office, Region


class Command(BaseCommand):
    help = (
        "Build the demo data set: the national office tree, one demo user per role (both idempotent) and demo "
        "appeals (bulk-inserted; 300 when there are none yet, or --appeals N more)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when offices already exist (otherwise build everything, demo appeals included).",
        )
        parser.add_argument(
            "--appeals",
            type=int,
            metavar="N",
            help="Add N demo appeals (500,000 make one year of the national register; 0 adds none). "
            "Default: 300 when the register is empty, otherwise none.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed: the same seed on the same database gives the same data.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=None, metavar="N", help="Appeals written per transaction."
        )

    def handle(self, *args, **options):
        # Imported here: core does not depend on the domain apps, only this command uses one.
        from prokuratura.appeals import demo
        from prokuratura.appeals.models import Appeal

        if options["if_empty"] and Office.objects.exists():
            # An older demo named some offices with Latin town names in Kazakh and Russian: `make run` mends them.
            if renamed := demo_office_names_refresh():
                self.stdout.write(f"Demo offices renamed with their towns in Cyrillic: {renamed}.")
            if lettered := demo_letters_refresh():
                self.stdout.write(f"Demo letterheads and signers' positions filled in: {lettered}.")
            self.seed_supervision(options["seed"])
            self.stdout.write("Demo data already present; nothing to do.")
            return
        if not Region.objects.exists():
            self.stderr.write("No regions loaded: run `manage.py load_reference` first.")
            raise SystemExit(1)
        offices = seed_offices()
        created = seed_users(offices)
        demo_letters_refresh()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data: {Office.objects.count()} offices, {len(created)} users created.")
        )
        count = options["appeals"]
        if count is None:
            count = 0 if Appeal.objects.exists() else demo.DEFAULT_DEMO_APPEALS
        if count < 0:
            raise CommandError("--appeals must not be negative.")
        if count == 0:
            self.seed_supervision(options["seed"])
            return

        def progress(report: demo.SeedReport) -> None:
            if count >= 50_000:
                self.stdout.write(
                    f"  {report.appeals:,} / {count:,} appeals, {report.transitions:,} transitions, "
                    f"{report.seconds:.0f} s ({report.rate:,.0f} appeals/s)"
                )

        report = demo.seed_appeals(
            count=count,
            seed=options["seed"],
            chunk_size=options["chunk_size"] or demo.CHUNK_SIZE,
            progress=progress,
        )
        if report.users_created:
            self.stdout.write(f"  {len(report.users_created)} demo prosecutors (no password) created.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo appeals: {report.appeals:,} registered {report.first_day:%d.%m.%Y}–{report.last_day:%d.%m.%Y}, "
                f"{report.transitions:,} transitions, in {report.seconds:.1f} s ({report.rate:,.0f} appeals/s)."
            )
        )
        if report.index_seconds:
            self.stdout.write(
                f"  (of which {report.index_seconds:.1f} s building the indexes after the bulk load)"
            )
        self.seed_supervision(options["seed"])

    def seed_supervision(self, seed: int) -> None:
        """A year of supervision for every office (after the appeals: some inspections are opened on them), once."""
        from prokuratura.supervision.demo import seed_demo_supervision

        if report := seed_demo_supervision(seed=seed):
            self.stdout.write(self.style.SUCCESS(report.summary()))
        self.seed_requests(seed)

    def seed_requests(self, seed: int) -> None:
        """Two years of requests for legal assistance over the treaty register (`load_cooperation`), once."""
        from prokuratura.cooperation.request_demo import seed_demo_requests

        if report := seed_demo_requests(seed=seed):
            self.stdout.write(self.style.SUCCESS(report.summary()))
        self.seed_relations(seed)

    def seed_relations(self, seed: int) -> None:
        """Six years of international relations — meetings and visits, projects, recommendations — once."""
        from prokuratura.relations.demo import seed_demo_relations

        if report := seed_demo_relations(seed=seed):
            self.stdout.write(self.style.SUCCESS(report.summary()))
