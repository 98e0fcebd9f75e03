from django.db.models import Count, Q, QuerySet

from accounts.models import RoleAssignment
from organisation.models import Center, Department, Governorate, LocalUnit

_ACTIVE_STAFF = Q(roleassignment__is_active=True, roleassignment__user__is_active=True)


def governorates_overview() -> QuerySet[Governorate]:
    return Governorate.objects.annotate(
        local_unit_count=Count("local_units", distinct=True),
        center_count=Count("centers", distinct=True),
    ).order_by("code")


def governorate_centers(*, governorate: Governorate) -> QuerySet[Center]:
    return (
        governorate.centers.select_related("local_unit")
        .annotate(staff_count=Count("roleassignment", filter=_ACTIVE_STAFF))
        .order_by("kind", "code")
    )


def local_unit_departments(*, local_unit: LocalUnit | None) -> QuerySet[Department]:
    if local_unit is None:
        return Department.objects.none()
    return (
        local_unit.departments.select_related("department_type", "local_unit")
        .annotate(staff_count=Count("roleassignment", filter=_ACTIVE_STAFF))
        .order_by("department_type__code")
    )


def staff_of(**scope) -> QuerySet[RoleAssignment]:
    """Active staff assigned to exactly this center or department."""
    return (
        RoleAssignment.objects.filter(is_active=True, user__is_active=True, **scope)
        .select_related("user")
        .order_by("role", "user__full_name", "user__username")
    )
