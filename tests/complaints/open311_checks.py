"""Checks of an Open311 GeoReport v2 answer, whatever carried it (Django's test client in the tests, HTTP
in bench/open311_conformance.py): content type, JSON against the schemas of data/open311/, XML well
formed with the standard's element names. Needs jsonschema, nothing of Django."""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "open311"
MEDIA_TYPES = {"json": ("application/json",), "xml": ("text/xml", "application/xml")}
# XML elements holding a list (one child element per item), as the standard nests them.
CONTAINERS = {
    "services",
    "attributes",
    "values",
    "service_requests",
    "service_request_updates",
    "errors",
    "endpoints",
    "formats",
    "media_urls",
}


@dataclass(frozen=True)
class Shape:
    """One kind of answer: the XML root element, the element of each item, the JSON Schema's file."""

    root: str
    item: str | None
    schema: str


DISCOVERY = Shape("discovery", None, "discovery.json")
SERVICES = Shape("services", "service", "services.json")
DEFINITION = Shape("service_definition", None, "service-definition.json")
REQUESTS = Shape("service_requests", "request", "requests.json")
CREATED = Shape("service_requests", "request", "request-created.json")
TOKEN = Shape("service_requests", "request", "token.json")
UPDATES = Shape("service_request_updates", "request_update", "updates.json")
ERRORS = Shape("errors", "error", "errors.json")

_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _W3C.fullmatch(value):
        raise ValueError(f"{value!r} is not a W3C date-time with an offset")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMAT_CHECKER.checks("uri")
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


@cache
def registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in sorted(SCHEMA_DIR.glob("*/*.json"))
        if path.name != "swagger.json"
    ]
    return Registry().with_resources(resources)


def schema_errors(schema: str, data) -> list[str]:
    validator = Draft202012Validator({"$ref": schema}, registry=registry(), format_checker=FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def content_type_problems(fmt: str, content_type: str) -> list[str]:
    media, _, rest = (content_type or "").partition(";")
    problems = []
    if media.strip().lower() not in MEDIA_TYPES[fmt]:
        problems.append(f"content type {content_type!r} is not {' or '.join(MEDIA_TYPES[fmt])}")
    charset = re.search(r"charset=([\w-]+)", rest, re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        problems.append(f"charset {charset.group(1)} is not UTF-8")
    return problems


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)


def xml_problems(shape: Shape, body: bytes) -> list[str]:
    try:
        root = parse_xml(body)
    except ET.ParseError as error:
        return [f"XML not well formed: {error}"]
    problems = []
    if root.tag != shape.root:
        problems.append(f"XML root is <{root.tag}>, not <{shape.root}>")
    if shape.item:
        problems += [
            f"<{shape.root}> holds <{c.tag}>, not <{shape.item}>" for c in root if c.tag != shape.item
        ]
    return problems


def answer_problems(shape: Shape, fmt: str, content_type: str, body: bytes) -> list[str]:
    """Everything wrong with one answer of the given shape in ``fmt`` (empty if nothing)."""
    problems = content_type_problems(fmt, content_type)
    if fmt == "xml":
        return problems + xml_problems(shape, body)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return [*problems, f"JSON not readable: {error}"]
    return problems + schema_errors(shape.schema, data)


def error_problems(status: int, fmt: str, content_type: str, body: bytes) -> list[str]:
    """An error answer: the standard's error list, each code the HTTP status."""
    problems = answer_problems(ERRORS, fmt, content_type, body)
    if problems:
        return problems
    if fmt == "json":
        codes = [error["code"] for error in json.loads(body)]
    else:
        root = parse_xml(body)
        codes = []
        for error in root:
            code, description = error.findtext("code"), error.findtext("description")
            if not description:
                problems.append("an <error> has no <description>")
            codes.append(int(code) if code and code.isdigit() else code)
        if not codes:
            problems.append("<errors> is empty")
    return problems + [
        f"error code {code} is not the HTTP status {status}" for code in codes if code != status
    ]


def xml_as_data(element: ET.Element):
    """An XML answer as the JSON one would be, every value as text (for comparing the two)."""
    if element.tag in CONTAINERS:
        return [xml_as_data(child) for child in element]
    if len(element) == 0:
        return element.text or ""
    return {child.tag: xml_as_data(child) for child in element}


def json_as_text(data):
    """A JSON answer with every value written as the XML one writes it."""
    if isinstance(data, list):
        return [json_as_text(item) for item in data]
    if isinstance(data, dict):
        return {key: json_as_text(value) for key, value in data.items()}
    if data is None:
        return ""
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


# A conformance run: the discovery rules of the published validators, over any transport.


@dataclass(frozen=True)
class Result:
    check: str
    level: str  # "pass", "warn" (the standard leaves room) or "fail"
    detail: str = ""


def conformance(fetch) -> list[Result]:
    """Every endpoint in XML and JSON (content type, schema, element names) and the error answers.
    ``fetch(method, path, params)`` calls the server (``path`` relative to its /v2/ root, e.g.
    ``services.json``) and returns (status, content type, body). Nothing is created: the only POST
    carries no api_key and no field."""
    results: list[Result] = []

    def record(check: str, problems: list[str], *, warn: bool = False) -> None:
        level = "pass" if not problems else "warn" if warn else "fail"
        results.append(Result(check, level, "; ".join(problems)))

    def answer(shape: Shape, path: str, fmt: str, params=None, *, optional: bool = False):
        status, content_type, body = fetch("GET", f"{path}.{fmt}", params or {})
        check = f"GET {path}.{fmt}"
        if optional and status == 404:
            record(check, ["not offered (404)"], warn=True)
            return None
        if status != 200:
            record(check, [f"HTTP {status}, not 200"])
            return None
        problems = answer_problems(shape, fmt, content_type, body)
        record(check, problems)
        return json.loads(body) if fmt == "json" and not problems else None

    def refusal(check: str, method: str, path: str, fmt: str, params, statuses: tuple[int, ...]):
        status, content_type, body = fetch(method, f"{path}.{fmt}", params)
        if status not in statuses:
            record(check, [f"HTTP {status}, not {' or '.join(map(str, statuses))}"], warn=status < 500)
        else:
            record(check, error_problems(status, fmt, content_type, body))

    services, requests = [], []
    for fmt in ("xml", "json"):
        answer(DISCOVERY, "discovery", fmt, optional=True)
        services = answer(SERVICES, "services", fmt) or services
        requests = answer(REQUESTS, "requests", fmt) or requests
        answer(UPDATES, "servicerequestupdates", fmt, optional=True)
    with_metadata = [s["service_code"] for s in services if s.get("metadata") is True]
    for fmt in ("xml", "json"):
        if with_metadata:
            answer(DEFINITION, f"services/{with_metadata[0]}", fmt)
        if requests:
            answer(REQUESTS, f"requests/{requests[0].get('service_request_id')}", fmt)
        refusal(f"unknown service_code ({fmt})", "GET", "services/no-such-service-0", fmt, {}, (404, 400))
        refusal(f"unknown service_request_id ({fmt})", "GET", "requests/no-such-0", fmt, {}, (404, 400))
        refusal(f"bad start_date ({fmt})", "GET", "requests", fmt, {"start_date": "not-a-date"}, (400,))
        refusal(
            f"start_date after end_date ({fmt})",
            "GET",
            "requests",
            fmt,
            {"start_date": "2020-01-02T00:00:00Z", "end_date": "2020-01-01T00:00:00Z"},
            (400,),
        )
        refusal(f"POST without api_key ({fmt})", "POST", "requests", fmt, {}, (400, 403))
    status, _, _ = fetch("GET", "services.html", {})
    record("unknown format (services.html)", [] if 400 <= status < 500 else [f"HTTP {status}, not 4xx"])
    return results
