"""The demo's past: a few thousand requests taken over the last months across the demo centers, up to
yesterday — the older ones decided, delivered, rejected or cancelled, the recent ones (and a few stuck
ones) still open, so that every chart and ranking of the dashboards has a shape and every queue has work.

Written in bulk with the same columns the services store (numbers from the center's receipt series,
terms, fees, documents, the route's steps with their clocks and finishers, history chained like the
services chain it: taken, routed, forwarded, documents asked and brought, decided …). An open request
stands at the step its elapsed working days fall in, some given to an employee, about one in ten waiting
for the citizen; the deadline sweep is then run as the beat ran it over those days (twice a day), so the
late ones carry the sweep's own marks, escalations and apologies. The roll-ups are rebuilt from the
requests by the demo seed. The random generator is seeded: every demo has the same past."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Role, User
from core.numbering import number_next
from deadlines.clock import clock_shift, clock_start, clock_working_days_used
from deadlines.sweep import deadline_sweep
from documents.services import document_issue
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Department
from requests_app.history_chain import chained_hash
from requests_app.models import (
    Citizen,
    RequestDocument,
    RequestEvent,
    RequestFee,
    RequestState,
    RequestStep,
    ServiceRequest,
    SystemNote,
)
from requests_app.services.intake import payment_note
from requests_app.services.workflow import output_document
from services.models import Service

FIRST_NAMES = ["محمد", "أحمد", "محمود", "مصطفى", "علي", "حسن", "سارة", "منى", "هبة", "نورا", "ياسر", "إيمان"]
FAMILY_NAMES = ["عبد الله", "السيد", "إبراهيم", "عثمان", "الشافعي", "النجار", "فوزي", "سليمان", "رمضان"]
# How busy each center's windows are (requests per working day), and how quick its departments are.
CENTER_PACE = {"BNH": (9, 1.0), "QLY": (6, 1.3), "SKA": (7, 0.8), "HLP": (8, 1.1), "NZH": (5, 1.6)}
# Of the open requests: the share waiting for the citizen's documents.
AWAITING_SHARE = 0.12
# Employees take their department's most urgent requests first ("take the next request"): at a
# department with employees, every request in review whose step falls due within this many working days
# has been taken, and of the others this share; the rest wait in the department's pool. (So the live
# demo's own "take the next request", played after the past, takes the request it was written for.)
TAKEN_WITHIN_WORKING_DAYS = 5
ASSIGNED_SHARE = 0.3
# The moments of each day the past is swept (the beat sweeps every few minutes): just after midnight,
# when the escalation levels counted in working days are reached, and just after closing time, when the
# day's deadlines have passed.
SWEEP_TIMES = (time(0, 5), time(15, 5))
REJECTION_REASONS = [
    "الموقع يقع خارج الحيز العمراني المعتمد (قانون البناء رقم 119 لسنة 2008)",
    "عدم استيفاء الاشتراطات البنائية للمنطقة",
    "وجود نزاع قضائي قائم على العقار",
    "النشاط المطلوب غير مسموح به في هذه المنطقة",
]
CANCEL_REASON = "عدل المواطن عن الطلب"
NOTES_FOR_THE_CITIZEN = ["", "صورة حديثة واضحة", "مختومة من الجهة المختصة"]


@dataclass
class _Story:
    """How far one request of the past went, and when."""

    state: str
    decided: datetime | None = None  # the decision or the cancellation; None: still open
    taken: int | None = None  # working days to decide, net of the citizen's time (open: the plan)
    delivered: datetime | None = None
    paused: int = 0  # working days a decided request waited for the citizen (during its first step)
    # A decided request that waited: when the documents were asked for and brought back.
    asked_at: datetime | None = None
    brought_at: datetime | None = None
    # An open request: since when it is its assignee's, and who asked the citizen for documents.
    assigned_at: datetime | None = None
    asked_by: User | None = None

    @property
    def is_open(self) -> bool:
        return self.decided is None


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
) -> _Story:
    """Where the request's story stands at ``now``: decided (or cancelled) before it, or still open."""
    roll = rng.random()
    if roll < 0.06:
        cancelled = calendar.deadline(submitted, rng.randint(1, 3)) - timedelta(hours=rng.randint(1, 5))
        # Withdrawn in the coming days: open today, on schedule so far.
        return (
            _Story(RequestState.CANCELLED, cancelled) if cancelled < now else _Story(RequestState.IN_REVIEW)
        )
    paused = rng.choice([0, 0, 0, 0, 1, 2, 3])
    taken = max(1, round(rng.lognormvariate(0, 0.45) * deadline_days * 0.7 * slowness))
    decided = calendar.deadline(submitted, taken + paused) - timedelta(hours=rng.randint(1, 6))
    if decided >= now:  # the decision lies ahead: open (its citizen has not been asked for anything yet)
        return _Story(RequestState.IN_REVIEW, taken=taken)
    if roll < 0.16:
        return _Story(RequestState.REJECTED, decided, taken, paused=paused)
    delivered = calendar.deadline(decided, rng.randint(1, 6)) - timedelta(hours=rng.randint(1, 6))
    if delivered >= now:  # not collected yet
        return _Story(RequestState.READY, decided, taken, paused=paused)
    return _Story(RequestState.DELIVERED, decided, taken, delivered, paused)


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
    now = _at_midnight(today)
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
            _working_days(calendar, today - timedelta(days=days), today - timedelta(days=1))
        ):
            season = 1.3 if (index // 5) % 3 == 1 else 1.0  # busier weeks come and go
            plan += [(day, rng.choice(offered)) for _ in range(max(1, round(rng.gauss(per_day * season, 2))))]
        made += _center_history(
            rng, center, clerk, calendar, departments, plan, terms, slowness, citizens, now
        )
    _sweep_as_the_beat_did(now)
    return made


def _at_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CAIRO)


def _center_history(rng, center, clerk, calendar, departments, plan, terms, slowness, citizens, now) -> int:
    """One center's past requests, numbered on from its receipt series (the year's first numbers)."""
    finishers = _staff(departments, [Role.BACKOFFICE, Role.DEPARTMENT_HEAD])
    employees = _staff(departments, [Role.BACKOFFICE])
    requests, stories, routes = [], [], []
    for day, service in sorted(plan, key=lambda item: item[0]):
        service_terms = terms[service.pk]
        submitted = _at(day, rng)
        story = _story(rng, submitted, calendar, service_terms["legal_deadline_days"], slowness, now)
        sequence = number_next(series=f"receipt:{center.pk}", year=submitted.year)
        citizen = rng.choice(citizens)
        fees_total = Decimal(service_terms["fees_total"])
        due = calendar.deadline(submitted, service_terms["legal_deadline_days"] + story.paused)
        steps = _steps(
            service_terms["route"], submitted, sequence, story, departments, calendar, finishers, now
        )
        fields = {}
        if story.is_open:
            fields = _open(rng, story, steps, due, calendar, finishers, employees, now)
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
                submitted_at=submitted,
                due_at=due,
                fees_total=fees_total,
                payment_method=("cash" if rng.random() < 0.8 else "epayment") if fees_total else "",
                payment_reference=f"TR-{center.code}-{sequence}" if fees_total else "",
                taken_by=clerk,
                completed_at=story.decided,
                delivered_at=story.delivered,
                paused_working_days=story.paused,
                on_time=None
                if story.is_open or story.state == RequestState.CANCELLED
                else story.decided <= due,
                working_days_taken=None if story.is_open else story.taken,
                **{"state": story.state, **fields},
            )
        )
        stories.append(story)
        routes.append(steps)
    ServiceRequest.objects.bulk_create(requests, batch_size=500)
    for request, steps in zip(requests, routes, strict=True):
        for step in steps:
            step.request = request
    RequestStep.objects.bulk_create([step for steps in routes for step in steps], batch_size=1000)
    fees, documents, events = [], [], []
    for request, story, steps in zip(requests, stories, routes, strict=True):
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
        documents += [
            RequestDocument(
                request=request,
                position=i,
                code=document["code"],
                name_ar=document["name_ar"],
                name_en=document.get("name_en", ""),
                required=document["required"],
                received=document["required"],
            )
            for i, document in enumerate(request.terms["documents"], start=1)
        ]
        history = _history(request, story, steps, clerk)
        request.current_step = _current(story, steps)
        request.version = len(history) - 1  # every act after the intake's first row bumped it
        events += history
    for request, story in zip(requests, stories, strict=True):
        if story.state in (RequestState.READY, RequestState.DELIVERED):  # approved: its document, that day
            subject = f"العقار رقم {rng.randint(1, 250)} — {center.short_name_ar}"
            request.document = document_issue(
                document=output_document(request, subject), actor=None, now=story.decided
            )
    ServiceRequest.objects.bulk_update(requests, ["current_step", "version", "document"], batch_size=500)
    RequestFee.objects.bulk_create(fees, batch_size=1000)
    RequestDocument.objects.bulk_create(documents, batch_size=1000)
    RequestEvent.objects.bulk_create(events, batch_size=1000)  # not save(): roll-ups are rebuilt after
    return len(requests)


def _staff(departments: dict, roles: list[str]) -> dict[int, list[User]]:
    """Each department's staff holding one of ``roles`` (the demo's accounts: Benha and Heliopolis)."""
    return {
        department.pk: list(
            User.objects.filter(
                role_assignments__department=department,
                role_assignments__role__in=roles,
                role_assignments__is_active=True,
            )
            .distinct()
            .order_by("username")
        )
        for department in departments.values()
    }


def _steps(route, submitted, sequence, story, departments, calendar, finishers, now) -> list[RequestStep]:
    """The route's steps as the workflow leaves them. The working days a request takes are shared out
    over its steps in proportion to their allowances (the citizen's time in the first one); each step
    finished is finished by one of its department's staff, with its clock and working days stored. An
    open request stands at the step its elapsed working days fall in (the last one once they are past
    the others): that step runs, the ones after it wait. A cancelled request stopped at its first."""
    steps = [
        RequestStep(position=i, department=departments[step["department"]], working_days=step["working_days"])
        for i, step in enumerate(route, start=1)
    ]
    if story.state == RequestState.CANCELLED:
        first = steps[0]
        times = clock_start(calendar, at=submitted.astimezone(UTC), working_days=first.working_days)
        first.status, first.started_at = RequestStep.Status.STOPPED, submitted
        first.due_at, first.risk_at = times.due_at, times.risk_at
        return steps
    allowances = [step.working_days for step in steps]
    taken = story.taken if story.taken is not None else sum(allowances)
    shares = [taken * days // max(sum(allowances), 1) for days in allowances[:-1]]
    shares.append(max(taken - sum(shares), 0))
    start = submitted
    for step, share in zip(steps, shares, strict=True):
        waited = story.paused if step.position == 1 else 0
        # From a moment in UTC, as the services' clock starts (timezone.now()): the at-risk moment is a
        # share of the real time to the deadline, daylight saving's hour included.
        times = clock_start(calendar, at=start.astimezone(UTC), working_days=step.working_days)
        step.started_at = start
        # Moved later by the working days the citizen kept it waiting, as the resubmission moves them.
        step.due_at = clock_shift(calendar, times.due_at, waited)
        step.risk_at = clock_shift(calendar, times.risk_at, waited)
        last = step.position == len(steps)
        end = calendar.shift(start, share + waited)
        if story.is_open and (last or end >= now):
            step.status = RequestStep.Status.ACTIVE
            return steps
        if not story.is_open:
            end = story.decided if last else min(end, story.decided)
        if waited:  # asked soon after the step started, brought back ``waited`` working days later
            slack = max(end - calendar.shift(start, waited), timedelta(0))
            story.asked_at = start + min(timedelta(minutes=30 + sequence % 60), slack)
            story.brought_at = calendar.shift(story.asked_at, waited)
        people = finishers.get(step.department_id) or [None]
        step.status, step.completed_at = RequestStep.Status.DONE, end
        step.completed_by = people[sequence % len(people)]
        step.working_days_taken = clock_working_days_used(
            calendar, due_at=step.due_at, working_days=step.working_days, at=end
        )
        start = end
    return steps


def _open(rng, story: _Story, steps, due: datetime, calendar, finishers, employees, now) -> dict:
    """An open request's own columns, as the services leave them: its department and the queue's copy
    of the current step's clock; perhaps waiting for the citizen since a moment before that step was at
    risk and before the legal deadline passed (so the sweep never had to mark it), perhaps given to an
    employee of the department since a moment after the step started (and before any pause): always
    when its step falls due soon (``TAKEN_WITHIN_WORKING_DAYS``), sometimes when it does not."""
    current = _current(story, steps)
    fields = {
        "current_department_id": current.department_id,
        "step_due_at": current.due_at,
        "step_risk_at": current.risk_at,
    }
    if rng.random() < AWAITING_SHARE:
        paused_at = _moment_between(rng, calendar, current.started_at, min(current.risk_at, due, now))
        if paused_at is not None:
            story.state = RequestState.AWAITING_CITIZEN
            current.status = RequestStep.Status.PAUSED
            fields["paused_at"] = paused_at
    staff = employees.get(current.department_id) or []
    due_soon = current.due_at <= calendar.deadline(now, TAKEN_WITHIN_WORKING_DAYS)
    if staff and ((due_soon and "paused_at" not in fields) or rng.random() < ASSIGNED_SHARE):
        until = fields.get("paused_at", now)
        soon_after = current.started_at + timedelta(minutes=10)  # taken as it arrived
        story.assigned_at = _moment_between(rng, calendar, current.started_at, until) or (
            soon_after if soon_after < until else None
        )
        if story.assigned_at is not None:
            fields["assignee"] = staff[rng.randrange(len(staff))]
    if "paused_at" in fields:  # asked by its assignee, or by one of the department's staff
        people = finishers.get(current.department_id) or [None]
        story.asked_by = fields.get("assignee") or people[rng.randrange(len(people))]
    return fields


def _moment_between(rng, calendar: WorkCalendar, after: datetime, before: datetime) -> datetime | None:
    """A moment of working hours strictly between ``after`` and ``before`` (None: there is none)."""
    days = _working_days(calendar, after.astimezone(CAIRO).date(), before.astimezone(CAIRO).date())
    rng.shuffle(days)
    for day in days[:4]:
        moment = _at(day, rng, 9, 14)
        if after < moment < before:
            return moment
    return None


def _current(story: _Story, steps: list[RequestStep]) -> RequestStep:
    """The step the request's ``current_step`` names: the one running or paused while it is open, the
    last one once decided, the one it was cancelled at."""
    if story.state == RequestState.CANCELLED:
        return steps[0]
    if story.is_open:
        return next(s for s in steps if s.status in (RequestStep.Status.ACTIVE, RequestStep.Status.PAUSED))
    return steps[-1]


def _documents_asked(request: ServiceRequest) -> list[dict]:
    """What an employee asks the citizen for: one of the service's documents (a clearer or newer copy)
    other than the national ID, as the workflow copies it from the catalog."""
    documents = [d for d in request.terms["documents"] if d["code"] != "NID"] or request.terms["documents"]
    document = documents[request.sequence % len(documents)]
    return [
        {"code": document["code"], "name_ar": document["name_ar"], "name_en": document.get("name_en", "")}
    ]


def _history(request: ServiceRequest, story: _Story, steps: list[RequestStep], clerk) -> list[RequestEvent]:
    """The rows the services would have written, chained the same way: taken at the window (with the
    fees paid) and routed to the first department; then each step finished (forwarded, or decided at
    the last one), with the documents asked of the citizen and brought back during the first step of a
    decided request that waited; the output issued and delivered; or, for an open request, its
    assignment and the documents asked of the citizen it now waits for."""
    action, first, last = RequestEvent.Action, steps[0], steps[-1]
    rows = [
        RequestEvent(
            at=request.submitted_at,
            actor=clerk,
            action=action.SUBMITTED,
            to_state=RequestState.SUBMITTED,
            **payment_note(request),
        ),
        _row(request.submitted_at, None, action.ROUTED, first, from_state=RequestState.SUBMITTED),
    ]
    if story.state == RequestState.CANCELLED:
        rows.append(
            _row(story.decided, clerk, action.CANCELLED, first, to_state=story.state, note=CANCEL_REASON)
        )
        return _chained(request, rows)
    for step in steps:
        if step.status != RequestStep.Status.DONE:
            break
        if step.position == 1 and story.paused:
            rows += _waited(request, story, step, clerk)
        if not (step is last and not story.is_open):  # the last one is finished by the decision
            rows.append(_row(step.completed_at, step.completed_by, action.FORWARDED, step))
    if story.is_open:
        current = _current(story, steps)
        if story.assigned_at is not None:  # took it as the next one of the department's pool
            rows.append(
                _row(
                    story.assigned_at,
                    request.assignee,
                    action.ASSIGNED,
                    current,
                    system_note=SystemNote.ASSIGNED_TO,
                    system_note_values={"name": str(request.assignee)},
                )
            )
        if request.paused_at is not None:
            rows.append(
                _row(
                    request.paused_at,
                    story.asked_by,
                    action.INFO_REQUESTED,
                    current,
                    to_state=RequestState.AWAITING_CITIZEN,
                    public_note=NOTES_FOR_THE_CITIZEN[request.sequence % len(NOTES_FOR_THE_CITIZEN)],
                    documents=_documents_asked(request),
                )
            )
    elif story.state == RequestState.REJECTED:
        reason = REJECTION_REASONS[request.sequence % len(REJECTION_REASONS)]
        rows.append(
            _row(
                story.decided,
                last.completed_by,
                action.REJECTED,
                last,
                to_state=story.state,
                public_note=reason,
            )
        )
    else:
        approved, ready = RequestState.APPROVED, RequestState.READY
        rows.append(_row(story.decided, last.completed_by, action.APPROVED, last, to_state=approved))
        rows.append(
            _row(story.decided, last.completed_by, action.ISSUED, last, from_state=approved, to_state=ready)
        )
        if story.delivered:
            rows.append(
                _row(
                    story.delivered,
                    clerk,
                    action.DELIVERED,
                    last,
                    from_state=ready,
                    to_state=RequestState.DELIVERED,
                    system_note=SystemNote.HANDED_TO_APPLICANT,
                )
            )
    return _chained(request, rows)


def _row(
    at, actor, action, step, *, from_state=RequestState.IN_REVIEW, to_state=RequestState.IN_REVIEW, **more
):
    return RequestEvent(
        at=at, actor=actor, action=action, from_state=from_state, to_state=to_state, step=step, **more
    )


def _waited(request: ServiceRequest, story: _Story, step: RequestStep, clerk) -> list[RequestEvent]:
    """A decided request that waited for the citizen: documents asked during its first step, brought
    back to the window ``story.paused`` working days later (the clock stood still meanwhile)."""
    documents = _documents_asked(request)
    return [
        _row(
            story.asked_at,
            step.completed_by,
            RequestEvent.Action.INFO_REQUESTED,
            step,
            to_state=RequestState.AWAITING_CITIZEN,
            documents=documents,
        ),
        _row(
            story.brought_at,
            clerk,
            RequestEvent.Action.RESUBMITTED,
            step,
            from_state=RequestState.AWAITING_CITIZEN,
            documents=documents,
        ),
    ]


def _chained(request: ServiceRequest, rows: list[RequestEvent]) -> list[RequestEvent]:
    previous = ""
    for event in rows:
        event.request = request
        event.chain_hash = previous = chained_hash(previous, event)
    return rows


def _sweep_as_the_beat_did(now: datetime) -> None:
    """The deadline sweep, run as the beat ran it while the open requests' clocks were running: twice a
    day from the first moment one of them could be at risk or late, then at ``now``. So their marks
    (at risk, overdue), the escalations and the apology to each citizen whose legal deadline passed
    are the sweep's own, dated the day they happened."""
    running = ServiceRequest.objects.filter(state=RequestState.IN_REVIEW).aggregate(
        step=Min("step_risk_at"), request=Min("due_at")
    )
    first = min(filter(None, running.values()), default=None)
    if first is None:
        return
    day = first.astimezone(CAIRO).date()
    while day <= now.astimezone(CAIRO).date():
        for at in SWEEP_TIMES:
            moment = datetime.combine(day, at, tzinfo=CAIRO)
            if moment < now:
                deadline_sweep(now=moment)
        day += timedelta(days=1)
    deadline_sweep(now=now)
