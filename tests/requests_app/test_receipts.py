"""The receipt (issue 12): how the fees were paid and the treasury reference on the page and the PDF,
the payment in the history, a PDF in the screen's language, and flash messages left off the print."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from requests_app.models import RequestEvent, SystemNote
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.requests_app.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(service, org, clerk):
    """Fees of 500.50 EGP paid in cash, with the treasury's receipt number."""
    return submit(service, org.bnh, clerk, payment_method="cash", payment_reference="TR-778812")


def receipt_url(request) -> str:
    return reverse("window:receipt", args=["BNH", request.receipt_number])


def pdf_url(request) -> str:
    return reverse("window:receipt_pdf", args=["BNH", request.receipt_number])


def test_the_receipt_page_shows_how_the_fees_were_paid_and_the_treasury_reference(client, clerk, paid):
    client.force_login(clerk)
    html = client.get(receipt_url(paid)).content.decode()
    assert "نقدًا بخزينة المركز" in html
    assert "رقم إيصال الخزينة" in html and "TR-778812" in html
    print_page = reverse("window:receipt_print", args=["BNH", paid.receipt_number])
    assert "TR-778812" in client.get(print_page).content.decode()


def test_the_receipt_pdf_shows_how_the_fees_were_paid_and_the_treasury_reference(
    client, clerk, paid, tmp_path
):
    client.force_login(clerk)
    text = pdf_text(client.get(pdf_url(paid)).content, tmp_path)
    assert "TR-778812" in text
    assert "رقم إيصال الخزينة" in text
    assert "طريقة السداد" in text and "بخزينة المركز" in text  # the PDF's text drops the tanween


def test_an_e_payment_shows_its_reference_as_such(client, service, org, clerk, tmp_path):
    epaid = submit(service, org.bnh, clerk, payment_method="epayment", payment_reference="EP-2026-55")
    client.force_login(clerk)
    html = client.get(receipt_url(epaid)).content.decode()
    assert "دفع إلكتروني" in html and "EP-2026-55" in html


def test_the_history_records_the_payment(client, org, clerk, paid):
    submitted = paid.events.get(action=RequestEvent.Action.SUBMITTED)
    assert submitted.system_note == SystemNote.FEES_PAID
    assert submitted.system_note_values == {"total": "500.50", "method": "cash", "reference": "TR-778812"}
    assert submitted.system_note_text == "سُدِّدت رسوم قدرها 500.50 جنيه: نقدًا بخزينة المركز. المرجع: TR-778812."
    with translation.override("en"):
        assert submitted.system_note_text == (
            "Fees of 500.50 EGP paid: Cash at the center's treasury. Reference: TR-778812."
        )
    # The back office reads it in the request's history.
    client.force_login(staff(Role.BACKOFFICE, department=org.bnh_eng))
    html = client.get(reverse("office:request", args=[paid.receipt_number])).content.decode()
    assert "سُدِّدت رسوم قدرها" in html and "TR-778812" in html


def test_a_free_service_records_no_payment(org, clerk):
    from tests.services.factories import ServiceFactory

    free = ServiceFactory(code="FREE-CERT")
    free.fee_items.all().delete()
    request = submit(free, org.bnh, clerk, payment_method="")
    assert request.events.get(action=RequestEvent.Action.SUBMITTED).system_note == ""


def test_the_receipt_pdf_follows_the_screen_language(client, clerk, paid, tmp_path, settings):
    client.force_login(clerk)
    arabic = pdf_text(client.get(pdf_url(paid)).content, tmp_path)
    assert "رقم الإيصال" in arabic and "ترخيص إشغال طريق" in arabic
    assert "Receipt number" not in arabic

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = pdf_text(client.get(pdf_url(paid)).content, tmp_path)
    for label in ("Service request receipt", "Receipt number", "Expected completion", "Treasury reference"):
        assert label in english
    assert "Road occupancy" in english  # the service's English name
    assert "Cash at the center's treasury" in english
    assert "رقم الإيصال" not in english and "ترخيص إشغال طريق" not in english
    assert "محمد أحمد علي" in english  # the citizen's own name stays as written


def _print_hidden_classes(css: str) -> set[str]:
    """The classes a print rule of ``css`` hides (``display: none`` under ``@media print``)."""
    hidden = set()
    for block in re.finditer(r"@media print\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", css):
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block.group(1)):
            if re.search(r"display\s*:\s*none", body):
                simple = (s.strip() for s in selectors.split(","))
                hidden |= {s[1:] for s in simple if re.fullmatch(r"\.[\w-]+", s)}
    return hidden


class _Enclosing(HTMLParser):
    """The classes of every element that encloses the first text containing ``needle``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, needle: str):
        super().__init__()
        self.needle, self.stack, self.classes = needle, [], None

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, (dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.classes is None and self.needle in data:
            self.classes = {c for _tag, classes in self.stack for c in classes}


def test_a_flash_message_is_not_printed_with_the_receipt(client, clerk, paid):
    """The receipt page right after an action shows its success message; printing leaves it off."""
    client.force_login(clerk)
    cancel = reverse("window:cancel", args=["BNH", paid.receipt_number])
    page = client.post(cancel, {"version": paid.version, "reason": "عدل المواطن"}, follow=True)
    parser = _Enclosing("تم إلغاء الطلب")
    parser.feed(page.content.decode())
    assert parser.classes is not None, "the success message is on the page"
    css = (Path(django_settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    assert parser.classes & _print_hidden_classes(css), parser.classes
