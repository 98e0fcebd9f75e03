"""What an Open311 client sent, read and checked for its form only (dates, lists, ids); whether a code or
an id exists is the selectors' question. Every problem is an Open311Error (400)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.open311.formats import Open311Error, about
from complaints.services import ComplaintInput
from core.text import visible_text

MAX_LIST_ITEMS = 1000
# A complaint's number, e.g. BNH-C-2026-000123 (center code, year, sequence): its service_request_id.
NUMBER_RE = re.compile(r"[A-Z][A-Z0-9]{1,7}-C-\d{4}-\d{6,9}")
STATUSES = ("open", "closed")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The "+" of an offset sent without percent-encoding arrives as a space: 2026-05-01T10:00:00 02:00.
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def w3c_datetime(name: str, raw: str, *, end_of_day: bool = False) -> datetime:
    """A W3C date-time (2026-05-01T10:00:00+03:00, or Z); a time without an offset is Cairo time, and a
    date alone is the start of that day in Cairo — or its end for the end of a window."""
    text = _SPACED_OFFSET.sub(r"+\1", raw.strip())
    try:
        if _DAY.fullmatch(text):
            value = datetime.combine(date.fromisoformat(text), time.max if end_of_day else time.min)
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400, about(name, _("Not a W3C date-time such as 2026-05-01T10:00:00+03:00."))
        ) from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise Open311Error(
            400,
            about(
                name,
                _("Give a date between the years %(first)d and %(last)d.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            ),
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def window(params, *, span: timedelta, now: datetime) -> tuple[datetime, datetime]:
    """``start_date`` and ``end_date``; a missing end is the start plus ``span``, a missing start the end
    minus ``span``, and neither is the ``span`` up to now."""
    start = params.get("start_date", "").strip()
    end = params.get("end_date", "").strip()
    start = w3c_datetime("start_date", start) if start else None
    end = w3c_datetime("end_date", end, end_of_day=True) if end else None
    if start is None and end is None:
        start, end = now - span, now
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if start > end:
        raise Open311Error(400, about("start_date", _("It is after end_date.")))
    return start, end


def comma_list(params, name: str) -> list[str]:
    """A comma-separated parameter as its items, without repeats; empty if absent. An empty item
    (``a,,b``) or more than MAX_LIST_ITEMS is a malformed list."""
    raw = params.get(name, "").strip()
    if not raw:
        return []
    items = [item.strip() for item in raw.split(",")]
    if not all(items) or len(items) > MAX_LIST_ITEMS:
        raise Open311Error(
            400,
            about(
                name,
                _("Give at most %(count)d values separated by commas, none of them empty.")
                % {"count": MAX_LIST_ITEMS},
            ),
        )
    return list(dict.fromkeys(items))


def request_ids(params) -> list[str]:
    ids = [item.upper() for item in comma_list(params, "service_request_id")]
    if not all(NUMBER_RE.fullmatch(item) for item in ids):
        raise Open311Error(
            400,
            about(
                "service_request_id",
                _("Give complaint numbers such as BNH-C-2026-000123, separated by commas."),
            ),
        )
    return ids


def request_id(raw: str) -> str | None:
    """The complaint number in a path, or None if it cannot be one."""
    number = raw.strip().upper()
    return number if NUMBER_RE.fullmatch(number) else None


def statuses(params) -> list[str]:
    values = [item.lower() for item in comma_list(params, "status")]
    if not all(value in STATUSES for value in values):
        raise Open311Error(400, about("status", _("Give open, closed, or both separated by a comma.")))
    return values


@dataclass(frozen=True)
class RequestQuery:
    """GET requests: the ids alone when given (they override every other filter), else a window of
    submission times with optional service codes and statuses."""

    ids: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None


REQUESTS_SPAN = timedelta(days=90)
UPDATES_SPAN = timedelta(hours=24)


def request_query(params, *, now: datetime) -> RequestQuery:
    ids = request_ids(params)
    if ids:
        return RequestQuery(ids=ids)
    start, end = window(params, span=REQUESTS_SPAN, now=now)
    return RequestQuery(
        codes=comma_list(params, "service_code"), statuses=statuses(params), start=start, end=end
    )


@dataclass(frozen=True)
class Filing:
    """POST requests, as sent. ``media_url`` is never fetched (a server fetching URLs a client names is
    a door into the internal network): photos come as ``media`` files of a multipart body."""

    service_code: str
    center_code: str
    receipt_number: str
    description: str
    address: str
    latitude: str
    longitude: str
    name: str
    phone: str
    photos: list

    def complaint_input(self, *, center_id: int | None) -> ComplaintInput:
        """What the complaints service checks; no name makes the complaint anonymous."""
        return ComplaintInput(
            category_code=self.service_code,
            center_id=center_id,
            description=self.description,
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            receipt_number=self.receipt_number,
            anonymous=not self.name,
            name=self.name,
            mobile=self.phone,
            photos=self.photos,
        )


def filing(params, files) -> Filing:
    def value(name: str) -> str:
        return params.get(name, "")

    service_code = value("service_code").strip()
    if not service_code:
        raise Open311Error(400, about("service_code", _("Missing.")))
    return Filing(
        service_code=service_code,
        center_code=value("attribute[center]").strip().upper(),
        receipt_number=value("attribute[receipt_number]"),
        description=value("description"),
        address=value("address_string"),
        latitude=value("lat"),
        longitude=value("long"),
        name=visible_text(f"{value('first_name')} {value('last_name')}"),
        phone=value("phone"),
        photos=files.getlist("media"),
    )
