"""One request's whole life in a real browser, one browser context per person: taken at the window,
studied by engineering, survey (which asks the citizen for a document, brought back at the window) and
legal affairs, approved, issued and handed over, while the citizen follows it on the public status page.
Separation of duties is checked on the way: the clerk who took the request cannot open it in the back
office, and a department whose step has not come yet sees the file but no decision."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from requests_app.models import RequestEvent, ServiceRequest
from tests.accounts.factories import PASSWORD, staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERVICE_AR = "شهادة صلاحية موقع للبناء"
ENG_AR, SURV_AR, LEGAL_AR = "الإدارة الهندسية", "إدارة المساحة", "الشئون القانونية"
ENG_NOTE = "المعاينة الميدانية سليمة ومطابقة للرسومات"  # internal: never shown to the citizen
WANTED = "صورة حديثة من عقد الملكية"
BROUGHT = "أحضر المواطن صورة حديثة من عقد الملكية"
DECISION_BUTTONS = "section.decide button[name=do]"


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url("/staff/")


def offered(page) -> list[str]:
    """The decisions the request file offers, in page order."""
    return page.locator(DECISION_BUTTONS).evaluate_all("buttons => buttons.map(b => b.value)")


def decide(page, receipt: str, action: str, note: str = "", documents=(), subject: str = "") -> None:
    """Tick the documents asked for, write the note (and, to approve, the document's subject) and press
    the action's button on the request file; it must succeed."""
    button = page.locator(f"{DECISION_BUTTONS}[value={action}]")
    expect(button).to_have_attribute("formaction", f"/office/r/{receipt}/act/{action}/")
    for code in documents:
        page.locator(f"section.decide input[name=documents][value='{code}']").check()
    page.locator("section.decide textarea[name=note]").fill(note)
    if subject:
        page.locator("section.decide input[name=subject]").fill(subject)
    with page.expect_navigation():
        button.click()
    expect(page).to_have_url(f"/office/r/{receipt}/")
    expect(page.locator(".banners .banner--error")).to_have_count(0)
    expect(page.locator(".banners .banner--success")).to_be_visible()


def take_next(page, department, receipt: str) -> None:
    """Open the department's queue, see the request in it and take it: the file opens."""
    page.goto(f"/office/d/{department.pk}/")
    expect(page.locator("table.queue tbody a", has_text=receipt)).to_have_count(1)
    page.locator(f"form[action='/office/d/{department.pk}/take-next/'] button[type=submit]").click()
    expect(page).to_have_url(f"/office/r/{receipt}/")
    expect(page.locator(".banners .banner--success")).to_contain_text(receipt)


def test_one_request_through_three_departments_with_a_documents_round(
    page, new_page, live_server, org, screenshot
):
    clerk = staff(Role.CLERK, center=org.bnh)
    engineer = staff(Role.BACKOFFICE, department=org.bnh_eng)
    surveyor = staff(Role.BACKOFFICE, department=org.bnh_surv)
    lawyer = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service = ServiceFactory(
        code="SITE-OK", name_ar=SERVICE_AR, terms__route=["ENG", "SURV", "LEGAL"], legal_deadline_days=12
    )
    req = submit(service, org.bnh, clerk)  # the intake screens are covered by test_intake.py
    asked = service.documents.order_by("position").first().document_type  # what survey will ask for
    receipt = req.receipt_number
    assert req.state == "in_review" and req.current_department_id == org.bnh_eng.pk

    # --- The citizen follows the request without signing in, on a phone, in Arabic.
    citizen = new_page(locale="ar-EG", viewport={"width": 390, "height": 844})
    stage, action, history = (
        citizen.locator(".stage"),
        citizen.locator(".action"),
        citizen.locator("ol.history li"),
    )

    def citizen_sees(*stage_texts: str, lines: int, last: str) -> None:
        citizen.goto(f"/t/{req.tracking_token}/")
        expect(citizen.locator("html")).to_have_attribute("dir", "rtl")
        for text in stage_texts:
            expect(stage).to_contain_text(text)
        expect(history).to_have_count(lines)
        expect(history.last).to_contain_text(last)
        assert ENG_NOTE not in citizen.content(), "an internal note reached the public page"

    citizen_sees(ENG_AR, "المرحلة 1 من 3", lines=2, last=f"أُرسل الطلب إلى {ENG_AR}")
    expect(action).to_have_count(0)

    # --- The clerk who took the request may not open it in the back office at all.
    clerk_page = new_page()
    sign_in(clerk_page, clerk)
    assert clerk_page.goto(f"/office/r/{receipt}/").status == 403
    assert clerk_page.goto(f"/office/d/{org.bnh_eng.pk}/").status == 403

    # --- Legal affairs is on the route, so it sees the file, but its step has not come: no decision,
    # and nothing to take from its queue.
    legal = new_page()
    sign_in(legal, lawyer)
    response = legal.goto(f"/office/r/{receipt}/")
    assert response.status == 200
    expect(legal.get_by_role("heading", level=1)).to_contain_text(receipt)
    expect(legal.locator("section.decide")).to_have_count(0)
    expect(legal.locator("button[name=do]")).to_have_count(0)
    legal.goto(f"/office/d/{org.bnh_legal.pk}/")
    expect(legal.locator("table.queue tbody a", has_text=receipt)).to_have_count(0)
    legal.locator(f"form[action='/office/d/{org.bnh_legal.pk}/take-next/'] button[type=submit]").click()
    expect(legal).to_have_url(f"/office/d/{org.bnh_legal.pk}/")
    expect(legal.locator(".banners .banner--info")).to_be_visible()

    # --- Engineering (step 1 of 3): takes it from the queue and forwards it with an internal note.
    eng = new_page()
    sign_in(eng, engineer)
    eng.goto(f"/office/d/{org.bnh_eng.pk}/")
    expect(eng.locator("html")).to_have_attribute("dir", "rtl")
    row = eng.locator("table.queue tbody tr", has_text=receipt)
    expect(row).to_contain_text(SERVICE_AR)
    expect(row).to_contain_text("1 / 3")
    screenshot(eng, "workflow-queue")
    take_next(eng, org.bnh_eng, receipt)
    assert offered(eng) == ["forward", "request_info", "reject"]  # no approve before the last step
    expect(eng.locator("ol.route-steps li[aria-current=step]")).to_contain_text(ENG_AR)
    eng.locator("section.decide textarea[name=note]").fill(ENG_NOTE)
    screenshot(eng, "workflow-request-file")
    decide(eng, receipt, "forward", ENG_NOTE)
    expect(eng.locator(DECISION_BUTTONS)).to_have_count(0)  # it has left engineering
    expect(eng.locator("table.history")).to_contain_text(ENG_NOTE)  # the back office reads it
    citizen_sees(SURV_AR, "المرحلة 2 من 3", lines=3, last=f"انتهت الدراسة في {ENG_AR}")

    # --- Survey (step 2 of 3): takes it and asks the citizen for a document.
    surv = new_page()
    sign_in(surv, surveyor)
    take_next(surv, org.bnh_surv, receipt)
    assert offered(surv) == ["forward", "return_to_previous", "request_info", "reject"]
    decide(surv, receipt, "request_info", WANTED, documents=[asked.code])
    expect(surv.locator(DECISION_BUTTONS)).to_have_count(0)  # waiting for the citizen
    citizen_sees("في انتظارك", lines=4, last=f"مطلوب مستندات: {asked.name_ar} — {WANTED}")
    expect(action).to_contain_text(WANTED)
    screenshot(citizen, "workflow-status-awaiting")

    # --- The window: the request waits for documents; the clerk records what the citizen brought.
    clerk_page.goto(f"/window/{org.bnh.code}/")
    awaiting = clerk_page.locator("section[aria-labelledby=awaiting-heading]")
    ready = clerk_page.locator("section[aria-labelledby=ready-heading]")
    expect(awaiting.get_by_role("link", name=receipt)).to_have_count(1)
    expect(ready.get_by_role("link", name=receipt)).to_have_count(0)
    awaiting.get_by_role("link", name=receipt).click()
    expect(clerk_page).to_have_url(f"/window/{org.bnh.code}/r/{receipt}/")
    resubmit = clerk_page.locator(f"form[action='/window/{org.bnh.code}/r/{receipt}/resubmit/']")
    expect(resubmit).to_contain_text(WANTED)  # what was asked for
    expect(clerk_page.locator("form[action$='/deliver/']")).to_have_count(0)
    boxes = resubmit.locator("input[type=checkbox][name=documents]")
    expect(boxes).to_have_count(1)  # exactly the document asked for
    expect(boxes).to_have_attribute("value", asked.code)
    boxes.first.check()
    ticked = [asked.code]
    resubmit.locator("textarea[name=note]").fill(BROUGHT)
    screenshot(clerk_page, "workflow-window-resubmit")
    resubmit.locator("button[type=submit]").click()
    expect(clerk_page).to_have_url(f"/window/{org.bnh.code}/r/{receipt}/")
    expect(clerk_page.locator(".banners .banner--error")).to_have_count(0)
    expect(clerk_page.locator(".banners .banner--success")).to_be_visible()
    expect(resubmit).to_have_count(0)
    req.refresh_from_db()
    assert (req.state, req.current_department_id) == ("in_review", org.bnh_surv.pk)
    assert all(req.documents.get(code=code).received for code in ticked)
    citizen_sees(SURV_AR, "المرحلة 2 من 3", lines=5, last="استُلمت المستندات واستؤنفت الدراسة")
    expect(action).to_have_count(0)

    # --- Survey again: the request came back still assigned to the surveyor, who opens it from the
    # queue and forwards it.
    surv.goto(f"/office/d/{org.bnh_surv.pk}/")
    surv.locator("table.queue tbody a", has_text=receipt).click()
    expect(surv).to_have_url(f"/office/r/{receipt}/")
    decide(surv, receipt, "forward", "الرفع المساحي مطابق")
    citizen_sees(LEGAL_AR, "المرحلة 3 من 3", lines=6, last=f"انتهت الدراسة في {SURV_AR}")

    # --- Legal affairs (the last step): approve, never forward; then issue the output.
    take_next(legal, org.bnh_legal, receipt)
    assert offered(legal) == ["return_to_previous", "request_info", "approve", "reject"]
    expect(legal.locator(f"{DECISION_BUTTONS}[value=forward]")).to_have_count(0)
    expect(legal.locator("ol.route-steps li[aria-current=step]")).to_contain_text(LEGAL_AR)
    screenshot(legal, "workflow-request-file-last-step")
    decide(legal, receipt, "approve", "مستوفٍ للشروط القانونية", subject="قطعة الأرض رقم 9 — شارع الجيش")
    citizen_sees("تم اعتماد", lines=7, last="معتمد")
    assert offered(legal) == ["issue"]
    decide(legal, receipt, "issue")
    expect(legal.locator(DECISION_BUTTONS)).to_have_count(0)
    citizen_sees("جاهز", lines=8, last="جاهز للتسليم بالشباك")
    expect(action).to_be_visible()  # what to bring to collect it

    # --- The window: ready for delivery; handed to the applicant in person.
    clerk_page.goto(f"/window/{org.bnh.code}/")
    expect(awaiting.get_by_role("link", name=receipt)).to_have_count(0)
    expect(ready.get_by_role("link", name=receipt)).to_have_count(1)
    ready.get_by_role("link", name=receipt).click()
    expect(clerk_page).to_have_url(f"/window/{org.bnh.code}/r/{receipt}/")
    deliver = clerk_page.locator(f"form[action='/window/{org.bnh.code}/r/{receipt}/deliver/']")
    expect(deliver.locator("input[name=to_attorney]")).not_to_be_checked()
    deliver.locator("button[type=submit]").click()
    expect(clerk_page).to_have_url(f"/window/{org.bnh.code}/r/{receipt}/")
    expect(clerk_page.locator(".banners .banner--error")).to_have_count(0)
    expect(clerk_page.locator(".banners .banner--success")).to_be_visible()
    expect(deliver).to_have_count(0)
    clerk_page.goto(f"/window/{org.bnh.code}/")
    expect(ready.get_by_role("link", name=receipt)).to_have_count(0)

    # --- The citizen's final page: delivered, one history line per stage, in order.
    citizen_sees("تم التسليم", lines=9, last="تم التسليم")
    expect(citizen.locator("dl.summary-list")).not_to_contain_text("موعد الإنجاز المتوقع")  # finished
    expected_history = [
        "تم استلام الطلب بالشباك",
        f"أُرسل الطلب إلى {ENG_AR}",
        f"انتهت الدراسة في {ENG_AR}",
        f"مطلوب مستندات: {asked.name_ar} — {WANTED}",
        "استُلمت المستندات واستؤنفت الدراسة",
        f"انتهت الدراسة في {SURV_AR}",
        "معتمد",
        "جاهز للتسليم بالشباك",
        "تم التسليم",
    ]
    for line, text in zip(history.all(), expected_history, strict=True):
        expect(line).to_contain_text(text)
    screenshot(citizen, "workflow-status-delivered")

    # --- The database: delivered, and each transition wrote exactly one history entry.
    req.refresh_from_db()
    assert req.state == "delivered"
    assert req.current_department_id is None and req.assignee_id is None
    assert list(req.steps.order_by("position").values_list("department_id", "status")) == [
        (org.bnh_eng.pk, "done"),
        (org.bnh_surv.pk, "done"),
        (org.bnh_legal.pk, "done"),
    ]
    events = list(req.events.exclude(action__startswith="receipt_").order_by("at", "pk"))
    assert [(e.action, e.actor_id) for e in events] == [
        ("submitted", clerk.pk),
        ("route", None),
        ("assign", engineer.pk),
        ("forward", engineer.pk),
        ("assign", surveyor.pk),
        ("request_info", surveyor.pk),
        ("resubmit", clerk.pk),
        ("forward", surveyor.pk),
        ("assign", lawyer.pk),
        ("approve", lawyer.pk),
        ("issue", lawyer.pk),
        ("deliver", clerk.pk),
    ]
    counts = {
        action: req.events.filter(action=action).count()
        for action in ("route", "forward", "request_info", "resubmit", "approve", "issue", "deliver")
    }
    assert counts == {
        "route": 1,
        "forward": 2,  # ENG → SURV and SURV → LEGAL
        "request_info": 1,
        "resubmit": 1,
        "approve": 1,
        "issue": 1,
        "deliver": 1,
    }
    by_action = {e.action: e for e in events}
    assert by_action["request_info"].public_note == WANTED
    assert by_action["resubmit"].note == BROUGHT
    assert [e.note for e in events if e.action == "forward"] == [ENG_NOTE, "الرفع المساحي مطابق"]
    assert [(e.from_state, e.to_state) for e in events if e.action != "assign"] == [
        ("", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "in_review"),
        ("in_review", "awaiting_citizen"),
        ("awaiting_citizen", "in_review"),
        ("in_review", "in_review"),
        ("in_review", "approved"),
        ("approved", "ready"),
        ("ready", "delivered"),
    ]
    assert ServiceRequest.objects.count() == 1
    assert RequestEvent.objects.exclude(request=req).count() == 0
