"""Only administrators manage users and roles in the admin; nobody raises their own privileges; every
change to a user or a role is recorded (who, when, what) and readable by administrators."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from accounts.services import role_assign
from tests.accounts.factories import PASSWORD, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    user = UserFactory(username="it.admin")
    role_assign(user=user, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def staff_with_user_permissions(org):
    """A staff member (say, a catalog editor) who was also given Django's user and role permissions."""
    user = staff(Role.CENTER_MANAGER, center=org.bnh)
    user.is_staff = True
    user.save()
    codenames = ["view_user", "change_user", "add_user", "view_roleassignment", "add_roleassignment"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_staff_member_with_user_permissions_cannot_escalate(
    client, staff_with_user_permissions, administrator
):
    me = staff_with_user_permissions
    client.force_login(me)
    change_me = reverse("admin:accounts_user_change", args=[me.pk])
    assert client.get(change_me).status_code == 403
    client.post(change_me, user_form(me, is_superuser="on", is_staff="on"))
    admin_password = reverse("admin:auth_user_password_change", args=[administrator.pk])
    client.post(admin_password, {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"})
    client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": me.pk, "role": Role.ADMINISTRATOR, "is_active": "on"},
    )
    me.refresh_from_db()
    administrator.refresh_from_db()
    assert not me.is_superuser
    assert not me.has_role(Role.ADMINISTRATOR)
    assert administrator.check_password(PASSWORD)
    assert client.get(reverse("admin:accounts_roleassignment_changelist")).status_code == 403


def test_an_administrator_cannot_raise_their_own_privileges_but_manages_others(client, administrator, org):
    client.force_login(administrator)
    clerk = staff(Role.CLERK, center=org.bnh)
    # Their own privilege fields are read-only, their own roles cannot be added to, their password
    # is changed through the password-change page (which asks for the old one).
    page = client.get(reverse("admin:accounts_user_change", args=[administrator.pk]))
    assert page.status_code == 200
    assert "is_superuser" in page.context["adminform"].readonly_fields
    own_password = reverse("admin:auth_user_password_change", args=[administrator.pk])
    assert client.get(own_password).status_code == 403
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": administrator.pk, "role": Role.NATIONAL_VIEWER, "is_active": "on"},
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=administrator, role=Role.NATIONAL_VIEWER).exists()

    others_password = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(
        others_password, {"password1": "New-clerk-pass-2026", "password2": "New-clerk-pass-2026"}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("New-clerk-pass-2026")
    assert LogEntry.objects.filter(object_id=str(clerk.pk), user=administrator).exists()


def test_changes_to_users_and_roles_are_recorded_with_who_and_what(client, administrator, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[clerk.pk]), user_form(clerk, full_name="اسم جديد")
    )
    assert response.status_code == 302
    latest = clerk.history.latest()
    assert (latest.full_name, latest.history_user) == ("اسم جديد", administrator)
    assert not hasattr(latest, "password")  # no password hashes in the history
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": clerk.pk, "role": Role.CENTER_MANAGER, "center": org.bnh.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    granted = RoleAssignment.objects.get(user=clerk, role=Role.CENTER_MANAGER)
    assert granted.history.get().history_user == administrator
    history_page = reverse("admin:accounts_user_history", args=[clerk.pk])
    assert client.get(history_page).status_code == 200


def test_signing_in_is_not_a_change(client, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    before = clerk.history.count()
    response = client.post(reverse("accounts:login"), {"username": clerk.username, "password": PASSWORD})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.last_login is not None
    assert clerk.history.count() == before
