"""The printed receipt: a QR code to the public status page and an Arabic PDF (reportlab)."""

import io
from pathlib import Path

import arabic_reshaper
import qrcode
import qrcode.image.svg
from bidi.algorithm import get_display
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from organisation.calendar import CAIRO
from requests_app.models import ServiceRequest

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


def _ar(text: str) -> str:
    """Shape Arabic letters and order the line visually; PDF viewers draw glyphs left to right."""
    return get_display(arabic_reshaper.reshape(str(text)))


def _ltr(text: str) -> str:
    """Keep a left-to-right run (URL, date, receipt number, amount) whole inside an Arabic line."""
    return f"\u202a{text}\u202c"


def _money(amount) -> str:
    return _ltr(formats.number_format(amount, 2, force_grouping=True))


class _Page:
    """Right-aligned lines from the top of an A5 page, as a receipt printer would lay them out."""

    def __init__(self, pdf: canvas.Canvas):
        self.pdf = pdf
        self.width, height = A5
        self.right = self.width - 12 * mm
        self.y = height - 15 * mm

    def line(self, text: str, *, size: int = 11, bold: bool = False, gap: float = 6.5) -> None:
        self.pdf.setFont("Amiri-Bold" if bold else "Amiri", size)
        self.pdf.drawRightString(self.right, self.y, _ar(text))
        self.y -= gap * mm

    def pair(self, label: str, value: str, *, bold: bool = False) -> None:
        self.line(f"{label}: {value}", bold=bold)


def receipt_pdf(request: ServiceRequest, status_url: str, track_url: str) -> bytes:
    """The receipt is a treasury record: always in Arabic, whatever the clerk's screen language."""
    with translation.override("ar"):
        return _receipt_pdf(request, status_url, track_url)


def _receipt_pdf(request: ServiceRequest, status_url: str, track_url: str) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.setTitle(f"{_('Receipt')} {request.receipt_number}")
    page = _Page(pdf)
    submitted = request.submitted_at.astimezone(CAIRO)
    page.line(request.center.name_ar, size=13, bold=True)
    page.line(_("Service request receipt"), size=12, bold=True, gap=9)
    page.pair(_("Receipt number"), _ltr(request.receipt_number), bold=True)
    page.pair(_("Date and time"), _ltr(f"{submitted:%Y-%m-%d %H:%M}"))
    page.pair(_("Applicant"), request.applicant_name_ar)
    if request.attorney:
        page.pair(_("Submitted by attorney"), request.attorney.name_ar)
    page.pair(_("Service"), request.terms["name_ar"])
    page.line(_("Documents received:"), bold=True)
    for document in request.documents.all():
        if document.received:
            page.line(f"• {document.name_ar}", size=10, gap=5.5)
    page.line(_("Fees paid:"), bold=True)
    for fee in request.fees.all():
        page.line(f"{fee.name_ar}: {_money(fee.amount)} {_('EGP')}", size=10, gap=5.5)
    page.pair(_("Total"), f"{_money(request.fees_total)} {_('EGP')}", bold=True)
    page.pair(_("Expected completion"), _ltr(f"{request.due_at.astimezone(CAIRO):%Y-%m-%d}"), bold=True)
    page.line(
        _("To follow your request, scan the code or open %(url)s") % {"url": _ltr(track_url)}, size=9, gap=5
    )
    page.line(_("and enter the receipt number and the last 4 digits of your national ID."), size=9)
    qr_size = 38 * mm
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(status_url))), 12 * mm, 12 * mm, qr_size, qr_size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
