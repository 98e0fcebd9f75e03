"""Make a new document signing key pair: the private half into a file readable by its owner only (to be
named by DOCUMENT_SIGNING_KEY_FILE), the public half published at once so that documents signed with it
verify everywhere. Documents signed with earlier keys keep verifying."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import codec
from documents.keys import key_file_write


class Command(BaseCommand):
    help = "Generate an Ed25519 key pair for signing issued documents."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the private key (PEM); must not exist")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists; refusing to overwrite a signing key.")
        key = key_file_write(target)
        public = key.public_key()
        self.stdout.write(f"Private key written to {target} (mode 600). Key id: {codec.key_id(public).hex()}")
        self.stdout.write(f"Set DOCUMENT_SIGNING_KEY_FILE={target.resolve()} and restart to sign with it.")
