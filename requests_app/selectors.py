from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from core.text import normalize_digits
from notifications.models import SmsOptOut
from organisation.calendar import CAIRO
from organisation.models import Center
from requests_app.history_chain import chained_hash
from requests_app.models import RequestDocument, RequestEvent, RequestFee, ServiceRequest
from requests_app.public import PUBLIC_ACTIONS, is_late_now

_STATE_CHANGES = (
    RequestEvent.objects.filter(action__in=PUBLIC_ACTIONS)
    .select_related("step__department__department_type")
    # What the citizen's page reads, and no more: the ORM builds and loads every column it is given.
    .only(
        "request_id",
        "at",
        "action",
        "public_note",
        "documents",
        "step__department__department_type__name_ar",
        "step__department__department_type__name_en",
    )
)


def window_requests_today(*, center: Center, clerk: User, today: date) -> QuerySet[ServiceRequest]:
    """The requests this clerk took at this center today (Cairo time), newest first."""
    start = datetime.combine(today, time.min, tzinfo=CAIRO)
    end = datetime.combine(today, time.max, tzinfo=CAIRO)
    return (
        ServiceRequest.objects.filter(center=center, taken_by=clerk, submitted_at__range=(start, end))
        .select_related("service", "applicant")
        .order_by("-submitted_at")
    )


def center_service_usage(*, center: Center, days: int = 90) -> dict[int, int]:
    """How many requests of each service this center took in the last ``days`` days: the window offers
    its most used services first. Kept in the cache for an hour (a ranking, not a count anyone reads)."""

    def count() -> dict[int, int]:
        since = timezone.now() - timedelta(days=days)
        rows = (
            ServiceRequest.objects.filter(center=center, submitted_at__gte=since)
            .values("service_id")
            .annotate(taken=Count("id"))
        )
        return {row["service_id"]: row["taken"] for row in rows}

    return cache.get_or_set(f"window:usage:{center.pk}:{days}", count, 3600)


def request_for_receipt(*, center: Center, receipt_number: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(center=center, receipt_number=receipt_number)
        .select_related("center", "service", "applicant", "attorney", "hall_ticket")
        .prefetch_related(
            Prefetch("fees", queryset=RequestFee.objects.order_by("position")),
            Prefetch("documents", queryset=RequestDocument.objects.order_by("position")),
        )
        .first()
    )


# The request's part of the citizen's status page (the template, public_stage and route_progress).
PUBLIC_FIELDS = (
    "receipt_number",
    "tracking_token",
    "state",
    "version",
    "submitted_at",
    "due_at",
    "terms",
    "center__name_ar",
    "center__name_en",
    "service__name_ar",
    "service__name_en",
    "current_step__position",
    "current_step__department__department_type__name_ar",
    "current_step__department__department_type__name_en",
)


def _public(queryset: QuerySet[ServiceRequest]) -> ServiceRequest | None:
    return (
        queryset.select_related("center", "service", "current_step__department__department_type")
        .only(*PUBLIC_FIELDS)
        .prefetch_related(Prefetch("events", queryset=_STATE_CHANGES, to_attr="public_events"))
        .first()
    )


def request_public_by_token(*, token: str) -> ServiceRequest | None:
    return _public(ServiceRequest.objects.filter(tracking_token=token))


def request_mobile_by_token(*, token: str) -> str | None:
    """The mobile a request's SMS go to, for the citizen holding its token (never shown to anyone)."""
    found = ServiceRequest.objects.filter(tracking_token=token).values_list("applicant_mobile", flat=True)
    return found.first()


@dataclass(frozen=True)
class PublicMarks:
    """Everything the citizen's status page depends on, read in one small query: a change to any of
    them gives the page a new cache key."""

    token: str
    version: int
    late: bool
    sms_opted_out: bool


def _marks(queryset: QuerySet[ServiceRequest]) -> PublicMarks | None:
    row = (
        queryset.annotate(opted_out=Exists(SmsOptOut.objects.filter(phone=OuterRef("applicant_mobile"))))
        .values_list("tracking_token", "version", "state", "due_at", "opted_out")
        .first()
    )
    if row is None:
        return None
    token, version, state, due_at, opted_out = row
    return PublicMarks(token=token, version=version, late=is_late_now(state, due_at), sms_opted_out=opted_out)


def request_public_marks_by_token(*, token: str) -> PublicMarks | None:
    return _marks(ServiceRequest.objects.filter(tracking_token=token))


def request_public_marks_by_receipt(*, receipt_number: str, national_id_last4: str) -> PublicMarks | None:
    """Both must match: receipt numbers are sequential, so they alone would let anyone browse."""
    last4 = normalize_digits(national_id_last4)
    if len(last4) != 4 or not last4.isdigit():
        return None
    return _marks(
        ServiceRequest.objects.filter(
            receipt_number=receipt_number.strip().upper(), applicant__national_id__endswith=last4
        )
    )


def window_waiting(*, center: Center, state: str) -> QuerySet[ServiceRequest]:
    """The center's requests waiting at the window: outputs ready to deliver, or documents owed."""
    return (
        ServiceRequest.objects.filter(center=center, state=state)
        .select_related("service", "applicant")
        .order_by("submitted_at")
    )


def history_chain_breaks() -> tuple[int, list[tuple[int, int]]]:
    """Recompute every request's history chain: (rows checked, [(request id, first broken row id)]).
    A row edited, deleted or inserted behind the services' back breaks its request's chain there."""
    checked, breaks = 0, []
    request_id, previous, broken = None, "", False
    for event in RequestEvent.objects.order_by("request_id", "pk").iterator(chunk_size=5000):
        if event.request_id != request_id:
            request_id, previous, broken = event.request_id, "", False
        checked += 1
        if not broken and chained_hash(previous, event) != event.chain_hash:
            breaks.append((event.request_id, event.pk))
            broken = True
        previous = event.chain_hash
    return checked, breaks
