from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import ScopeRule


class Role(models.TextChoices):
    CLERK = "clerk", _("Counter clerk")
    BACKOFFICE = "backoffice", _("Back-office employee")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    CENTER_MANAGER = "center_manager", _("Center manager")
    GOVERNORATE_OFFICIAL = "governorate_official", _("Governorate official")
    NATIONAL_VIEWER = "national_viewer", _("National viewer")
    REGISTRY_CLERK = "registry_clerk", _("Registry clerk (incoming and outgoing letters)")
    ADMINISTRATOR = "administrator", _("Administrator")


CENTER_ROLES = frozenset({Role.CLERK, Role.CENTER_MANAGER})
DEPARTMENT_ROLES = frozenset({Role.BACKOFFICE, Role.DEPARTMENT_HEAD})
GOVERNORATE_ROLES = frozenset({Role.GOVERNORATE_OFFICIAL})
NATIONAL_ROLES = frozenset({Role.NATIONAL_VIEWER, Role.ADMINISTRATOR})
# A registry serves one office: a local unit's (local unit set) or the governorate's (governorate set).
OFFICE_ROLES = frozenset({Role.REGISTRY_CLERK})
# Those who oversee a center's output from above the window: its register of documents, its figures.
OVERSIGHT_ROLES = (Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL, Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Who changed what and when; password hashes and sign-in times are left out (the admin's own log
    # records "password changed").
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def active_assignments(self) -> list["RoleAssignment"]:
        """Loaded once per request: every authorization check of the request reads this list."""
        if not self.is_active or not self.pk:
            return []
        return list(
            self.role_assignments.filter(is_active=True).select_related(
                "governorate",
                "center",
                "center__local_unit",
                "department__department_type",
                "department__local_unit",
            )
        )

    def assignments_for(self, roles) -> list["RoleAssignment"]:
        roles = set(roles)
        return [a for a in self.active_assignments if a.role in roles]

    def has_role(self, *roles) -> bool:
        return bool(self.assignments_for(roles))


def _scope_is(*, governorate: bool, center: bool, department: bool, local_unit: bool = False) -> Q:
    return (
        Q(governorate__isnull=not governorate)
        & Q(center__isnull=not center)
        & Q(department__isnull=not department)
        & Q(local_unit__isnull=not local_unit)
    )


class RoleAssignment(models.Model):
    """One role held by a user over one part of the organisation. A user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    governorate = models.ForeignKey(
        "organisation.Governorate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("governorate"),
    )
    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("center")
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    local_unit = models.ForeignKey(
        "organisation.LocalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("local unit"),
        help_text=_("For a registry clerk of a local unit's office; empty for the governorate's office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_matches_scope",
                condition=(
                    (
                        Q(role__in=sorted(CENTER_ROLES))
                        & _scope_is(governorate=False, center=True, department=False)
                    )
                    | (
                        Q(role__in=sorted(DEPARTMENT_ROLES))
                        & _scope_is(governorate=False, center=False, department=True)
                    )
                    | (
                        Q(role__in=sorted(GOVERNORATE_ROLES))
                        & _scope_is(governorate=True, center=False, department=False)
                    )
                    | (
                        Q(role__in=sorted(NATIONAL_ROLES))
                        & _scope_is(governorate=False, center=False, department=False)
                    )
                    | (
                        Q(role__in=sorted(OFFICE_ROLES))
                        & (
                            _scope_is(governorate=False, center=False, department=False, local_unit=True)
                            | _scope_is(governorate=True, center=False, department=False)
                        )
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.scope_label}"

    @property
    def scope_label(self) -> str:
        target = self.center or self.department or self.local_unit or self.governorate
        return str(target) if target else str(_("Nationwide"))

    @property
    def rule(self) -> ScopeRule:
        if self.department_id:
            return ScopeRule(department_id=self.department_id)
        if self.local_unit_id:
            return ScopeRule(local_unit_id=self.local_unit_id)
        if self.role in OFFICE_ROLES:  # the governorate's own office, not its local units
            return ScopeRule(governorate_id=self.governorate_id, governorate_office=True)
        if self.center_id:
            local_unit_id = self.center.local_unit_id if self.role == Role.CENTER_MANAGER else None
            return ScopeRule(center_id=self.center_id, center_local_unit_id=local_unit_id)
        if self.governorate_id:
            return ScopeRule(governorate_id=self.governorate_id)
        return ScopeRule()
