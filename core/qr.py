"""QR codes as SVG (pages) and PNG (PDFs), at error-correction level M (15% of the code may be lost)."""

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def qr_code(text: str) -> qrcode.QRCode:
    """The smallest QR code holding ``text`` (its ``version`` says how big: 10 is 57×57 modules)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str) -> str:
    image = qr_code(text).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(text).make_image().save(buffer, format="PNG")
    return buffer.getvalue()
