"""The request KPIs on a small hand-built set with known answers, kept by the events' own transactions
and rebuilt from the requests alone to the very same rows.

October 2026 at Benha (service with fees 150.00 + 350.50, 10 working days, route ENG → LEGAL;
6 October is a public holiday):
- A: taken Sun 4 Oct, approved Mon 5 Oct (the holiday's eve) — 1 working day; delivered Mon 12 Oct;
- B: taken Sun 4 Oct, documents asked Wed 7 Oct, brought Sun 11 Oct at 10:00 (1 working day paused:
  Thursday; the deadline engine gives Sunday back), approved Tue 13 Oct — 6 working days, 5 net;
- C: taken Sun 4 Oct, rejected Thu 8 Oct — 3 working days;
- D: taken Sun 4 Oct, approved Mon 2 Nov — late;
- E: taken Sun 1 Nov, cancelled Mon 2 Nov.
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q

from accounts.models import Role
from organisation.calendar import WorkCalendar
from reports.kpis import Slice, fees_by_item, request_kpis, request_kpis_compared, slice_in_reach
from reports.models import CenterMonthDuration, RequestDay
from reports.rollups import rollup_snapshot, rollups_rebuild
from requests_app.models import ServiceRequest
from requests_app.services import (
    service_request_approve,
    service_request_cancel,
    service_request_deliver,
    service_request_forward,
    service_request_issue,
    service_request_reject,
    service_request_request_info,
    service_request_resubmit,
)
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db
CAIRO = ZoneInfo("Africa/Cairo")
OCTOBER = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
NOVEMBER = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}


def at(month: int, day: int, hour: int = 10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=CAIRO), tick=False)


@pytest.fixture
def played(org):
    team = SimpleNamespace(
        clerk=staff(Role.CLERK, center=org.bnh),
        eng=staff(Role.BACKOFFICE, department=org.bnh_eng),
        legal=staff(Role.BACKOFFICE, department=org.bnh_legal),
    )
    service = ServiceFactory(code="SHOP-LIC", legal_deadline_days=10)
    made = {}
    with at(10, 4):
        for name, national_id in zip("ABCD", range(29001011401234, 29001011401238), strict=True):
            made[name] = submit(service, org.bnh, team.clerk, national_id=str(national_id))
    ids = {name: request.pk for name, request in made.items()}

    def to_legal(name):
        service_request_forward(request_id=ids[name], actor=team.eng)

    with at(10, 5, 9):
        for name in "ABCD":
            to_legal(name)
    with at(10, 5, 12):
        service_request_approve(request_id=ids["A"], actor=team.legal, subject="محل رقم 1")
        service_request_issue(request_id=ids["A"], actor=team.legal)
    with at(10, 7):
        document = made["B"].terms["documents"][0]["code"]
        service_request_request_info(request_id=ids["B"], actor=team.legal, documents=[document], note="صورة")
    with at(10, 8):
        service_request_reject(request_id=ids["C"], actor=team.legal, legal_reason="النشاط غير مسموح به")
    with at(10, 11):
        service_request_resubmit(request_id=ids["B"], actor=team.clerk, documents={document}, note="")
    with at(10, 12):
        service_request_deliver(request_id=ids["A"], actor=team.clerk)
    with at(10, 13):
        service_request_approve(request_id=ids["B"], actor=team.legal, subject="محل رقم 2")
    with at(11, 1):
        made["E"] = submit(service, org.bnh, team.clerk, national_id="29001011401239")
    with at(11, 2):
        service_request_approve(request_id=ids["D"], actor=team.legal, subject="محل رقم 4")
        service_request_cancel(request_id=made["E"].pk, clerk=team.clerk, reason="بناء على طلب المواطن")
    return SimpleNamespace(
        service=service, ids=ids, **{k: ServiceRequest.objects.get(pk=v.pk) for k, v in made.items()}
    )


def test_october_figures(played):
    kpis = request_kpis(**OCTOBER)
    assert (kpis.received, kpis.approved, kpis.rejected, kpis.decided) == (4, 2, 1, 3)
    assert (kpis.delivered, kpis.cancelled) == (1, 0)
    assert kpis.on_time_rate == 1.0
    assert kpis.durations == ((1, 1), (3, 1), (5, 1))
    assert kpis.mean_working_days == pytest.approx(3)
    assert kpis.median_working_days == 3
    assert kpis.p90_working_days == pytest.approx(4.6)  # between 3 and 5, as percentile_cont
    assert kpis.fees == Decimal("2002.00")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY working_days_taken) "
            "FROM requests_app_servicerequest WHERE completed_at < %s AND state <> 'cancelled'",
            [datetime(2026, 11, 1, tzinfo=CAIRO)],
        )
        assert kpis.p90_working_days == pytest.approx(cursor.fetchone()[0])


def test_the_paused_days_are_not_the_departments(played):
    b = played.B
    assert b.paused_working_days == 1
    assert b.working_days_taken == 5


def test_november_figures_and_a_late_decision(played, org):
    kpis = request_kpis(**NOVEMBER)
    late = played.D
    taken = WorkCalendar(org.bnh).working_days_between(late.submitted_at, late.completed_at)
    assert late.on_time is False and late.working_days_taken == taken
    assert (kpis.received, kpis.approved, kpis.decided, kpis.cancelled) == (1, 1, 1, 1)
    assert kpis.on_time_rate == 0.0 and kpis.median_working_days == taken
    assert kpis.fees == Decimal("500.50")


def test_periods_compared(played):
    compared = request_kpis_compared(**NOVEMBER)
    assert compared.current.received == 1
    assert compared.previous.received == 4  # 2 Oct – 31 Oct
    assert compared.last_year.received == 0


def test_slices_and_fee_items(played, org):
    assert request_kpis(**OCTOBER, slice_=Slice(Q(center=org.hlp))).received == 0
    assert request_kpis(**OCTOBER, slice_=Slice(Q(service=played.service))).received == 4
    lines = fees_by_item(**OCTOBER)
    assert [
        (line["fee_name_ar"], line["payment_method"], line["count"], line["amount"]) for line in lines
    ] == [
        ("رسم إصدار", "cash", 4, Decimal("1402.00")),
        ("رسم فحص", "cash", 4, Decimal("600.00")),
    ]


def test_the_rebuild_gives_the_very_same_rows(played):
    incremental = rollup_snapshot()
    assert all(incremental[table] for table in ("RequestDay", "RequestDayDuration", "FeeDay"))
    assert all(incremental[table] for table in ("RequestMonth", "CenterRequestDay", "ServiceMonthDuration"))
    rollups_rebuild()
    assert rollup_snapshot() == incremental
    call_command("rollups_rebuild", "--check")


def test_the_check_finds_a_tampered_row(played):
    RequestDay.objects.filter(received__gt=0).update(received=99)
    with pytest.raises(Exception, match="differ from the requests in: RequestDay$"):
        call_command("rollups_rebuild", "--check")
    assert RequestDay.objects.filter(received=99).exists()  # --check changed nothing
    CenterMonthDuration.objects.filter(decided__gt=0).update(decided=F("decided") + 1)
    with pytest.raises(Exception, match="RequestDay, CenterMonthDuration$"):
        call_command("rollups_rebuild", "--check")


def test_each_role_sees_its_own_part(played, org):
    in_reach = {
        Role.CENTER_MANAGER: staff(Role.CENTER_MANAGER, center=org.bnh),
        Role.GOVERNORATE_OFFICIAL: staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        Role.NATIONAL_VIEWER: staff(Role.NATIONAL_VIEWER),
    }
    for user in in_reach.values():
        assert request_kpis(**OCTOBER, slice_=slice_in_reach(user)).received == 4
    for user in (
        staff(Role.CENTER_MANAGER, center=org.hlp),
        staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        staff(Role.CLERK, center=org.bnh),
        staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
    ):
        assert request_kpis(**OCTOBER, slice_=slice_in_reach(user)).received == 0
