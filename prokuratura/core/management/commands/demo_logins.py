from django.core.management.base import BaseCommand

from prokuratura.accounts.models import User
from prokuratura.core.demo import DEMO_USERS, demo_password


class Command(BaseCommand):
    help = "Print the demo users and how to sign in."

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])}
        if not users:
            self.stdout.write("No demo users. Run `manage.py seed_demo`.")
            return
        self.stdout.write("Demo users (one per role) — password for all: " + demo_password())
        for spec in DEMO_USERS:
            user = users.get(spec.username)
            if user:
                office = user.office.name_en if user.office else "—"
                self.stdout.write(f"  {spec.username:<14} {spec.role:<13} {office}")
        self.stdout.write("Administrators and auditors set up a TOTP second factor at first sign-in.")
