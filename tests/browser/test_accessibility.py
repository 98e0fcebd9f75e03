"""Every page of the app, in Arabic and in English, in each state a visitor can bring it to (empty,
with errors, with a message), passes axe-core's WCAG 2.2 AA rules with no violation at all."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from complaints.models import Channel
from complaints.services import complaint_file, complaint_resolve
from correspondence.services import Office, letter_register, letter_route
from deadlines.sweep import deadline_sweep
from documents.selectors import document_qr_text
from documents.services import document_issue, document_revoke
from reports.backlog import backlog_refresh
from requests_app.models import RequestStep, ServiceRequest
from requests_app.services import service_request_forward, service_request_request_info
from tests.accounts.factories import staff
from tests.complaints.factories import ComplaintCategoryFactory, complaint_input
from tests.correspondence.factories import LetterCategoryFactory, OutsideBodyFactory, letter_input
from tests.documents.conftest import permit_input
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Kept as screenshots (SCREENSHOTS_DIR) for people to look at, in both languages.
MAIN_SCREENS = {"catalog", "service", "window", "intake", "intake with errors", "receipt", "status", "queue"}
MAIN_SCREENS |= {"request file", "design system", "track", "verify", "verified", "document"}
MAIN_SCREENS |= {"complaint form", "complaint tracking", "complaint file", "complaints"}


@pytest.fixture
def people(org):
    admin = staff(Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return {
        "clerk": staff(Role.CLERK, center=org.bnh),
        "employee": staff(Role.BACKOFFICE, department=org.bnh_eng),
        "head": staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        "manager": staff(Role.CENTER_MANAGER, center=org.bnh),
        "official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        "national": staff(Role.NATIONAL_VIEWER),
        "admin": admin,
    }


@pytest.fixture
def permit(org):
    names = {"name_ar": "ترخيص بناء جديد", "name_en": "New building permit"}
    return ServiceFactory(code="BLD-NEW", terms__route=["ENG", "LEGAL"], **names)


def open_as(new_page, live_server, user, language):
    """A page in a fresh context, signed in as ``user`` (None: anonymous), in ``language``."""
    page = new_page()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    page.context.add_cookies(cookies)
    return page


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_page_in_every_state_has_no_axe_violation(
    new_page, live_server, axe, org, people, permit, language, screenshot
):
    request = submit(permit, org.bnh, people["clerk"])
    receipt, token, bnh = request.receipt_number, request.tracking_token, org.bnh.code
    # A second request waits for a document (the window's resubmission form, the citizen's action).
    waiting = submit(permit, org.bnh, people["clerk"], national_id="29001011401250")
    service_request_request_info(
        request_id=waiting.pk,
        actor=people["employee"],
        documents=[waiting.terms["documents"][0]["code"]],
        note="صورة حديثة",
    )
    # An issued permit, and one revoked: the verification pages and the register.
    document = document_issue(document=permit_input(org), actor=None)
    revoked = document_issue(document=permit_input(org), actor=None)
    document_revoke(document_id=revoked.pk, actor=people["manager"], reason="fraud", note="قرار 1")
    scanned = "/V/" + document_qr_text(document=document).rsplit("/V/", 1)[1]
    # A complaint taken at the window and answered: the tracking page offers reopening and rating.
    lighting = ComplaintCategoryFactory(
        code="street-lighting", name_ar="إنارة الشوارع", department_type=org.bnh_eng.department_type
    )
    complaint = complaint_file(
        data=complaint_input(lighting, org.bnh, address="شارع فريد ندا"),
        channel=Channel.WINDOW,
        clerk=people["clerk"],
    )
    complaint_resolve(complaint_id=complaint.pk, actor=people["head"], reply="تم تغيير المصباح")
    # A letter in Benha's incoming register, routed to engineering.
    registry = staff(Role.REGISTRY_CLERK, local_unit=org.bnh.local_unit)
    office = Office(org.qlb, org.bnh.local_unit)
    letter = letter_register(
        office=office,
        direction="in",
        data=letter_input(
            LetterCategoryFactory(code="engineering"), body=OutsideBodyFactory(), reply_working_days=5
        ),
        clerk=registry,
    )
    letter_route(letter_id=letter.pk, clerk=registry, department=org.bnh_eng, instructions="للدراسة")
    # A third request, forwarded by engineering and long past its deadlines at legal affairs: the
    # dashboards' step figures, their open and overdue figures, and the escalations waiting at each level
    # (the sweep as the beat runs it); then the open requests counted, as the beat counts them.
    late = submit(permit, org.bnh, people["clerk"], national_id="29001011401269")
    service_request_forward(request_id=late.pk, actor=people["employee"])
    past = timezone.now() - timedelta(days=10)
    RequestStep.objects.filter(request=late, position=2).update(due_at=past, risk_at=past - timedelta(days=1))
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_at=past, step_due_at=past, step_risk_at=past - timedelta(days=1)
    )
    deadline_sweep()
    backlog_refresh()
    unit = org.bnh.local_unit.code
    behind = "/reports/dashboard/requests/"
    found: dict[str, list[str]] = {}

    def check(page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[name] = axe(page)
        if name in MAIN_SCREENS:
            screenshot(page, f"{name.replace(' ', '-')}-{language}")

    def visit(page, name: str, path: str) -> None:
        page.goto(path)
        check(page, name)

    public = open_as(new_page, live_server, None, language)
    for name, path in [
        ("home", "/"),
        ("catalog", "/services/"),
        ("catalog search", "/services/?q=%D8%A8%D9%86%D8%A7%D8%A1"),
        ("service", f"/services/{permit.code}/"),
        ("track", "/track/"),
        ("status", f"/t/{token}/"),
        ("status, waiting for the citizen", f"/t/{waiting.tracking_token}/"),
        ("login", "/accounts/login/"),
        ("not found", "/no-such-page/"),
        ("verify", "/verify/"),
        ("verified", scanned),
        ("verified, revoked", "/V/" + document_qr_text(document=revoked).rsplit("/V/", 1)[1]),
        ("verified, not ours", "/V/ABCDEFGH"),
        ("complaint form", "/complaints/new/"),
        ("complaint tracking", f"/complaints/t/{complaint.tracking_token}/"),
    ]:
        visit(public, name, path)
    public.goto("/verify/")
    public.locator("form button[type=submit]").last.click()
    check(public, "verify with errors")
    public.goto("/track/")
    public.locator("form button[type=submit]").last.click()
    check(public, "track with errors")
    public.locator("input[name=receipt_number]").fill("BNH-2026-999999")
    public.locator("input[name=national_id_last4]").fill("0000")
    public.locator("form button[type=submit]").last.click()
    check(public, "track, not found")
    public.goto("/complaints/new/")
    public.locator("form button[type=submit]").last.click()
    check(public, "complaint form with errors")
    public.goto("/accounts/login/")
    public.locator("input[name=username]").fill("nobody")
    public.locator("input[name=password]").fill("wrong")
    public.locator("input[name=password]").press("Enter")
    check(public, "login with an error")

    clerk = open_as(new_page, live_server, people["clerk"], language)
    for name, path in [
        ("staff home", "/staff/"),
        ("window", f"/window/{bnh}/"),
        ("intake", f"/window/{bnh}/new/{permit.code}/?national_id=29001011401234"),
        ("receipt", f"/window/{bnh}/r/{receipt}/"),
        ("receipt, waiting for documents", f"/window/{bnh}/r/{waiting.receipt_number}/"),
        ("another center's window", f"/window/{org.hlp.code}/"),
        ("complaint at the window", f"/complaints/window/{bnh}/new/"),
        ("complaint receipt", f"/complaints/window/{bnh}/c/{complaint.number}/"),
        ("password change", "/accounts/password/"),
    ]:
        visit(clerk, name, path)
    clerk.goto(f"/window/{bnh}/")
    clerk.locator("input[name=national_id]").fill("123")
    clerk.locator("form[data-once] button[type=submit]").click()
    check(clerk, "window with errors")
    clerk.goto(f"/window/{bnh}/new/{permit.code}/")
    clerk.locator("form[data-once] button[type=submit]").click()
    check(clerk, "intake with errors")
    clerk.locator("input[name=applicant_national_id]").fill("29001011401234")
    clerk.locator("input[name=applicant_name_ar]").fill("محمد أحمد علي حسن")
    clerk.locator("input[name=applicant_mobile]").fill("01012345678")
    clerk.locator("input[name=all_required_documents]").check()
    clerk.locator("input[name=payment_reference]").fill("TR-55")
    clerk.locator("form[data-once] button[type=submit]").click()
    expect(clerk.locator(".banner--success")).to_be_visible()
    check(clerk, "receipt with a message")
    screenshot(clerk, f"receipt-{language}")

    registry_page = open_as(new_page, live_server, registry, language)
    for name, path in [
        ("letters", "/letters/"),
        ("incoming register", f"/letters/o/{unit}/in/"),
        ("register a letter", f"/letters/o/{unit}/out/new/"),
        ("letters inbox", f"/letters/o/{unit}/inbox/"),
        ("letter", f"/letters/l/{letter.pk}/"),
    ]:
        visit(registry_page, name, path)
    registry_page.goto(f"/letters/o/{unit}/out/new/")
    registry_page.locator("form[data-once] button[type=submit]").click()
    check(registry_page, "register a letter with errors")

    for role, pages in [
        ("employee", [("queue", f"/office/d/{org.bnh_eng.pk}/"), ("request file", f"/office/r/{receipt}/")]),
        (
            "head",
            [
                ("department dashboard", f"/reports/dashboard/department/{org.bnh_eng.pk}/"),
                ("escalations", "/office/escalations/"),
                ("forbidden", f"/window/{bnh}/"),
                ("complaints", "/complaints/staff/?state=all"),
                ("complaint file", f"/complaints/staff/c/{complaint.number}/"),
                ("complaints escalated", "/complaints/staff/escalations/"),
            ],
        ),
        (
            "official",
            [
                ("governorates", "/org/"),
                ("governorate", f"/org/g/{org.qlb.code}/"),
                ("center", f"/org/c/{bnh}/"),
                ("department", f"/org/d/{org.bnh_eng.pk}/"),
                ("governorate dashboard", f"/reports/dashboard/?governorate={org.qlb.code}"),
                *(
                    (f"requests behind a figure: {kind}", f"{behind}?governorate={org.qlb.code}&kind={kind}")
                    for kind in ("aged-0", "open-overdue", "awaiting-citizen")
                ),
            ],
        ),
        ("national", [("national dashboard", "/reports/dashboard/national/")]),
        ("admin", [("design system", "/design/")]),
        (
            "manager",
            [
                ("documents", "/documents/"),
                ("document", f"/documents/{document.number}/"),
                ("document, revoked", f"/documents/{revoked.number}/"),
                ("documents issued and revoked", "/reports/documents/"),
                ("center dashboard", f"/reports/dashboard/center/{bnh}/"),
                ("daily cash sheet", f"/reports/dashboard/center/{bnh}/cash/"),
            ],
        ),
    ]:
        page = open_as(new_page, live_server, people[role], language)
        for name, path in pages:
            visit(page, name, path)

    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, "\n".join(f"{name}: {line}" for name, lines in failing.items() for line in lines)
    assert len(found) == 62
