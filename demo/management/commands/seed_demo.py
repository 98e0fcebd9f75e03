from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from core.loading import ReferenceDataError
from demo.seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo organisation, catalog and one account per role (idempotent; not in production)."

    def handle(self, *args, **options):
        try:
            report = demo_seed()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        usernames = ", ".join(username for username, *_ in DEMO_ACCOUNTS)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password {DEMO_PASSWORD}): {usernames}"))
