"""Calling the Open311 endpoint with Django's test client, and checking its answers (open311_checks)."""

import json
from io import BytesIO
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.services import open311_key_create
from tests.complaints.open311_checks import answer_problems, error_problems, parse_xml

BASE = "/open311/v2/"
FORMATS = ("json", "xml")


def url(path: str, fmt: str = "json") -> str:
    return f"{BASE}{path}.{fmt}"


def get(client, path: str, fmt: str = "json", **params):
    return client.get(url(path, fmt), params)


def post(client, fmt: str = "json", *, media=(), **fields):
    """POST requests: form-encoded, or multipart when photos (``media``) go with it."""
    if media:
        return client.post(url("requests", fmt), {**fields, "media": list(media)})
    return client.post(
        url("requests", fmt), urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def ok(response, shape, fmt: str = "json"):
    """The answer's data (JSON) or root element (XML), after checking it has ``shape``."""
    assert response.status_code == 200, response.content[:600]
    problems = answer_problems(shape, fmt, response["Content-Type"], response.content)
    assert not problems, problems
    return json.loads(response.content) if fmt == "json" else parse_xml(response.content)


def refused(response, status: int, fmt: str = "json") -> str:
    """The error descriptions (joined), after checking the standard's error shape and status."""
    assert response.status_code == status, (response.status_code, response.content[:600])
    problems = error_problems(status, fmt, response["Content-Type"], response.content)
    assert not problems, problems
    if fmt == "json":
        return "\n".join(error["description"] for error in json.loads(response.content))
    return "\n".join(error.findtext("description") for error in parse_xml(response.content))


def new_key(name: str = "تطبيق مدني") -> str:
    return open311_key_create(name=name)[1]


def jpeg(color=(200, 30, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), color).save(out, format="JPEG")
    return out.getvalue()


def photo(name: str = "photo.jpg", content: bytes | None = None, content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, jpeg() if content is None else content, content_type=content_type)


def filing(key: str, **overrides) -> dict:
    """A POST requests a client would send for a broken street light in Benha."""
    fields = {
        "api_key": key,
        "service_code": "street-lighting",
        "attribute[center]": "BNH",
        "description": "عمود الإنارة في شارع الجلاء مطفأ منذ أسبوع",
        "address_string": "شارع الجلاء، بنها",
        "lat": "30.466000",
        "long": "31.184800",
        "first_name": "سعاد",
        "last_name": "إبراهيم",
        "phone": "01098765432",
        "email": "suad@example.com",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}
