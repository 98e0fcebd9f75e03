"""Count the open requests into the dashboards' backlog snapshot now (the beat does it every 5 minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.backlog import backlog_refresh


class Command(BaseCommand):
    help = "Count the open requests (in progress, awaiting the citizen, overdue, at risk, by age) again."

    def handle(self, *args, **options):
        report = backlog_refresh()
        if report.skipped:
            self.stdout.write("Another backlog refresh is running; it gives the count.")
            return
        self.stdout.write(
            f"Counted {report.open} open requests into {report.cells} cells in {report.seconds:.2f} s "
            f"(as of {timezone.localtime(report.taken_at):%Y-%m-%d %H:%M:%S %Z})."
        )
