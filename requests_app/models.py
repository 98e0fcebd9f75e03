"""Service requests taken at the front window, with the terms they were taken under."""

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.scope import OrgPlace
from requests_app.identity import NationalId, validate_national_id


def scan_storage() -> FileSystemStorage:
    """Scans live under MEDIA_ROOT (outside the web root, never served by URL); staff views stream them."""
    return FileSystemStorage(location=settings.MEDIA_ROOT, base_url=None)


def new_tracking_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


class Citizen(models.Model):
    national_id = models.CharField(
        _("national ID"), max_length=14, unique=True, validators=[validate_national_id]
    )
    name_ar = models.CharField(_("full name (Arabic)"), max_length=200)
    mobile = models.CharField(_("mobile number"), max_length=16, help_text=_("E.164, e.g. +201012345678"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return self.name_ar

    @property
    def parsed_id(self) -> NationalId:
        return NationalId(self.national_id)

    @property
    def local_mobile(self) -> str:
        """+201012345678 as dialled in Egypt: 01012345678."""
        return "0" + self.mobile.removeprefix("+20")


class ReceiptCounter(models.Model):
    """The last receipt number given by a center in a year; locked while a request is taken."""

    center = models.ForeignKey("backoffice.Center", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "year"], name="one_counter_per_center_year")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.year}: {self.last_number}"


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    NONE = "", _("No fees")
    CASH = "cash", _("Cash at the center's treasury")
    EPAYMENT = "epayment", _("Electronic payment")


class ServiceRequest(models.Model):
    receipt_number = models.CharField(_("receipt number"), max_length=32, unique=True)
    center = models.ForeignKey(
        "backoffice.Center", on_delete=models.PROTECT, related_name="requests", verbose_name=_("center")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    service = models.ForeignKey(
        "services.Service", on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    terms = models.JSONField(_("terms when taken"))
    applicant = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="requests", verbose_name=_("applicant")
    )
    attorney = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        related_name="requests_as_attorney",
        null=True,
        blank=True,
        verbose_name=_("attorney"),
    )
    state = FSMField(_("state"), default=RequestState.SUBMITTED, choices=RequestState.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("expected completion"))
    fees_total = models.DecimalField(_("fees total"), max_digits=12, decimal_places=2)
    payment_method = models.CharField(
        _("payment method"), max_length=12, choices=PaymentMethod.choices, blank=True
    )
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    intake_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    history = HistoricalRecords(excluded_fields=["terms"])

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "sequence"], name="gapless_receipt_per_center_year"
            ),
        ]
        indexes = [
            models.Index(fields=["center", "submitted_at"], name="request_center_day"),
            models.Index(fields=["taken_by", "submitted_at"], name="request_clerk_day"),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.center.governorate_id,
            local_unit_id=self.center.local_unit_id,
            center_id=self.center_id,
        )

    def refresh_from_db(self, *args, **kwargs):
        # The protected state field refuses assignment, and reloading assigns it: forget it first.
        fields = kwargs.get("fields")
        if fields is None or "state" in fields:
            self.__dict__.pop("state", None)
        super().refresh_from_db(*args, **kwargs)

    @transition(field=state, source=RequestState.SUBMITTED, target=RequestState.CANCELLED)
    def cancel(self) -> None:
        """The citizen withdrew the request before any back-office decision."""


class RequestFee(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField()
    name_ar = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["request", "position"]

    def __str__(self) -> str:
        return f"{self.name_ar}: {self.amount}"


class RequestDocument(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16)
    name_ar = models.CharField(max_length=200)
    required = models.BooleanField()
    received = models.BooleanField()
    scan = models.FileField(storage=scan_storage, upload_to="scans/%Y/%m/", blank=True, max_length=200)
    scan_content_type = models.CharField(max_length=40, blank=True)
    scan_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]

    def __str__(self) -> str:
        return self.name_ar


class RequestEvent(models.Model):
    """One line of a request's history. Written by services only, never edited."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Request taken at the window")
        CANCELLED = "cancelled", _("Cancelled at the citizen's request")
        RECEIPT_PRINTED = "receipt_printed", _("Receipt printed")
        RECEIPT_REPRINTED = "receipt_reprinted", _("Receipt reprinted")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    note = models.TextField(_("internal note"), blank=True)

    class Meta:
        ordering = ["request", "at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def changes_state(self) -> bool:
        return self.from_state != self.to_state
