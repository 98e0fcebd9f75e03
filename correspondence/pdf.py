"""An outgoing letter on A4 paper, in Arabic, for the letters that leave the office by hand or by post
(to an outside body, or to an office of another governorate): the office, the number and the date,
the recipient, the subject and the content, with a QR opening the letter's public check page. Drawn
from the letter alone: every print of it is the same file."""

import io

import arabic_reshaper
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from core.pdf import ArabicPage, ltr, register_fonts
from core.qr import qr_png
from correspondence.models import Letter, LetterState, PartyKind

PRINTED_STATES = (LetterState.AWAITING_DISPATCH, LetterState.DISPATCHED)
QR_SIZE = 34 * mm
BOTTOM = 22 * mm


class NotPrinted(ValueError):
    """Only an outgoing letter waiting to be sent, or sent, by hand or post is printed."""


def sender_name(letter: Letter) -> str:
    """The sending office in Arabic: the local unit's and its governorate's, or the governorate's own."""
    names = [letter.local_unit.name_ar] if letter.local_unit_id else []
    return "، ".join([*names, letter.governorate.name_ar])


def recipient_name(letter: Letter) -> str:
    if letter.party_kind == PartyKind.OUTSIDE:
        return letter.party_body.name_ar
    if letter.party_kind == PartyKind.OFFICE:
        names = [letter.party_local_unit.name_ar] if letter.party_local_unit_id else []
        return "، ".join([*names, letter.party_governorate.name_ar])
    return letter.party_citizen


class _Paper:
    """ArabicPage with lines wrapped to a width and new pages when the content runs long."""

    def __init__(self, pdf: canvas.Canvas):
        self.pdf = pdf
        self.page = ArabicPage(pdf, rtl=True, size=A4, margin=18 * mm)
        self.width = self.page.width - 2 * self.page.margin

    def _fits(self, text: str, *, size: int, bold: bool, width: float) -> bool:
        font = "Amiri-Bold" if bold else "Amiri"
        return stringWidth(arabic_reshaper.reshape(text), font, size) <= width

    def _lines(self, text: str, *, size: int, bold: bool, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if current and not self._fits(candidate, size=size, bold=bold, width=width):
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines

    def text(self, text: str, *, size: int = 12, bold: bool = False, gap: float = 6.5, width=None) -> None:
        for line in self._lines(text, size=size, bold=bold, width=width or self.width):
            if self.page.y < BOTTOM:
                self.pdf.showPage()
                self.page.y = self.page.height - 18 * mm
            if line:
                self.page.line(line, size=size, bold=bold, gap=gap)
            else:
                self.page.y -= gap / 2 * mm


def letter_pdf(letter: Letter, url: str) -> bytes:
    """The printed letter; ``url`` is its public check page (what the QR opens)."""
    if letter.direction != "out" or letter.state not in PRINTED_STATES:
        raise NotPrinted("Only an outgoing letter sent by hand or post is printed.")
    register_fonts()
    buffer = io.BytesIO()
    # invariant: no creation date or random file id, so a re-print is the identical file.
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(f"{letter.number}")
    paper = _Paper(pdf)
    page = paper.page

    # The QR in the top left corner; the heading beside it on the right.
    qr_x, qr_y = page.margin, page.height - 14 * mm - QR_SIZE
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), qr_x, qr_y, QR_SIZE, QR_SIZE)
    beside = paper.width - QR_SIZE - 6 * mm
    paper.text("جمهورية مصر العربية", size=12, bold=True, gap=6, width=beside)
    if letter.local_unit_id:
        paper.text(letter.governorate.name_ar, size=12, bold=True, gap=6, width=beside)
        paper.text(letter.local_unit.name_ar, size=12, gap=6, width=beside)
    else:
        paper.text(letter.governorate.name_ar, size=12, bold=True, gap=6, width=beside)
    paper.text("الصادر", size=11, gap=6, width=beside)
    paper.text(f"رقم الصادر: {ltr(letter.number)}", size=12, bold=True, gap=6, width=beside)
    paper.text(f"التاريخ: {ltr(f'{letter.document_date:%Y-%m-%d}')}", size=12, gap=6, width=beside)
    if letter.in_reply_to_id and letter.in_reply_to.sender_reference:
        reference = ltr(letter.in_reply_to.sender_reference)
        paper.text(f"إلحاقًا بكتابكم رقم: {reference}", size=11, gap=6, width=beside)
    page.y = min(page.y, qr_y - 8 * mm)

    paper.text(f"السيد / {recipient_name(letter)}", size=14, bold=True, gap=8)
    paper.text("تحية طيبة وبعد،", size=12, gap=8)
    paper.text(f"الموضوع: {letter.subject}", size=13, bold=True, gap=7)
    page.y -= 3 * mm
    paper.text(letter.body, size=12, gap=6.5)
    page.y -= 4 * mm
    paper.text("وتفضلوا بقبول فائق الاحترام،", size=12, gap=14)
    paper.text(f"مكتب الصادر والوارد — {sender_name(letter)}", size=12, bold=True, gap=8)
    paper.text("التوقيع: ........................   الخاتم", size=11, gap=10)
    paper.text(
        f"للتحقق من هذا الخطاب امسح الرمز أو افتح {ltr(url)}",
        size=9,
        gap=5,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
