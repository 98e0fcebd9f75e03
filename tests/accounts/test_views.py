import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory, staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_is_arabic_rtl(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "دخول الموظفين" in html


def test_login_leads_to_the_staff_home_with_role_work(client, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    response = login(client, clerk.username)
    assert response.status_code == 302
    assert response.url == reverse("staff:home")
    page = client.get(response.url).content.decode()
    assert "موظف الشباك" in page
    assert reverse("window:home", args=["BNH"]) in page


def test_wrong_password_gives_an_arabic_message_and_no_session(client):
    user = UserFactory()
    response = login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "الرجاء إدخال اسم المستخدم وكلمة السر الصحيحين" in response.content.decode()


def test_repeated_failures_lock_the_account_from_that_address(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong-password")
    locked = login(client, user.username)  # even the right password is refused now
    assert locked.status_code == 429
    assert "الدخول موقوف مؤقتًا" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_colleagues_at_the_same_center(client, settings):
    victim, colleague = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, victim.username, "wrong-password")
    response = login(client, colleague.username)
    assert response.status_code == 302


def test_lockout_message_in_english(client, settings):
    user = UserFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = login(client, user.username, "wrong-password")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    assert "كلمة المرور" in weak.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-77",
            "new_password2": "a-much-longer-pass-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-longer-pass-77")


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_staff_home_needs_login(client):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_staff_home_without_roles_says_so(client):
    client.force_login(UserFactory())
    response = client.get(reverse("staff:home"))
    assert response.status_code == 200
    assert "لم يُسند إليك دور بعد" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "scope", "link"),
    [
        (Role.CLERK, "bnh", "/window/BNH/"),
        (Role.CENTER_MANAGER, "bnh", "/org/c/BNH/"),
        (Role.BACKOFFICE, "bnh_eng", "/office/d/{bnh_eng}/"),
        (Role.DEPARTMENT_HEAD, "bnh_eng", "/office/d/{bnh_eng}/"),
        (Role.GOVERNORATE_OFFICIAL, "qlb", "/org/g/QLB/"),
        (Role.NATIONAL_VIEWER, None, "/org/"),
        (Role.ADMINISTRATOR, None, "/admin/"),
    ],
)
def test_navigation_shows_each_role_its_own_work(client, org, role, scope, link):
    kwargs = {}
    if scope:
        target = getattr(org, scope)
        kwargs = {{"bnh": "center", "bnh_eng": "department", "qlb": "governorate"}[scope]: target}
    client.force_login(staff(role, **kwargs))
    html = client.get(reverse("staff:home")).content.decode()
    assert f'href="{link.format(bnh_eng=org.bnh_eng.pk)}"' in html
