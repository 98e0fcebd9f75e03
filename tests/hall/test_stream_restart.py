"""A hall screen's stream under the deployment's own gunicorn: when the web worker serving it dies, the
master starts another and the screen, reconnecting, gets the hall as it is now — calls made while it
was cut included — because the state lives in the database, not in the worker."""

import http.client
import json
import os
import signal
import subprocess
import time

import pytest
from django.conf import settings

from hall.services import ticket_call_next, ticket_issue
from hall.views_devices import cookie_name
from tests.core.test_deployment import free_port, production_env, start_compose_web, wait_until_listening

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_stream(port: int, token: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET",
        "/hall/screen/stream/",
        headers={
            "Host": "csc.example.gov.eg",
            "X-Forwarded-Proto": "https",  # as the TLS proxy in front of gunicorn says
            "X-Forwarded-For": "203.0.113.7",
            "Cookie": f"{cookie_name('screen')}={token}",
        },
    )
    response = connection.getresponse()
    assert response.status == 200, response.read()[:500]
    assert response.getheader("Content-Type") == "text/event-stream"
    return response


def next_state(stream: http.client.HTTPResponse) -> dict:
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the stream ended")
        if line.startswith(b"data: {"):
            return json.loads(line[len(b"data: ") :])


def workers_of(master: subprocess.Popen) -> set[int]:
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True)
    return {int(pid) for pid in children.stdout.split()}


def test_a_screen_stream_outlives_its_web_worker(hall, clerks, org, tmp_path):
    port = free_port()
    env = production_env(tmp_path) | {
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "HALL_BELL_URL": settings.HALL_BELL_URL,
        "WEB_WORKERS": "1",
        "HALL_STREAM_SECONDS": "3",  # shutting down, a worker waits for its open streams to end
    }
    server = start_compose_web(port, env)
    try:
        wait_until_listening(port, server)
        stream = open_stream(port, hall.screen_token)
        assert next_state(stream)["calls"] == []

        [worker] = workers_of(server)
        os.kill(worker, signal.SIGKILL)
        with pytest.raises((EOFError, ConnectionError, http.client.IncompleteRead)):
            next_state(stream)

        ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        ticket_call_next(clerk=clerks.one, center=org.bnh)

        deadline = time.monotonic() + 60
        while not (workers_of(server) - {worker}) and time.monotonic() < deadline:
            time.sleep(0.1)  # waiting for gunicorn to start the new worker, not timing anything
        reconnected = open_stream(port, hall.screen_token)
        state = next_state(reconnected)
        reconnected.close()
        [call] = state["calls"]
        assert (call["code"], call["window"]) == ("B-001", 1)
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: open streams are not waited for
        server.wait(timeout=60)
