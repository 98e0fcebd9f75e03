"""The hall's pages — the kiosk's steps, the printed ticket, the wall screen, the citizen's pages, the
pairing page and the window's queue panel — in Arabic and in English pass axe-core's WCAG 2.2 AA
rules with no violation."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from hall.services import ticket_call_next, ticket_issue, window_shift_open
from hall.views_devices import cookie_name
from tests.accounts.factories import staff
from tests.browser.test_accessibility import open_as
from tests.hall.conftest import hall  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_hall_page_has_no_axe_violation(new_page, live_server, axe, org, hall, language, screenshot):  # noqa: F811
    clerk, other = staff(Role.CLERK, center=org.bnh), staff(Role.CLERK, center=org.bnh)
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    waiting = ticket_issue(device=hall.kiosk, queue_id=hall.certificates.pk)
    called = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk)
    window_shift_open(clerk=other, window_id=hall.w1.pk)
    ticket_call_next(clerk=other, center=org.bnh)
    found: dict[str, list[str]] = {}

    def check(page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[name] = axe(page)
        screenshot(page, f"hall-{name.replace(' ', '-')}-{language}")

    def visit(page, name: str, path: str) -> None:
        page.goto(path)
        check(page, name)

    def device(kind: str, token: str):
        page = open_as(new_page, live_server, None, language)
        page.context.add_cookies([{"name": cookie_name(kind), "value": token, "url": live_server.url}])
        return page

    kiosk = device("kiosk", hall.kiosk_token)
    visit(kiosk, "kiosk", "/hall/kiosk/")
    visit(kiosk, "kiosk mobile", f"/hall/kiosk/?queue={hall.permits.pk}")
    kiosk.locator("input[name=mobile]").fill("123")
    kiosk.locator("form button[type=submit]").click()
    check(kiosk, "kiosk mobile with an error")
    visit(kiosk, "kiosk ticket", f"/hall/kiosk/ticket/{waiting.token}/")
    screen = device("screen", hall.screen_token)
    visit(screen, "screen", "/hall/screen/")
    expect(screen.locator("[data-stream]")).to_have_attribute("data-connection", "open")

    public = open_as(new_page, live_server, None, language)
    for name, path in [
        ("ticket waiting", f"/hall/t/{waiting.token}/"),
        ("ticket called", f"/hall/t/{called.token}/"),
        ("center hall", f"/hall/c/{org.bnh.code}/"),
        ("center hall, no such ticket", f"/hall/c/{org.bnh.code}/?ticket=Z-999"),
        ("device pairing", "/hall/device/"),
        ("device not paired", "/hall/kiosk/"),
    ]:
        visit(public, name, path)
    public.goto("/hall/device/")
    public.locator("input[name=token]").fill("wrong")
    public.locator("form button[type=submit]").last.click()
    check(public, "device pairing with an error")

    window = open_as(new_page, live_server, clerk, language)
    visit(window, "window, hall closed", f"/window/{org.bnh.code}/")
    visit(
        open_as(new_page, live_server, other, language), "window, ticket called", f"/window/{org.bnh.code}/"
    )
    visit(open_as(new_page, live_server, manager, language), "hall report", "/reports/hall/")

    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, "\n".join(f"{name}: {line}" for name, lines in failing.items() for line in lines)
    assert len(found) == 15
