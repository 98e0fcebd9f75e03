"""Open311 conformance: the checks of bench/open311_conformance.py (what the published validators ask:
every endpoint in XML and JSON, content types, schemas, error shapes) run against this server, then a
property-based run over every endpoint's parameters: never a server error, and every answer — a 200 or
a refusal — in the standard's shape."""

import json
from datetime import datetime
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from complaints import services
from complaints.open311.tokens import token_for
from tests.complaints.factories import file
from tests.complaints.open311_checks import (
    CREATED,
    DEFINITION,
    DISCOVERY,
    REQUESTS,
    SERVICES,
    TOKEN,
    UPDATES,
    answer_problems,
    conformance,
    error_problems,
)
from tests.complaints.open311_helpers import BASE, filing, new_key, photo

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run, as tests/core/test_no_server_errors.py
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(lighting, conduct, org, people):
    """A few complaints in every shape: with photos and a place, answered, rejected, about staff conduct."""
    with_photos = file(
        lighting, org.bnh, photos=[photo(), photo()], latitude="30.466", longitude="31.1848", address="بنها"
    )
    answered, rejected = file(lighting, org.hlp), file(lighting, org.bnh, anonymous=True, name="", mobile="")
    services.complaint_resolve(complaint_id=answered.pk, actor=people.hlp_manager, reply="تم")
    services.complaint_reject(
        complaint_id=rejected.pk, actor=people.eng_head, reason="مكرر", competent_body="س"
    )
    secret = file(conduct, org.bnh)
    return {
        "numbers": [with_photos.number, answered.number, rejected.number],
        "secret": secret,
        "key": new_key(),
    }


def fetcher(client):
    def fetch(method: str, path: str, params: dict):
        call = client.get if method == "GET" else client.post
        response = call(BASE + path, params)
        return response.status_code, response.get("Content-Type", ""), response.content

    return fetch


def test_the_conformance_run_passes(client, world):
    results = conformance(fetcher(client))
    assert [r for r in results if r.level != "pass"] == []
    checks = {r.check for r in results}
    for fmt in ("xml", "json"):  # the run found a service and a request to read
        assert f"GET services/street-lighting.{fmt}" in checks
        assert [c for c in checks if c.startswith("GET requests/") and c.endswith(fmt)]
    assert len(results) == 23


def sane(response, fmt: str, shape, world) -> None:
    """Never a server error; a 200 in ``shape``, any refusal in the standard's error shape (also the
    site-wide gate's, which refuses a NUL byte or an overlong value before any view runs); and nothing
    personal, whatever was asked."""
    assert response.status_code < 500, response.content[:300]
    event(f"HTTP {response.status_code}")
    content_type = response.get("Content-Type", "")
    fmt = fmt if fmt in ("json", "xml") else "xml"
    if response.status_code == 200:
        assert answer_problems(shape, fmt, content_type, response.content) == []
    else:
        assert error_problems(response.status_code, fmt, content_type, response.content) == []
    secret = world["secret"]
    for private in ("سعاد", "1098765432", secret.number, secret.tracking_token):
        assert private.encode() not in response.content


HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 5001,
    "\x01\x1b",
    "<x>&amp;",
    "%",
    "../..",
    "٠١٠٩٨٧٦٥٤٣٢",
    "9" * 40,
    "\u200f",
]
texts = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE))
formats = st.sampled_from(["json", "xml", "json", "xml", "html", ""])
moments = st.one_of(
    st.builds(
        lambda moment, offset: moment.isoformat() + offset,
        st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2300, 1, 1)),
        st.sampled_from(["", "Z", "+02:00", "-05:00", "+14:00", " 03:00"]),
    ),
    st.dates().map(str),
    texts,
)


def comma_lists(values) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(values), texts), max_size=4).map(",".join)


@EXAMPLES
@given(
    fmt=formats,
    params=st.fixed_dictionaries(
        {},
        optional={
            "service_request_id": comma_lists(["BNH-C-2026-000001", "hlp-c-2026-000001", "x"]),
            "service_code": comma_lists(["street-lighting", "staff-conduct"]),
            "start_date": moments,
            "end_date": moments,
            "status": comma_lists(["open", "closed", "OPEN"]),
            "jurisdiction_id": st.sampled_from(["", "citizen-services.gov.eg", "other"]),
            "locale": st.sampled_from(["en", "ar", "fr"]),
        },
    ),
)
def test_any_request_listing(client, world, fmt, params):
    sane(client.get(f"{BASE}requests.{fmt}", params), fmt, REQUESTS, world)


@EXAMPLES
@given(fmt=formats, params=st.fixed_dictionaries({}, optional={"start_date": moments, "end_date": moments}))
def test_any_window_of_updates(client, world, fmt, params):
    sane(client.get(f"{BASE}servicerequestupdates.{fmt}", params), fmt, UPDATES, world)


@EXAMPLES
@given(
    fmt=formats,
    kind=st.sampled_from(["request", "token", "service"]),
    value=st.one_of(texts, st.sampled_from(["BNH-C-2026-000001", "street-lighting", "staff-conduct"])),
    tamper=st.booleans(),
)
def test_any_id_token_or_code(client, world, fmt, kind, value, tamper):
    if kind == "token":
        value = token_for(value) + ("x" if tamper else "")
        shape, path = TOKEN, "tokens"
    else:
        shape, path = (REQUESTS, "requests") if kind == "request" else (DEFINITION, "services")
    sane(client.get(f"{BASE}{path}/{quote(value, safe='')}.{fmt}"), fmt, shape, world)


@EXAMPLES
@given(fmt=formats, path=st.sampled_from(["discovery", "services", "nothing", ""]), locale=texts)
def test_any_discovery_or_service_list(client, world, fmt, path, locale):
    shape = {"discovery": DISCOVERY, "services": SERVICES}.get(path)
    response = client.get(f"{BASE}{path}.{fmt}", {"locale": locale})
    if shape is None:  # no such resource, unless the gate refused the locale first
        refused = "\x00" in locale or len(locale) > django_settings.FIELD_MAX_CHARS
        assert response.status_code == (400 if refused else 404)
    sane(response, fmt, shape or SERVICES, world)


@EXAMPLES
@given(
    fmt=formats,
    overrides=st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.none(), texts, st.sampled_from(values))
            for name, values in {
                "api_key": ["", "not-a-key"],
                "service_code": ["street-lighting", "staff-conduct", ""],
                "attribute[center]": ["BNH", "hlp", "QLBM1", ""],
                "attribute[receipt_number]": ["BNH-2026-000001"],
                "description": ["قصير", "ا" * 4001, "وصف كاف للمشكلة في الشارع"],
                "lat": ["30.1", "91", "nan", "1e400"],
                "long": ["31.2", "-181", "inf"],
                "first_name": ["سعاد", "A"],
                "last_name": ["إبراهيم"],
                "phone": ["01098765432", "+201098765432", "0"],
                "jurisdiction_id": ["citizen-services.gov.eg", "other"],
                "media_url": ["http://127.0.0.1:22/"],
            }.items()
        },
    ),
)
def test_any_filing(client, world, settings, fmt, overrides):
    settings.OPEN311_RATE = "100000/m"
    response = client.post(f"{BASE}requests.{fmt}", filing(world["key"], **overrides))
    sane(response, fmt, CREATED, world)
    if response.status_code == 200 and fmt == "json":
        number = json.loads(response.content)[0]["service_request_id"]
        assert client.get(f"{BASE}requests/{number}.json").status_code == 200
