"""Rebuild the dashboards' roll-ups from the requests, documents, messages and tickets alone (after a
restore, or to check them)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.rollups import rollups_rebuild_compared


class Command(BaseCommand):
    help = "Recompute every roll-up row from what it counts; --check only says whether they would change."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Compare, change nothing, fail on a difference."
        )

    def handle(self, *args, check: bool, **options):
        with transaction.atomic():
            counts, differing = rollups_rebuild_compared()
            if check:
                transaction.set_rollback(True)
        if check and differing:
            raise CommandError(f"The roll-ups differ from the requests in: {', '.join(differing)}")
        verb = "Checked" if check else "Rebuilt"
        made = ", ".join(f"{rows:,} {table}" for table, rows in counts.items())
        self.stdout.write(f"{verb}: {made}.")
