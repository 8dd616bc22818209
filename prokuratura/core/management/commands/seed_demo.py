from django.core.management.base import BaseCommand

from prokuratura.core.demo import seed_offices, seed_users
from prokuratura.core.models import Office, Region


class Command(BaseCommand):
    help = "Build the demo data set: the national office tree and one demo user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when offices already exist.")

    def handle(self, *args, **options):
        if options["if_empty"] and Office.objects.exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        if not Region.objects.exists():
            self.stderr.write("No regions loaded: run `manage.py load_reference` first.")
            raise SystemExit(1)
        offices = seed_offices()
        created = seed_users(offices)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data: {Office.objects.count()} offices, {len(created)} users created.")
        )
