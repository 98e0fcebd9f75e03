"""Issuing, printing and revoking documents. Each is one transaction and leaves one history line."""

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authz import can
from accounts.models import Role, User
from core.numbering import number_next
from core.pagecache import page_generation_changed
from core.text import visible_text
from documents import codec
from documents.keys import signing_key
from documents.models import DocumentEvent, IssuedDocument, RevocationReason, SigningKey
from organisation.calendar import CAIRO
from organisation.models import Center, LocalUnit

# Who may revoke: the issuing center's manager, the governorate's officials, administrators.
REVOKING_ROLES = (Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL, Role.ADMINISTRATOR)
# Who prints the paper: the issuing center's window and its manager.
PRINTING_ROLES = (Role.CLERK, Role.CENTER_MANAGER)
STATUS_GENERATION = "document-status"
STATUS_SERIES = "document-status-index"
# Letters and digits that cannot be mistaken for one another when read off paper (no 0/O, 1/I/L, U/V).
CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CHECK_CODE_LENGTH = 8


@dataclass(frozen=True)
class DocumentInput:
    """What the issuer hands over; the documents app knows nothing of where it comes from."""

    kind: str
    title_ar: str
    title_en: str
    holder_name: str
    holder_national_id: str
    subject: str
    terms: list[tuple[str, str]]
    valid_years: int | None
    center: Center
    local_unit: LocalUnit
    source_reference: str = ""
    carries_qr: bool = True


def signing_key_register() -> SigningKey:
    """The configured key's public half, published (kept for good: old documents keep verifying)."""
    public = signing_key().public_key()
    row, _ = SigningKey.objects.get_or_create(
        kid=codec.key_id(public).hex(), defaults={"public_key": codec.public_key_raw(public)}
    )
    return row


def _valid_until(issued_on: date, years: int | None) -> date | None:
    if not years:
        return None
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # issued on 29 February: the anniversary is 1 March, valid through 28 February
        anniversary = date(issued_on.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def _names(item) -> dict:
    return {"ar": item.name_ar, "en": item.name_en}


def _issuer_names(center: Center, local_unit: LocalUnit) -> dict:
    return {
        "center": _names(center),
        "local_unit": _names(local_unit),
        "governorate": _names(local_unit.governorate),
        # The head of the local unit signs what its departments decided.
        "signatory": {
            "ar": f"رئيس {local_unit.name_ar}",
            "en": f"Head of {local_unit.name_en}" if local_unit.name_en else "",
        },
    }


@transaction.atomic
def document_issue(
    *, document: DocumentInput, actor: User | None, now: datetime | None = None
) -> IssuedDocument:
    """Number, sign and record a document. Runs inside the issuer's transaction when there is one, so
    an approval and its document are saved together or not at all. ``now`` is for the demo's past."""
    subject = visible_text(document.subject)
    if not subject:
        raise ValidationError({"subject": _("Write the document's subject (e.g. the plot's address).")})
    now = now or timezone.now()
    issued_on = now.astimezone(CAIRO).date()
    issuer = document.center.code
    serial = number_next(series=f"document:{issuer}:{document.kind}", year=issued_on.year)
    key = signing_key()
    signing_key_register()
    issued = IssuedDocument(
        number=codec.document_number(issuer, document.kind, issued_on.year, serial),
        issuer_code=issuer,
        kind=document.kind,
        serial=serial,
        title_ar=document.title_ar,
        title_en=document.title_en,
        holder_name=document.holder_name,
        holder_national_id=document.holder_national_id,
        subject=subject,
        terms=[[visible_text(label), visible_text(value)] for label, value in document.terms],
        issued_on=issued_on,
        valid_until=_valid_until(issued_on, document.valid_years),
        center=document.center,
        issuer_names=_issuer_names(document.center, document.local_unit),
        source_reference=document.source_reference,
        carries_qr=document.carries_qr,
        salt=os.urandom(codec.SALT_BYTES),
        kid=codec.key_id(key.public_key()).hex(),
        status_index=number_next(series=STATUS_SERIES, year=0) - 1,
        check_code="".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH)),
        issued_by=actor,
        issued_at=now,
    )
    issued.holder_digest = codec.holder_hash(bytes(issued.salt), issued.holder_national_id)
    issued.payload = codec.payload_sign(key, claims_of(issued))
    issued.save()
    DocumentEvent.objects.create(document=issued, at=now, actor=actor, action=DocumentEvent.Action.ISSUED)
    return issued


def claims_of(document: IssuedDocument) -> codec.Claims:
    """What the document's QR says of it, computed from its frozen data."""
    salt = bytes(document.salt)
    return codec.Claims(
        issuer=document.issuer_code,
        kind=document.kind,
        serial=document.serial,
        issued_on=document.issued_on,
        valid_until=document.valid_until,
        status_index=document.status_index,
        holder_digest=bytes(document.holder_digest),
        details_digest=codec.digest(salt, codec.canonical(document.printed_details())),
        salt=salt,
    )


@transaction.atomic
def document_print_record(*, document_id: int, actor: User) -> IssuedDocument:
    """Record that ``actor`` printed the document (the paper is the same every time). Only the issuing
    center's clerks and manager print it, and a revoked document is not printed again."""
    document = IssuedDocument.objects.select_related("center").get(pk=document_id)
    if not can(actor, PRINTING_ROLES, document.org_place()):
        raise PermissionDenied(_("Only the issuing center's window or manager prints the document."))
    if document.is_revoked:
        raise ValidationError(_("This document was revoked; it is not printed again."))
    DocumentEvent.objects.create(
        document=document, at=timezone.now(), actor=actor, action=DocumentEvent.Action.PRINTED
    )
    return document


@transaction.atomic
def document_revoke(*, document_id: int, actor: User, reason: str, note: str) -> IssuedDocument:
    """Revoke for good (only a new document replaces it); the verification page and the published
    revocation list say so from the moment this commits."""
    locked = IssuedDocument.objects.select_for_update(of=("self",)).select_related("center")
    document = locked.get(pk=document_id)
    if not can(actor, REVOKING_ROLES, document.org_place()):
        raise PermissionDenied(_("Only the issuing center's manager or the governorate may revoke it."))
    if reason not in RevocationReason.values:
        raise ValidationError({"reason": _("Choose the reason for the revocation.")})
    note = visible_text(note)
    if not note:
        raise ValidationError({"note": _("Write what the revocation rests on (e.g. the decision's number).")})
    if document.is_revoked:
        raise ValidationError(_("This document was already revoked."))
    document.revoked_at = timezone.now()
    document.revoked_by = actor
    document.revocation_reason = reason
    document.revocation_note = note
    document.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "revocation_note"])
    DocumentEvent.objects.create(
        document=document, at=document.revoked_at, actor=actor, action=DocumentEvent.Action.REVOKED, note=note
    )
    page_generation_changed(STATUS_GENERATION)
    return document
