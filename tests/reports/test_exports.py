"""Exports on the hand-built month of ``test_kpis`` (Benha, October 2026): the CSV and Excel tables hold
the very figures of ``reports.kpis``, the Excel sheets are Arabic and right to left, the monthly PDF
reads in Arabic; each user exports and downloads within their reach only, a file expires, and bad input
is a clear message, never a 500. The job here is built in-process; test_export_worker runs a real worker."""

import csv
import io
import os
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports.exports import (
    OutOfReach,
    center_kpi_table,
    export_build,
    export_request,
    exports_cleanup,
)
from reports.kpis import fees_by_item, request_kpis, slice_in_reach
from reports.models import ExportJob
from tests.accounts.factories import staff
from tests.reports.test_kpis import OCTOBER, played  # noqa: F401 — the hand-built month
from tests.requests_app.pdf import pdf_text

pytestmark = pytest.mark.django_db

KPI_SHEET = "مؤشرات الأداء لكل مركز"
FEES_SHEET = "الرسوم حسب بند الرسم"
PDF_TITLE = "التقرير الشهري"


def built(user, **asked) -> ExportJob:
    """An export asked for and built here (a test transaction never commits, so no worker is asked)."""
    job = export_request(user=user, **{**OCTOBER, **asked})
    export_build(job.pk)
    job.refresh_from_db()
    assert (job.state, job.progress) == (ExportJob.State.DONE, 100), job.error
    return job


def csv_rows(job: ExportJob) -> list[list[str]]:
    with job.file.open("rb") as file:
        text = file.read().decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def expected_kpi_cells(kpis) -> list:
    return [
        kpis.received,
        kpis.approved,
        kpis.rejected,
        kpis.decided,
        round(100 * kpis.on_time_rate, 1),
        kpis.delivered,
        kpis.cancelled,
        round(kpis.median_working_days, 2),
        round(kpis.p90_working_days, 2),
        kpis.fees,
    ]


@pytest.fixture
def manager(org):
    return staff(Role.CENTER_MANAGER, center=org.bnh)


@pytest.fixture
def official(org):
    return staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)


def test_the_csv_holds_the_kpis_of_each_center(played, manager, org):  # noqa: F811
    job = built(manager, kind="center_kpis", format="csv")
    header, *rows = csv_rows(job)
    assert len(header) == 12
    kpis = request_kpis(**OCTOBER, slice_=slice_in_reach(manager, rows=Q(center=org.bnh)))
    assert (kpis.received, kpis.decided, kpis.p90_working_days) == (4, 3, pytest.approx(4.6))
    assert rows[0] == [org.qlb.name, org.bnh.name, *map(str, expected_kpi_cells(kpis)[:-1]), "2002.00"]
    assert rows[0][2:] == ["4", "2", "1", "3", "100.0", "1", "0", "3.0", "4.6", "2002.00"]
    assert rows[-1][2:] == rows[0][2:]  # the total of the one center within reach
    assert len(rows) == 2
    assert job.filename == "center_kpis-all-2026-10-01-2026-10-31.csv"


def test_the_excel_sheet_is_arabic_right_to_left_with_the_same_figures(played, official, org):  # noqa: F811
    job = built(official, kind="center_kpis", format="xlsx")
    with job.file.open("rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert workbook.sheetnames == [KPI_SHEET]
    sheet = workbook[KPI_SHEET]
    assert sheet.sheet_view.rightToLeft is True
    values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    # The official's governorate only: Benha and the Qalyubia van, never Heliopolis (Cairo).
    assert [row[1] for row in values] == [org.bnh.name, org.van.name, None]
    assert values[-1][0] == "الإجمالي"
    kpis = request_kpis(**OCTOBER, slice_=slice_in_reach(official, rows=Q(center=org.bnh)))
    assert values[0][2:] == [*expected_kpi_cells(kpis)[:-1], pytest.approx(2002.0)]
    assert values[1][2:6] == [0, 0, 0, 0] and values[1][6] is None  # no decision: no rate
    total = request_kpis(**OCTOBER, slice_=slice_in_reach(official))
    assert values[2][2:6] == [total.received, total.approved, total.rejected, total.decided]


def test_the_fees_per_fee_item_equal_the_treasury_lines(played, manager, org):  # noqa: F811
    job = built(manager, kind="fee_items", format="xlsx")
    with job.file.open("rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read()))[FEES_SHEET]
    assert sheet.sheet_view.rightToLeft is True
    values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    lines = fees_by_item(**OCTOBER, slice_=slice_in_reach(manager))
    assert [(row[2], row[4], Decimal(str(row[5]))) for row in values[:-1]] == [
        (line["fee_name_ar"], line["count"], line["amount"]) for line in lines
    ]
    assert [row[2:] for row in values[:-1]] == [
        ["رسم إصدار", "نقدًا بخزينة المركز", 4, 1402],
        ["رسم فحص", "نقدًا بخزينة المركز", 4, 600],
    ]
    assert values[-1][4:] == [8, 2002]


def test_the_table_advances_the_progress_row_by_row(played, org):  # noqa: F811
    seen = []
    center_kpi_table(staff(Role.NATIONAL_VIEWER), **OCTOBER, progress=seen.append)
    assert seen == sorted(seen) and len(seen) == 3 and seen[-1] == 95  # Benha, the van, Heliopolis


def test_the_monthly_pdf_of_a_center_reads_in_arabic(played, manager, org, tmp_path):  # noqa: F811
    job = built(manager, kind="monthly_pdf", format="pdf", center=org.bnh.code)
    with job.file.open("rb") as file:
        pdf = file.read()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert PDF_TITLE in text
    assert org.bnh.name_ar in text
    assert "مستلم" in text  # the chart's legend and the tables


def test_the_monthly_pdf_of_a_governorate_is_for_those_who_oversee_it(
    played,  # noqa: F811
    official,
    manager,
    org,
    tmp_path,
):
    job = built(official, kind="monthly_pdf", format="pdf", governorate=org.qlb.code)
    with job.file.open("rb") as file:
        text = pdf_text(file.read(), tmp_path)
    assert PDF_TITLE in text and org.qlb.name_ar in text
    with pytest.raises(OutOfReach):
        export_request(user=manager, kind="monthly_pdf", format="pdf", governorate=org.qlb.code, **OCTOBER)
    with pytest.raises(OutOfReach):
        export_request(user=official, kind="monthly_pdf", format="pdf", governorate=org.cai.code, **OCTOBER)


# --- Through the pages ------------------------------------------------------------------------------


def ask(client, **form):
    return client.post(
        reverse("reports:exports"),
        {"kind": "center_kpis", "format": "csv", "date_from": "2026-10-01", "date_to": "2026-10-31", **form},
    )


def test_the_page_queues_a_job_and_shows_its_progress(client, played, manager):  # noqa: F811
    client.force_login(manager)
    assert client.get(reverse("reports:exports")).status_code == 200
    response = ask(client)
    job = ExportJob.objects.get(requester=manager)
    assert response.status_code == 302 and response.url == reverse("reports:export_job", args=[job.pk])
    assert (job.state, job.progress, job.parameters["language"]) == ("queued", 0, "ar")
    assert job.expires_at - job.created_at == pytest.approx(timedelta(hours=24), abs=timedelta(seconds=5))
    page = client.get(response.url).content.decode()
    assert '<progress id="export-progress-bar" max="100" value="0">' in page
    assert "js/export-progress.js" in page and "<script>" not in page  # CSP: no inline script
    status = client.get(reverse("reports:export_status", args=[job.pk])).json()
    assert (status["state"], status["progress"], status["download"]) == ("queued", 0, None)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404  # not yet

    ExportJob.objects.filter(pk=job.pk).update(state="running", progress=40)
    assert client.get(reverse("reports:export_status", args=[job.pk])).json()["progress"] == 40
    export_build(job.pk)  # already claimed as running: left alone
    ExportJob.objects.filter(pk=job.pk).update(state="queued", progress=0)
    export_build(job.pk)
    status = client.get(reverse("reports:export_status", args=[job.pk])).json()
    assert (status["state"], status["progress"]) == ("done", 100)
    assert status["download"] == reverse("reports:export_download", args=[job.pk])
    download = client.get(status["download"])
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    assert "بنها" in b"".join(download.streaming_content).decode()


def test_the_file_is_its_requesters_alone(client, played, manager, official, org):  # noqa: F811
    job = built(manager, kind="center_kpis", format="csv")
    for other in (official, staff(Role.CENTER_MANAGER, center=org.hlp), staff(Role.NATIONAL_VIEWER)):
        client.force_login(other)
        for name in ("export_job", "export_status", "export_download"):
            assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    client.force_login(staff(Role.CLERK, center=org.bnh))
    assert client.get(reverse("reports:exports")).status_code == 403
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 403


def test_a_center_out_of_reach_is_a_404_and_exports_nothing(client, played, org):  # noqa: F811
    elsewhere = staff(Role.CENTER_MANAGER, center=org.hlp)
    client.force_login(elsewhere)
    assert ask(client, center=org.bnh.code).status_code == 404
    assert (
        ask(client, kind="monthly_pdf", format="pdf", month="2026-10", governorate=org.qlb.code).status_code
        == 404
    )
    assert not ExportJob.objects.exists()
    job = built(elsewhere, kind="center_kpis", format="csv")  # their own center: nothing of Benha's
    rows = csv_rows(job)[1:]
    assert [row[0] for row in rows] == [org.cai.name, "الإجمالي"]
    assert rows[0][1] == org.hlp.name
    assert rows[0][2:6] == ["0", "0", "0", "0"]


def test_a_user_without_a_center_in_reach_cannot_export(org):
    with pytest.raises(PermissionDenied):
        export_request(user=staff(Role.CLERK, center=org.bnh), kind="center_kpis", format="csv", **OCTOBER)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"date_from": "2026-10-31", "date_to": "2026-10-01"}, "تنتهي الفترة قبل أن تبدأ."),
        ({"date_from": "2016-01-01", "date_to": "2025-12-31"}, "1098"),  # ten years
        ({"date_from": "1900-01-01", "date_to": "1900-02-01"}, "2000-01-01"),
        ({"date_from": "2026-13-45"}, "أدخل تاريخاً صحيحاً"),
        ({"date_from": "", "date_to": ""}, ""),
        ({"kind": "nonsense"}, ""),
        ({"format": "pdf"}, ""),
        ({"kind": "monthly_pdf", "format": "pdf", "month": "2026-14", "center": "BNH"}, ""),
        ({"kind": "monthly_pdf", "format": "pdf", "month": "2026-10"}, ""),
    ],
)
def test_bad_input_is_a_clear_message(client, manager, form, message):
    client.force_login(manager)
    response = ask(client, **form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_bad_input_to_the_service(played, manager):  # noqa: F811
    with pytest.raises(ValidationError):
        export_request(
            user=manager,
            kind="center_kpis",
            format="csv",
            date_from=date(2016, 1, 1),
            date_to=date(2026, 1, 1),
        )
    with pytest.raises(ValidationError):
        export_request(user=manager, kind="center_kpis", format="pdf", **OCTOBER)


def test_a_file_expires_and_is_cleaned_up(client, played, manager):  # noqa: F811
    job = built(manager, kind="center_kpis", format="csv")
    path = job.file.path
    client.force_login(manager)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        client.force_login(manager)
        gone = client.get(reverse("reports:export_download", args=[job.pk]))
        assert gone.status_code == 410
        assert "24" in gone.content.decode()
        assert client.get(reverse("reports:export_status", args=[job.pk])).json()["download"] is None
        assert exports_cleanup() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not os.path.exists(path)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_the_cleanup_keeps_what_has_not_expired(played, manager):  # noqa: F811
    job = built(manager, kind="center_kpis", format="csv")
    assert exports_cleanup() == 0
    assert ExportJob.objects.filter(pk=job.pk).exists()


def test_the_cleanup_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="reports-exports-cleanup")
    assert task.task == "reports.exports_cleanup" and task.enabled
