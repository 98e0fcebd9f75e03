"""The service catalog. Requests copy a service's terms (``Service.terms()``) when they are taken, so
editing fees, documents, route or deadline here never rewrites a request already accepted."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BilingualName, in_language
from core.text import fold_arabic

service_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", _("Use capital Latin letters, digits and dashes, e.g. BLD-NEW.")
)


class Category(BilingualName):
    code = models.CharField(_("code"), max_length=16, unique=True, validators=[service_code_validator])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class DocumentType(BilingualName):
    code = models.CharField(_("code"), max_length=16, unique=True, validators=[service_code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class OutputKind(models.TextChoices):
    """What a service issues; its code is part of the document number (e.g. BNH-PRM-2026-000045)."""

    PERMIT = "PRM", _("Permit")
    LICENSE = "LIC", _("License")
    CERTIFICATE = "CRT", _("Certificate")
    LETTER = "LTR", _("Letter")
    STATEMENT = "STM", _("Statement")
    DECISION = "DEC", _("Decision")
    COPY = "CPY", _("Copy")


class Service(BilingualName):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[service_code_validator])
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    description_ar = models.TextField(_("Arabic description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    legal_deadline_days = models.PositiveSmallIntegerField(
        _("legal deadline (working days)"), validators=[MinValueValidator(1)]
    )
    output_name_ar = models.CharField(_("output document (Arabic)"), max_length=200)
    output_name_en = models.CharField(_("output document (English)"), max_length=200, blank=True)
    output_kind = models.CharField(
        _("kind of output"), max_length=3, choices=OutputKind.choices, default=OutputKind.LETTER
    )
    output_verifiable = models.BooleanField(
        _("verifiable output"), default=False, help_text=_("The issued document carries a signed QR code.")
    )
    output_valid_years = models.PositiveSmallIntegerField(
        _("validity (years)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    centers = models.ManyToManyField(
        "organisation.Center",
        blank=True,
        related_name="services",
        verbose_name=_("offered at"),
        help_text=_("Leave empty to offer the service at every active center."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        ordering = ["category__position", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_deadline_days__gte=1), name="deadline_at_least_one_day"
            ),
        ]

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return fold_arabic(" ".join([self.code, self.name_ar, self.name_en, self.output_name_ar]))

    @property
    def description(self) -> str:
        return in_language(self.description_ar, self.description_en)

    @property
    def output_name(self) -> str:
        return in_language(self.output_name_ar, self.output_name_en)

    def terms(self) -> dict:
        """The terms a request is taken under, as plain JSON-ready data (money as strings)."""
        fees = list(self.fee_items.all())
        return {
            "service_code": self.code,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "legal_deadline_days": self.legal_deadline_days,
            "fees": [{"name_ar": f.name_ar, "name_en": f.name_en, "amount": str(f.amount)} for f in fees],
            "fees_total": str(sum((f.amount for f in fees), Decimal("0.00"))),
            "documents": [
                {
                    "code": d.document_type.code,
                    "name_ar": d.document_type.name_ar,
                    "name_en": d.document_type.name_en,
                    "required": d.is_required,
                }
                for d in self.documents.select_related("document_type")
            ],
            "route": [
                {"department": s.department_type.code, "working_days": s.working_days}
                for s in self.route_steps.select_related("department_type")
            ],
            "output": {
                "name_ar": self.output_name_ar,
                "name_en": self.output_name_en,
                "kind": self.output_kind,
                "verifiable": self.output_verifiable,
                "valid_years": self.output_valid_years,
            },
        }


class FeeItem(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="fee_items", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (EGP)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "position", "pk"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


class ServiceDocument(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="documents", verbose_name=_("service")
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "-is_required", "position", "pk"]
        verbose_name = _("service document")
        verbose_name_plural = _("service documents")
        constraints = [
            models.UniqueConstraint(fields=["service", "document_type"], name="document_once_per_service"),
        ]

    def __str__(self) -> str:
        return str(self.document_type)


class RouteStep(models.Model):
    """One back-office step; its working days are its share of the service's legal deadline."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="route_steps", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    department_type = models.ForeignKey(
        "organisation.DepartmentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    working_days = models.PositiveSmallIntegerField(_("working days"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "position"]
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        constraints = [
            models.UniqueConstraint(fields=["service", "position"], name="one_step_per_position"),
            models.CheckConstraint(condition=models.Q(working_days__gte=1), name="step_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.department_type}"
