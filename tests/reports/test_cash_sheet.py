"""The daily cash sheet: the windows' records against the treasury's roll-up, to the piaster, on the
hand-built October of ``test_kpis`` (four requests taken at Benha on 4 October)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.cash import cash_sheet
from reports.models import FeeDay
from requests_app.models import RequestFee, ServiceRequest
from tests.reports import test_kpis
from tests.reports.test_dashboards import get, people  # noqa: F401

pytestmark = pytest.mark.django_db
played = test_kpis.played
OCTOBER_4 = "day=2026-10-04"


def url(code: str = "BNH") -> str:
    return reverse("reports:cash_sheet", args=[code])


def test_the_sheet_balances_with_the_windows(client, people, played, org):  # noqa: F811
    response = get(client, people["manager"], f"{url()}?{OCTOBER_4}")
    assert response.status_code == 200
    sheet = response.context["sheet"]
    taken = ServiceRequest.objects.filter(pk__in=played.ids.values())
    expected = sum(r.fees_total for r in taken)
    assert expected == Decimal("2002.00")
    assert (sheet.receipts_total, sheet.items_total, sheet.rollup_total) == (expected, expected, expected)
    assert sheet.balanced and all(line.matches for line in sheet.items)
    assert sheet.receipts["count"] == 4
    assert (sheet.receipts["first"], sheet.receipts["last"]) == (
        played.A.receipt_number,
        played.D.receipt_number,
    )
    assert [c["requests"] for c in sheet.by_clerk] == [4]
    assert sheet.cash_total + sheet.epayment_total == expected
    assert (
        sum(line.windows_count for line in sheet.items)
        == RequestFee.objects.filter(request__in=taken).count()
    )
    html = response.content.decode()
    assert 'data-balanced="yes"' in html and "2,002.00" in html


def test_a_roll_up_that_drifted_is_shown_line_by_line(client, people, played):  # noqa: F811
    line = FeeDay.objects.filter(day="2026-10-04").order_by("pk").first()
    FeeDay.objects.filter(pk=line.pk).update(amount=line.amount - Decimal("0.01"))
    response = get(client, people["manager"], f"{url()}?{OCTOBER_4}")
    sheet = response.context["sheet"]
    assert not sheet.balanced
    assert [item.fee_name_ar for item in sheet.items if not item.matches] == [line.fee_name_ar]
    assert sheet.rollup_total == sheet.receipts_total - Decimal("0.01")
    assert 'data-balanced="no"' in response.content.decode()


def test_a_day_without_requests(played, org):
    sheet = cash_sheet(center=org.bnh, day=test_kpis.date(2026, 10, 5))
    assert sheet.balanced and sheet.receipts["count"] == 0 and sheet.items == []


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("manager", "BNH", 200),
        ("official", "BNH", 200),
        ("national", "BNH", 200),
        ("other_manager", "BNH", 404),
        ("other_official", "BNH", 404),
        ("manager", "NOPE", 404),
        ("clerk", "BNH", 403),
    ],
)
def test_who_opens_which_sheet(client, people, played, who, code, status):  # noqa: F811
    assert get(client, people[who], f"{url(code)}?{OCTOBER_4}").status_code == status


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("day", "message"),
    [("2099-01-01", "اختر يوماً"), ("yesterday", "أدخل تاريخاً صحيحاً"), ("1999-12-31", "اختر يوماً")],
)
def test_a_bad_day_is_explained(client, people, played, day, message):  # noqa: F811
    response = get(client, people["manager"], f"{url()}?day={day}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_sheet_downloads(client, people, played):  # noqa: F811
    response = get(client, people["manager"], f"{url()}?{OCTOBER_4}&table=clerks&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()[1:])))
    assert rows[-1][1:] == ["4", *(rows[-1][2:])] and rows[-1][-1] == "2002.00"
    items = get(client, people["manager"], f"{url()}?{OCTOBER_4}&table=items&format=xlsx")
    assert items.status_code == 200


def test_the_cost_is_one_center_one_day(client, people, played, django_assert_num_queries):  # noqa: F811
    client.force_login(people["manager"])
    client.get(f"{url()}?{OCTOBER_4}")  # warm the session
    with django_assert_num_queries(7) as captured:
        client.get(f"{url()}?{OCTOBER_4}")
    assert not any("reports_requestday" in q["sql"] for q in captured.captured_queries)
