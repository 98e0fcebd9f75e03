from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def signing_key_configured(app_configs, **kwargs) -> list[Error]:
    """Production must name its document signing key (development makes one under VAR_DIR)."""
    if not settings.PRODUCTION or settings.DOCUMENT_SIGNING_KEY:
        return []
    path = settings.DOCUMENT_SIGNING_KEY_FILE
    if path and Path(path).is_file():
        return []
    return [
        Error(
            "No document signing key: documents cannot be issued.",
            hint="Set DOCUMENT_SIGNING_KEY (PEM) or DOCUMENT_SIGNING_KEY_FILE; "
            "`manage.py document_keygen <path>` makes one.",
            id="documents.E001",
        )
    ]
