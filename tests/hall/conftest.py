from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from hall.models import HallDevice, HallQueue, HallWindow
from hall.services import hall_device_issue, window_shift_open
from tests.accounts.factories import staff

CAIRO = ZoneInfo("Africa/Cairo")


def at(hour: int, minute: int = 0, second: int = 0, day: int = 7) -> datetime:
    """A moment of a working Monday in December 2026, Cairo time."""
    return datetime(2026, 12, day, hour, minute, second, tzinfo=CAIRO)


def queue(center, letter: str, name_ar: str, *, priority: bool = False, position: int = 0) -> HallQueue:
    return HallQueue.objects.create(
        center=center, letter=letter, name_ar=name_ar, is_priority=priority, position=position
    )


def window(center, number: int, *queues: HallQueue) -> HallWindow:
    made = HallWindow.objects.create(center=center, number=number)
    made.queues.set(queues)
    return made


@pytest.fixture
def hall(org):
    """Benha's hall: permits (B), certificates (C) and the priority queue (A); window 1 calls from
    permits and the priority queue, window 2 from certificates and the priority queue, window 3 from
    all. A kiosk and a screen. Helwan has a queue and a window of its own."""
    permits = queue(org.bnh, "B", "التراخيص", position=1)
    certificates = queue(org.bnh, "C", "الشهادات", position=2)
    priority = queue(org.bnh, "A", "كبار السن وذوو الهمم", priority=True)
    kiosk, kiosk_token = hall_device_issue(center=org.bnh, kind=HallDevice.Kind.KIOSK, name="المدخل")
    screen, screen_token = hall_device_issue(center=org.bnh, kind=HallDevice.Kind.SCREEN, name="الصالة")
    hlp_queue = queue(org.hlp, "B", "التراخيص")
    return SimpleNamespace(
        permits=permits,
        certificates=certificates,
        priority=priority,
        w1=window(org.bnh, 1, permits, priority),
        w2=window(org.bnh, 2, certificates, priority),
        w3=window(org.bnh, 3, permits, certificates, priority),
        kiosk=kiosk,
        kiosk_token=kiosk_token,
        screen=screen,
        screen_token=screen_token,
        hlp_queue=hlp_queue,
        hlp_window=window(org.hlp, 1, hlp_queue),
        hlp_kiosk=hall_device_issue(center=org.hlp, kind=HallDevice.Kind.KIOSK, name="المدخل")[0],
    )


@pytest.fixture
def clerks(org, hall):
    """Three clerks of Benha, at windows 1, 2 and 3 since 8:00; one of Helwan at its window."""
    found = SimpleNamespace(
        one=staff(Role.CLERK, center=org.bnh),
        two=staff(Role.CLERK, center=org.bnh),
        three=staff(Role.CLERK, center=org.bnh),
        helwan=staff(Role.CLERK, center=org.hlp),
    )
    window_shift_open(clerk=found.one, window_id=hall.w1.pk, now=at(8))
    window_shift_open(clerk=found.two, window_id=hall.w2.pk, now=at(8))
    window_shift_open(clerk=found.three, window_id=hall.w3.pk, now=at(8))
    window_shift_open(clerk=found.helwan, window_id=hall.hlp_window.pk, now=at(8))
    return found
