"""The hall's pages: devices bound by their token, the kiosk, the screen's stream, the citizen's pages
and the clerk's actions — each refusing what it must with a clear message and changing nothing."""

import json
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from hall.models import HallDevice, Ticket, TicketEvent, TicketState
from hall.services import ticket_call_next, ticket_issue
from hall.views_devices import cookie_name
from tests.accounts.factories import staff

pytestmark = pytest.mark.django_db


def paired(client, kind, token):
    client.cookies[cookie_name(kind)] = token
    return client


class TestDevices:
    def test_pairing_with_a_token_binds_the_device(self, client, hall):
        response = client.post(reverse("hall:device_pair"), {"token": hall.kiosk_token})
        assert response.status_code == 302 and response["Location"] == reverse("hall:kiosk")
        assert response.cookies[cookie_name("kiosk")].value == hall.kiosk_token
        assert response.cookies[cookie_name("kiosk")]["httponly"]
        page = client.get(reverse("hall:kiosk")).content.decode()
        assert "التراخيص" in page and "الشهادات" in page

    def test_a_wrong_token_is_refused_with_a_message(self, client, hall):
        response = client.post(reverse("hall:device_pair"), {"token": "guessed-token"})
        assert response.status_code == 400
        assert "هذا الرمز لا يخص" in response.content.decode()
        assert cookie_name("kiosk") not in response.cookies

    @pytest.mark.parametrize("url", ["hall:kiosk", "hall:screen", "hall:screen_stream"])
    def test_no_device_no_page(self, client, hall, url):
        response = client.get(reverse(url))
        assert response.status_code == 403
        assert "هذا الجهاز غير مربوط" in response.content.decode()

    def test_a_screen_token_does_not_open_the_kiosk_and_a_revoked_one_nothing(self, client, hall):
        assert paired(client, "kiosk", hall.screen_token).get(reverse("hall:kiosk")).status_code == 403
        HallDevice.objects.filter(pk=hall.screen.pk).update(is_active=False)
        assert paired(client, "screen", hall.screen_token).get(reverse("hall:screen")).status_code == 403


class TestKiosk:
    def test_a_ticket_printed_with_its_place_and_qr(self, client, hall):
        kiosk = paired(client, "kiosk", hall.kiosk_token)
        assert "رقم المحمول" in kiosk.get(reverse("hall:kiosk"), {"queue": hall.permits.pk}).content.decode()
        response = kiosk.post(reverse("hall:kiosk"), {"queue": hall.permits.pk, "mobile": "01012345678"})
        ticket = Ticket.objects.get()
        assert response["Location"] == reverse("hall:kiosk_ticket", args=[ticket.token])
        page = kiosk.get(response["Location"]).content.decode()
        assert "ب-001" in page and "B-001" in page and "<svg" in page
        assert "01012345678" not in page and ticket.mobile == "+201012345678"

    @pytest.mark.parametrize(
        "data",
        [{"queue": "", "mobile": ""}, {"queue": "x"}, {"mobile": "0101"}, {"queue": "999999"}],
    )
    def test_bad_input_prints_nothing(self, client, hall, data):
        data = {"queue": hall.permits.pk, **data}
        response = paired(client, "kiosk", hall.kiosk_token).post(reverse("hall:kiosk"), data)
        assert response.status_code == 400
        assert Ticket.objects.count() == 0

    def test_another_centers_queue_or_ticket_is_out_of_reach(self, client, hall, org):
        kiosk = paired(client, "kiosk", hall.kiosk_token)
        assert kiosk.post(reverse("hall:kiosk"), {"queue": hall.hlp_queue.pk}).status_code == 400
        theirs = ticket_issue(device=hall.hlp_kiosk, queue_id=hall.hlp_queue.pk)
        assert kiosk.get(reverse("hall:kiosk_ticket", args=[theirs.token])).status_code == 404


def stream_events(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(m) for m in re.findall(r"^data: (\{.*\})$", body, flags=re.M)]


class TestScreen:
    def test_the_stream_sends_the_state_with_the_spoken_call(self, client, hall, clerks, org, settings):
        settings.HALL_STREAM_SECONDS = 0.5
        settings.HALL_BELL_URL = ""
        ticket = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        ticket_call_next(clerk=clerks.one, center=org.bnh)
        screen = paired(client, "screen", hall.screen_token)
        page = screen.get(reverse("hall:screen")).content.decode()
        assert (
            'id="hall-state"' in page
            and "ب-001" in page.encode().decode("unicode_escape", "ignore")
            or "B-001" in page
        )
        response = screen.get(reverse("hall:screen_stream"))
        assert response["Content-Type"] == "text/event-stream" and response["Cache-Control"] == "no-store"
        [state] = stream_events(response)
        [call] = state["calls"]
        assert (call["code"], call["code_ar"], call["window"]) == (ticket.code, "ب-001", 1)
        assert call["announcement"]["text"] == "التذكرة رقم ب واحد، الشباك رقم واحد"
        assert {q["letter"] for q in state["queues"]} == {"A", "B", "C"}

    def test_another_centers_calls_never_reach_the_screen(self, client, hall, clerks, org, settings):
        settings.HALL_STREAM_SECONDS = 0.2
        settings.HALL_BELL_URL = ""
        ticket_issue(device=hall.hlp_kiosk, queue_id=hall.hlp_queue.pk)
        ticket_call_next(clerk=clerks.helwan, center=org.hlp)
        [state] = stream_events(
            paired(client, "screen", hall.screen_token).get(reverse("hall:screen_stream"))
        )
        assert state["calls"] == []


class TestCitizenPages:
    def test_the_ticket_page_follows_the_ticket(self, client, hall, clerks, org):
        ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        ticket = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        url = reverse("hall:ticket", args=[ticket.token])
        assert "1 تذكرة قبل تذكرتك" in client.get(url).content.decode()
        ticket_call_next(clerk=clerks.one, center=org.bnh)
        ticket_call_next(clerk=clerks.three, center=org.bnh)
        card = client.get(url, {"card": "1"}).content.decode()
        assert "حان دورك — الشباك رقم 3" in card and "<html" not in card

    def test_an_unknown_token_is_a_404(self, client, hall):
        assert client.get(reverse("hall:ticket", args=["nothing-here"])).status_code == 404

    def test_a_typed_number_finds_todays_ticket_or_says_there_is_none(self, client, hall, org):
        ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        url = reverse("hall:center", args=[org.bnh.code])
        assert "ب-001" in client.get(url, {"ticket": "b 1"}).content.decode()
        missing = client.get(url, {"ticket": "B-042"})
        assert missing.status_code == 404
        assert "لا توجد تذكرة B-042 اليوم" in missing.content.decode()
        assert client.get(url, {"ticket": "<script>"}).status_code == 404
        # Helwan's B-001 does not exist: Benha's is not shown under Helwan's name.
        assert client.get(reverse("hall:center", args=[org.hlp.code]), {"ticket": "B-001"}).status_code == 404


class TestWindowActions:
    def test_anonymous_wrong_role_and_wrong_center(self, client, hall, org):
        url = reverse("hall:call_next", args=[org.bnh.code])
        assert client.post(url)["Location"].startswith(reverse("accounts:login"))
        client.force_login(staff(Role.BACKOFFICE, department=org.bnh_eng))
        assert client.post(url).status_code == 403
        client.force_login(staff(Role.CLERK, center=org.hlp))
        assert client.post(url).status_code == 404

    def test_a_clerk_opens_a_window_and_calls(self, client, hall, org):
        clerk = staff(Role.CLERK, center=org.bnh)
        client.force_login(clerk)
        home = reverse("window:home", args=[org.bnh.code])
        assert "افتح شباكي" in client.get(home).content.decode()
        client.post(reverse("hall:window_open", args=[org.bnh.code]), {"window": 2})
        empty = client.post(reverse("hall:call_next", args=[org.bnh.code]), follow=True).content.decode()
        assert "لا يوجد أحد ينتظر في طوابير الشباك رقم 2" in empty
        ticket = ticket_issue(device=hall.kiosk, queue_id=hall.certificates.pk)
        page = client.post(reverse("hall:call_next", args=[org.bnh.code]), follow=True).content.decode()
        assert f'data-current-ticket="{ticket.code}"' in page
        client.post(reverse("hall:ticket_action", args=[org.bnh.code, ticket.pk, "serve"]))
        client.post(reverse("hall:ticket_action", args=[org.bnh.code, ticket.pk, "finish"]))
        assert Ticket.objects.get().state == TicketState.DONE
        assert (
            client.post(reverse("hall:ticket_action", args=[org.bnh.code, ticket.pk, "nope"])).status_code
            == 404
        )

    def test_another_windows_ticket_cannot_be_touched(self, client, hall, clerks, org):
        ticket = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
        ticket_call_next(clerk=clerks.one, center=org.bnh)
        client.force_login(clerks.three)
        client.post(reverse("hall:ticket_action", args=[org.bnh.code, ticket.pk, "serve"]))
        client.post(
            reverse("hall:ticket_transfer", args=[org.bnh.code, ticket.pk]), {"queue": hall.certificates.pk}
        )
        assert Ticket.objects.get().state == TicketState.CALLED
        assert TicketEvent.objects.filter(ticket=ticket).count() == 2
