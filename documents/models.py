"""Issued documents (permits, licenses, certificates, letters) with a signed QR, the public keys that
verify them, and each document's own append-only history (issued, printed, revoked).

The app knows no domain: whoever issues a document (today the request workflow) hands it the holder,
the details and the issuing place; the request keeps the link to its document, not the other way."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import in_language
from organisation.places import OrgPaths, OrgPlace
from services.models import OutputKind


class SigningKey(models.Model):
    """A public key that verifies documents. Keys are never removed, so a document signed before a
    rotation stays verifiable; only the key whose private half is configured signs new ones."""

    kid = models.CharField(_("key id"), max_length=8, unique=True)
    public_key = models.BinaryField(_("public key (raw Ed25519)"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("document signing key")
        verbose_name_plural = _("document signing keys")

    def __str__(self) -> str:
        return self.kid


class RevocationReason(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
    SUPERSEDED = "superseded", _("Replaced by a new document")
    FRAUD = "fraud", _("Obtained by fraud or false documents")
    COURT_ORDER = "court_order", _("Court or prosecution order")
    HOLDER_REQUEST = "holder_request", _("At the holder's request")
    VIOLATION = "violation", _("Violation of its conditions")


class IssuedDocument(models.Model):
    number = models.CharField(_("document number"), max_length=40, unique=True)
    issuer_code = models.CharField(max_length=8)
    kind = models.CharField(_("kind"), max_length=3, choices=OutputKind.choices)
    serial = models.PositiveIntegerField()
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_national_id = models.CharField(_("holder's national ID"), max_length=14)
    subject = models.TextField(_("subject"))
    terms = models.JSONField(_("key terms"), default=list, blank=True)  # [[label, value], …]
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing center")
    )
    # The places' and the signatory's names as printed, frozen with the document.
    issuer_names = models.JSONField(default=dict)
    source_reference = models.CharField(_("issued on request"), max_length=40, blank=True)
    # Whether the paper carries the QR (the catalog's choice per service); the number and check code
    # verify it either way.
    carries_qr = models.BooleanField(_("carries the signed QR"), default=True)
    salt = models.BinaryField()
    # The QR's slow holder digest (codec.holder_hash), computed once at issue.
    holder_digest = models.BinaryField()
    kid = models.CharField(max_length=8)
    status_index = models.PositiveIntegerField(unique=True)
    payload = models.BinaryField(_("signed payload (COSE)"))
    check_code = models.CharField(_("check code"), max_length=8)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(
        _("reason for revocation"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("note on the revocation"), blank=True)

    PATHS = OrgPaths(governorate="center__governorate", local_unit="center__local_unit", center="center")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(revoked_at__isnull=True) & Q(revocation_reason=""))
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="revocation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "issued_on"], name="document_center_day"),
            # The national dashboard counts a period's documents and revocations, whatever the center.
            models.Index(fields=["issued_on"], name="document_day"),
            models.Index(
                fields=["revoked_at"], condition=Q(revoked_at__isnull=False), name="document_revoked"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return in_language(self.title_ar, self.title_en)

    def named(self, place: str) -> str:
        """The frozen name of ``place`` (center, local_unit, governorate, signatory), in the reader's
        language."""
        names = self.issuer_names.get(place, {})
        return in_language(names.get("ar", ""), names.get("en", ""))

    @property
    def masked_national_id(self) -> str:
        return "•" * 10 + self.holder_national_id[-4:]

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.center.governorate_id,
            local_unit_id=self.center.local_unit_id,
            center_id=self.center_id,
        )

    def printed_details(self) -> dict:
        """What the paper says beyond the QR's own fields; the QR's details digest covers exactly this."""
        return {
            "number": self.number,
            "title": self.title_ar,
            "holder": self.holder_name,
            "subject": self.subject,
            "terms": self.terms,
            "issuer": self.issuer_names,
            "source": self.source_reference,
            "check_code": self.check_code,
        }


class DocumentEvent(models.Model):
    """One line of a document's history; PostgreSQL refuses to change or delete it."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PRINTED = "printed", _("Printed")
        REVOKED = "revoked", _("Revoked")

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("document event")
        verbose_name_plural = _("document events")

    def __str__(self) -> str:
        return f"{self.document_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
