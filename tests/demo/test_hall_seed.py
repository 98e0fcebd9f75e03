"""The demo's hall at Benha: its queues, windows and devices (paired with the README's tokens), the
last working days' tickets played through the services, today's line, the demo clerk at a window,
seeding once — and all of it on the demo's embedded SQLite too."""

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo.seed import demo_seed
from hall.models import HallDevice, HallQueue, HallWindow, Ticket, TicketEvent, TicketState, WindowShift
from hall.selectors import device_for_token, queue_figures
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center
from reports.selectors import hall_figures

pytestmark = pytest.mark.django_db


def test_benhas_hall_is_set_up_with_history_and_a_line_today_and_seeded_once(seeded_demo):
    bnh = Center.objects.get(code="BNH")
    queues = HallQueue.objects.filter(center=bnh).order_by("letter")
    assert [(q.letter, q.name_en, q.is_priority) for q in queues] == [
        ("A", "Elderly and people with disabilities", True),
        ("B", "Permits", False),
        ("C", "Certificates", False),
        ("D", "Delivery of documents", False),
        ("E", "Complaints", False),
    ]
    permits, certificates = queues.get(letter="B").services, queues.get(letter="C").services
    assert permits.filter(code="BLD-NEW").exists() and certificates.filter(code="GEN-RESIDENCE").exists()
    assert not set(permits.all()) & set(certificates.all())
    windows = {w.number: "".join(sorted(q.letter for q in w.queues.all())) for w in HallWindow.objects.all()}
    assert windows == {1: "AB", 2: "AC", 3: "BCD", 4: "DE"}
    assert device_for_token(token="demo-bnh-kiosk", kind=HallDevice.Kind.KIOSK).center == bnh
    assert device_for_token(token="demo-bnh-screen", kind=HallDevice.Kind.SCREEN).center == bnh

    # The previous two working days: about 60 tickets each, every one called, then served or absent.
    today = timezone.localdate(timezone.now(), CAIRO)
    calendar = WorkCalendar(bnh)
    days = [calendar.subtract_working_days(today, back) for back in (2, 1)]
    past = Ticket.objects.exclude(day=today)
    assert sorted(set(past.values_list("day", flat=True))) == days
    for day in days:
        assert 50 <= past.filter(day=day).count() <= 70, day
    assert set(past.values_list("state", flat=True)) == {TicketState.DONE, TicketState.NO_SHOW}
    assert not past.filter(first_called_at__lt=F("issued_at")).exists()
    assert WindowShift.objects.filter(closed_at__isnull=True).count() == 1  # today's, below
    manager = User.objects.get(username="bnh.manager")
    figures = hall_figures(user=manager, date_from=days[0], date_to=days[-1], center=bnh)
    assert figures.total.issued == past.count() and len(figures.by_queue) == 5
    assert 0 < figures.total.mean_wait <= figures.total.p90_wait < 60

    # Today: window 3 open (bnh.clerk2) with a ticket called; a line waiting with an estimate.
    line = Ticket.objects.filter(day=today)
    assert line.filter(state=TicketState.WAITING).count() == 5
    called = line.get(state=TicketState.CALLED)
    assert (called.window.number, called.clerk.username) == (3, "bnh.clerk2")
    waits = {f.queue.letter: f.next_wait_minutes for f in queue_figures(center=bnh)}
    assert waits["B"] is not None and waits["A"] is None  # window 3 calls permits; no one calls A yet

    counts = [model.objects.count() for model in (HallQueue, HallWindow, HallDevice, Ticket, TicketEvent)]
    again = demo_seed()
    assert again.changed == 0
    assert [
        model.objects.count() for model in (HallQueue, HallWindow, HallDevice, Ticket, TicketEvent)
    ] == counts


def test_the_kiosk_and_the_screen_pair_with_the_published_tokens(seeded_demo):
    kiosk = Client()
    assert kiosk.post(reverse("hall:device_pair"), {"token": "demo-bnh-kiosk"}).url == reverse("hall:kiosk")
    page = kiosk.get(reverse("hall:kiosk")).content.decode()
    assert "التراخيص" in page and "الشهادات والمستخرجات" in page
    screen = Client()
    assert screen.post(reverse("hall:device_pair"), {"token": "demo-bnh-screen"}).url == reverse(
        "hall:screen"
    )
    assert screen.get(reverse("hall:screen")).status_code == 200


def test_the_demo_clerk_opens_a_window_and_calls_the_priority_ticket(seeded_demo, client):
    client.force_login(User.objects.get(username="bnh.clerk"))
    home = reverse("window:home", args=["BNH"])
    assert "hall-window" in client.get(home).content.decode()  # the window panel's "I am at window"
    assert client.post(reverse("hall:window_open", args=["BNH"]), {"window": 1}).url == home
    assert client.post(reverse("hall:call_next", args=["BNH"])).url == home
    ticket = Ticket.objects.get(clerk__username="bnh.clerk", state=TicketState.CALLED)
    assert (ticket.queue.letter, ticket.window.number) == ("A", 1)


SQLITE_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from hall.models import Ticket
from organisation.models import Center
from reports.selectors import hall_figures
today = timezone.localdate()
report = hall_figures(
    user=User.objects.get(username="bnh.manager"), date_from=today - timedelta(days=30), date_to=today,
    center=Center.objects.get(code="BNH"),
)
t = report.total
print("HALL", Ticket.objects.count(), t.issued, t.waited, t.mean_wait, t.p90_wait, len(report.by_hour))
"""


def test_the_hall_demo_and_its_report_run_on_the_embedded_sqlite(embedded_demo):
    embedded_demo.manage("seed_demo")  # the second time: seeded once
    out = embedded_demo.manage("shell", "-c", SQLITE_SCRIPT)
    tickets, issued, waited, mean, p90, hours = out.split("HALL")[1].split()
    assert int(tickets) == int(issued) >= 100 and int(waited) >= int(issued) - 6  # seeded once
    assert 0 < float(mean) <= float(p90) < 60 and int(hours) >= 6
