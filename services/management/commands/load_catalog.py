from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.loading import ReferenceDataError, read_yaml
from services.services import DATA_DIR, catalog_load


class Command(BaseCommand):
    help = "Load the service catalog from YAML (idempotent, one transaction). Defaults to the shipped copy."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", type=Path, default=DATA_DIR / "catalog.yaml")
        parser.add_argument("--documents", type=Path, default=DATA_DIR / "documents.yaml")

    def handle(self, *args, catalog: Path, documents: Path, **options):
        try:
            report = catalog_load(catalog=read_yaml(catalog), document_types=read_yaml(documents))
        except ReferenceDataError as exc:
            raise CommandError(f"Catalog not loaded, nothing changed: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
