"""End to end with a real Celery worker process and Redis: the message committed by sms_enqueue is
picked up by the worker (nudged after commit) and sent to the fake gateway in this process."""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import SmsMessage
from requests_app.services.notify import request_sms_enqueue
from tests.notifications.factories import SmsTemplateFactory
from tests.requests_app.factories import submit


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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_the_committed_message(org, service, clerk, gateway, tmp_path):
    SmsTemplateFactory(event="ready_for_pickup")  # the migration's row, unless a flush removed it
    queue = f"sms-test-{uuid.uuid4().hex[:12]}"  # only this test's worker listens here
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "SMS_BACKEND": "notifications.backends.HttpGatewayBackend",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_GATEWAY_USERNAME": gateway.credentials[0],
        "SMS_GATEWAY_PASSWORD": gateway.credentials[1],
        "SMS_GATEWAY_TIMEOUT": "5",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1"]
    command += ["-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    default_queue = celery_app.conf.task_default_queue
    with open(log, "w") as output:
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=output)
    try:
        wait_for(lambda: " ready." in log.read_text(), seconds=60, worker=worker, log=log)
        celery_app.conf.task_default_queue = queue  # this process's nudge goes to that worker

        with transaction.atomic():
            request = submit(service, org.bnh, clerk)
            message = request_sms_enqueue(
                request,
                "ready_for_pickup",
                "worker",
            )
        reference = message.idempotency_key

        wait_for(lambda: gateway.answered_ok[reference] == 1, seconds=30, worker=worker, log=log)
        wait_for(
            lambda: SmsMessage.objects.get(pk=message.pk).status == SmsMessage.Status.SENT,
            seconds=10,
            worker=worker,
            log=log,
        )
        message.refresh_from_db()
        assert message.provider_message_id == gateway.ids[reference]
        assert request.receipt_number in message.body
        assert gateway.posts_for(reference) == 1
        assert "notifications.tasks.deliver_pending" in log.read_text()
    finally:
        celery_app.conf.task_default_queue = default_queue
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        redis.Redis.from_url(env["CELERY_BROKER_URL"]).delete(queue, f"_kombu.binding.{queue}")
