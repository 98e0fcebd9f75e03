"""The other kinds of work beside the requests, for a dashboard's place (one center, one governorate, or
everything the viewer reaches) and period, each beside the period just before: complaints, issued
documents, the building-violation reconciliation cases, letters, the hall and SMS.

Every figure comes from the definition that already exists wherever there is one — complaints, issued
documents and the hall from ``reports.selectors``, the violation cases from ``reports.kpis`` over the
request roll-ups — narrowed to the place and always inside the viewer's reach. The two without a report
of their own are defined here: letters (``letter_work``) and SMS (``sms_work``). Each query is one
aggregate over a table filtered by period and scope (the open violation cases: the open requests of
three services), never a walk over the history of requests.

``add_other_work`` puts all of it in a dashboard's context: the figures, the tables as the page shows
them, and the same tables in ``context["tables"]`` for their CSV and Excel downloads
(``reports.tables``); ``add_escalations`` the escalations waiting now at the place's level
(``reports.escalations``), which the page never keeps (``reports.kept_figures``)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.authz import scope_q
from accounts.models import Role, User
from core.models import in_language
from correspondence.models import RUNNING_STATES, Letter, LetterState
from organisation.calendar import CAIRO
from organisation.models import Center, Governorate
from organisation.places import OrgPaths
from reports import escalations as escalation_lists
from reports import spans
from reports.backlog import backlog_by
from reports.dashboards import whole_governorate
from reports.exports import Table
from reports.kpis import RequestKpis, centers_named, combined, kpis_of, slice_in_reach
from reports.models import SmsDay
from reports.selectors import (
    REPORT_ROLES,
    ComplaintFigures,
    ComplaintGrouping,
    ComplaintReport,
    HallFigures,
    HallReport,
    complaint_figures,
    documents_by_kind,
    hall_figures,
)
from reports.sms_rollups import SMS_FIGURES
from services.models import OutputKind, Service

# The catalog's category of the building-violation services (VIOL-RECON, VIOL-NONE, VIOL-APPEAL).
VIOLATIONS_CATEGORY = "VIOL"


@dataclass(frozen=True)
class Place:
    """What a dashboard covers: one center, one governorate, or (neither) everything in the viewer's
    reach. It only narrows: the viewer's reach is applied by each figure."""

    governorate: Governorate | None = None
    center: Center | None = None

    def q(self, *, governorate: str, center: str) -> Q:
        if self.center is not None:
            return Q(**{center: self.center.pk})
        if self.governorate is not None:
            return Q(**{governorate: self.governorate.pk})
        return Q()

    def centers_q(self) -> Q:
        """The place as its centers' ids (what the roll-ups are read by: their center index)."""
        if self.center is None and self.governorate is not None:
            return Q(
                center_id__in=list(
                    Center.objects.filter(governorate=self.governorate).values_list("pk", flat=True)
                )
            )
        return self.q(governorate="", center="center_id")


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def dates(self) -> dict[str, date]:
        return {"date_from": self.date_from, "date_to": self.date_to}

    @property
    def span(self) -> tuple[date, date]:
        """The first and last days."""
        return self.date_from, self.date_to

    @property
    def previous(self) -> "Period":
        """The same number of days just before (as ``reports.kpis.request_kpis_compared``'s)."""
        length = (self.date_to - self.date_from).days + 1
        return Period(self.date_from - timedelta(days=length), self.date_from - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first day's midnight to the midnight after the last, Cairo time."""
        return (
            datetime.combine(self.date_from, time.min, tzinfo=CAIRO),
            datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=CAIRO),
        )


# Complaints: reports.selectors.complaint_figures ----------------------------------------------------


@dataclass(frozen=True)
class ComplaintWork:
    grouping: ComplaintGrouping
    report: ComplaintReport  # with the period before's total

    @property
    def previous(self) -> ComplaintFigures:
        return self.report.previous


def complaint_work(*, user: User, place: Place, period: Period) -> ComplaintWork:
    """Per center for a governorate, per kind of complaint for a center or the whole country."""
    grouping = ComplaintGrouping.CATEGORY
    if place.governorate is not None and place.center is None:
        grouping = ComplaintGrouping.CENTER
    where = place.q(governorate="center__governorate", center="center")
    report = complaint_figures(
        user=user, **period.dates, group_by=grouping, where=where, previous=period.previous.span
    )
    return ComplaintWork(grouping, report)


# Issued documents: reports.selectors.documents_by_kind ---------------------------------------------


@dataclass(frozen=True)
class KindFigures:
    kind: str
    issued: int = 0
    revoked: int = 0

    @property
    def label(self) -> str:
        return OutputKind(self.kind).label if self.kind else ""


@dataclass(frozen=True)
class DocumentWork:
    rows: list[KindFigures]
    total: KindFigures
    previous: KindFigures


def _sum_kinds(lines) -> KindFigures:
    lines = list(lines)
    return KindFigures("", sum(k.issued for k in lines), sum(k.revoked for k in lines))


def document_work(*, user: User, place: Place, period: Period) -> DocumentWork:
    """Permits, licences, certificates … issued and revoked, by kind (the catalog's order)."""
    centers = place.q(governorate="governorate", center="pk")
    found = documents_by_kind(user=user, periods=[period.span, period.previous.span], centers=centers)
    now = {kind: figures[0] for kind, figures in found.items() if any(figures[0])}
    rows = [KindFigures(kind, *now[kind]) for kind in OutputKind.values if kind in now]
    previous = _sum_kinds(KindFigures(kind, *figures[1]) for kind, figures in found.items())
    return DocumentWork(rows, _sum_kinds(rows), previous)


# The building-violation cases: reports.kpis over the request roll-ups --------------------------------


@dataclass(frozen=True)
class ViolationLine:
    code: str
    name: str
    kpis: RequestKpis
    pending: int


@dataclass(frozen=True)
class ViolationWork:
    rows: list[ViolationLine]
    total: RequestKpis
    pending: int
    previous: RequestKpis


def violation_work(*, user: User, place: Place, period: Period) -> ViolationWork:
    """The governorate's licensing statistics on building violations: per service of the catalog's
    violations category, the cases received and decided in the period (the request KPIs, from the
    roll-ups) and those open now (the backlog snapshot, as the other open figures)."""
    services = list(
        Service.objects.filter(category__code=VIOLATIONS_CATEGORY)
        .order_by("code")
        .values("pk", "code", "name_ar", "name_en")
    )
    ids = [s["pk"] for s in services]
    services_q = Q(service__in=ids)
    places = whole_governorate(user, place.governorate if place.center is None else None)
    slice_ = slice_in_reach(
        user, rows=place.centers_q() & services_q, places=places & services_q if places else None
    )
    periods = [period.span, period.previous.span]
    found = kpis_of(periods, rows=slice_.rows, by=("service",), places=slice_.places) if ids else {}
    kpis = {key: now for (key,), (now, _) in found.items()}
    pending = (
        {key[0]: backlog.open for key, backlog in backlog_by(by=["service"], rows=slice_.rows).items()}
        if ids
        else {}
    )
    rows = [
        ViolationLine(
            s["code"],
            in_language(s["name_ar"], s["name_en"]),
            kpis.get(s["pk"], RequestKpis()),
            pending.get(s["pk"], 0),
        )
        for s in services
    ]
    previous = combined(before for _, before in found.values())
    return ViolationWork(rows, combined(r.kpis for r in rows), sum(pending.values()), previous)


# Letters (correspondence): registered, answered on time, overdue now, per office -------------------

NATIONAL_ROLES = (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)


def letters_in_report_reach(user: User) -> Q:
    """Whose registers' figures (numbers only, never a letter) ``user`` reads: a governorate official
    their governorate's offices, a center manager the office of their center's local unit, the
    national roles every office."""
    wide = scope_q(user, (Role.GOVERNORATE_OFFICIAL, *NATIONAL_ROLES), OrgPaths(governorate="governorate"))
    if not wide:  # national: everything (an empty Q would vanish in an OR)
        return wide
    units = [a.center.local_unit_id for a in user.assignments_for([Role.CENTER_MANAGER]) if a.center_id]
    return wide | Q(local_unit__in=[unit for unit in units if unit])


@dataclass(frozen=True)
class LetterLine:
    label: str
    registered: int = 0  # numbered in one of the office's registers (incoming or outgoing) in the period
    answered: int = 0  # replies owed (with a reply date) and answered in the period
    on_time: int = 0  # of those, answered by the reply date
    overdue: int | None = None  # incoming letters owing a reply past its date, now

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class LetterWork:
    rows: list[LetterLine]
    total: LetterLine
    previous: LetterLine


def letter_work(*, user: User, place: Place, period: Period) -> LetterWork:
    """Per office (a local unit's or the governorate's own; per governorate for the whole country), in
    one query over the letters of the period and the running ones:

    - registered: letters given a number in the office's incoming or outgoing register in the period
      (``registered_at``);
    - answered: incoming letters whose reply was registered in the period and that had a reply date
      (``answered_at``, state answered, ``on_time`` set), and of those answered on time
      (``on_time``: answered by the reply date); the on-time rate is on time ÷ answered;
    - overdue now: incoming letters still owing a reply (registered, routed, in progress) past their
      reply date, whatever the period (live)."""
    if place.center is not None:  # its local unit's office (a mobile center has none)
        where = Q(local_unit=place.center.local_unit_id) if place.center.local_unit_id else Q(pk__in=[])
    elif place.governorate is not None:
        where = Q(governorate=place.governorate.pk)
    else:
        where = Q()
    start, end = period.bounds()
    before = period.previous.bounds()[0]
    now = timezone.now()
    registered = Q(number__isnull=False, registered_at__gte=start, registered_at__lt=end)
    registered_before = Q(number__isnull=False, registered_at__gte=before, registered_at__lt=start)
    answered = Q(
        state=LetterState.ANSWERED, on_time__isnull=False, answered_at__gte=start, answered_at__lt=end
    )
    answered_before = Q(
        state=LetterState.ANSWERED, on_time__isnull=False, answered_at__gte=before, answered_at__lt=start
    )
    overdue = Q(state__in=RUNNING_STATES, due_at__lt=now)
    if place.governorate is None and place.center is None:
        group = ("governorate", "governorate__code", "governorate__name_ar", "governorate__name_en")
        order = ("governorate__code",)
    else:
        group = (
            "governorate",
            "local_unit",
            "local_unit__code",
            "local_unit__name_ar",
            "local_unit__name_en",
            "governorate__name_ar",
            "governorate__name_en",
        )
        order = ("local_unit__code",)
    lines = (
        Letter.objects.filter(letters_in_report_reach(user) & where)
        .filter(registered | registered_before | answered | answered_before | overdue)
        .values(*group)
        .annotate(  # (named apart from the letters' own fields, which the filters read)
            n_registered=Count("pk", filter=registered),
            n_registered_before=Count("pk", filter=registered_before),
            n_answered=Count("pk", filter=answered),
            n_on_time=Count("pk", filter=answered & Q(on_time=True)),
            n_answered_before=Count("pk", filter=answered_before),
            n_on_time_before=Count("pk", filter=answered_before & Q(on_time=True)),
            n_overdue=Count("pk", filter=overdue),
        )
        .order_by(*order)
    )
    rows, previous = [], LetterLine(_("Previous period"))
    for line in lines:
        if "local_unit" in line and line["local_unit"] is not None:
            label = in_language(line["local_unit__name_ar"], line["local_unit__name_en"])
        else:  # the governorate's own office, or a governorate as a whole
            label = in_language(line["governorate__name_ar"], line["governorate__name_en"])
        if line["n_registered"] or line["n_answered"] or line["n_overdue"]:
            rows.append(
                LetterLine(
                    label, line["n_registered"], line["n_answered"], line["n_on_time"], line["n_overdue"]
                )
            )
        previous = LetterLine(
            previous.label,
            previous.registered + line["n_registered_before"],
            previous.answered + line["n_answered_before"],
            previous.on_time + line["n_on_time_before"],
        )
    total = LetterLine(
        _("Total"),
        sum(r.registered for r in rows),
        sum(r.answered for r in rows),
        sum(r.on_time for r in rows),
        sum(r.overdue or 0 for r in rows),
    )
    return LetterWork(rows, total, previous)


# The hall: reports.selectors.hall_figures -----------------------------------------------------------


@dataclass(frozen=True)
class HallWork:
    report: HallReport  # with the period before's total
    lines: bool  # a line per queue or center (the whole country: its total only)

    @property
    def previous(self) -> HallFigures:
        return self.report.previous

    @property
    def rows(self) -> list[HallFigures]:
        """By queue for a center, by center for a governorate; the whole country as its total only."""
        return self.report.by_queue if self.report.center is not None else self.report.by_center


def hall_work(*, user: User, place: Place, period: Period) -> HallWork:
    national = place.governorate is None and place.center is None
    report = hall_figures(
        user=user,
        **period.dates,
        center=place.center,
        centers=place.q(governorate="governorate", center="pk"),
        lines=not national,
        previous=period.previous.span,
    )
    return HallWork(report, lines=not national)


# SMS (notifications' outbox) ------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsFigures:
    label: str
    queued: int = 0
    sent: int = 0
    parts: int = 0  # the parts of the messages sent: what the gateway bills
    failed: int = 0

    @property
    def waiting(self) -> int:
        return self.queued - self.sent - self.failed


@dataclass(frozen=True)
class SmsWork:
    current: SmsFigures
    previous: SmsFigures


def _sms_rows(user: User, place: Place) -> Q:
    """The SMS roll-up's rows ``user`` counts at ``place``: those about what is in their reach there, a
    complaint about staff conduct only through a local role (never for the national roles, as in
    ``complaints_in_report_reach``)."""
    centers = place.q(governorate="governorate", center="pk")
    reach = centers_named(user, REPORT_ROLES, centers)
    if not user.has_role(*NATIONAL_ROLES):
        return reach
    local_roles = [role for role in REPORT_ROLES if role not in NATIONAL_ROLES]
    if not user.has_role(*local_roles):
        return reach & Q(confidential=False)
    return (reach & Q(confidential=False)) | centers_named(user, local_roles, centers)


def sms_work(*, user: User, place: Place, period: Period) -> SmsWork:
    """The SMS queued in the period (on the day the event they report happened) and how they stand now:
    sent (accepted by the gateway, or delivered), the parts of those sent (what the gateway bills),
    failed (given up after the last attempt, or reported failed); the rest are still waiting. Counted
    where what they are about is — a request, a complaint or a hall ticket of a center — from the
    roll-up (``reports.sms_rollups``), both periods in one statement."""
    found = spans.summed(
        SmsDay,
        periods=[period.span, period.previous.span],
        figures=SMS_FIGURES,
        rows=_sms_rows(user, place),
    )
    now, before = found.get((), [dict.fromkeys(SMS_FIGURES, 0)] * 2)
    counts = ("queued", "sent", "parts", "failed")
    return SmsWork(
        SmsFigures(_("This period"), *(now[name] for name in counts)),
        SmsFigures(_("Previous period"), *(before[name] for name in counts)),
    )


# All of it ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OtherWork:
    place: Place
    period: Period
    complaints: ComplaintWork
    documents: DocumentWork
    violations: ViolationWork
    letters: LetterWork
    hall: HallWork
    sms: SmsWork


def other_work(*, user: User, place: Place, period: Period) -> OtherWork:
    kwargs = {"user": user, "place": place, "period": period}
    return OtherWork(
        place=place,
        period=period,
        complaints=complaint_work(**kwargs),
        documents=document_work(**kwargs),
        violations=violation_work(**kwargs),
        letters=letter_work(**kwargs),
        hall=hall_work(**kwargs),
        sms=sms_work(**kwargs),
    )


# As the dashboards show them, and download them ----------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "count"  # count, rate (0–1, shown in %), decimal (one place), text
    download_header: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    values: list
    url: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


def _shown(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "count":
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "decimal":
        return formats.number_format(value, 1, use_l10n=True)
    return str(value)


def _plain(value, kind: str):
    """A download's cell: numbers stay numbers (rates in %), nothing is an empty cell."""
    if value is None:
        return ""
    if kind == "rate":
        return round(value * 100, 1)
    if kind == "decimal":
        return round(value, 2)
    return value if kind == "count" else str(value)


@dataclass(frozen=True)
class WorkTable:
    """One table of a dashboard, the same rows on the screen and in its download."""

    id: str
    heading: str  # the kind of work (a heading above the table)
    title: str  # the caption, and the sheet's name
    label_header: str  # the header of the rows' own column
    columns: list[Column]
    rows: list[Row]
    foot: list[Row] = field(default_factory=list)  # total, the period before
    empty: str = ""
    note: str = ""

    def _cells(self, row: Row) -> list[Cell]:
        return [
            Cell(_shown(v, c.kind), c.kind != "text") for v, c in zip(row.values, self.columns, strict=True)
        ]

    @property
    def shown_rows(self) -> list[tuple[Row, list[Cell]]]:
        return [(row, self._cells(row)) for row in self.rows]

    @property
    def shown_foot(self) -> list[tuple[Row, list[Cell]]]:
        return [(row, self._cells(row)) for row in self.foot]

    def download(self) -> Table:
        return Table(
            self.title,
            [self.label_header, *(c.download_header or c.header for c in self.columns)],
            [
                [row.label, *(_plain(v, c.kind) for v, c in zip(row.values, self.columns, strict=True))]
                for row in [*self.rows, *self.foot]
            ],
        )


def _on_time_column() -> Column:
    return Column(_("On-time rate"), "rate", _("On-time rate (%)"))


def complaints_table(work: ComplaintWork) -> WorkTable:
    def values(f: ComplaintFigures) -> list:
        return [f.received, f.resolved, f.on_time, f.on_time_rate, f.reopened, f.mean_rating, f.rated]

    by = {
        ComplaintGrouping.CENTER: (_("Complaints by center"), _("Center")),
        ComplaintGrouping.CATEGORY: (_("Complaints by kind"), _("Kind")),
    }[work.grouping]
    return WorkTable(
        id="complaints",
        heading=_("Complaints"),
        title=by[0],
        label_header=by[1],
        columns=[
            Column(_("Received")),
            Column(_("Resolved")),
            Column(_("Answered on time")),
            _on_time_column(),
            Column(_("Reopened")),
            Column(_("Mean rating (1–5)"), "decimal"),
            Column(_("Rated")),
        ],
        rows=[Row(line.label, values(line)) for line in work.report.rows],
        foot=[
            Row(_("Total"), values(work.report.total)),
            Row(_("Previous period"), values(work.previous)),
        ],
        empty=_("No complaint was filed, answered, merged or rated in this period."),
        note=_(
            "Received: filed in the period. Resolved, answered on time and reopened: of the complaints "
            "answered in the period (on time of all those answered, resolved or rejected). Rating: of "
            "those rated in the period."
        ),
    )


def documents_table(work: DocumentWork) -> WorkTable:
    def values(k: KindFigures) -> list:
        return [k.issued, k.revoked]

    return WorkTable(
        id="documents",
        heading=_("Permits, licences and certificates"),
        title=_("Documents issued and revoked, by kind"),
        label_header=_("Kind"),
        columns=[Column(_("Issued")), Column(_("Revoked"))],
        rows=[Row(str(k.label), values(k)) for k in work.rows],
        foot=[Row(_("Total"), values(work.total)), Row(_("Previous period"), values(work.previous))],
        empty=_("No document was issued or revoked in this period."),
    )


def violations_table(work: ViolationWork) -> WorkTable:
    def values(k: RequestKpis, pending) -> list:
        return [k.received, k.decided, k.on_time_rate, pending]

    return WorkTable(
        id="violations",
        heading=_("Building violations and reconciliation"),
        title=_("Building-violation cases, by service"),
        label_header=_("Service"),
        columns=[
            Column(_("Received")),
            Column(_("Decided")),
            _on_time_column(),
            Column(_("Pending now")),
        ],
        rows=[Row(f"{line.name} ({line.code})", values(line.kpis, line.pending)) for line in work.rows],
        foot=[
            Row(_("Total"), values(work.total, work.pending)),
            Row(_("Previous period"), values(work.previous, None)),
        ],
        empty=_("The catalog has no building-violation service."),
        note=_(
            "Received and decided in the period, as the requests' figures count them; pending: the open "
            "cases now, whatever the period."
        ),
    )


def letters_table(work: LetterWork, *, national: bool) -> WorkTable:
    def values(line: LetterLine) -> list:
        return [line.registered, line.answered, line.on_time, line.on_time_rate, line.overdue]

    return WorkTable(
        id="letters",
        heading=_("Letters"),
        title=_("Letters by governorate") if national else _("Letters by office"),
        label_header=_("Governorate") if national else pgettext("letters register", "Office"),
        columns=[
            Column(_("Registered")),
            Column(_("Replies answered")),
            Column(_("Answered on time")),
            _on_time_column(),
            Column(_("Overdue now")),
        ],
        rows=[Row(line.label, values(line)) for line in work.rows],
        foot=[Row(_("Total"), values(work.total)), Row(_("Previous period"), values(work.previous))],
        empty=_("No letter was registered or answered in this period, and none is overdue."),
        note=_(
            "Registered: numbered in the incoming or outgoing register in the period. Replies answered: "
            "incoming letters with a reply date whose reply was registered in the period. Overdue now: "
            "letters still owing a reply past its date."
        ),
    )


def _hall_values(line: HallFigures) -> list:
    return [line.issued, line.served, line.no_shows, line.mean_wait, line.p90_wait]


def _hall_columns() -> list[Column]:
    return [
        Column(_("Tickets issued")),
        Column(_("Served")),
        Column(_("Did not come")),
        Column(_("Mean wait (minutes)"), "decimal"),
        Column(_("90th-percentile wait (minutes)"), "decimal"),
    ]


def hall_tables(work: HallWork) -> list[WorkTable]:
    """By queue (and by hour) for a center, by center for a governorate, the total for the country."""
    center, total = work.report.center is not None, work.report.total
    previous = Row(_("Previous period"), _hall_values(work.previous))
    if work.lines:
        rows = [Row(line.label, _hall_values(line)) for line in work.rows]
        foot = [Row(_("Total"), _hall_values(total)), previous]
    else:
        rows, foot = [Row(_("Total"), _hall_values(total))], [previous]
    tables = [
        WorkTable(
            id="hall",
            heading=_("The hall"),
            title=_("Hall tickets, by queue") if center else _("Hall tickets, by center"),
            label_header=_("Queue") if center else _("Center"),
            columns=_hall_columns(),
            rows=rows,
            foot=foot,
            empty=_("No ticket was taken in this period."),
            note=_("Waits in minutes from taking the ticket to its first call, of the tickets called."),
        )
    ]
    if center:
        tables.append(
            WorkTable(
                id="hall_hours",
                heading="",
                title=_("Hall tickets, by hour of the day"),
                label_header=_("Hour"),
                columns=_hall_columns(),
                rows=[Row(line.label, _hall_values(line)) for line in work.report.by_hour],
                empty=_("No ticket was taken in this period."),
            )
        )
    return tables


def sms_table(work: SmsWork) -> WorkTable:
    def values(f: SmsFigures) -> list:
        return [f.queued, f.sent, f.parts, f.failed, f.waiting]

    return WorkTable(
        id="sms",
        heading=_("SMS"),
        title=_("SMS to citizens"),
        label_header=_("Period"),
        columns=[
            Column(_("Queued")),
            Column(_("Sent")),
            Column(_("Parts sent (billed)")),
            Column(_("Failed")),
            Column(_("Still waiting")),
        ],
        rows=[Row(work.current.label, values(work.current))],
        foot=[Row(work.previous.label, values(work.previous))],
        note=_(
            "Messages queued in the period, counted where what they are about is: a request, a "
            "complaint or a hall ticket of this place."
        ),
    )


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def escalations_table(waiting: escalation_lists.EscalationList) -> WorkTable:
    to_center = waiting.level == escalation_lists.Escalation.Level.CENTER_MANAGER
    return WorkTable(
        id="escalations",
        heading=_("Escalated to the center manager") if to_center else _("Escalated to the governorate"),
        title=_("Late work escalated to the center manager")
        if to_center
        else _("Late work escalated to the governorate"),
        label_header=_("Number"),
        columns=[
            Column(_("Kind of work"), "text"),
            Column(_("About"), "text"),
            Column(_("Where"), "text"),
            Column(_("Due"), "text"),
            Column(_("Escalated at"), "text"),
        ],
        rows=[
            Row(
                item.number,
                [item.kind_label, item.about, item.where, _moment(item.due_at), _moment(item.escalated_at)],
                url=item.url,
            )
            for item in waiting.items
        ],
        empty=_("Nothing is escalated to this level now."),
    )


def work_tables(work: OtherWork) -> list[WorkTable]:
    national = work.place.governorate is None and work.place.center is None
    return [
        complaints_table(work.complaints),
        documents_table(work.documents),
        violations_table(work.violations),
        letters_table(work.letters, national=national),
        *hall_tables(work.hall),
        sms_table(work.sms),
    ]


def add_other_work(
    context: dict,
    *,
    user: User,
    form,
    governorate: Governorate | None = None,
    center: Center | None = None,
) -> None:
    """Put in a dashboard's context the other kinds of work of its place over the period of its
    (valid) ``form``, with their tables in ``context["tables"]`` for the downloads."""
    span = Period(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    work = other_work(user=user, place=Place(governorate, center), period=span)
    tables = work_tables(work)
    context["other_work"] = work
    context["other_work_tables"] = tables
    context.setdefault("tables", {}).update({table.id: table.download for table in tables})  # made if asked


def add_escalations(
    context: dict, *, user: User, governorate: Governorate | None = None, center: Center | None = None
) -> None:
    """Put in a dashboard's context the escalations waiting now at its place's level (a center's
    manager, a governorate's officials; none on the national view), with their table."""
    if center is not None:
        waiting = escalation_lists.center_escalations(user=user, center=center)
    elif governorate is not None:
        waiting = escalation_lists.governorate_escalations(user=user, governorate=governorate)
    else:
        waiting = None
    waiting_table = escalations_table(waiting) if waiting is not None else None
    context["escalations"] = waiting
    context["escalations_table"] = waiting_table
    if waiting_table and waiting_table.rows:  # as the page shows it
        context.setdefault("tables", {})[waiting_table.id] = waiting_table.download
