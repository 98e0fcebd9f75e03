"""Scans people hand in (PDF, JPEG, PNG): checked by content, never by name, and stored under
MEDIA_ROOT with a generated name — never served by URL (staff views stream them)."""

import uuid

import filetype
from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf_safety import pdf_active_content

SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def scan_problems(upload: UploadedFile) -> list[str]:
    """What is wrong with a scan, in words for the person who attached it (empty: it is acceptable)."""
    if upload.size > settings.SCAN_MAX_BYTES:
        return [_("The file is larger than %(mb)s MB.") % {"mb": settings.SCAN_MAX_BYTES // (1024 * 1024)}]
    kind = filetype.guess(upload.read(262))
    upload.seek(0)
    if kind is None or kind.mime not in SCAN_TYPES:
        return [_("Only PDF, JPEG or PNG scans are accepted (checked by content, not by name).")]
    if kind.mime == "application/pdf" and pdf_active_content(upload):
        return [
            _(
                "This PDF carries scripts, actions, attached files or encryption, or cannot be read: "
                "scan the paper again as a plain PDF, JPEG or PNG."
            )
        ]
    return []


def scan_save(upload: UploadedFile, storage: Storage, folder: str, saved: list[str]) -> tuple[str, str, int]:
    """Store an accepted scan as ``<folder>/<year>/<month>/<random>.<ext>``; (path, type, size). The path
    is added to ``saved`` so that a caller whose transaction fails can delete it."""
    upload.seek(0)
    mime = filetype.guess(upload.read(262)).mime
    upload.seek(0)
    path = storage.save(
        f"{folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{SCAN_TYPES[mime]}", upload
    )
    saved.append(path)
    return path, mime, upload.size
