"""The clerk's whole front-window flow in a real browser, keyboard first: sign in, pick the citizen and
the service, take the request (refused while a required document is missing), print the receipt as a
PDF whose QR code opens the public status page; the same form sent three times takes one request."""

import re
import subprocess
import unicodedata
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from organisation.calendar import CAIRO
from requests_app.models import ServiceRequest
from services.models import ServiceDocument
from tests.accounts.factories import PASSWORD, staff
from tests.services.factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROAD_AR = "ترخيص إشغال طريق"
NATIONAL_ID = "29001011401234"  # 2 = 1900s, 1990-01-01, 14 = Qalyubia
MOBILE = "01012345678"
APPLICANT = "أحمد محمد علي حسن"
BIDI_CONTROLS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def plain_text(text: str) -> str:
    """What a reader sees: presentation forms folded back to letters, bidi controls dropped."""
    return unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)


def named(document_type) -> re.Pattern:
    """The document's name, not a prefix of another one ("مستند 1" must not match "مستند 12")."""
    return re.compile(rf"{re.escape(document_type.name_ar)}(?!\d)")


def png(path):
    Image.new("RGB", (40, 30), "white").save(path, format="PNG")
    return path


@pytest.fixture
def road(org):
    roads = CategoryFactory(code="ROADS", name_ar="الطرق والإشغالات", name_en="Roads and occupancy")
    ServiceFactory(code="BLD-PRM", name_ar="ترخيص بناء", name_en="Building permit", category=roads)
    return ServiceFactory(code="OCC-ROAD", name_ar=ROAD_AR, name_en="Road occupancy permit", category=roads)


def test_clerk_takes_a_request_and_prints_a_receipt_with_a_working_qr(
    page, browser, live_server, org, road, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # uploaded scans stay out of var/media
    clerk = staff(Role.CLERK, center=org.bnh)
    documents = list(ServiceDocument.objects.filter(service=road).order_by("position"))
    required = [d.document_type for d in documents if d.is_required]
    optional = [d.document_type for d in documents if not d.is_required]
    assert len(required) == 2 and len(optional) == 1
    center = org.bnh.code

    # Sign in with the keyboard and open the front window from the staff home.
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(clerk.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/staff/")
    page.locator(f'.card a[href="/window/{center}/"]').click()
    expect(page).to_have_url(f"{live_server.url}/window/{center}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(org.bnh.name_ar)

    # The national ID box has the focus; Tab moves on to the service box.
    national_id = page.locator("input[name=national_id]")
    service_box = page.locator("input[name=service]")
    expect(national_id).to_be_focused()
    page.keyboard.type(NATIONAL_ID)
    page.keyboard.press("Tab")
    expect(service_box).to_be_focused()

    # Search as you type: without the hamza, only the road service is offered, in an accessible
    # combobox operated with the arrow keys.
    listbox = page.get_by_role("listbox")
    expect(service_box).to_have_attribute("role", "combobox")
    expect(service_box).to_have_attribute("aria-expanded", "false")
    with page.expect_response(
        lambda r: "/services.json" in r.url and parse_qs(urlparse(r.url).query).get("q") == ["اشغال"]
    ) as answer:
        page.keyboard.type("اشغال")
    assert answer.value.ok
    assert [s["code"] for s in answer.value.json()["services"]] == ["OCC-ROAD"]
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(service_box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-combobox-status]")).to_have_text("خدمة واحدة مطابقة")

    # Arrow down highlights the option, Enter picks it, a second Enter goes on to the intake form.
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(service_box).to_have_attribute("aria-activedescendant", "service-listbox-0")
    page.keyboard.press("Enter")
    expect(service_box).to_have_value(f"OCC-ROAD — {ROAD_AR}")
    expect(listbox).to_be_hidden()
    service_box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/window/{center}/new/OCC-ROAD/?national_id={NATIONAL_ID}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROAD_AR)

    # The applicant's details, typed field after field.
    expect(page.locator("input[name=applicant_national_id]")).to_have_value(NATIONAL_ID)
    page.locator("input[name=applicant_name_ar]").fill(APPLICANT)
    page.locator("input[name=applicant_mobile]").fill(MOBILE)
    page.locator("input[name=applicant_address]").fill("شارع فريد ندا، بنها")
    # Ticking documents one by one and attaching scans are one step aside, not in the way.
    expect(page.locator(f"input[name=doc_{required[0].code}]")).to_be_hidden()
    page.get_by_text("حدّد المستندات واحدًا واحدًا، أو أرفق صورها الممسوحة").click()
    for document in documents:
        expect(page.locator(f"input[type=checkbox][name=doc_{document.document_type.code}]")).to_be_visible()
        expect(page.locator(f"input[type=file][name=scan_{document.document_type.code}]")).to_be_attached()
    expect(page.locator("select[name=payment_method]")).to_have_value("cash")
    screenshot(page, "window-intake")

    # Only the first required document received: refused, nothing is stored, the missing one is named.
    page.locator(f"input[name=doc_{required[0].code}]").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"input[name=doc_{required[0].code}]")).to_be_checked()
    page.locator("input[name=payment_reference]").press("Enter")
    errors = page.locator("#documents .field-error")
    expect(errors.first).to_be_visible()
    expect(errors.filter(has_text=named(required[1]))).to_have_count(1)
    expect(errors.filter(has_text=named(required[0]))).to_have_count(0)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=named(required[1]))).to_have_attribute("href", "#documents")
    assert ServiceRequest.objects.count() == 0
    # What was typed survives the refusal.
    expect(page.locator("input[name=applicant_name_ar]")).to_have_value(APPLICANT)
    expect(page.locator(f"input[name=doc_{required[0].code}]")).to_be_checked()
    screenshot(page, "window-intake-missing-document")

    # Every required document received, the first one scanned, paid in cash.
    for document_type in required:
        page.locator(f"input[name=doc_{document_type.code}]").check()
    page.locator(f"input[name=scan_{required[0].code}]").set_input_files(png(tmp_path / "id-card.png"))
    page.locator("select[name=payment_method]").select_option("cash")
    # The form goes twice at once (a double click, or a resubmission): the intake key makes it one.
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[enctype='multipart/form-data']");
            const send = () =>
                fetch(location.href, {method: "POST", body: new FormData(form), redirect: "manual"});
            return (await Promise.all([send(), send()])).map((response) => response.type);
        }"""
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    assert ServiceRequest.objects.count() == 1
    # And once more by its button: still that one request, whose receipt opens.
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()

    year = timezone.now().astimezone(CAIRO).year
    receipt = f"{center}-{year}-000001"
    expect(page).to_have_url(f"{live_server.url}/window/{center}/r/{receipt}/")
    expect(page.locator(".receipt-number")).to_have_text(receipt)
    assert ServiceRequest.objects.count() == 1
    taken = ServiceRequest.objects.get()
    assert taken.receipt_number == receipt
    scanned = taken.documents.get(code=required[0].code)
    assert scanned.received and scanned.scan_content_type == "image/png"
    assert (tmp_path / "media" / scanned.scan.name).is_file()
    assert taken.documents.get(code=required[1].code).received
    screenshot(page, "window-receipt")

    # The receipt as a PDF, downloaded with the clerk's session.
    pdf_button = page.locator(f'form[action="/window/{center}/r/{receipt}/pdf/"] button')
    expect(pdf_button).to_have_count(1)
    response = page.request.get(f"{live_server.url}/window/{center}/r/{receipt}/pdf/")
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / f"{receipt}.pdf"
    pdf.write_bytes(response.body())

    text = plain_text(
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    )
    assert receipt in text, text
    assert ROAD_AR in text, text

    # Its QR code leads to the public status page of this request on the live server.
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "receipt")], check=True)
    [image] = sorted(tmp_path.glob("receipt*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], check=True, capture_output=True, text=True
    ).stdout.strip()
    taken.refresh_from_db()
    assert decoded == f"{live_server.url}/t/{taken.tracking_token}/"

    # Anyone can open it, signed in or not: a new context has none of the clerk's cookies.
    citizen = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844})
    try:
        status = citizen.new_page()
        status.goto(decoded)
        expect(status.locator("html")).to_have_attribute("dir", "rtl")
        expect(status.locator("main")).to_contain_text(receipt)
        expect(status.locator("main")).to_contain_text(ROAD_AR)
        assert settings.SESSION_COOKIE_NAME not in {c["name"] for c in citizen.cookies()}
        html = status.content()
        for private in (NATIONAL_ID, MOBILE, MOBILE[1:]):  # 01012345678, +201012345678
            assert private not in html, f"the public status page shows {private}"
        screenshot(status, "track-status")
    finally:
        citizen.close()


CONTROL_KEYS = {"Tab", "Shift+Tab", "Enter", "Space", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight"}


def test_a_building_permit_taken_with_the_keyboard_in_at_most_twelve_control_keys(
    page, live_server, org, screenshot
):
    """From the window page to the receipt, with the required fields only: the characters typed are
    free, every other key counts. Eight required documents, fees, a renewal service whose name holds
    every word of the new permit's."""
    from tests.services.factories import DocumentTypeFactory

    permit = ServiceFactory(code="BLD-NEW", name_ar="ترخيص بناء جديد", name_en="New building permit")
    ServiceFactory(code="BLD-RENEW", name_ar="تجديد ترخيص بناء", name_en="Building permit renewal")
    for position in range(4, 10):
        ServiceDocument.objects.create(
            service=permit, document_type=DocumentTypeFactory(), is_required=True, position=position
        )
    assert permit.documents.filter(is_required=True).count() == 8
    clerk = staff(Role.CLERK, center=org.bnh)
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(clerk.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/staff/")

    pressed = []

    def press(key: str) -> None:
        assert key in CONTROL_KEYS
        pressed.append(key)
        page.keyboard.press(key)

    page.goto(f"/window/{org.bnh.code}/")
    expect(page.locator("input[name=national_id]")).to_be_focused()
    page.keyboard.type(NATIONAL_ID)
    press("Tab")
    page.keyboard.type("ترخيص بناء جديد")
    press("Enter")
    expect(page).to_have_url(re.compile(r"/new/BLD-NEW/"))

    expect(page.locator("input[name=applicant_name_ar]")).to_be_focused()  # the first empty field
    page.keyboard.type(APPLICANT)
    press("Tab")
    page.keyboard.type(MOBILE)
    press("Tab")  # the address, left empty
    press("Tab")  # "on an attorney's behalf", left unticked: the attorney's fields stay hidden
    expect(page.locator("#attorney-details")).to_be_hidden()
    press("Tab")
    expect(page.locator("input[name=all_required_documents]")).to_be_focused()
    press("Space")
    press("Tab")  # past the one-by-one list and the scans, folded away
    press("Tab")
    expect(page.locator("select[name=payment_method]")).to_be_focused()
    expect(page.locator("select[name=payment_method]")).to_have_value("cash")
    press("Tab")  # the treasury reference, optional
    press("Tab")
    expect(page.locator("form[data-once] button[type=submit]")).to_be_focused()
    press("Enter")

    expect(page).to_have_url(re.compile(rf"/window/{org.bnh.code}/r/{org.bnh.code}-\d{{4}}-000001/"))
    taken = ServiceRequest.objects.get()
    assert taken.service == permit
    assert taken.documents.filter(received=True).count() == 8
    assert taken.payment_method == "cash"
    screenshot(page, "keyboard-intake-receipt")
    # Printed, the receipt is the page: no success message, header or buttons on the paper.
    expect(page.locator(".banner--success")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".banner--success")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".receipt")).to_be_visible()
    print(f"control keys: {len(pressed)} ({', '.join(pressed)})")
    assert len(pressed) <= 12, pressed


def test_the_window_fields_stay_aligned_after_an_error(page, live_server, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(clerk.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/staff/")
    page.goto(f"/window/{org.bnh.code}/")
    page.keyboard.type("123")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_national_id-error")).to_be_visible()
    national_id = page.locator("input[name=national_id]").bounding_box()
    service = page.locator("input[name=service]").bounding_box()
    assert abs(national_id["y"] - service["y"]) < 1 and national_id["height"] == service["height"]


def test_fields_are_as_wide_as_what_they_hold(page, live_server, org):
    """A 14-digit national ID is not as wide as an address (the design system's width classes win over
    the base field style)."""
    from tests.browser.test_workflow import sign_in

    permit = ServiceFactory(code="BLD-NEW", name_ar="ترخيص بناء جديد")
    sign_in(page, staff(Role.CLERK, center=org.bnh))
    page.goto(f"/window/{org.bnh.code}/new/{permit.code}/")
    width = {
        name: page.locator(f"[name={name}]").bounding_box()["width"]
        for name in ("applicant_national_id", "applicant_name_ar", "applicant_mobile", "applicant_address")
    }
    assert width["applicant_national_id"] < width["applicant_address"] / 3, width
    assert width["applicant_mobile"] < width["applicant_name_ar"] < width["applicant_address"], width
