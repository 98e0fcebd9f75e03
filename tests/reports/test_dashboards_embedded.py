"""The dashboards on the demo's embedded SQLite (no server): every page answers, for a month and for a
year, and the roll-ups read as months less days give exactly what their days alone give."""

SCRIPT = """
from datetime import timedelta
from django.conf import settings
from django.test import Client
from django.utils import timezone
from accounts.models import User
from reports import spans
from reports.models import RequestDay, RequestDayDuration

settings.ALLOWED_HOSTS = ["testserver"]
today = timezone.localdate()
for username, path in [
    ("qlb.official", "/reports/dashboard/?"),
    ("bnh.manager", "/reports/dashboard/center/BNH/?"),
    ("national.viewer", "/reports/dashboard/national/?"),
]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    for days in (30, 365):
        answer = client.get(f"{path}date_from={today - timedelta(days=days - 1)}&date_to={today}")
        print("PAGE", username, days, answer.status_code)
periods = [(today - timedelta(days=days - 1), today - timedelta(days=shift)) for days, shift in
           ((10, 0), (30, 0), (45, 3), (365, 0), (20, 11))]
reads = ((RequestDay, "received", ("center_id",)), (RequestDayDuration, "decided", ("working_days",)))
for model, figure, by in reads:
    read = [
        spans.summed(model, periods=periods, figures=(figure,), by=by, months=months)
        for months in (True, False)
    ]
    print("SAME", model.__name__, read[0] == read[1], sum(sums[0][figure] for sums in read[1].values()))
"""


def test_the_dashboards_and_their_reads_on_the_embedded_sqlite(embedded_demo):
    out = embedded_demo.manage("shell", "-c", SCRIPT)
    pages = [line.split() for line in out.splitlines() if line.startswith("PAGE")]
    assert len(pages) == 6 and all(status == "200" for *_, status in pages), pages
    same = [line.split() for line in out.splitlines() if line.startswith("SAME")]
    assert [(model, equal) for _, model, equal, _ in same] == [
        ("RequestDay", "True"),
        ("RequestDayDuration", "True"),
    ]
    assert all(int(counted) > 0 for *_, counted in same)  # something was read
