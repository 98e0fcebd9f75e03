"""The dashboards: a governorate's, a center's, the national view, and the requests behind any figure.

Each page checks the role (``RoleRequiredMixin``) and then the place the URL names against the viewer's
reach: another governorate or center is a 404. The figures come from ``reports.kpis`` (over the
roll-ups) through ``reports.dashboards``; this module only parses, calls and lays them out."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.authz import RoleRequiredMixin
from accounts.models import OVERSIGHT_ROLES, Role
from core.money import money
from reports import dashboard_tables, dashboards, spans
from reports.backlog import AGE_BUCKETS, open_by_department
from reports.backlog import as_of as backlog_as_of
from reports.charts import Series, column_chart, line_chart
from reports.dashboards import Kind
from reports.kept_figures import kept_figures
from reports.kpis import Compared, RequestKpis, fees_by_item, request_kpis_compared, slice_in_reach
from reports.other_work import add_escalations, add_other_work
from reports.step_tables import add_step_times, departments_linked
from reports.tables import TableDownloadMixin
from reports.views import PeriodForm
from reports.views_backlog import as_of_label, backlog_panel
from requests_app.models import PaymentMethod

MAX_DAYS = 366
EARLIEST = date(2000, 1, 1)
PAGE_SIZE = 50


class DashboardPeriodForm(PeriodForm):
    grain = forms.ChoiceField(
        label=gettext_lazy("Trend"),
        required=False,
        choices=[
            ("", gettext_lazy("By the period's length")),
            ("day", gettext_lazy("By day")),
            ("week", gettext_lazy("By week")),
            ("month", gettext_lazy("By month")),
        ],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if not (start and end):
            return data
        if start < EARLIEST or end > timezone.localdate() + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(
                _("Choose dates from %(first)s to a year from today.") % {"first": EARLIEST.isoformat()}
            )
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS})
        return data


def last_30_days() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=29), today


# Presentation -----------------------------------------------------------------------------------------


def _count(value) -> str:
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _days(value: float | None) -> str:
    return "—" if value is None else formats.number_format(value, 1, use_l10n=True)


@dataclass
class Comparison:
    label: str
    value: str
    change: str
    tone: str  # good, bad, same or none (no basis)
    direction: str  # words for screen readers: up, down, unchanged


@dataclass
class Figure:
    key: str
    label: str
    value: str
    url: str = ""
    link_label: str = ""
    comparisons: list[Comparison] = field(default_factory=list)


# (key, label, value of a RequestKpis, shown as, better when, drill-down kind)
FIGURES = (
    ("received", gettext_lazy("Received"), lambda k: k.received, "count", None, Kind.RECEIVED),
    ("decided", gettext_lazy("Decided"), lambda k: k.decided, "count", "up", Kind.DECIDED),
    ("on_time", gettext_lazy("On-time rate"), lambda k: k.on_time_rate, "rate", "up", Kind.LATE),
    ("delivered", gettext_lazy("Delivered"), lambda k: k.delivered, "count", "up", Kind.DELIVERED),
    ("cancelled", gettext_lazy("Cancelled"), lambda k: k.cancelled, "count", "down", Kind.CANCELLED),
    ("median", gettext_lazy("Median working days"), lambda k: k.median_working_days, "days", "down", None),
    (
        "p90",
        gettext_lazy("90th percentile, working days"),
        lambda k: k.p90_working_days,
        "days",
        "down",
        None,
    ),
    ("fees", gettext_lazy("Fees (EGP)"), lambda k: k.fees, "money", None, None),
)
SHOW = {"count": _count, "rate": _percent, "days": _days, "money": money}


def _change(now, then, shown: str, better: str | None) -> tuple[str, str, str]:
    if now is None or then is None or (shown in ("count", "money") and not then):
        return "", "none", ""
    if shown == "rate":
        delta, text = now - then, _("%(points)s points") % {"points": f"{(now - then) * 100:+.1f}"}
    elif shown == "days":
        delta, text = now - then, _("%(days)s days") % {"days": f"{now - then:+.1f}"}
    else:
        delta = now - then
        text = f"{float(delta) / float(then) * 100:+.0f}%"
    if not delta:
        return text, "same", _("unchanged")
    direction = "up" if delta > 0 else "down"
    tone = "neutral" if better is None else ("good" if direction == better else "bad")
    return text, tone, _("up") if direction == "up" else _("down")


def headline(compared: Compared, drill) -> list[Figure]:
    """The headline figures, each beside the period before and the same period last year."""
    figures = []
    for key, label, value, shown, better, kind in FIGURES:
        now = value(compared.current)
        figure = Figure(key=key, label=str(label), value=SHOW[shown](now))
        if kind:
            figure.url = drill(kind)
            figure.link_label = _("The late requests") if kind == Kind.LATE else _("The requests")
        for period_label, kpis in (
            (_("Previous period"), compared.previous),
            (_("Last year"), compared.last_year),
        ):
            then = value(kpis)
            change, tone, direction = _change(now, then, shown, better)
            figure.comparisons.append(Comparison(period_label, SHOW[shown](then), change, tone, direction))
        figures.append(figure)
    return figures


def trend_chart(trend: dashboards.Trend):
    titles = {
        "day": _("Requests received and decided, by day"),
        "week": _("Requests received and decided, by week"),
        "month": _("Requests received and decided, by month"),
    }
    label = {"day": "%d/%m", "week": "%d/%m", "month": "%m/%Y"}[trend.grain]
    return line_chart(
        title=titles[trend.grain],
        labels=[start.strftime(label) for start in trend.starts],
        series=[Series(_("Received"), trend.received), Series(_("Decided"), trend.decided)],
        rtl=get_language_bidi(),
    )


def figures_row(kpis: RequestKpis) -> dict:
    width = round((kpis.on_time_rate or 0) * 100)
    return {
        "received": _count(kpis.received),
        "decided": _count(kpis.decided),
        "on_time": _percent(kpis.on_time_rate),
        "on_time_width": width,
        "on_time_x": 100 - width if get_language_bidi() else 0,  # the bar grows from the line's start
        "delivered": _count(kpis.delivered),
        "median": _days(kpis.median_working_days),
        "p90": _days(kpis.p90_working_days),
        "fees": money(kpis.fees),
    }


# Views ------------------------------------------------------------------------------------------------


class DashboardView(RoleRequiredMixin, TableDownloadMixin, TemplateView):
    allowed_roles = OVERSIGHT_ROLES

    def period_form(self) -> DashboardPeriodForm:
        start, end = last_30_days()
        return DashboardPeriodForm({"date_from": start, "date_to": end, **self.request.GET.dict()})

    def drill(self, place: dict, period: dict):
        base = reverse("reports:dashboard_requests")
        return lambda kind: f"{base}?{urlencode({**place, 'kind': kind, **period})}"

    def invalid(self, form, **context):
        return self.render_to_response(self.get_context_data(form=form, **context), status=400)

    def figures(self, *, slice_, place: dict, period: dict) -> dict:
        """The period's figures every dashboard shows: the headline, the trend, the slowest services."""
        drill = self.drill(place, period)
        dates = {name: date.fromisoformat(value) for name, value in period.items()}
        compared = request_kpis_compared(**dates, slice_=slice_)
        grain = self.request.GET.get("grain") or None  # (the form has checked it)
        trend = trend_chart(dashboards.trend(**dates, slice_=slice_, grain=grain))
        slowest = dashboards.slowest_services(**dates, slice_=slice_)
        return {
            "figures": headline(compared, drill),
            "trend": trend,
            "slowest": slowest,
            "tables": {
                "figures": dashboard_tables.figures_table(compared),
                "trend": dashboard_tables.chart_table(trend, _("Period starting")),
                "slowest": dashboard_tables.slowest_table(slowest),
            },
        }

    def ranked_figures(
        self, *, slice_, places: list, place_param: str, place: dict, period: dict, taken_at, title, heading
    ) -> dict:
        """The period's figures of a page that ranks its places (a governorate's centers, or the
        governorates when ``place_param`` is "governorate"): those of every page, the backlog panel per
        place, and the places ranked by on-time rate beside their overdue backlog."""
        backlog = backlog_panel(
            rows=slice_.rows,
            drill=lambda p: self.drill(p, period),
            place=place,
            period=period,
            places=places,
            place_param=place_param,
            taken_at=taken_at,
        )
        by = "center" if place_param == "center" else "center__governorate"
        dates = {name: date.fromisoformat(value) for name, value in period.items()}
        ranking = dashboards.ranked(
            places, dashboards.kpis_by(by=by, **dates, slice_=slice_), backlog.overdue_by_place
        )
        shown = self.figures(slice_=slice_, place=place, period=period)
        shown.update(
            backlog=backlog,
            ranking=[(row, figures_row(row.kpis)) for row in ranking],
            open_overdue=sum(row.open_overdue for row in ranking),
        )
        shown["tables"]["ranking"] = dashboard_tables.ranking_table(ranking, title=title, heading=heading)
        shown["tables"].update(backlog.tables())
        return shown

    def page_context(self, *, form, place: dict, period: dict, **context) -> dict:
        """What the page shows outside its period part: the form, the place and the links."""
        drill = self.drill(place, period)
        return self.get_context_data(
            form=form,
            place=place,
            query=urlencode(period),
            drill_base=drill(Kind.DECIDED),
            overdue_url=drill(Kind.OPEN_OVERDUE),
            **context,
        )

    def respond(self, context: dict, *, figures: Callable[[], dict], counted_at: datetime | None):
        """The page, its period part (``figures``, holding the open requests counted at ``counted_at``)
        kept for a few minutes (``reports.kept_figures``); a table's download counts the figures when
        it is asked for."""
        tables = context.setdefault("tables", {})

        def counted() -> dict:  # the period's tables join the page's, for the downloads
            with spans.serial_reads():
                shown = figures()
            tables.update(shown.pop("tables"))
            return shown

        kept = None
        if not self.request.GET.get("table"):
            kept = kept_figures(
                page=self.request.path,
                user=self.request.user,
                query=self.request.GET.dict(),
                counted_at=counted_at,
                compute=counted,
            )
        if kept is None:  # a download, or nothing kept: counted now
            context.update(counted())
        context["kept_figures"] = kept
        return self.render_to_response(context)


def _period(form) -> dict:
    return {name: form.cleaned_data[name].isoformat() for name in ("date_from", "date_to")}


class GovernorateDashboardView(DashboardView):
    """A governorate official's dashboard (a national viewer names the governorate: ?governorate=)."""

    template_name = "reports/dashboard_governorate.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        code = request.GET.get("governorate", "")
        if code:
            governorate = get_object_or_404(dashboards.governorates_in_reach(user), code=code)
        elif official := user.assignments_for([Role.GOVERNORATE_OFFICIAL]):
            governorate = official[0].governorate
        elif user.has_role(*dashboards.NATIONAL_VIEWERS):
            return redirect("reports:dashboard_national")
        else:  # a center's manager: their center's dashboard
            return redirect(
                "reports:dashboard_center", user.assignments_for([Role.CENTER_MANAGER])[0].center.code
            )
        form = self.period_form()
        if not form.is_valid():
            return self.invalid(form, governorate=governorate)
        period, place = _period(form), {"governorate": governorate.code}
        counted_at = backlog_as_of()

        def figures() -> dict:
            centers = list(dashboards.centers_in_reach(user).filter(governorate=governorate))
            slice_ = slice_in_reach(
                user,
                rows=Q(center_id__in=[center.pk for center in centers]),
                places=dashboards.whole_governorate(user, governorate),
            )
            shown = self.ranked_figures(
                slice_=slice_,
                places=centers,
                place_param="center",
                place=place,
                period=period,
                taken_at=counted_at,
                title=_("Centers ranked by on-time rate"),
                heading=_("Center"),
            )
            add_step_times(shown, form=form, slice_=slice_)
            add_other_work(shown, user=user, form=form, governorate=governorate)
            return shown

        context = self.page_context(form=form, place=place, period=period, governorate=governorate)
        add_escalations(context, user=user, governorate=governorate)
        return self.respond(context, figures=figures, counted_at=counted_at)


class CenterDashboardView(DashboardView):
    """A center's dashboard: its manager's, and any center in an official's or national viewer's reach."""

    template_name = "reports/dashboard_center.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        center = get_object_or_404(dashboards.centers_in_reach(user), code=kwargs["code"])
        form = self.period_form()
        if not form.is_valid():
            return self.invalid(form, center=center)
        period, place = _period(form), {"center": center.code}
        slice_ = slice_in_reach(user, rows=Q(center=center))
        today = timezone.localdate()
        intake = dashboards.today_intake(center=center, today=today)
        hours = column_chart(
            title=_("Requests taken today, by hour"),
            labels=[f"{hour:02d}:00" for hour, _ in intake.by_hour],
            series=Series(_("Requests"), [n for _, n in intake.by_hour]),
            rtl=get_language_bidi(),
        )
        fees_today = [
            {**line, "payment": PaymentMethod(line["payment_method"]).label}
            for line in fees_by_item(date_from=today, date_to=today, slice_=slice_)
        ]
        departments, counted_at = open_by_department(rows=slice_.rows), backlog_as_of()  # the open count

        def figures() -> dict:
            backlog = backlog_panel(
                rows=slice_.rows,
                drill=lambda p: self.drill(p, period),
                place=place,
                period=period,
                taken_at=counted_at,
            )
            shown = self.figures(slice_=slice_, place=place, period=period)
            shown.update(backlog=backlog, open_overdue=backlog.backlog.overdue)
            shown["tables"].update(backlog.tables())
            add_step_times(shown, form=form, slice_=slice_)
            add_other_work(shown, user=user, form=form, center=center)
            return shown

        context = self.page_context(
            form=form,
            place=place,
            period=period,
            center=center,
            today=today,
            intake=intake,
            intake_total=sum(n for _, n in intake.by_hour),
            hours=hours,
            fees_today=fees_today,
            departments=departments,
            departments_as_of=as_of_label(counted_at),
            departments_linked=departments_linked(user, departments),
            tables={
                "hours": dashboard_tables.chart_table(hours, _("Hour")),
                "clerks": dashboard_tables.clerks_table(intake),
                "fees_today": dashboard_tables.fee_lines_table(
                    fees_today, title=_("Today's fees, by fee item")
                ),
                "departments": dashboard_tables.departments_table(
                    departments, english=translation.get_language() == "en"
                ),
            },
        )
        add_escalations(context, user=user, center=center)
        return self.respond(context, figures=figures, counted_at=counted_at)


class NationalDashboardView(DashboardView):
    """Every governorate side by side, for the national viewer and the administrator."""

    allowed_roles = dashboards.NATIONAL_VIEWERS
    template_name = "reports/dashboard_national.html"

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        if not form.is_valid():
            return self.invalid(form)
        period, place = _period(form), {}
        counted_at = backlog_as_of()

        def figures() -> dict:
            shown = self.ranked_figures(
                slice_=slice_in_reach(request.user),
                places=list(dashboards.governorates_in_reach(request.user)),
                place_param="governorate",
                place=place,
                period=period,
                taken_at=counted_at,
                title=_("Governorates side by side"),
                heading=_("Governorate"),
            )
            add_other_work(shown, user=request.user, form=form)
            return shown

        context = self.page_context(form=form, place=place, period=period)
        add_escalations(context, user=request.user)  # (none wait at the national level)
        return self.respond(context, figures=figures, counted_at=counted_at)


class DrillDownForm(DashboardPeriodForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Requests"),
        choices=[
            (Kind.RECEIVED, gettext_lazy("Received in the period")),
            (Kind.DECIDED, gettext_lazy("Decided in the period")),
            (Kind.LATE, gettext_lazy("Decided late in the period")),
            (Kind.DELIVERED, gettext_lazy("Delivered in the period")),
            (Kind.CANCELLED, gettext_lazy("Cancelled in the period")),
            (Kind.OPEN_OVERDUE, gettext_lazy("Open and overdue now")),
            (Kind.AT_RISK, gettext_lazy("Open and at risk now")),
            (Kind.IN_PROGRESS, gettext_lazy("In progress now")),
            (Kind.AWAITING_CITIZEN, gettext_lazy("Awaiting the citizen now")),
            *((bucket.kind, bucket.open_label) for bucket in AGE_BUCKETS),
        ],
    )


class RequestsBehindView(DashboardView):
    """The requests a figure counts, 50 a page, each opening its file; ?center= or ?governorate= or
    ?service= narrow them, and naming a place outside the viewer's reach is a 404."""

    template_name = "reports/dashboard_requests.html"

    def get(self, request, *args, **kwargs):
        user, query = request.user, request.GET
        where, place, names = Q(), {}, []
        if code := query.get("governorate"):
            governorate = get_object_or_404(dashboards.governorates_in_reach(user), code=code)
            where &= Q(center__governorate=governorate)
            place["governorate"], names = code, [governorate.name]
        if code := query.get("center"):
            center = get_object_or_404(dashboards.centers_in_reach(user), code=code)
            where &= Q(center=center)
            place["center"], names = code, [*names, center.name]
        if code := query.get("service"):
            service = dashboards.Service.objects.filter(code=code).first()
            if service is None:
                raise Http404
            where &= Q(service=service)
            place["service"], names = code, [*names, service.name]
        start, end = last_30_days()
        form = DrillDownForm({"date_from": start, "date_to": end, "kind": Kind.RECEIVED, **query.dict()})
        if not form.is_valid():
            return self.invalid(form, place_names=names)
        data = form.cleaned_data
        found = dashboards.requests_behind(
            user=user, kind=data["kind"], date_from=data["date_from"], date_to=data["date_to"], where=where
        )
        page = Paginator(found, PAGE_SIZE).get_page(query.get("page"))
        params = {**place, "kind": data["kind"], **_period(form)}
        kind_label = dict(form.fields["kind"].choices)[data["kind"]]
        context = self.get_context_data(
            form=form,
            place=place,
            place_names=names,
            kind_label=kind_label,
            page_obj=page,
            query=urlencode(params),
            back=self._back(place, params),
            download_limit=dashboard_tables.REQUESTS_DOWNLOAD_LIMIT,
            tables={"requests": lambda: dashboard_tables.requests_table(found, title=str(kind_label))},
        )
        return self.render_to_response(context)

    @staticmethod
    def _back(place: dict, params: dict) -> str:
        period = urlencode({k: params[k] for k in ("date_from", "date_to")})
        if "center" in place:
            return f"{reverse('reports:dashboard_center', args=[place['center']])}?{period}"
        if "governorate" in place:
            return f"{reverse('reports:dashboard')}?governorate={place['governorate']}&{period}"
        return f"{reverse('reports:dashboard')}?{period}"
