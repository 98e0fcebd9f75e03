"""The printed receipt: a QR code to the public status page and a PDF (reportlab) in Arabic or English."""

import io
from pathlib import Path

import arabic_reshaper
import qrcode
import qrcode.image.svg
from bidi.algorithm import get_display
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from core.money import money
from organisation.calendar import CAIRO
from requests_app.models import PaymentMethod, ServiceRequest

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(buffer, format="PNG")
    return buffer.getvalue()


def _register_fonts() -> None:
    if "Amiri" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Amiri", FONT_DIR / "Amiri-Regular.ttf"))
        pdfmetrics.registerFont(TTFont("Amiri-Bold", FONT_DIR / "Amiri-Bold.ttf"))


def _visual(text: str, *, rtl: bool) -> str:
    """Shape Arabic letters and order the line visually (PDF viewers draw glyphs left to right), in
    the page's direction: an Arabic name inside an English line stays whole and reads right."""
    return get_display(arabic_reshaper.reshape(str(text)), base_dir="R" if rtl else "L")


def _ltr(text: str) -> str:
    """Keep a left-to-right run (URL, date, receipt number, amount) whole inside an Arabic line."""
    return f"\u202a{text}\u202c"


def _money(amount) -> str:
    return _ltr(money(amount))


class _Page:
    """Lines from the top of an A5 page, as a receipt printer would lay them out: from the right
    margin in Arabic, from the left in English."""

    def __init__(self, pdf: canvas.Canvas, *, rtl: bool):
        self.pdf = pdf
        self.rtl = rtl
        self.width, height = A5
        self.margin = 12 * mm
        self.y = height - 15 * mm

    def line(self, text: str, *, size: int = 11, bold: bool = False, gap: float = 6.5) -> None:
        self.pdf.setFont("Amiri-Bold" if bold else "Amiri", size)
        text = _visual(text, rtl=self.rtl)
        if self.rtl:
            self.pdf.drawRightString(self.width - self.margin, self.y, text)
        else:
            self.pdf.drawString(self.margin, self.y, text)
        self.y -= gap * mm

    def pair(self, label: str, value: str, *, bold: bool = False) -> None:
        self.line(f"{label}: {value}", bold=bold)


def receipt_pdf(request: ServiceRequest, status_url: str, track_url: str) -> bytes:
    """The receipt in the language of the screen it is printed from (Arabic unless it is English);
    names the catalog has in English follow, the citizen's own name stays as written."""
    _register_fonts()
    rtl = not (translation.get_language() or "ar").startswith("en")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.setTitle(f"{_('Receipt')} {request.receipt_number}")
    page = _Page(pdf, rtl=rtl)
    submitted = request.submitted_at.astimezone(CAIRO)
    page.line(request.center.name, size=13, bold=True)
    page.line(_("Service request receipt"), size=12, bold=True, gap=9)
    page.pair(_("Receipt number"), _ltr(request.receipt_number), bold=True)
    page.pair(_("Date and time"), _ltr(f"{submitted:%Y-%m-%d %H:%M}"))
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
            page.pair(label, _ltr(request.payment_reference))
    page.pair(_("Expected completion"), _ltr(f"{request.due_at.astimezone(CAIRO):%Y-%m-%d}"), bold=True)
    page.line(
        _("To follow your request, scan the code or open %(url)s") % {"url": _ltr(track_url)}, size=9, gap=5
    )
    page.line(_("and enter the receipt number and the last 4 digits of your national ID."), size=9)
    qr_size = 38 * mm
    qr_x = 12 * mm if rtl else page.width - 12 * mm - qr_size
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(status_url))), qr_x, 12 * mm, qr_size, qr_size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
