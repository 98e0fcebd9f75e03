"""README's demo command, run from a clone of this repository: it refuses a port that is taken
before starting anything, and whenever it exits it stops its Celery worker's whole process group."""

import os
import signal
import socket
import subprocess
import time

import pytest
from django.conf import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def demo_workers(clone) -> list[int]:
    """The Celery worker processes running from ``clone``."""
    found = subprocess.run(["pgrep", "-f", "celery -A config worker"], capture_output=True, text=True)
    pids = []
    for pid in map(int, found.stdout.split()):
        try:
            if os.readlink(f"/proc/{pid}/cwd") == str(clone):
                pids.append(pid)
        except OSError:
            continue
    return pids


def tail(path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "clone"
    subprocess.run(["git", "clone", "-q", str(settings.BASE_DIR), str(path)], check=True)
    return path


def demo_env(clone) -> dict:
    # The demo's own defaults: none of the test suite's database, broker or folders.
    drop = {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "APP_ENV", "VAR_DIR", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def test_a_taken_port_is_refused_before_anything_starts(clone):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["./scripts/demo"],
            cwd=clone,
            env={**demo_env(clone), "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert result.returncode == 1
    assert f"Port {port} is taken" in result.stderr
    assert "demo:" not in result.stdout  # no banner
    assert not (clone / "var" / "celery-worker.log").exists()  # no worker was started
    # The demo installed the application's dependencies only: no test tools.
    for tool in ("pytest", "playwright", "hypothesis"):
        assert subprocess.run([clone / ".venv" / "bin" / "python", "-c", f"import {tool}"]).returncode != 0
    assert subprocess.run([clone / ".venv" / "bin" / "python", "-c", "import django, celery"]).returncode == 0


def test_stopping_the_demo_stops_its_worker(clone, tmp_path):
    port = free_port()
    # Its output goes to a file: a pipe nobody reads fills up (64 KiB) and blocks the demo mid-line.
    output = open(tmp_path / "demo.log", "w")  # noqa: SIM115 — closed in the finally below
    demo = subprocess.Popen(
        ["./scripts/demo"],
        cwd=clone,
        env={**demo_env(clone), "PORT": str(port)},
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # A suite started in the background inherits SIGINT ignored, and a shell or Python started so
        # cannot be interrupted: give the demo the terminal's default, as README's reader has it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:

        def serving() -> bool:
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        wait_for(serving, 600, "the demo to serve")
        worker_groups = {os.getpgid(pid) for pid in demo_workers(clone)}
        assert worker_groups and os.getpgid(demo.pid) not in worker_groups  # a process group of its own
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C in the terminal: the script and its server
        try:
            demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"the demo did not stop within 60 s of Ctrl-C; it last said:\n{tail(tmp_path / 'demo.log')}"
            )
        wait_for(lambda: not any(group_alive(pgid) for pgid in worker_groups), 30, "the worker to stop")
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
        output.close()
