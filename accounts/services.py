from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from organisation.models import Center, Department, Governorate, LocalUnit


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role,
    governorate: Governorate | None = None,
    center: Center | None = None,
    department: Department | None = None,
    local_unit: LocalUnit | None = None,
) -> RoleAssignment:
    """Give ``user`` a role over one scope (idempotent). Administrators also get the Django admin.

    A scope that does not fit the role (a clerk without a center …) raises ValidationError."""
    scope = {"governorate": governorate, "center": center, "department": department, "local_unit": local_unit}
    RoleAssignment(user=user, role=role, **scope).full_clean(validate_unique=False)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return assignment


@transaction.atomic
def staff_user_ensure(*, username: str, full_name: str, initial_password: str) -> User:
    """Create the account with ``initial_password``, or keep an existing one (and its password)."""
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(initial_password)
        user.save(update_fields=["password"])
    return user
