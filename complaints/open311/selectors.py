"""What Open311 clients may read. Complaints about staff conduct (a confidential category) are not
there at all: not as a service, not in a list, not by id, not in the updates."""

from datetime import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from complaints.models import (
    OPEN_STATES,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintPhoto,
    Open311Key,
)
from complaints.open311.params import RequestQuery
from complaints.selectors import PUBLIC_ACTIONS
from complaints.services import open311_key_digest
from organisation.models import Center, Department

MAX_RESULTS = 1000
# The history rows Open311 shows: the public ones but the rating (feedback to the center, with the
# complainant's comment, and no change of status).
OPEN311_ACTIONS = tuple(action for action in PUBLIC_ACTIONS if action != ComplaintEvent.Action.RATED)
_PUBLIC = Q(confidential=False, category__confidential=False)


def api_key_by_value(key: str) -> Open311Key | None:
    return Open311Key.objects.filter(digest=open311_key_digest(key)).first()


def services() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True, confidential=False)


def service_by_code(code: str) -> ComplaintCategory | None:
    return services().filter(code=code).first()


def unknown_service_codes(codes: list[str]) -> list[str]:
    """The codes no public category has (active or not: old complaints keep their category)."""
    known = set(
        ComplaintCategory.objects.filter(code__in=codes, confidential=False).values_list("code", flat=True)
    )
    return [code for code in codes if code not in known]


def fixed_centers() -> QuerySet[Center]:
    return Center.objects.filter(is_active=True, kind=Center.Kind.FIXED, local_unit__isnull=False)


def centers_for(category: ComplaintCategory) -> list[Center]:
    """The active fixed centers whose local unit has the department handling the category."""
    units = Department.objects.filter(department_type=category.department_type_id).values("local_unit")
    return list(fixed_centers().filter(local_unit__in=units).select_related("governorate"))


def center_by_code(code: str) -> Center | None:
    return fixed_centers().filter(code=code).first() if code else None


def _complaints() -> QuerySet[Complaint]:
    last_public_change = (
        ComplaintEvent.objects.filter(complaint=OuterRef("pk"), action__in=OPEN311_ACTIONS)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        Complaint.objects.filter(_PUBLIC)
        .select_related(
            "category", "center", "department__department_type", "department__local_unit", "merged_into"
        )
        .prefetch_related(Prefetch("photos", queryset=ComplaintPhoto.objects.order_by("position")))
        .annotate(public_updated_at=Subquery(last_public_change))
    )


def request_by_number(number: str) -> Complaint | None:
    return _complaints().filter(number=number).first()


def requests_found(query: RequestQuery) -> list[Complaint]:
    """At most MAX_RESULTS complaints, newest first."""
    rows = _complaints()
    if query.ids:
        rows = rows.filter(number__in=query.ids)
    else:
        rows = rows.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.codes:
            rows = rows.filter(category__code__in=query.codes)
        if query.statuses == ["open"]:
            rows = rows.filter(state__in=OPEN_STATES)
        elif query.statuses == ["closed"]:
            rows = rows.exclude(state__in=OPEN_STATES)
    return list(rows.order_by("-submitted_at", "-pk")[:MAX_RESULTS])


def updates_between(start: datetime, end: datetime) -> list[ComplaintEvent]:
    """The public history rows of the window, oldest first, at most MAX_RESULTS: a client reads on from
    the last one's time."""
    return list(
        ComplaintEvent.objects.filter(
            action__in=OPEN311_ACTIONS,
            at__gte=start,
            at__lte=end,
            complaint__confidential=False,
            complaint__category__confidential=False,
        )
        .select_related("complaint")
        .prefetch_related(Prefetch("complaint__photos", queryset=ComplaintPhoto.objects.order_by("position")))
        .order_by("at", "pk")[:MAX_RESULTS]
    )
