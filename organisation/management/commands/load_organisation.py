from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.loading import ReferenceDataError, read_yaml
from organisation.services import DATA_DIR, organisation_load


class Command(BaseCommand):
    help = "Load governorates, local units, centers and departments from YAML (idempotent, one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=Path, default=DATA_DIR / "organisation.yaml")
        parser.add_argument("--departments", type=Path, default=DATA_DIR / "departments.yaml")

    def handle(self, *args, organisation: Path, departments: Path, **options):
        try:
            report = organisation_load(
                organisation=read_yaml(organisation), department_types=read_yaml(departments)
            )
        except ReferenceDataError as exc:
            raise CommandError(f"Organisation not loaded, nothing changed: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
