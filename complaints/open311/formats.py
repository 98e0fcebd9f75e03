"""The two formats of GeoReport v2 (XML, required by the standard, and JSON) and its error answer:
``[{"code": 404, "description": "…"}]`` in JSON, ``<errors><error><code>…`` in XML, with the same HTTP
status as the code."""

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# A list in the data becomes a container element holding one child element per item.
CHILD_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
}

# Characters XML 1.0 cannot carry at all (a C0 control a citizen's text may hold): dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """An answer in the standard's error shape: one HTTP status, one or more descriptions."""

    def __init__(self, status: int, *descriptions: str, headers: dict | None = None):
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
        self.headers = headers or {}


def about(param: str, message) -> str:
    """An error's description that names the parameter, untranslated, before the translated reason:
    ``start_date: …`` (the way the complaints service's field errors are reported too)."""
    return f"{param}: {message}"


def response_format(requested: str) -> str:
    """The format a path asked for, or XML (the standard's own) for anything else."""
    return requested if requested in FORMATS else XML


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """``data`` (a list, or a dict for discovery and a service definition) in ``fmt``; ``root`` names
    the XML document's root element (JSON has none)."""
    if fmt == JSON:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        body = xml_document(root, data)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES[fmt])


def render_error(error: Open311Error, fmt: str) -> HttpResponse:
    data = [{"code": error.status, "description": d} for d in error.descriptions]
    response = render(data, response_format(fmt), root="errors", status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def xml_document(root: str, data) -> str:
    element = ET.Element(root)
    _fill(element, root, data)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")


def _fill(element: ET.Element, tag: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), key, item)
    elif isinstance(value, list):
        child = CHILD_TAGS[tag]
        for item in value:
            _fill(ET.SubElement(element, child), child, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


def malformed_input_response(request, status: int) -> HttpResponse:
    """What the site-wide gate for unusable input (core.middleware) answers under /open311/v2/: the
    standard's error shape, in the format the path asked for, instead of the site's HTML page."""
    from django.utils.translation import gettext

    fmt = request.path.rsplit(".", 1)[-1] if "." in request.path else XML
    message = (
        gettext("The request is larger than any Open311 request may be.")
        if status == 413
        else gettext("The request holds a NUL byte, an over-long value or a body that cannot be read.")
    )
    return render_error(Open311Error(status, message), fmt)
