import pytest

from accounts.authz import can, scope_q
from accounts.models import Role, User
from accounts.services import role_assign
from organisation.models import Center, Department
from organisation.places import OrgPaths
from tests.accounts.factories import UserFactory, staff

CENTER_PATHS = OrgPaths(governorate="governorate", local_unit="local_unit", center="pk")
DEPARTMENT_PATHS = OrgPaths(governorate="local_unit__governorate", local_unit="local_unit", department="pk")
ALL_ROLES = tuple(Role)

pytestmark = pytest.mark.django_db


def reachable(user, model, paths, roles=ALL_ROLES):
    return set(model.objects.filter(scope_q(user, roles, paths)))


def test_clerk_reaches_only_own_center(org):
    clerk = staff(Role.CLERK, center=org.bnh)
    assert can(clerk, [Role.CLERK], org.bnh.org_place())
    assert not can(clerk, [Role.CLERK], org.hlp.org_place())
    assert not can(clerk, [Role.CLERK], org.bnh_eng.org_place())
    assert reachable(clerk, Center, CENTER_PATHS) == {org.bnh}
    assert reachable(clerk, Department, DEPARTMENT_PATHS) == set()


def test_center_manager_also_oversees_departments_of_its_local_unit(org):
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    assert can(manager, ALL_ROLES, org.bnh_eng.org_place())
    assert not can(manager, ALL_ROLES, org.hlp_eng.org_place())
    assert reachable(manager, Department, DEPARTMENT_PATHS) == {org.bnh_eng, org.bnh_legal, org.bnh_surv}


def test_department_staff_reach_only_their_department(org):
    employee = staff(Role.BACKOFFICE, department=org.bnh_eng)
    assert can(employee, [Role.BACKOFFICE], org.bnh_eng.org_place())
    assert not can(employee, [Role.BACKOFFICE], org.bnh_legal.org_place())
    assert not can(employee, [Role.BACKOFFICE], org.bnh.org_place())
    assert reachable(employee, Department, DEPARTMENT_PATHS) == {org.bnh_eng}
    assert reachable(employee, Center, CENTER_PATHS) == set()


def test_governorate_official_reaches_everything_in_the_governorate_only(org):
    official = staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    assert reachable(official, Center, CENTER_PATHS) == {org.bnh, org.van}
    assert reachable(official, Department, DEPARTMENT_PATHS) == {org.bnh_eng, org.bnh_legal, org.bnh_surv}
    assert not can(official, ALL_ROLES, org.hlp.org_place())


def test_national_roles_reach_everything(org):
    viewer = staff(Role.NATIONAL_VIEWER)
    assert reachable(viewer, Center, CENTER_PATHS) == set(Center.objects.all())
    assert can(viewer, [Role.NATIONAL_VIEWER], org.hlp_eng.org_place())


def test_role_outside_the_asked_roles_gives_nothing(org):
    clerk = staff(Role.CLERK, center=org.bnh)
    assert reachable(clerk, Center, CENTER_PATHS, roles=[Role.CENTER_MANAGER]) == set()
    assert not can(clerk, [Role.CENTER_MANAGER], org.bnh.org_place())


def test_inactive_assignment_or_user_reaches_nothing(org):
    clerk = staff(Role.CLERK, center=org.bnh)
    clerk.role_assignments.update(is_active=False)
    assert reachable(User.objects.get(pk=clerk.pk), Center, CENTER_PATHS) == set()
    other = staff(Role.CLERK, center=org.bnh)
    other.is_active = False
    assert not can(other, [Role.CLERK], org.bnh.org_place())


def test_user_without_roles_reaches_nothing(org):
    assert reachable(UserFactory(), Center, CENTER_PATHS) == set()


def test_several_roles_add_up(org):
    user = staff(Role.CLERK, center=org.bnh)

    role_assign(user=user, role=Role.BACKOFFICE, department=org.hlp_eng)
    user = User.objects.get(pk=user.pk)
    assert reachable(user, Center, CENTER_PATHS) == {org.bnh}
    assert reachable(user, Department, DEPARTMENT_PATHS) == {org.hlp_eng}


def test_a_registry_clerk_reaches_only_the_office_of_its_unit(org):
    from django.core.exceptions import ValidationError

    from organisation.places import OrgPlace

    unit_clerk = staff(Role.REGISTRY_CLERK, local_unit=org.bnh.local_unit)
    office_clerk = staff(Role.REGISTRY_CLERK, governorate=org.qlb)
    bnh_office = OrgPlace(governorate_id=org.qlb.pk, local_unit_id=org.bnh.local_unit_id)
    qlb_office = OrgPlace(governorate_id=org.qlb.pk)
    assert can(unit_clerk, [Role.REGISTRY_CLERK], bnh_office)
    assert not can(unit_clerk, [Role.REGISTRY_CLERK], qlb_office)
    assert not can(unit_clerk, [Role.REGISTRY_CLERK], org.bnh.org_place())  # not the center's work
    assert can(office_clerk, [Role.REGISTRY_CLERK], qlb_office)
    assert not can(office_clerk, [Role.REGISTRY_CLERK], bnh_office)  # not the local units' registers
    with pytest.raises(ValidationError):  # a registry serves an office: never a center or a department
        role_assign(user=UserFactory(), role=Role.REGISTRY_CLERK, center=org.bnh)
