"""Celery tasks of the exports: building one file (asked for once its job is committed) and, every hour
(django-celery-beat "reports-exports-cleanup"), deleting the files past their expiry."""

from celery import shared_task

from reports.backlog import backlog_refresh
from reports.exports import export_build, exports_cleanup


@shared_task(name="reports.export_run", ignore_result=True)
def export_run(job_id: int) -> None:
    export_build(job_id)


@shared_task(name="reports.exports_cleanup", ignore_result=True)
def cleanup_exports() -> int:
    return exports_cleanup()


@shared_task(name="reports.backlog_refresh", ignore_result=True)
def refresh_backlog() -> int:
    """Every 5 minutes (beat "reports-backlog-refresh"): count the open requests again."""
    return backlog_refresh().open
