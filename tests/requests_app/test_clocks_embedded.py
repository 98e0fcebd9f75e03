"""The demo runs on the embedded SQLite database with no server: its sweep must work there too."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from deadlines.models import Escalation
from deadlines.sweep import deadline_sweep
from requests_app.models import RequestStep, ServiceRequest
late = timezone.now() - timedelta(days=30)
ServiceRequest.objects.filter(state="in_review").update(step_due_at=late, step_risk_at=late, due_at=late)
RequestStep.objects.filter(status="active").update(due_at=late, risk_at=late)
first, second = deadline_sweep(), deadline_sweep()
again = sum(second["request_step"].escalations.values())
print("ESCALATIONS", Escalation.objects.count(), first["request"].overdue, again)
"""


def test_the_sweep_runs_on_the_demos_embedded_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}}
    env.update(
        APP_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        SMS_BACKEND="notifications.backends.LocmemBackend",
    )
    for command in (["migrate", "-v0"], ["seed_demo"], ["shell", "-c", SCRIPT]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    escalations, overdue, again = result.stdout.split("ESCALATIONS")[1].split()
    assert int(escalations) > 0 and int(overdue) > 0 and int(again) == 0
