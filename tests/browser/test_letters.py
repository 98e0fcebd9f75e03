"""The registry's handshake in a real browser: Benha's registry clerk sends a letter to Qalyub; Qalyub's
clerk accepts it from the inbox (it takes Qalyub's incoming number) and routes it to engineering; the
engineering department answers it through Qalyub's registry; Benha sees its letter received, with
Qalyub's number, and answered, the reply threaded onto it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from correspondence.models import Direction, Letter, LetterState
from tests.accounts.factories import staff
from tests.browser.test_workflow import sign_in
from tests.correspondence.factories import LetterCategoryFactory
from tests.organisation.factories import DepartmentFactory, LocalUnitFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBJECT = "بشأن توريد أعمدة إنارة لشارع الجمهورية"
REPLY = "ردًا على خطابكم بشأن أعمدة الإنارة"


def fill_letter(page, subject: str, to_office: str) -> None:
    page.locator("input[name=subject]").fill(subject)
    page.locator("select[name=category]").select_option(value="engineering")
    page.locator("input[name=party_kind][value=office]").check()
    page.locator("select[name=party_office]").select_option(value=to_office)
    page.locator("input[name=document_date]").fill("2026-12-01")


def test_send_accept_route_answer_and_the_thread(page, new_page, org, screenshot):
    LetterCategoryFactory(code="engineering", name_ar="هندسية")
    qly = LocalUnitFactory(governorate=org.qlb, code="QLY", name_ar="مركز ومدينة قليوب")
    qly_eng = DepartmentFactory(local_unit=qly, department_type=org.bnh_eng.department_type)
    bnh_clerk = staff(Role.REGISTRY_CLERK, local_unit=org.bnh.local_unit)
    qly_clerk = staff(Role.REGISTRY_CLERK, local_unit=qly)
    qly_engineer = staff(Role.BACKOFFICE, department=qly_eng)

    # --- Benha registers an outgoing letter to Qalyub: delivered at once.
    sign_in(page, bnh_clerk)
    page.goto(f"/letters/o/{org.bnh.local_unit.code}/out/new/")
    fill_letter(page, SUBJECT, "QLY")
    page.locator("input[name=reply_working_days]").fill("5")
    page.locator("form[data-once] button[type=submit]").click()
    expect(page.locator(".banners .banner--success")).to_be_visible()
    sent = Letter.objects.get(direction=Direction.OUTGOING)
    assert sent.state == LetterState.DELIVERED

    # --- Qalyub's clerk finds it in the inbox, accepts it and routes it to engineering.
    receiver = new_page()
    sign_in(receiver, qly_clerk)
    receiver.goto("/letters/o/QLY/inbox/")
    receiver.get_by_role("link", name="قبول أو إعادة").click()
    receiver.locator("form[action$='/accept/'] button").click()
    expect(receiver.locator(".banners .banner--success")).to_contain_text("QLY-IN-")
    received = Letter.objects.get(counterpart=sent)
    receiver.locator("select[name=department]").select_option(value=str(qly_eng.pk))
    receiver.locator("textarea[name=instructions]").fill("للدراسة والرد")
    receiver.locator("form[action$='/route/'] button").click()
    expect(receiver.locator(".banners .banner--success")).to_be_visible()

    # --- The engineer sees it among the department's letters.
    engineer = new_page()
    sign_in(engineer, qly_engineer)
    engineer.goto(f"/letters/d/{qly_eng.pk}/")
    expect(engineer.locator("table a", has_text=received.number)).to_have_count(1)

    # --- Qalyub's registry registers the department's answer as the reply.
    receiver.goto(f"/letters/l/{received.pk}/")
    receiver.get_by_role("link", name="قيد الرد").click()
    fill_letter(receiver, REPLY, org.bnh.local_unit.code)
    receiver.locator("form[data-once] button[type=submit]").click()
    expect(receiver.locator(".banners .banner--success")).to_contain_text("QLY-OUT-")
    received.refresh_from_db()
    assert received.state == LetterState.ANSWERED

    # --- Benha sees its letter received under Qalyub's number, answered, the reply waiting in its inbox.
    page.goto(f"/letters/l/{sent.pk}/")
    expect(page.locator("body")).to_contain_text(received.number)
    expect(page.locator(".stage")).to_contain_text("تم الرد")
    page.goto(f"/letters/o/{org.bnh.local_unit.code}/inbox/")
    expect(page.locator("tbody tr").first).to_contain_text("QLY-OUT-")
    screenshot(page, "letters-inbox-with-the-reply")
