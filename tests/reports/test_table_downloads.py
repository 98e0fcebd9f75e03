"""Every dashboard table downloads as CSV and Excel with the screen's own figures, under the page's own
role and scope checks: the hand-built month of ``test_kpis``."""

import csv
import io

import pytest
from openpyxl import load_workbook

from reports.kpis import request_kpis
from tests.reports import test_kpis
from tests.reports.test_dashboards import DASHBOARD, NATIONAL, OCTOBER, REQUESTS, center_url, get, people  # noqa: F401
from tests.reports.test_kpis import OCTOBER as OCTOBER_DATES

pytestmark = pytest.mark.django_db
played = test_kpis.played

PAGES = {
    "governorate": (f"{DASHBOARD}?governorate=QLB&{OCTOBER}", "official"),
    "center": (f"{center_url('BNH')}?{OCTOBER}", "manager"),
    "national": (f"{NATIONAL}?{OCTOBER}", "national"),
    "requests": (f"{REQUESTS}?governorate=QLB&kind=received&{OCTOBER}", "official"),
}


def rows_of_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read the Arabic
    return list(csv.reader(io.StringIO(text[1:])))


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("page", list(PAGES))
def test_every_table_on_the_page_has_its_downloads(client, people, played, page):  # noqa: F811
    url, who = PAGES[page]
    response = get(client, people[who], url)
    html = response.content.decode()
    tables = response.context["tables"]
    assert tables
    for table_id in tables:
        for format_ in ("csv", "xlsx"):
            assert f"table={table_id}&amp;format={format_}" in html, (table_id, format_)
            download = client.get(f"{url}&table={table_id}&format={format_}")
            assert download.status_code == 200, (table_id, format_)
            assert download["Content-Disposition"].startswith("attachment;")


def test_the_headline_download_holds_the_kpis(client, people, played):  # noqa: F811
    url, who = PAGES["governorate"]
    rows = rows_of_csv(get(client, people[who], f"{url}&table=figures&format=csv"))
    kpis = request_kpis(**OCTOBER_DATES)
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert rows[0] == ["المؤشر", "هذه الفترة", "الفترة السابقة", "العام الماضي"]
    assert by_name["مستلم"][0] == str(kpis.received) == "4"
    assert by_name["الرسوم (جنيه)"][0] == f"{kpis.fees:.2f}"


def test_the_ranking_workbook_is_right_to_left_with_numbers_as_numbers(client, people, played, org):  # noqa: F811
    url, who = PAGES["governorate"]
    sheet = workbook_of(get(client, people[who], f"{url}&table=ranking&format=xlsx")).active
    assert sheet.sheet_view.rightToLeft
    header = [c.value for c in sheet[1]]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 2 and names[0] == org.bnh.name  # Benha first: the best on-time rate
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[header.index("مستلم")] == 4  # a number, not text


def test_the_requests_download_lists_the_figures_requests(client, people, played):  # noqa: F811
    url, who = PAGES["requests"]
    rows = rows_of_csv(get(client, people[who], f"{url}&table=requests&format=csv"))
    assert {row[0] for row in rows[1:]} == {getattr(played, n).receipt_number for n in "ABCD"}


def test_downloads_keep_the_pages_scope(client, people, played):  # noqa: F811
    url, _ = PAGES["governorate"]
    other = url.replace("governorate=QLB", "governorate=CAI")
    assert get(client, people["official"], f"{other}&table=ranking&format=csv").status_code == 404
    assert get(client, people["clerk"], f"{url}&table=ranking&format=csv").status_code == 403
    assert (
        get(client, people["other_manager"], f"{center_url('BNH')}?table=clerks&format=csv").status_code
        == 404
    )
    client.logout()
    assert client.get(f"{url}&table=ranking&format=csv").status_code == 302


def test_an_unknown_table_or_format_is_a_404_and_a_bad_period_the_page(client, people, played):  # noqa: F811
    url, who = PAGES["governorate"]
    assert get(client, people[who], f"{url}&table=nope&format=csv").status_code == 404
    assert get(client, people[who], f"{url}&table=ranking&format=exe").status_code == 404
    reversed_period = f"{DASHBOARD}?date_from=2026-10-31&date_to=2026-10-01&table=ranking&format=csv"
    response = get(client, people[who], reversed_period)
    assert response.status_code == 400 and "text/html" in response["Content-Type"]
