"""No input gives a server error: every URL pattern of the site, with hostile values in its path, its
query string and its form (NUL bytes, overlong text, numbers out of range, bidi controls, markup …),
answers below 500 — to a visitor and to a user holding every role (so that role checks let the
values reach the views)."""

from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from accounts.services import role_assign
from tests.accounts.factories import UserFactory

HOSTILE = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "x" * 10_001,
        "9" * 40,
        "-1",
        "0",
        "%",
        "../../etc/passwd",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "\u200f\u200b",
        "٠١٢٣",
        "BNH-2026-000001",
        "https://evil.example/",
        "",
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=30))
FIELD_NAMES = st.sampled_from(
    [
        "q",
        "next",
        "national_id",
        "national_id_last4",
        "receipt_number",
        "username",
        "password",
        "assignee",
        "version",
        "reason",
        "note",
        "intake_key",
        "page",
        "o",
        "p",
        "state",
        "urgency",
        "submitted_from",
        "status__exact",
        "category",
        "center",
        "description",
        "latitude",
        "longitude",
        "anonymous",
        "mobile",
        "rating",
        "reply",
        "into",
        "competent_body",
    ]
)
FORMS = st.dictionaries(FIELD_NAMES, VALUES, max_size=4)


def url_patterns(resolver: URLResolver = None, prefix: str = "") -> list[tuple[str, list[str]]]:
    """(route with {name} holes, names) for every pattern the site serves."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(url_patterns(entry, prefix + route))
        elif isinstance(entry, URLPattern) and isinstance(entry.pattern, RoutePattern):  # path() routes
            found.append((prefix + route, list(entry.pattern.converters)))
    return found


ROUTES = [route for route in url_patterns() if "<path:" not in route[0]]


def fill(route: str, values: dict[str, str]) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m.group(1)], safe=""), route)


@pytest.fixture
def everyone(org):
    """A user holding every role at the test organisation."""
    user = UserFactory(username="holds-every-role")
    role_assign(user=user, role=Role.ADMINISTRATOR)
    role_assign(user=user, role=Role.CLERK, center=org.bnh)
    role_assign(user=user, role=Role.CENTER_MANAGER, center=org.bnh)
    role_assign(user=user, role=Role.DEPARTMENT_HEAD, department=org.bnh_eng)
    role_assign(user=user, role=Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "names"), ROUTES, ids=[route for route, _ in ROUTES])
def test_no_route_answers_a_server_error(client, everyone, route, names):
    client.raise_request_exception = False

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(path=st.fixed_dictionaries(dict.fromkeys(names, VALUES)), query=FORMS, form=FORMS)
    def check(path, query, form):
        url = fill(route, path)
        for user in (None, everyone):
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            for response in (client.get(url, query), client.post(url, form)):
                assert response.status_code < 500, (url, query, form, response.status_code)

    check()
