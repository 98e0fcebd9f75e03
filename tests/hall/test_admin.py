"""The hall in the admin: a device made there shows its token once and keeps only its SHA-256, and the
token pairs the device; devices are deactivated, never deleted; a window calls only from its own
center's queues; tickets, their history and shifts are read only."""

import hashlib
import re

import pytest
from django.contrib import messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from hall.models import HallDevice, HallQueue, HallWindow, Ticket, WindowShift
from hall.services import ticket_call_next, ticket_issue
from tests.accounts.factories import UserFactory
from tests.hall.conftest import at, queue
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db

PAIR = reverse("hall:device_pair")


@pytest.fixture
def admin_client(client):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return client


def make_device(admin_client, center, kind="kiosk", name="المدخل") -> tuple[HallDevice, str]:
    response = admin_client.post(
        reverse("admin:hall_halldevice_add"), {"center": center.pk, "kind": kind, "name": name}, follow=True
    )
    assert response.status_code == 200
    [warning] = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    [token] = re.findall(r"[A-Za-z0-9_-]{32}", warning)  # secrets.token_urlsafe(24)
    return HallDevice.objects.get(), token


def test_a_device_made_in_the_admin_shows_its_token_once_and_keeps_only_its_sha256(admin_client, org):
    device, token = make_device(admin_client, org.bnh)
    assert (device.center, device.kind, device.name, device.is_active) == (org.bnh, "kiosk", "المدخل", True)
    assert device.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(HallDevice.objects.filter(pk=device.pk).values().get())
    change = reverse("admin:hall_halldevice_change", args=[device.pk])
    for page in (change, reverse("admin:hall_halldevice_changelist")):
        assert token not in admin_client.get(page).content.decode()
    assert device.token_digest in admin_client.get(change).content.decode()

    kiosk = Client()
    paired = kiosk.post(PAIR, {"token": token})
    assert (paired.status_code, paired.url) == (302, reverse("hall:kiosk"))
    assert kiosk.get(reverse("hall:kiosk")).status_code == 200


def test_a_device_is_deactivated_not_deleted_and_its_digest_center_and_kind_stay(admin_client, org):
    device, token = make_device(admin_client, org.bnh, kind="screen", name="الصالة")
    change = reverse("admin:hall_halldevice_change", args=[device.pk])
    response = admin_client.post(
        change, {"name": "الصالة الكبرى", "token_digest": "0" * 64, "center": org.hlp.pk, "kind": "kiosk"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.name, device.is_active) == ("الصالة الكبرى", False)  # "active" left unticked
    assert (device.token_digest, device.center, device.kind) == (
        hashlib.sha256(token.encode()).hexdigest(),
        org.bnh,
        "screen",
    )
    assert Client().post(PAIR, {"token": token}).status_code == 400  # no longer pairs

    assert admin_client.get(reverse("admin:hall_halldevice_delete", args=[device.pk])).status_code == 403
    listing = admin_client.get(reverse("admin:hall_halldevice_changelist"))
    assert listing.context["action_form"] is None  # no bulk action, "delete selected" least of all
    assert HallDevice.objects.filter(pk=device.pk).exists()


def test_queues_are_made_with_their_services_and_one_letter_per_center(admin_client, org):
    permits, shops = ServiceFactory(code="BLD-NEW"), ServiceFactory(code="SHOP-NEW")
    add = reverse("admin:hall_hallqueue_add")
    form = admin_client.get(add).context["adminform"].form
    assert isinstance(form.fields["services"].widget.widget, FilteredSelectMultiple)
    data = {"center": org.bnh.pk, "letter": "B", "name_ar": "التراخيص", "position": 1, "is_active": "on"}
    assert admin_client.post(add, {**data, "services": [permits.pk, shops.pk]}).status_code == 302
    made = HallQueue.objects.get()
    assert set(made.services.all()) == {permits, shops}
    again = admin_client.post(add, {**data, "name_ar": "الرخص"})
    assert again.status_code == 200 and again.context["adminform"].form.errors
    lower = admin_client.post(add, {**data, "letter": "c"})
    assert "letter" in lower.context["adminform"].form.errors
    assert HallQueue.objects.count() == 1


def test_a_window_calls_only_from_its_own_centers_queues(admin_client, org):
    mine, theirs = queue(org.bnh, "B", "التراخيص"), queue(org.hlp, "B", "التراخيص")
    add = reverse("admin:hall_hallwindow_add")
    form = admin_client.get(add).context["adminform"].form
    assert isinstance(form.fields["queues"].widget.widget, FilteredSelectMultiple)
    data = {"center": org.bnh.pk, "number": 1, "is_active": "on"}
    refused = admin_client.post(add, {**data, "queues": [mine.pk, theirs.pk]})
    assert "queues" in refused.context["adminform"].form.errors
    assert not HallWindow.objects.exists()
    assert admin_client.post(add, {**data, "queues": [mine.pk]}).status_code == 302
    window = HallWindow.objects.get()
    assert list(window.queues.all()) == [mine]
    change = admin_client.get(reverse("admin:hall_hallwindow_change", args=[window.pk]))
    assert list(change.context["adminform"].form.fields["queues"].queryset) == [mine]


def test_tickets_their_history_and_shifts_are_read_only(admin_client, org, hall, clerks):
    ticket = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk, mobile="01001234567", now=at(9))
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    change = reverse("admin:hall_ticket_change", args=[ticket.pk])
    page = admin_client.get(change)
    html = page.content.decode()
    assert page.status_code == 200 and "B-001" in html
    assert ticket.token not in html and "1001234567" not in html  # the QR's token, the citizen's mobile
    assert len(page.context["inline_admin_formsets"][0].formset.forms) == 2  # issued, called
    admin_client.post(change, {"code": "Z-999", "state": "done"})
    ticket.refresh_from_db()
    assert (ticket.code, ticket.state) == ("B-001", "called")
    for refused in (
        reverse("admin:hall_ticket_add"),
        reverse("admin:hall_ticket_delete", args=[ticket.pk]),
        reverse("admin:hall_windowshift_add"),
        reverse("admin:hall_windowshift_delete", args=[WindowShift.objects.first().pk]),
    ):
        assert admin_client.get(refused).status_code == 403, refused
    shifts = admin_client.get(reverse("admin:hall_windowshift_changelist"))
    assert shifts.status_code == 200 and len(shifts.context["cl"].result_list) == 4
    assert Ticket.objects.count() == 1 and WindowShift.objects.count() == 4
