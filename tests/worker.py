"""A real Celery worker process for the tests that need one (the SMS outbox, exports, the browser's
export): on a queue of its own, with the test's database, broker and files, while this process's tasks
go to that queue."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from config.celery import app as celery_app


def test_database_url() -> str:
    db = settings.DATABASES["default"]  # pytest-django has switched NAME to the test database
    assert db["NAME"].startswith("test_")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_for(condition, *, seconds: float, worker: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped (exit {worker.returncode}):\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds} s; worker log:\n{log.read_text()}")
        time.sleep(0.1)


@contextmanager
def worker_process(tmp_path, *, name: str, **environment):
    """Yields (process, log path); ``environment`` adds to or overrides the worker's settings."""
    queue = f"{name}-{uuid.uuid4().hex[:12]}"
    log = tmp_path / f"{queue}.log"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **environment,
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
