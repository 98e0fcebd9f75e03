"""The document signing key: its private half from the environment (DOCUMENT_SIGNING_KEY, PEM) or a file
named there (DOCUMENT_SIGNING_KEY_FILE), never from the repository; every public key ever used is kept
in SigningKey, so documents signed before a rotation still verify."""

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from documents import codec


def key_file_write(path: Path) -> Ed25519PrivateKey:
    """A new key pair, its private half written to ``path`` readable by the owner only."""
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(codec.private_key_pem(key))
    return key


@lru_cache(maxsize=4)
def _load(pem_text: str, path: str) -> Ed25519PrivateKey:
    if pem_text:
        return codec.private_key_from_pem(pem_text.encode())
    file = Path(path) if path else None
    if file is not None and file.exists():
        return codec.private_key_from_pem(file.read_bytes())
    if file is None or settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Documents cannot be signed: set DOCUMENT_SIGNING_KEY or DOCUMENT_SIGNING_KEY_FILE "
            "(generate one with `manage.py document_keygen`)."
        )
    # Development and tests: a key of this checkout's own, under VAR_DIR, made on first use.
    return key_file_write(file)


def signing_key() -> Ed25519PrivateKey:
    return _load(settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_KEY_FILE)


def published_keys() -> dict[bytes, Ed25519PublicKey]:
    """Every key that ever signed (kept in SigningKey), and the one configured now."""
    from documents.models import SigningKey

    keys = {
        bytes.fromhex(kid): codec.public_key_from_raw(bytes(raw))
        for kid, raw in SigningKey.objects.values_list("kid", "public_key")
    }
    try:
        current = signing_key().public_key()
    except ImproperlyConfigured:  # production before a key is set: nothing new is signed
        return keys
    keys[codec.key_id(current)] = current
    return keys
