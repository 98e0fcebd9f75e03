import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, RoleAssignment
from accounts.services import role_assign, staff_user_ensure
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "scope_name"),
    [
        (Role.CLERK, "department"),
        (Role.CLERK, None),
        (Role.BACKOFFICE, "bnh"),
        (Role.DEPARTMENT_HEAD, "qlb"),
        (Role.GOVERNORATE_OFFICIAL, "bnh"),
        (Role.NATIONAL_VIEWER, "qlb"),
        (Role.ADMINISTRATOR, "bnh"),
    ],
)
def test_role_with_a_scope_that_does_not_fit_is_refused(org, role, scope_name):
    user = UserFactory()
    scope = {
        "department": {"department": org.bnh_eng},
        "bnh": {"center": org.bnh},
        "qlb": {"governorate": org.qlb},
        None: {},
    }[scope_name]
    with pytest.raises(ValidationError):
        role_assign(user=user, role=role, **scope)
    assert not RoleAssignment.objects.exists()


def test_role_assign_is_idempotent_and_reactivates(org):
    user = UserFactory()
    first = role_assign(user=user, role=Role.CLERK, center=org.bnh)
    first.is_active = False
    first.save()
    again = role_assign(user=user, role=Role.CLERK, center=org.bnh)
    assert again.pk == first.pk
    assert again.is_active
    assert RoleAssignment.objects.count() == 1


def test_administrator_gets_the_admin_site(db):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser


def test_other_roles_do_not_get_the_admin_site(org):
    user = UserFactory()
    role_assign(user=user, role=Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_staff_user_ensure_keeps_an_existing_password(db):
    user = staff_user_ensure(username="mona", full_name="منى", initial_password="first-password-1")
    user.set_password("changed-by-mona-2")
    user.save()
    again = staff_user_ensure(username="mona", full_name="منى", initial_password="first-password-1")
    assert again.pk == user.pk
    assert again.check_password("changed-by-mona-2")
