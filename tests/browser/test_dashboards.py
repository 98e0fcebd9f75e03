"""The governorate official's morning in a real browser: signs in, opens the governorate's dashboard
from the staff home, follows the "open and overdue" figure to the requests behind it and on to one
request's file; then a center's dashboard, the national view and the printed page. Screenshots of each
are kept (see tests/browser/conftest.py) for people to look at."""

from datetime import datetime, time, timedelta

import openpyxl
import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from organisation.calendar import CAIRO
from reports.backlog import backlog_refresh
from requests_app.models import ServiceRequest
from requests_app.services import (
    service_request_approve,
    service_request_deliver,
    service_request_issue,
    service_request_reject,
)
from tests.accounts.factories import staff
from tests.browser.test_workflow import sign_in
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory
from tests.worker import worker_process

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The whole test runs on a Wednesday at 13:30 (the live server shares the test's clock), so that
# "today" at the center has an intake to show.
NOW = datetime(2026, 12, 2, 13, 30, tzinfo=CAIRO)


def at(day, hour: int, minute: int = 0):
    return time_machine.travel(datetime.combine(day, time(hour, minute), tzinfo=CAIRO), tick=False)


@pytest.fixture
def wednesday():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def month(org, wednesday):
    """Four weeks of work at Benha and the governorate's van: a few requests a day, most decided within
    days (some late, some rejected, some handed over), one still open past its deadline, and this
    morning's intake."""
    clerks = {org.bnh: staff(Role.CLERK, center=org.bnh), org.van: staff(Role.CLERK, center=org.van)}
    eng = staff(Role.BACKOFFICE, department=org.bnh_eng)
    services = [
        ServiceFactory(code="SHOP-LIC", name_ar="ترخيص محل تجاري", terms__route=["ENG"]),
        ServiceFactory(
            code="SITE-CERT", name_ar="شهادة صلاحية موقع للبناء", legal_deadline_days=4, terms__route=["ENG"]
        ),
        ServiceFactory(
            code="BLD-NEW", name_ar="ترخيص بناء جديد", legal_deadline_days=20, terms__route=["ENG"]
        ),
    ]
    today = timezone.localdate()
    n = 0
    for back in range(27, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() in (4, 5):  # Friday and Saturday
            continue
        for i in range(1 + (back * 7) % 4):
            n += 1
            center = org.van if i == 2 else org.bnh
            service = services[(back + i) % 3]
            with at(day, 9 + i * 2, 10 + i):
                request = submit(
                    service,
                    center,
                    clerks[center],
                    national_id=f"2900101150{n:04d}",
                    local_unit_id=org.bnh.local_unit_id,
                )
            decided_on = day + timedelta(days=1 + (n * 5) % (12 if service.code == "BLD-NEW" else 9))
            if decided_on >= today:
                continue
            with at(decided_on, 12):
                if n % 7 == 0:
                    service_request_reject(
                        request_id=request.pk, actor=eng, legal_reason="المستندات غير مطابقة"
                    )
                    continue
                service_request_approve(request_id=request.pk, actor=eng, subject=f"موضوع رقم {n}")
                service_request_issue(request_id=request.pk, actor=eng)
            if n % 3 and decided_on + timedelta(days=1) < today:
                with at(decided_on + timedelta(days=1), 10):
                    service_request_deliver(request_id=request.pk, actor=clerks[center])
    for i, (hour, minute) in enumerate([(8, 40), (9, 5), (9, 50), (10, 15), (10, 20), (11, 45), (12, 30)]):
        center = org.van if i == 3 else org.bnh
        with at(today, hour, minute):
            submit(
                services[i % 3],
                center,
                clerks[center],
                national_id=f"2900101160{i:04d}",
                local_unit_id=org.bnh.local_unit_id,
            )
    with at(today - timedelta(days=26), 10):
        late = submit(services[0], org.bnh, clerks[org.bnh], national_id="29001011509999")
    ServiceRequest.objects.filter(pk=late.pk).update(overdue_since=timezone.now() - timedelta(days=5))
    backlog_refresh()  # what the beat does every 5 minutes: the open requests' figures read its count
    return late


def test_the_official_drills_down_from_the_overdue_figure_to_a_request(
    page, new_page, org, month, screenshot, axe, tmp_path
):
    official = staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    official.full_name = "م. سامية عبد الحميد"
    official.save()
    sign_in(page, official)
    page.locator(".dashboard-link a[href='/reports/dashboard/?governorate=QLB']").click()
    expect(page.locator("h1")).to_contain_text("محافظة القليوبية")
    expect(page.locator("svg.chart[role=img]")).to_have_count(2)  # the trend, the backlog's aging
    expect(page.locator("table.ranking")).to_have_count(2)  # by on-time rate, by overdue backlog
    expect(page.locator("table.ranking").first.locator("tbody tr")).to_have_count(2)
    screenshot(page, "dashboard-governorate")
    assert axe(page) == []

    page.emulate_media(media="print")
    screenshot(page, "dashboard-governorate-print")
    page.emulate_media(media="screen")

    overdue = page.locator("[data-figure=open_overdue]")
    expect(overdue.locator(".kpi-value")).to_have_text("1")
    overdue.locator("a").click()
    expect(page).to_have_url(f"/reports/dashboard/requests/?governorate=QLB&kind=open-overdue&{period(page)}")
    row = page.locator("table.data tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(month.receipt_number)
    screenshot(page, "dashboard-requests-overdue")
    assert axe(page) == []
    row.locator("a").click()
    expect(page).to_have_url(f"/office/r/{month.receipt_number}/")
    expect(page.locator("h1")).to_contain_text(month.receipt_number)
    screenshot(page, "dashboard-request-file")

    page.go_back()
    page.go_back()
    export_the_ranking_to_excel(page, tmp_path, screenshot, org)
    page.go_back()
    page.go_back()
    page.locator("table.ranking a", has_text=org.bnh.name).first.click()
    expect(page.locator("h1")).to_contain_text(org.bnh.name)
    expect(page.locator("svg.chart[role=img]")).to_have_count(3)
    screenshot(page, "dashboard-center")
    assert axe(page) == []

    national = new_page()
    sign_in(national, staff(Role.NATIONAL_VIEWER))
    national.locator(".dashboard-link a").click()
    expect(national).to_have_url("/reports/dashboard/national/")
    expect(national.locator("table.ranking").first.locator("tbody tr")).to_have_count(2)
    screenshot(national, "dashboard-national")
    assert axe(national) == []


def export_the_ranking_to_excel(page, tmp_path, screenshot, org) -> None:
    """From the dashboard: the export form comes filled with its period; a real worker builds the
    workbook while the page's bar advances; the link it offers downloads a right-to-left sheet."""
    shown = period(page)
    with worker_process(tmp_path, name="browser-export"):
        page.locator(".dashboard-export a").click()
        expect(page.locator("input[name=date_from]")).to_have_value(shown.split("&")[0].split("=")[1])
        page.locator("select[name=kind]").select_option("center_kpis")
        page.locator("select[name=format]").select_option("xlsx")
        page.get_by_role("button", name="إعداد الملف").click()
        bar = page.locator("#export-progress-bar")
        expect(bar).to_be_visible()
        page.wait_for_function("bar => bar.value === 100", arg=bar.element_handle(), timeout=60_000)
        link = page.locator("[data-export-link]")
        expect(link).to_be_visible()
        screenshot(page, "dashboard-export-ready")
        with page.expect_download() as download:
            link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(saved)
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows[:-1]] == [org.bnh.name, org.van.name]
    assert rows[-1][0] == "الإجمالي" and rows[-1][2] == sum(row[2] for row in rows[:-1]) > 0


def period(page) -> str:
    """The period the dashboard shows, as its query string (the last 30 days by default)."""
    start = page.locator("input[name=date_from]").input_value()
    end = page.locator("input[name=date_to]").input_value()
    return f"date_from={start}&date_to={end}"
