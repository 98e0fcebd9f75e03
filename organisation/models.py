"""The organisation: governorate → local unit → center, and the departments of each local unit."""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BilingualName, in_language
from organisation.places import OrgPlace

org_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,7}$", _("Use 2 to 8 capital Latin letters or digits, starting with a letter.")
)


class Governorate(BilingualName):
    code = models.CharField(_("code"), max_length=8, unique=True, validators=[org_code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")

    def org_place(self) -> OrgPlace:
        return OrgPlace(governorate_id=self.pk)


class LocalUnit(BilingualName):
    class Kind(models.TextChoices):
        CITY = "city", _("City council")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village council")

    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="local_units", verbose_name=_("governorate")
    )
    code = models.CharField(_("code"), max_length=8, unique=True, validators=[org_code_validator])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["governorate__code", "code"]
        verbose_name = _("local unit")
        verbose_name_plural = _("local units")

    def org_place(self) -> OrgPlace:
        return OrgPlace(governorate_id=self.governorate_id, local_unit_id=self.pk)


class Center(BilingualName):
    """A technological center holding the front windows: fixed in a local unit, or a mobile van."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed center")
        MOBILE = "mobile", _("Mobile center")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[org_code_validator],
        help_text=_("Printed in receipt numbers, e.g. BNH-2026-000123."),
    )
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="centers", verbose_name=_("governorate")
    )
    local_unit = models.ForeignKey(
        LocalUnit,
        on_delete=models.PROTECT,
        related_name="centers",
        null=True,
        blank=True,
        verbose_name=_("local unit"),
        help_text=_("Empty for a mobile center serving the whole governorate."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    short_name_ar = models.CharField(
        _("short Arabic name"),
        max_length=40,
        help_text=_("The place alone, as text messages name the center, e.g. بنها."),
    )
    short_name_en = models.CharField(_("short English name"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    closing_time = models.TimeField(
        _("closing time"),
        default=datetime.time(15, 0),
        help_text=_("Deadlines falling on a day end at this time (Cairo time)."),
    )

    class Meta:
        ordering = ["governorate__code", "kind", "code"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="fixed") | models.Q(local_unit__isnull=False),
                name="fixed_center_has_local_unit",
            ),
        ]

    @property
    def short_name(self) -> str:
        return in_language(self.short_name_ar, self.short_name_en)

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.governorate_id, local_unit_id=self.local_unit_id, center_id=self.pk
        )


class DepartmentType(BilingualName):
    """A kind of back-office department (engineering, survey …); every local unit has one of each."""

    code = models.CharField(_("code"), max_length=8, unique=True, validators=[org_code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("department type")
        verbose_name_plural = _("department types")


class Department(models.Model):
    local_unit = models.ForeignKey(
        LocalUnit, on_delete=models.PROTECT, related_name="departments", verbose_name=_("local unit")
    )
    department_type = models.ForeignKey(
        DepartmentType,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("department type"),
    )

    class Meta:
        ordering = ["local_unit__code", "department_type__code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["local_unit", "department_type"], name="one_department_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.department_type.name} — {self.local_unit.name}"

    @property
    def name(self) -> str:
        return self.department_type.name

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.local_unit.governorate_id,
            local_unit_id=self.local_unit_id,
            department_id=self.pk,
        )


class Closure(models.Model):
    """Days that are not working days beyond weekends and Egypt's public holidays: a holiday declared
    by decree (nationwide, or for one governorate) or one center closed (maintenance, elections …)."""

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (inclusive)"))
    governorate = models.ForeignKey(
        Governorate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("governorate"),
        help_text=_("Empty for the whole country."),
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("center"),
        help_text=_("Only this center is closed."),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("closure or extra holiday")
        verbose_name_plural = _("closures and extra holidays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(governorate__isnull=True) | models.Q(center__isnull=True),
                name="closure_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on} – {self.ends_on})"
