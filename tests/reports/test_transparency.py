"""The public transparency page on the hand-built set of test_kpis (``played``: at Benha, SHOP-LIC
decided A, B, C in October and D, late, in November), here with a few more decisions in November:
F and G of SHOP-LIC, and three of a second service (too few to show).

Seen on 1 December 2026 the period is 2 September – 30 November: SHOP-LIC has 6 decisions (shown), the
second service 3 ("fewer than 5"), and Benha's total of 9 is withheld, as it would give the 3 away.
Seen on 30 January 2027 it is 1 November 2026 – 29 January 2027: both services have 3 decisions and
the center's total of 6 is shown."""

import csv
import io
import re
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from reports.kpis import Slice, request_kpis
from reports.transparency import Shown, transparency_period, transparency_table
from requests_app.models import Citizen
from requests_app.services import service_request_approve, service_request_forward, service_request_reject
from tests.accounts.factories import staff
from tests.reports.test_kpis import CAIRO, at, played  # noqa: F401  (the hand-built data, as a fixture)
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db
URL = reverse("transparency:index")
DECEMBER = {"date_from": date(2026, 9, 2), "date_to": date(2026, 11, 30)}
JANUARY = {"date_from": date(2026, 11, 1), "date_to": date(2027, 1, 29)}


def seen_on(year: int, month: int, day: int):
    """Being there at 10:00 on that day (Cairo)."""
    return time_machine.travel(datetime(year, month, day, 10, tzinfo=CAIRO), tick=False)


def decide(center, service, *, national_ids, taken: int, decided_on: list[int], reject: str = ""):
    """Requests of ``service`` taken at ``center`` on ``taken`` November, forwarded and decided on the
    days of November in ``decided_on`` (the one of national id ``reject`` rejected)."""
    clerk = staff(Role.CLERK, center=center)
    departments = {d.department_type.code: d for d in center.local_unit.departments.all()}
    eng = staff(Role.BACKOFFICE, department=departments["ENG"])
    legal = staff(Role.BACKOFFICE, department=departments["LEGAL"])
    with at(11, taken):
        made = [submit(service, center, clerk, national_id=nid) for nid in national_ids]
    for national_id, request, day in zip(national_ids, made, decided_on, strict=True):
        with at(11, day):
            service_request_forward(request_id=request.pk, actor=eng)
            if national_id == reject:
                service_request_reject(request_id=request.pk, actor=legal, legal_reason="غير مستوفى")
            else:
                service_request_approve(request_id=request.pk, actor=legal, subject="ترخيص")
    return made


@pytest.fixture
def busier(played, org):  # noqa: F811
    decide(
        org.bnh,
        played.service,
        national_ids=["29001011401240", "29001011401241"],
        taken=8,
        decided_on=[9, 10],
        reject="29001011401241",
    )
    small = ServiceFactory(code="SMALL-SRV", legal_deadline_days=5)
    decide(
        org.bnh,
        small,
        national_ids=["29001011401242", "29001011401243", "29001011401244"],
        taken=8,
        decided_on=[9, 10, 11],
    )
    return SimpleNamespace(shop=played.service, small=small)


def only_center(table):
    [in_governorate] = table.governorates
    [center_lines] = in_governorate.centers
    return in_governorate, center_lines


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def row_cells(html: str, label: str) -> str:
    """What follows the row header ``label`` in its table row."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, label
    return match.group(1)


def percent(value: float) -> str:
    return f"{floatformat(value * 100, 1)}%"


def test_the_period_is_the_last_90_days_ending_yesterday():
    assert transparency_period(date(2026, 12, 1)) == (DECEMBER["date_from"], DECEMBER["date_to"])
    assert transparency_period(date(2027, 1, 30)) == (JANUARY["date_from"], JANUARY["date_to"])


def test_the_figures_are_the_kpis_of_each_center_and_service(busier, org):
    table = transparency_table(**DECEMBER)
    in_governorate, center_lines = only_center(table)
    assert (in_governorate.governorate, center_lines.center) == (org.qlb, org.bnh)
    shop, small = center_lines.services
    assert (shop.service, small.service) == (busier.shop, busier.small)
    assert shop.kpis == request_kpis(**DECEMBER, slice_=Slice(Q(center=org.bnh, service=busier.shop)))
    assert small.kpis == request_kpis(**DECEMBER, slice_=Slice(Q(center=org.bnh, service=busier.small)))
    assert center_lines.total.kpis == request_kpis(**DECEMBER, slice_=Slice(Q(center=org.bnh)))
    assert (shop.kpis.decided, small.kpis.decided, center_lines.total.kpis.decided) == (6, 3, 9)
    assert shop.kpis.on_time_rate == pytest.approx(5 / 6)  # D was late
    assert (shop.shown, small.shown, center_lines.total.shown) == (Shown.FIGURES, Shown.SMALL, Shown.WITHHELD)


def test_the_page_shows_them_and_hides_the_small_ones(busier, org, client):
    with seen_on(2026, 12, 1):
        html = page(client)
    shop = request_kpis(**DECEMBER, slice_=Slice(Q(center=org.bnh, service=busier.shop)))
    cells = row_cells(html, busier.shop.name)
    assert f"<bdi>{shop.decided}</bdi>" in cells
    assert percent(shop.on_time_rate) in cells
    assert f"<bdi>{floatformat(shop.median_working_days, 1)}</bdi>" in cells
    small = row_cells(html, busier.small.name)
    assert _("fewer than 5") in small and "<bdi" not in small  # neither the count nor the figures
    total = row_cells(html, _("Center total"))
    assert _("withheld") in total and "<bdi" not in total  # 9 − 6 would give the 3 away
    assert org.bnh.name in html and org.qlb.name in html
    assert "2026" in html and _("Center total") in html


def test_a_group_of_three_decisions_shows_fewer_than_5_not_its_rate(played, client):  # noqa: F811
    with seen_on(2026, 11, 2):  # 5 August – 1 November: A, B and C, all three on time
        html = page(client)
    cells = row_cells(html, played.service.name)
    assert _("fewer than 5") in cells
    assert "100" not in cells and "<bdi" not in cells
    assert _("fewer than 5") in row_cells(html, _("Center total"))


def test_a_total_over_small_groups_adding_up_to_5_or_more_is_shown(busier, org, client):
    with seen_on(2027, 1, 30):  # 1 November – 29 January: D, F, G of SHOP-LIC and the three others
        html = page(client)
    total = request_kpis(**JANUARY, slice_=Slice(Q(center=org.bnh)))
    assert total.decided == 6
    for service in (busier.shop, busier.small):
        assert _("fewer than 5") in row_cells(html, service.name)
    cells = row_cells(html, _("Center total"))
    assert "<bdi>6</bdi>" in cells and percent(total.on_time_rate) in cells
    assert f"<bdi>{floatformat(total.median_working_days, 1)}</bdi>" in cells


def test_anyone_may_see_it_arabic_first_and_in_english(busier, client):
    with seen_on(2026, 12, 1):
        html = page(client)
        assert 'lang="ar" dir="rtl"' in html
        assert "<caption>" in html and '<th scope="col"' in html and '<th scope="row"' in html
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = page(client)
    assert 'lang="en" dir="ltr"' in english and "fewer than 5" in english


def test_no_personal_data_and_no_staff_names(busier, client):
    with seen_on(2026, 12, 1):
        html = page(client)
        exported = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")
    for text in (html, exported):
        for citizen in Citizen.objects.all():
            assert citizen.name_ar not in text and citizen.national_id not in text
            assert citizen.mobile[-8:] not in text
        for user in User.objects.all():
            assert user.full_name not in text and user.username not in text
        assert "محل رقم" not in text  # the decisions' subjects


def test_the_csv_holds_the_same_table(busier, org, client):
    with seen_on(2026, 12, 1):
        response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="transparency-2026-09-02-2026-11-30.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    shop = request_kpis(**DECEMBER, slice_=Slice(Q(center=org.bnh, service=busier.shop)))
    where = [org.qlb.name, org.bnh.name]
    assert rows == [
        [
            _("Governorate"),
            _("Center"),
            _("Service"),
            _("Requests decided"),
            _("On-time rate"),
            _("Median time (working days)"),
        ],
        [
            *where,
            busier.shop.name,
            "6",
            f"{shop.on_time_rate * 100:.1f}%",
            f"{shop.median_working_days:.1f}",
        ],
        [*where, busier.small.name, _("fewer than 5"), "", ""],
        [*where, _("Center total"), _("withheld"), "", ""],
    ]


def test_the_cost_does_not_grow_with_the_requests(played, org, client, django_assert_num_queries):  # noqa: F811
    with seen_on(2026, 12, 1), CaptureQueriesContext(connection) as first:
        page(client)
    other = ServiceFactory(code="MORE-SRV")
    decide(
        org.hlp,
        other,
        national_ids=[f"2900101140125{n}" for n in range(6)],
        taken=15,
        decided_on=[16, 16, 17, 17, 18, 18],
    )
    decide(org.bnh, other, national_ids=["29001011401260", "29001011401261"], taken=15, decided_on=[16, 17])
    cache.clear()
    with seen_on(2026, 12, 1), django_assert_num_queries(len(first)):
        html = page(client)
    assert org.hlp.name in html and other.name in html


def test_the_page_is_shared_from_the_cache(played, client, django_assert_num_queries):  # noqa: F811
    with seen_on(2026, 12, 1):
        first = client.get(URL)
        with django_assert_num_queries(0):
            again = client.get(URL)
        assert again.content == first.content
        assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_nothing_decided(db, client):
    with seen_on(2026, 12, 1):
        html = page(client)
    assert _("No request was decided at any center in this period.") in html
