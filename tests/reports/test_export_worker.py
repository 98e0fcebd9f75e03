"""End to end with a real Celery worker process and Redis: an Excel export asked for on the page is
queued once its job commits, built by the worker (its progress written as it goes) and downloaded by
its requester with the figures of ``reports.kpis``; the same job page's status then offers the link."""

import io

import openpyxl
import pytest
from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from reports.kpis import request_kpis, slice_in_reach
from reports.models import ExportJob
from tests.accounts.factories import staff
from tests.reports.test_kpis import OCTOBER, played  # noqa: F401 — the hand-built month
from tests.worker import wait_for, worker_process


def export_worker(tmp_path):
    return worker_process(tmp_path, name="export-test")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_the_export_the_page_asked_for(client, org, played, tmp_path):  # noqa: F811
    official = staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    client.force_login(official)
    with export_worker(tmp_path) as (worker, log):
        response = client.post(
            reverse("reports:exports"),
            {"kind": "center_kpis", "format": "xlsx", "date_from": "2026-10-01", "date_to": "2026-10-31"},
        )
        assert response.status_code == 302
        job = ExportJob.objects.get(requester=official)
        status_url = reverse("reports:export_status", args=[job.pk])
        seen = []

        def finished() -> bool:
            status = client.get(status_url).json()
            seen.append(status["progress"])
            return status["state"] in ("done", "failed")

        wait_for(finished, seconds=60, worker=worker, log=log)
        assert "reports.export_run" in log.read_text()
    job.refresh_from_db()
    assert (job.state, job.progress, job.error) == ("done", 100, "")
    assert seen == sorted(seen) and seen[-1] == 100  # the bar only moves forward

    status = client.get(status_url).json()
    download = client.get(status["download"])
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row[1] for row in rows[:-1]] == [org.bnh.name, org.van.name]  # Qalyubia's centers only
    kpis = request_kpis(**OCTOBER, slice_=slice_in_reach(official, rows=Q(center=org.bnh)))
    assert rows[0][2:6] == [kpis.received, kpis.approved, kpis.rejected, kpis.decided] == [4, 2, 1, 3]

    client.force_login(staff(Role.CENTER_MANAGER, center=org.bnh))  # even Benha's manager: not theirs
    assert client.get(status["download"]).status_code == 404
