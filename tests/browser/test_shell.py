"""The site shell in a real browser: Arabic-first catalog and search, language switch, staff sign-in."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.accounts.factories import PASSWORD, staff
from tests.services.factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROAD_AR, ROAD_EN = "ترخيص إشغال طريق", "Road occupancy permit"
BUILD_AR, BUILD_EN = "ترخيص بناء", "Building permit"


@pytest.fixture
def services():
    roads = CategoryFactory(code="ROADS", name_ar="الطرق والإشغالات", name_en="Roads and occupancy")
    building = CategoryFactory(code="BUILD", name_ar="المباني", name_en="Buildings")
    return (
        ServiceFactory(code="RD-OCC", name_ar=ROAD_AR, name_en=ROAD_EN, category=roads),
        ServiceFactory(code="BLD-PRM", name_ar=BUILD_AR, name_en=BUILD_EN, category=building),
    )


def test_catalog_language_switch_and_clerk_sign_in(page, live_server, org, services, screenshot):
    road, building = services
    clerk = staff(Role.CLERK, center=org.bnh)
    html = page.locator("html")

    # Arabic by default, right to left, with the whole catalog grouped by category.
    page.goto("/services/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=2, name="الطرق والإشغالات")).to_be_visible()
    expect(page.get_by_role("link", name=ROAD_AR)).to_be_visible()
    expect(page.get_by_role("link", name=ROAD_AR)).to_have_attribute("href", f"/services/{road.code}/")
    expect(page.get_by_role("link", name=BUILD_AR)).to_be_visible()
    screenshot(page, "catalog-ar")

    # Searching without the hamza still finds "إشغال", and only that service.
    page.get_by_role("searchbox", name="ابحث عن خدمة").fill("اشغال")
    page.get_by_role("button", name="بحث", exact=True).click()
    expect(page).to_have_url(re.compile(r"/services/\?q="))
    expect(page.get_by_role("searchbox", name="ابحث عن خدمة")).to_have_value("اشغال")
    expect(page.get_by_role("link", name=ROAD_AR)).to_be_visible()
    expect(page.get_by_role("link", name=BUILD_AR)).to_have_count(0)
    screenshot(page, "catalog-ar-search")

    # Switch the whole catalog to English with the header button.
    page.goto("/services/")
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page).to_have_url(f"{live_server.url}/services/")
    expect(page.get_by_role("link", name=ROAD_EN)).to_be_visible()
    expect(page.get_by_role("link", name=BUILD_EN)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search services")).to_be_visible()
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="العربية")).to_be_visible()
    expect(page.get_by_text(ROAD_AR)).to_have_count(0)
    screenshot(page, "catalog-en")

    # A clerk signs in with the keyboard only and lands on the staff home.
    page.get_by_role("link", name="Staff sign in").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username", exact=True).fill(clerk.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password", exact=True).press("Enter")
    expect(page).to_have_url(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {clerk.full_name}")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Counter clerk"))
    expect(card).to_have_count(1)
    window_link = card.get_by_role("link", name=org.bnh.name_en)
    expect(window_link).to_have_attribute("href", f"/window/{org.bnh.code}/")

    # The language choice survives sign-in; switching back shows the Arabic role name.
    page.get_by_role("button", name="العربية").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"مرحبًا، {clerk.full_name}")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="موظف الشباك"))
    expect(card).to_have_count(1)

    # Following the card's link opens the front window of the clerk's own center.
    card.get_by_role("link", name=org.bnh.name_ar).click()
    expect(page).to_have_url(f"{live_server.url}/window/{org.bnh.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(org.bnh.name_ar)


# Not /accounts/login/: Django's AuthenticationForm autofocuses the username field, so the first
# Tab there moves from username to password, which is what a signing-in clerk wants.
@pytest.mark.parametrize("path", ["/", "/services/"])
def test_skip_link_is_the_first_focusable_element(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    skip = page.locator(":focus")
    expect(skip).to_have_text("انتقل إلى المحتوى الرئيسي")
    expect(skip).to_be_in_viewport()

    # Activating it moves focus to the main landmark, past the header and navigation.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
