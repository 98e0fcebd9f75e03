from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def checked_png(data: bytes, *, max_bytes: int) -> bytes:
    """``data`` if it is a whole PNG image of at most ``max_bytes``; ValueError with the reason if not.
    Checked by content, never by the file's name."""
    if len(data) > max_bytes:
        raise ValueError(_("The image is larger than %(kb)d KB.") % {"kb": max_bytes // 1024})
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError(_("The image must be a PNG file."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(_("The file is not a readable PNG image.")) from exc
    return data
