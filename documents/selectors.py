"""Verifying a document (by its QR or by number and check code), and what is published for verifiers
who work offline: the public keys and the signed revocation lists."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.authz import scope_q
from accounts.models import OVERSIGHT_ROLES, Role, User
from core.pagecache import generation_cached
from documents import codec
from documents.keys import published_keys, signing_key
from documents.models import IssuedDocument
from documents.services import STATUS_GENERATION, claims_of
from organisation.calendar import CAIRO


@dataclass(frozen=True)
class Verification:
    verdict: codec.Verdict
    document: IssuedDocument | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict != codec.Verdict.NOT_OURS


NOT_OURS = Verification(codec.Verdict.NOT_OURS)


def _checked(
    document: IssuedDocument | None, message: bytes | None = None, claims: codec.Claims | None = None
) -> Verification:
    """The verdict on a document of ours whose QR is ``message`` (its own when None; ``claims`` are
    that message's, already opened): the record must carry that very payload, the payload a valid
    signature of a published key, and its digests must match the record — so an edited record is
    caught as surely as an edited QR."""
    if document is None:
        return NOT_OURS
    stored = bytes(document.payload)
    if message is not None and message != stored:
        return NOT_OURS
    if claims is None:
        try:
            _, claims = codec.payload_open(stored, published_keys())
        except codec.Rejected:
            return NOT_OURS
    if claims != claims_of(document):
        return NOT_OURS
    today = timezone.now().astimezone(CAIRO).date()
    return Verification(codec.verdict_of(claims, today=today, revoked=document.is_revoked), document)


# Who sees the register: the issuing center's window, and those who oversee it.
VIEW_ROLES = (Role.CLERK, *OVERSIGHT_ROLES)


def _in_reach(user: User):
    return IssuedDocument.objects.filter(scope_q(user, VIEW_ROLES, IssuedDocument.PATHS))


def document_in_reach(*, user: User, number: str) -> IssuedDocument | None:
    """The document of that number, if the user's role and scope reach it (else None: a 404)."""
    return _in_reach(user).select_related("center", "revoked_by", "issued_by").filter(number=number).first()


def documents_in_reach(*, user: User, number_prefix: str = "") -> QuerySet[IssuedDocument]:
    """The register as the user may see it, newest first, optionally by the start of the number."""
    found = _in_reach(user).select_related("center").order_by("-issued_at")
    return found.filter(number__startswith=number_prefix) if number_prefix else found


def document_verify_qr(*, text: str) -> Verification:
    """What the QR (or the address it opens) holds → the verdict. Garbage of any kind is "not ours"."""
    try:
        message = codec.transport_decode(text)
        _, claims = codec.payload_open(message, published_keys())
    except codec.Rejected:
        return NOT_OURS
    document = IssuedDocument.objects.select_related("center").filter(number=claims.number).first()
    return _checked(document, message, claims)


def document_verify_number(*, number: str, check_code: str) -> Verification:
    """The number and the check code printed on the paper; either wrong gives the same "not ours"."""
    number, check_code = number.strip().upper(), check_code.strip().upper().replace(" ", "")
    if not number or not check_code:
        return NOT_OURS
    document = (
        IssuedDocument.objects.select_related("center").filter(number=number, check_code=check_code).first()
    )
    return _checked(document)


def document_qr_text(*, document: IssuedDocument) -> str:
    return codec.qr_text(settings.PUBLIC_BASE_URL or "http://localhost", bytes(document.payload))


def keys_published() -> dict:
    return codec.keys_document(published_keys())


def status_list_count() -> int:
    """How many revocation lists there are (each LIST_SIZE documents; at least one)."""
    last = IssuedDocument.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    return 1 if last is None else last // codec.LIST_SIZE + 1


def status_list_signed(*, number: int) -> bytes | None:
    """Revocation list ``number``, signed now and valid for DOCUMENT_STATUS_MAX_AGE; kept in the cache
    until a revocation changes it. None when there is no such list."""
    if not 0 <= number < status_list_count():
        return None

    def build() -> bytes:
        first = number * codec.LIST_SIZE
        revoked = IssuedDocument.objects.filter(
            revoked_at__isnull=False, status_index__gte=first, status_index__lt=first + codec.LIST_SIZE
        ).values_list("status_index", flat=True)
        now = timezone.now().replace(microsecond=0)
        status = codec.StatusList(
            number=number,
            issued_at=now,
            valid_until=now + timedelta(seconds=settings.DOCUMENT_STATUS_MAX_AGE),
            bits=codec.status_bits(index - first for index in revoked),
        )
        return codec.status_list_sign(signing_key(), status)

    return generation_cached(STATUS_GENERATION, f"list:{number}", build)
