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


PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
PHOTO_MAX_SIDE = 2560  # pixels: larger photos are scaled down
PHOTO_MAX_PIXELS = 40_000_000  # refused before decoding: a small file can claim a huge image


def photo_reencoded(data: bytes, *, max_bytes: int) -> tuple[bytes, str, str]:
    """A citizen's photo (JPEG or PNG, checked by content, at most ``max_bytes``) drawn again from its
    pixels, so that nothing else in the file survives — no camera metadata such as where it was taken,
    no trailing data. Returns (bytes, content type, extension); ValueError with the reason if refused."""
    if len(data) > max_bytes:
        raise ValueError(_("The photo is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in PHOTO_TYPES:
                raise ValueError(_("Only JPEG or PNG photos are accepted (checked by content, not by name)."))
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValueError(_("The photo has too many pixels."))
            kind = image.format
            image.load()
            image = _upright(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(out, format="JPEG", quality=85)
            else:
                image.save(out, format="PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(_("The file is not a readable JPEG or PNG photo.")) from exc
    mime, extension = PHOTO_TYPES[kind]
    return out.getvalue(), mime, extension


def _upright(image):
    """Phones store a photo sideways with an orientation tag; drawing it again drops the tag, so turn
    the pixels first."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image)
