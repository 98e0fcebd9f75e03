"""Every organisation page: anonymous → login, wrong role → 403, wrong scope → 404, right role → 200."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def url_of(org, page):
    return {
        "governorates": reverse("org:governorates"),
        "governorate": reverse("org:governorate", args=[org.qlb.code]),
        "center": reverse("org:center", args=[org.bnh.code]),
        "department": reverse("org:department", args=[org.bnh_eng.pk]),
    }[page]


def user_for(org, who):
    role, scope = who
    targets = {
        "bnh": {"center": org.bnh},
        "hlp": {"center": org.hlp},
        "van": {"center": org.van},
        "bnh_eng": {"department": org.bnh_eng},
        "bnh_legal": {"department": org.bnh_legal},
        "hlp_eng": {"department": org.hlp_eng},
        "qlb": {"governorate": org.qlb},
        "cai": {"governorate": org.cai},
        None: {},
    }
    return staff(role, **targets[scope])


ALLOWED = {
    "governorates": [(Role.NATIONAL_VIEWER, None), (Role.ADMINISTRATOR, None)],
    "governorate": [
        (Role.GOVERNORATE_OFFICIAL, "qlb"),
        (Role.NATIONAL_VIEWER, None),
        (Role.ADMINISTRATOR, None),
    ],
    "center": [
        (Role.CLERK, "bnh"),
        (Role.CENTER_MANAGER, "bnh"),
        (Role.GOVERNORATE_OFFICIAL, "qlb"),
        (Role.NATIONAL_VIEWER, None),
    ],
    "department": [
        (Role.BACKOFFICE, "bnh_eng"),
        (Role.DEPARTMENT_HEAD, "bnh_eng"),
        (Role.CENTER_MANAGER, "bnh"),
        (Role.GOVERNORATE_OFFICIAL, "qlb"),
        (Role.ADMINISTRATOR, None),
    ],
}
WRONG_ROLE = {
    "governorates": [(Role.GOVERNORATE_OFFICIAL, "qlb"), (Role.CLERK, "bnh"), (Role.CENTER_MANAGER, "bnh")],
    "governorate": [(Role.CENTER_MANAGER, "bnh"), (Role.CLERK, "bnh"), (Role.DEPARTMENT_HEAD, "bnh_eng")],
    "center": [(Role.BACKOFFICE, "bnh_eng"), (Role.DEPARTMENT_HEAD, "bnh_eng")],
    "department": [(Role.CLERK, "bnh")],
}
WRONG_SCOPE = {
    "governorate": [(Role.GOVERNORATE_OFFICIAL, "cai")],
    "center": [
        (Role.CLERK, "hlp"),
        (Role.CLERK, "van"),
        (Role.CENTER_MANAGER, "hlp"),
        (Role.GOVERNORATE_OFFICIAL, "cai"),
    ],
    "department": [
        (Role.BACKOFFICE, "bnh_legal"),
        (Role.BACKOFFICE, "hlp_eng"),
        (Role.DEPARTMENT_HEAD, "hlp_eng"),
        (Role.CENTER_MANAGER, "hlp"),
        (Role.CENTER_MANAGER, "van"),
        (Role.GOVERNORATE_OFFICIAL, "cai"),
    ],
}


def cases(table):
    return [(page, who) for page, whos in table.items() for who in whos]


@pytest.mark.parametrize("page", list(ALLOWED))
def test_anonymous_goes_to_login(client, org, page):
    response = client.get(url_of(org, page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", list(ALLOWED))
def test_user_without_role_is_refused(client, org, page):
    client.force_login(UserFactory())
    assert client.get(url_of(org, page)).status_code == 403


@pytest.mark.parametrize(("page", "who"), cases(WRONG_ROLE))
def test_wrong_role_is_refused_with_an_arabic_403(client, org, page, who):
    client.force_login(user_for(org, who))
    response = client.get(url_of(org, page))
    assert response.status_code == 403
    assert "غير مسموح بالدخول" in response.content.decode()


@pytest.mark.parametrize(("page", "who"), cases(WRONG_SCOPE))
def test_wrong_scope_is_not_found(client, org, page, who):
    client.force_login(user_for(org, who))
    response = client.get(url_of(org, page))
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


@pytest.mark.parametrize(("page", "who"), cases(ALLOWED))
def test_right_role_and_scope_sees_the_page(client, org, page, who):
    user = user_for(org, who)
    client.force_login(user)
    response = client.get(url_of(org, page))
    assert response.status_code == 200
    expected = {
        "governorates": org.cai.name_ar,
        "governorate": org.bnh.name_ar,
        "center": org.bnh.name_ar,
        "department": "الإدارة الهندسية",
    }[page]
    assert expected in response.content.decode()


def test_center_page_lists_its_staff_and_links_only_reachable_departments(client, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    staff(Role.CLERK, center=org.hlp)  # another center's clerk must not be listed
    client.force_login(clerk)
    html = client.get(url_of(org, "center")).content.decode()
    assert str(clerk) in html
    assert html.count("موظف الشباك") == 1
    assert reverse("org:department", args=[org.bnh_eng.pk]) not in html  # clerks do not open departments

    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    client.force_login(manager)
    html = client.get(url_of(org, "center")).content.decode()
    assert reverse("org:department", args=[org.bnh_eng.pk]) in html


def test_center_page_query_count_does_not_grow_with_departments(client, org, django_assert_max_num_queries):
    from tests.organisation.factories import DepartmentFactory

    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    client.force_login(manager)
    client.get(url_of(org, "center"))
    for _ in range(10):
        DepartmentFactory(local_unit=org.bnh.local_unit)
    with django_assert_max_num_queries(8):
        assert client.get(url_of(org, "center")).status_code == 200
