"""Arabic on reportlab pages: shaped letters in visual order with the embedded Amiri font, lines laid
from the right margin in Arabic and from the left in English."""

from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from django.conf import settings
from django.utils import translation
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def register_fonts() -> None:
    if "Amiri" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Amiri", FONT_DIR / "Amiri-Regular.ttf"))
        pdfmetrics.registerFont(TTFont("Amiri-Bold", FONT_DIR / "Amiri-Bold.ttf"))


def page_is_rtl() -> bool:
    """Whether a PDF made now reads right to left: Arabic unless the screen is in English."""
    return not (translation.get_language() or "ar").startswith("en")


def visual(text: str, *, rtl: bool) -> str:
    """Shape Arabic letters and order the line visually (PDF viewers draw glyphs left to right), in
    the page's direction: an Arabic name inside an English line stays whole and reads right."""
    return get_display(arabic_reshaper.reshape(str(text)), base_dir="R" if rtl else "L")


def ltr(text: str) -> str:
    """Keep a left-to-right run (URL, date, number, amount) whole inside an Arabic line."""
    return f"\u202a{text}\u202c"


class ArabicPage:
    """Lines from the top of a page, from the right margin in Arabic, from the left in English."""

    def __init__(self, pdf: canvas.Canvas, *, rtl: bool, size: tuple[float, float], margin: float = 12 * mm):
        self.pdf = pdf
        self.rtl = rtl
        self.width, self.height = size
        self.margin = margin
        self.y = self.height - 15 * mm

    def line(
        self, text: str, *, size: int = 11, bold: bool = False, gap: float = 6.5, centred: bool = False
    ) -> None:
        self.pdf.setFont("Amiri-Bold" if bold else "Amiri", size)
        text = visual(text, rtl=self.rtl)
        if centred:
            self.pdf.drawCentredString(self.width / 2, self.y, text)
        elif self.rtl:
            self.pdf.drawRightString(self.width - self.margin, self.y, text)
        else:
            self.pdf.drawString(self.margin, self.y, text)
        self.y -= gap * mm

    def pair(self, label: str, value: str, *, bold: bool = False, size: int = 11) -> None:
        self.line(f"{label}: {value}", bold=bold, size=size)
