"""The demo's past: a few thousand requests decided, delivered, rejected or cancelled over the last four
months across the demo centers, so that every chart and ranking of the dashboards has a shape.

Written in bulk with the same columns the services store (numbers from the center's receipt series,
terms, fees, steps, history chained like the services chain it), then the roll-ups are rebuilt from them
by the demo seed. The random generator is seeded: every demo has the same past."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.numbering import number_next
from deadlines.clock import clock_working_days_used
from documents.services import document_issue
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Department
from requests_app.history_chain import chained_hash
from requests_app.models import (
    Citizen,
    RequestEvent,
    RequestFee,
    RequestState,
    RequestStep,
    ServiceRequest,
)
from requests_app.services.workflow import output_document
from services.models import Service

FIRST_NAMES = ["محمد", "أحمد", "محمود", "مصطفى", "علي", "حسن", "سارة", "منى", "هبة", "نورا", "ياسر", "إيمان"]
FAMILY_NAMES = ["عبد الله", "السيد", "إبراهيم", "عثمان", "الشافعي", "النجار", "فوزي", "سليمان", "رمضان"]
# How busy each center's windows are (requests per working day), and how quick its departments are.
CENTER_PACE = {"BNH": (9, 1.0), "QLY": (6, 1.3), "SKA": (7, 0.8), "HLP": (8, 1.1), "NZH": (5, 1.6)}


def _citizens(rng: random.Random, count: int) -> list[Citizen]:
    made = []
    for index in range(count):
        national_id = (
            f"2{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}14{index:04d}1"
        )
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
        made.append(Citizen(national_id=national_id, name_ar=name, mobile=f"+2010{index:08d}"))
    Citizen.objects.bulk_create(made, ignore_conflicts=True)
    return list(Citizen.objects.filter(national_id__in=[c.national_id for c in made]))


def _working_days(calendar: WorkCalendar, first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, rng: random.Random, start_hour: int = 8, end_hour: int = 14) -> datetime:
    return datetime.combine(day, time(rng.randint(start_hour, end_hour), rng.randint(0, 59)), tzinfo=CAIRO)


def _story(
    rng: random.Random, submitted: datetime, calendar: WorkCalendar, deadline_days: int, slowness, now
):
    """(final state, decided at, working days taken, delivered at, paused working days); None for a
    request whose decision would still lie ahead (the demo's open requests are played live)."""
    roll = rng.random()
    if roll < 0.06:
        cancelled = calendar.deadline(submitted, rng.randint(1, 3)) - timedelta(hours=rng.randint(1, 5))
        return (RequestState.CANCELLED, cancelled, None, None, 0) if cancelled < now else None
    paused = rng.choice([0, 0, 0, 0, 1, 2, 3])
    taken = max(1, round(rng.lognormvariate(0, 0.45) * deadline_days * 0.7 * slowness))
    decided = calendar.deadline(submitted, taken + paused) - timedelta(hours=rng.randint(1, 6))
    if decided >= now:
        return None
    if roll < 0.16:
        return RequestState.REJECTED, decided, taken, None, paused
    delivered = calendar.deadline(decided, rng.randint(1, 6)) - timedelta(hours=rng.randint(1, 6))
    if delivered >= now:  # not collected yet
        return RequestState.READY, decided, taken, None, paused
    return RequestState.DELIVERED, decided, taken, delivered, paused


@transaction.atomic
def requests_history_seed_demo(*, today: date | None = None, days: int | None = None) -> int:
    """Idempotent: does nothing once the demo has any request taken more than a week ago. Each approved
    request's document costs a deliberately slow hash (documents.codec.holder_hash, ~36 ms): the
    test settings shorten the past (DEMO_HISTORY_DAYS)."""
    days = settings.DEMO_HISTORY_DAYS if days is None else days
    today = today or timezone.localdate(timezone.now(), CAIRO)
    if ServiceRequest.objects.filter(submitted_at__lt=_at_midnight(today - timedelta(days=7))).exists():
        return 0
    rng = random.Random(2026)
    citizens = _citizens(rng, 400)
    services = [s for s in Service.objects.filter(is_active=True).order_by("code") if s.terms()["route"]]
    terms = {service.pk: service.terms() for service in services}
    made = 0
    for code, (per_day, slowness) in CENTER_PACE.items():
        clerk = (
            User.objects.filter(role_assignments__role=Role.CLERK, role_assignments__center__code=code)
            .order_by("username")
            .first()
        )
        if clerk is None:
            continue
        center = clerk.assignments_for([Role.CLERK])[0].center
        calendar = WorkCalendar(center)
        departments = {
            d.department_type.code: d
            for d in Department.objects.filter(local_unit=center.local_unit).select_related("department_type")
        }
        offered = [s for s in services if all(st["department"] in departments for st in terms[s.pk]["route"])]
        plan = []
        for index, day in enumerate(
            _working_days(calendar, today - timedelta(days=days), today - timedelta(days=8))
        ):
            season = 1.3 if (index // 5) % 3 == 1 else 1.0  # busier weeks come and go
            plan += [(day, rng.choice(offered)) for _ in range(max(1, round(rng.gauss(per_day * season, 2))))]
        made += _center_history(
            rng, center, clerk, calendar, departments, plan, terms, slowness, citizens, _at_midnight(today)
        )
    return made


def _at_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CAIRO)


def _center_history(rng, center, clerk, calendar, departments, plan, terms, slowness, citizens, now) -> int:
    """One center's past requests, numbered on from its receipt series (the year's first numbers)."""
    requests, stories = [], []
    for day, service in sorted(plan, key=lambda item: item[0]):
        service_terms = terms[service.pk]
        submitted = _at(day, rng)
        story = _story(rng, submitted, calendar, service_terms["legal_deadline_days"], slowness, now)
        if story is None:
            continue
        state, decided, taken, delivered, paused = story
        sequence = number_next(series=f"receipt:{center.pk}", year=submitted.year)
        citizen = rng.choice(citizens)
        fees_total = Decimal(service_terms["fees_total"])
        due = calendar.deadline(submitted, service_terms["legal_deadline_days"] + paused)
        requests.append(
            ServiceRequest(
                receipt_number=f"{center.code}-{submitted.year}-{sequence:06d}",
                center=center,
                local_unit=center.local_unit,
                year=submitted.year,
                sequence=sequence,
                service=service,
                terms=service_terms,
                applicant=citizen,
                applicant_name_ar=citizen.name_ar,
                applicant_mobile=citizen.mobile,
                state=state,
                submitted_at=submitted,
                due_at=due,
                fees_total=fees_total,
                payment_method=("cash" if rng.random() < 0.8 else "epayment") if fees_total else "",
                payment_reference=f"TR-{center.code}-{sequence}" if fees_total else "",
                taken_by=clerk,
                completed_at=decided,
                delivered_at=delivered,
                paused_working_days=paused,
                on_time=None if state == RequestState.CANCELLED else decided <= due,
                working_days_taken=taken,
            )
        )
        stories.append(story)
    ServiceRequest.objects.bulk_create(requests, batch_size=500)
    fees, steps, events = [], [], []
    finishers = _finishers(departments)
    for request, (state, decided, taken, delivered, paused) in zip(requests, stories, strict=True):
        fees += [
            RequestFee(
                request=request,
                position=i,
                name_ar=fee["name_ar"],
                name_en=fee.get("name_en", ""),
                amount=Decimal(fee["amount"]),
            )
            for i, fee in enumerate(request.terms["fees"], start=1)
        ]
        steps += _steps(request, state, decided, departments, calendar, taken, paused, finishers)
        events += _history(request, state, decided, delivered, clerk)
    for request, (state, decided, *_rest) in zip(requests, stories, strict=True):
        if state in (RequestState.READY, RequestState.DELIVERED):  # approved: its document, issued that day
            subject = f"العقار رقم {rng.randint(1, 250)} — {center.short_name_ar}"
            request.document = document_issue(
                document=output_document(request, subject), actor=None, now=decided
            )
    ServiceRequest.objects.bulk_update([r for r in requests if r.document_id], ["document"], batch_size=500)
    RequestFee.objects.bulk_create(fees, batch_size=1000)
    RequestStep.objects.bulk_create(steps, batch_size=1000)
    RequestEvent.objects.bulk_create(events, batch_size=1000)  # not save(): roll-ups are rebuilt after
    return len(requests)


def _finishers(departments: dict) -> dict[int, list[User]]:
    """Who finishes each department's steps in the demo's past: its employees and head."""
    return {
        department.pk: list(
            User.objects.filter(
                role_assignments__department=department,
                role_assignments__role__in=[Role.BACKOFFICE, Role.DEPARTMENT_HEAD],
                role_assignments__is_active=True,
            )
            .distinct()
            .order_by("username")
        )
        for department in departments.values()
    }


def _steps(request, state, decided, departments, calendar, taken, paused, finishers) -> list[RequestStep]:
    """The route's steps as the workflow leaves them: a decided request's working days shared out over
    its steps in proportion to their allowances (the citizen's time in the first one), each step
    finished by one of its department's staff with its clock and working days stored."""
    route = request.terms["route"]
    if state == RequestState.CANCELLED:
        return [
            RequestStep(
                request=request,
                position=i,
                department=departments[step["department"]],
                working_days=step["working_days"],
                status=RequestStep.Status.STOPPED if i == 1 else RequestStep.Status.PENDING,
                started_at=request.submitted_at if i == 1 else None,
            )
            for i, step in enumerate(route, start=1)
        ]
    allowances = [step["working_days"] for step in route]
    shares = [taken * days // max(sum(allowances), 1) for days in allowances[:-1]]
    shares.append(max(taken - sum(shares), 0))
    steps, start = [], request.submitted_at
    for i, (step, share) in enumerate(zip(route, shares, strict=True), start=1):
        department = departments[step["department"]]
        waited = paused if i == 1 else 0
        due = calendar.deadline(start, step["working_days"] + waited)
        end = decided if i == len(route) else min(calendar.shift(start, share + waited), decided)
        people = finishers.get(department.pk) or [None]
        steps.append(
            RequestStep(
                request=request,
                position=i,
                department=department,
                working_days=step["working_days"],
                status=RequestStep.Status.DONE,
                started_at=start,
                due_at=due,
                completed_at=end,
                completed_by=people[request.sequence % len(people)],
                working_days_taken=clock_working_days_used(
                    calendar, due_at=due, working_days=step["working_days"], at=end
                ),
            )
        )
        start = end
    return steps


def _history(request, state, decided, delivered, clerk) -> list[RequestEvent]:
    """The rows the services would have written, chained the same way."""
    rows = [(request.submitted_at, "submitted", "", RequestState.SUBMITTED, clerk)]
    if state == RequestState.CANCELLED:
        rows.append((decided, "cancel", RequestState.IN_REVIEW, state, clerk))
    elif state == RequestState.REJECTED:
        rows.append((decided, "reject", RequestState.IN_REVIEW, state, None))
    else:
        rows.append((decided, "approve", RequestState.IN_REVIEW, RequestState.APPROVED, None))
        rows.append((decided, "issue", RequestState.APPROVED, RequestState.READY, None))
        if delivered:
            rows.append((delivered, "deliver", RequestState.READY, RequestState.DELIVERED, clerk))
    events, previous = [], ""
    for at, action, from_state, to_state, actor in rows:
        event = RequestEvent(
            request=request, at=at, actor=actor, action=action, from_state=from_state, to_state=to_state
        )
        event.chain_hash = previous = chained_hash(previous, event)
        events.append(event)
    return events
