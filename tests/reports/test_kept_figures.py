"""The dashboards' period figures kept for a few minutes (reports.kept_figures): served as counted, with
their time, to the same viewer only, in their language; what is live stays live; a download counts now."""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment
from reports.backlog import backlog_refresh
from reports.kept_figures import forget_kept_figures
from reports.rollups import rollups_rebuild
from tests.accounts.factories import staff
from tests.reports import test_dashboards
from tests.reports.test_dashboards import DASHBOARD, NATIONAL, OCTOBER, center_url
from tests.reports.test_kpis import CAIRO
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db
people, played = test_dashboards.people, test_dashboards.played  # the fixtures

MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=CAIRO)
DECEMBER = "date_from=2026-11-04&date_to=2026-12-03"


def as_of(response) -> str:
    found = re.search(r'data-figures-as-of="([^"]+)"', response.content.decode())
    assert found, "the page says when its period figures were counted"
    return found.group(1)


def received(response) -> str:
    """The headline's received figure as the page shows it (a kept page has no context of its own)."""
    card = re.search(
        r'data-figure="received".*?<bdi class="num">([^<]+)</bdi>', response.content.decode(), re.S
    )
    return card.group(1)


def loaded(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("official", f"{DASHBOARD}?{DECEMBER}"),
        ("manager", f"{center_url('BNH')}?{DECEMBER}"),
        ("national", f"{NATIONAL}?{DECEMBER}"),
    ],
)
def test_the_period_is_kept_as_counted_and_says_when(client, people, played, org, who, url):
    client.force_login(people[who])
    with time_machine.travel(MORNING, tick=False), CaptureQueriesContext(connection) as captured:
        first, counting = loaded(client, url)
        counted_sql = " ".join(query["sql"] for query in captured.captured_queries)
        submit(played.service, org.bnh, staff(Role.CLERK, center=org.bnh), national_id="29001011401240")
    with time_machine.travel(MORNING + timedelta(seconds=30), tick=False):
        again, kept = loaded(client, url)
    assert as_of(again) == as_of(first) == MORNING.isoformat()
    assert received(again) == received(first)  # as counted at 10:00, and it says so
    assert kept < counting - 15
    assert "set_config('max_parallel_workers_per_gather', '0', true)" in counted_sql  # spans.serial_reads
    with time_machine.travel(MORNING + timedelta(seconds=settings.DASHBOARD_FIGURES_SECONDS), tick=False):
        later, _ = loaded(client, url)
    assert as_of(later) == (MORNING + timedelta(seconds=settings.DASHBOARD_FIGURES_SECONDS)).isoformat()
    assert int(received(later)) == int(received(first)) + 1


def test_what_is_live_stays_live(client, people, played, org):
    """The center's intake today is counted at every view, beside the kept period."""
    clerk = staff(Role.CLERK, center=org.bnh)
    client.force_login(people["manager"])
    with time_machine.travel(MORNING, tick=False):
        first = client.get(f"{center_url('BNH')}?{DECEMBER}")
        submit(played.service, org.bnh, clerk, national_id="29001011401240")
        again = client.get(f"{center_url('BNH')}?{DECEMBER}")
    assert as_of(again) == as_of(first)
    assert first.context["intake_total"] == 0 and again.context["intake_total"] == 1
    assert clerk.full_name in again.content.decode()


def test_a_viewer_never_sees_what_another_was_shown(client, people, played, org):
    """The national viewer opens the same governorate page the official just had counted: theirs is
    counted for them (one figure of the national roles differs: no staff-conduct message, no escalation)."""
    url = f"{DASHBOARD}?governorate=QLB&{DECEMBER}"
    with time_machine.travel(MORNING, tick=False):
        client.force_login(people["official"])
        loaded(client, url)
        _, kept = loaded(client, url)
        client.force_login(people["national"])
        _, counted = loaded(client, url)
    assert counted > kept + 15


def test_a_changed_assignment_counts_again(client, people, played, org):
    official = people["official"]
    url = f"{DASHBOARD}?governorate=QLB&{DECEMBER}"
    client.force_login(official)
    with time_machine.travel(MORNING, tick=False):
        loaded(client, url)
        _, kept = loaded(client, url)
        RoleAssignment.objects.create(user=official, role=Role.GOVERNORATE_OFFICIAL, governorate=org.cai)
        _, counted = loaded(client, url)
    assert counted > kept + 15


def test_each_language_is_kept_apart(client, people, played):
    client.force_login(people["official"])
    with time_machine.travel(MORNING, tick=False):
        client.get(f"{DASHBOARD}?{DECEMBER}")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(f"{DASHBOARD}?{DECEMBER}").content.decode()
    assert "Slowest services" in english and "الخدمات الأبطأ" not in english


def test_a_new_count_of_the_open_requests_is_shown_at_once(client, people, played, org):
    url = f"{DASHBOARD}?{DECEMBER}"
    client.force_login(people["official"])
    with time_machine.travel(MORNING, tick=False):
        backlog_refresh()
        loaded(client, url)
        _, kept = loaded(client, url)
    with time_machine.travel(MORNING + timedelta(seconds=10), tick=False):
        backlog_refresh()
        response, counted = loaded(client, url)
    assert counted > kept + 15
    assert "10:00" in response.context["backlog"].as_of_label


def test_a_download_counts_the_figures_now(client, people, played, org):
    url = f"{DASHBOARD}?{DECEMBER}"
    client.force_login(people["official"])
    with time_machine.travel(MORNING, tick=False):
        shown = received(client.get(url))
        submit(played.service, org.bnh, staff(Role.CLERK, center=org.bnh), national_id="29001011401240")
        assert received(client.get(url)) == shown
        download = client.get(f"{url}&table=figures&format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download)))
    assert rows[1][1] == str(int(shown) + 1)  # the first figure: received, this period


def test_a_rebuild_of_the_rollups_forgets_every_kept_page(
    client, people, played, django_capture_on_commit_callbacks
):
    url = f"{DASHBOARD}?{OCTOBER}"
    client.force_login(people["official"])
    with time_machine.travel(MORNING, tick=False):
        loaded(client, url)
        _, kept = loaded(client, url)
        with django_capture_on_commit_callbacks(execute=True):
            rollups_rebuild()
        _, counted = loaded(client, url)
        forget_kept_figures()
        _, again = loaded(client, url)
    assert counted == again > kept + 15


def test_nothing_is_kept_when_the_time_is_zero(client, people, played, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0
    url = f"{DASHBOARD}?{DECEMBER}"
    client.force_login(people["official"])
    with time_machine.travel(MORNING, tick=False):
        client.get(url)  # the first page of a session also reads what it then keeps
        _, counting = loaded(client, url)
        again, counted_again = loaded(client, url)
    assert counting == counted_again > 30
    page = again.content.decode()
    assert "data-figures-as-of" not in page and "الأرقام مباشرة" in page
