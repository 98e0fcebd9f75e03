"""Uploaded PDFs may carry code: JavaScript, actions that launch programs or fetch data, embedded files,
XFA forms. A scan needs none of it, so such a PDF is refused rather than stored and later opened by
staff. The whole object graph is walked (pypdf decodes escaped names and object streams)."""

from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/RichMedia"})
ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/EmbeddedFile", "/RichMedia", "/Rendition"}
)
MAX_OBJECTS = 200_000


def pdf_active_content(stream: BinaryIO) -> str | None:
    """What makes the PDF unacceptable ("/JavaScript", "encrypted", "unreadable" …), or None if it is
    plain. Reads from the stream's start and leaves it there."""
    try:
        stream.seek(0)
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return "encrypted"
        return _walk(reader.trailer)
    except Exception:  # pypdf raises many kinds of errors on a damaged or hostile file
        return "unreadable"
    finally:
        stream.seek(0)


def _walk(root) -> str | None:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                return "too many objects"
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in ACTIVE_KEYS:
                    return str(name)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in ACTIVE_NAMES:
            return str(obj)
    return None
