"""The printed receipt: a QR code to the public status page and a PDF (reportlab) in Arabic or English."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.money import money
from core.pdf import ArabicPage, ltr, page_is_rtl, register_fonts
from core.qr import qr_png
from organisation.calendar import CAIRO
from requests_app.models import PaymentMethod, ServiceRequest


def _money(amount) -> str:
    return ltr(money(amount))


def receipt_pdf(request: ServiceRequest, status_url: str, track_url: str) -> bytes:
    """The receipt in the language of the screen it is printed from (Arabic unless it is English);
    names the catalog has in English follow, the citizen's own name stays as written."""
    register_fonts()
    rtl = page_is_rtl()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.setTitle(f"{_('Receipt')} {request.receipt_number}")
    page = ArabicPage(pdf, rtl=rtl, size=A5)
    submitted = request.submitted_at.astimezone(CAIRO)
    page.line(request.center.name, size=13, bold=True)
    page.line(_("Service request receipt"), size=12, bold=True, gap=9)
    page.pair(_("Receipt number"), ltr(request.receipt_number), bold=True)
    page.pair(_("Date and time"), ltr(f"{submitted:%Y-%m-%d %H:%M}"))
    if request.hall_ticket_id:
        page.pair(_("Hall ticket"), ltr(request.hall_ticket.code))
    page.pair(_("Applicant"), request.applicant_name_ar)
    if request.attorney:
        page.pair(_("Submitted by attorney"), request.attorney.name_ar)
    page.pair(_("Service"), request.service_name)
    page.line(_("Documents received:"), bold=True)
    for document in request.documents.all():
        if document.received:
            page.line(f"• {document.name}", size=10, gap=5.5)
    page.line(_("Fees paid:"), bold=True)
    for fee in request.fees.all():
        page.line(f"{fee.name}: {_money(fee.amount)} {_('EGP')}", size=10, gap=5.5)
    page.pair(_("Total"), f"{_money(request.fees_total)} {_('EGP')}", bold=True)
    if request.fees_total:
        page.pair(_("Paid by"), request.get_payment_method_display())
        if request.payment_reference:
            label = (
                _("E-payment reference")
                if request.payment_method == PaymentMethod.EPAYMENT
                else _("Treasury reference")
            )
            page.pair(label, ltr(request.payment_reference))
    page.pair(_("Expected completion"), ltr(f"{request.due_at.astimezone(CAIRO):%Y-%m-%d}"), bold=True)
    page.line(
        _("To follow your request, scan the code or open %(url)s") % {"url": ltr(track_url)}, size=9, gap=5
    )
    page.line(_("and enter the receipt number and the last 4 digits of your national ID."), size=9)
    qr_size = 38 * mm
    qr_x = 12 * mm if rtl else page.width - 12 * mm - qr_size
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(status_url))), qr_x, 12 * mm, qr_size, qr_size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
