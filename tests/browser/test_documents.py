"""A building permit from approval to a phone's verdict, in a real browser: the last department approves
with the permit's subject, the window prints the permit, its QR (decoded by zbar from the PDF) opens the
verification page on a phone — "genuine and valid" — and after the center manager revokes it, the same
QR says "revoked"."""

import subprocess

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from documents.models import IssuedDocument
from tests.accounts.factories import staff
from tests.browser.test_workflow import decide, sign_in, take_next
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_approve_print_scan_verify_and_revoke(new_page, live_server, org, settings, tmp_path, screenshot):
    settings.PUBLIC_BASE_URL = live_server.url
    permit = ServiceFactory(
        code="BLD-NEW",
        name_ar="ترخيص بناء جديد",
        output_name_ar="ترخيص بناء",
        output_name_en="Building permit",
        output_kind="PRM",
        output_valid_years=3,
        terms__route=["ENG"],
    )
    clerk = staff(Role.CLERK, center=org.bnh)
    request = submit(permit, org.bnh, clerk, national_id="28506121401234")
    receipt = request.receipt_number

    engineer = new_page()
    sign_in(engineer, staff(Role.BACKOFFICE, department=org.bnh_eng))
    take_next(engineer, org.bnh_eng, receipt)
    decide(engineer, receipt, "approve", subject="قطعة الأرض رقم 14 — شارع سعد زغلول، بنها")
    number = IssuedDocument.objects.get().number
    expect(engineer.locator(".banners .banner--success")).to_contain_text(number)

    window = new_page()
    sign_in(window, clerk)
    window.goto(f"/window/{org.bnh.code}/r/{receipt}/")
    window.get_by_role("link", name=number).click()
    expect(window.locator("h1")).to_contain_text("ترخيص بناء")
    with window.expect_download() as download:
        window.get_by_role("button", name="طباعة المستند (PDF)").click()
    pdf = tmp_path / "permit.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "permit")], check=True)
    [image] = sorted(tmp_path.glob("permit*.png"))
    scanned = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert scanned.startswith(f"{live_server.url.upper()}/V/")

    phone = new_page(locale="ar-EG", viewport={"width": 390, "height": 844})
    phone.goto(scanned)
    expect(phone.locator(".verdict")).to_contain_text("مستند صحيح وساري")
    expect(phone.locator(".summary-list")).to_contain_text(number)
    expect(phone.locator(".summary-list")).to_contain_text("قطعة الأرض رقم 14")
    screenshot(phone, "verify-valid-phone")

    manager = new_page()
    sign_in(manager, staff(Role.CENTER_MANAGER, center=org.bnh))
    manager.goto(f"/documents/{number}/")
    manager.get_by_label("السبب").select_option("issued_in_error")
    manager.get_by_label("سند الإلغاء").fill("قرار رئيس الوحدة رقم 7 لسنة 2026")
    manager.get_by_role("button", name="إلغاء المستند").click()
    expect(manager.locator(".banners .banner--success")).to_contain_text("أُلغي المستند")

    phone.goto(scanned)
    expect(phone.locator(".verdict")).to_contain_text("مستند ملغى")
    expect(phone.locator(".verdict")).to_contain_text("صدر عن طريق الخطأ")
    screenshot(phone, "verify-revoked-phone")
