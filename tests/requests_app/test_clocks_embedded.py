"""The demo runs on the embedded SQLite database with no server: its sweep must work there too."""

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


def test_the_sweep_runs_on_the_demos_embedded_sqlite(embedded_demo):
    out = embedded_demo.manage("shell", "-c", SCRIPT)
    escalations, overdue, again = out.split("ESCALATIONS")[1].split()
    assert int(escalations) > 0 and int(overdue) > 0 and int(again) == 0
