"""The issued document on A4 paper, in Arabic (the official language of the document, whatever the
screen's), drawn from its frozen data only: every print of it is the same file, byte for byte."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf import ArabicPage, ltr, register_fonts
from core.qr import qr_png
from documents.models import IssuedDocument

QR_SIZE = 42 * mm


def _names(document: IssuedDocument, place: str) -> str:
    return document.issuer_names.get(place, {}).get("ar", "")


def document_pdf(document: IssuedDocument, *, qr_text: str, verify_url: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    # invariant: no creation date or random file id, so a re-print is the identical file.
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(f"{document.title_ar} {document.number}")
    page = ArabicPage(pdf, rtl=True, size=A4, margin=18 * mm)
    pdf.setLineWidth(1.2)
    pdf.rect(10 * mm, 10 * mm, page.width - 20 * mm, page.height - 20 * mm)
    page.line("جمهورية مصر العربية", size=12, bold=True, gap=6)
    page.line(_names(document, "governorate"), size=12, bold=True, gap=6)
    page.line(_names(document, "local_unit"), size=12, gap=6)
    page.line(_names(document, "center"), size=11, gap=14)
    page.line(document.title_ar, size=24, bold=True, gap=7, centred=True)
    if document.title_en:
        page.line(document.title_en, size=11, gap=10, centred=True)
    page.pair("رقم المستند", ltr(document.number), bold=True, size=13)
    page.pair("رمز التحقق", ltr(document.check_code), size=12)
    page.y -= 3 * mm
    page.pair("صاحب الشأن", document.holder_name, size=13)
    page.pair("الرقم القومي", ltr(document.holder_national_id), size=12)
    page.pair("الموضوع", document.subject, size=12)
    for label, value in document.terms:
        page.pair(label, value, size=12)
    page.y -= 3 * mm
    page.pair("تاريخ الإصدار", ltr(f"{document.issued_on:%Y-%m-%d}"), size=12)
    if document.valid_until:
        page.pair("صالح حتى", ltr(f"{document.valid_until:%Y-%m-%d}"), bold=True, size=12)
    else:
        page.line("صالح دون مدة محددة ما لم يُلغَ", size=12)
    if document.source_reference:
        page.pair("صدر على الطلب رقم", ltr(document.source_reference), size=11)
    page.y -= 12 * mm
    page.line(_names(document, "signatory"), size=13, bold=True, gap=8)
    page.line("التوقيع: ........................   الخاتم", size=11)

    qr_x, qr_y = page.margin, 22 * mm
    page.y = qr_y + QR_SIZE - 4 * mm
    lines = [f"للتحقق من صحة هذا المستند وسريانه افتح {ltr(verify_url)} واكتب رقم المستند ورمز التحقق."]
    if document.carries_qr:
        pdf.drawImage(ImageReader(io.BytesIO(qr_png(qr_text))), qr_x, qr_y, QR_SIZE, QR_SIZE)
        lines = [
            "امسح الرمز بكاميرا الهاتف للتحقق من صحة هذا المستند وسريانه،",
            f"أو افتح {ltr(verify_url)} واكتب رقم المستند ورمز التحقق.",
            "المستند موقّع رقميًا؛ أي تعديل في بياناته يُبطل التحقق.",
        ]
    for text in lines:
        page.line(text, size=10, gap=5.5)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
