"""End to end with a real Celery worker process and Redis: an Excel export asked for on the page is
queued once its job commits, built by the worker (its progress written as it goes) and downloaded by
its requester with the figures of ``reports.kpis``; the same job page's status then offers the link."""

import io
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import openpyxl
import pytest
import redis
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from config.celery import app as celery_app
from reports.kpis import request_kpis, slice_in_reach
from reports.models import ExportJob
from tests.accounts.factories import staff
from tests.notifications.test_worker import test_database_url, wait_for
from tests.reports.test_kpis import OCTOBER, played  # noqa: F401 — the hand-built month


@contextmanager
def export_worker(tmp_path):
    """A worker process on a queue of its own, with this test's database, broker and files; this
    process's tasks go to that queue meanwhile. Yields (process, log path)."""
    queue = f"export-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / f"{queue}.log"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1"]
    command += ["-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    default_queue = celery_app.conf.task_default_queue
    with open(log, "w") as output:
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=output)
    try:
        wait_for(lambda: " ready." in log.read_text(), seconds=60, worker=worker, log=log)
        celery_app.conf.task_default_queue = queue
        yield worker, log
    finally:
        celery_app.conf.task_default_queue = default_queue
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        redis.Redis.from_url(env["CELERY_BROKER_URL"]).delete(
            queue, f"_kombu.binding.{queue}", "unacked", "unacked_index"
        )


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
