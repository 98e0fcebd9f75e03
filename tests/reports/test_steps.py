"""The department steps: each step's finisher and working days stored when it is finished, the step
roll-up kept by the events' own transactions (a return takes a finish back) and rebuilt from the steps
alone to the very same rows, and the step KPIs with their bottleneck on a hand-built month.

October 2026 at Benha: the requests A–E of ``test_kpis`` (route ENG then LEGAL, 5 working days each;
6 October is a public holiday), and F:
- A–D: ENG forwarded by ``eng`` on Mon 5 Oct 9:00 (started Sun 4 Oct, due Mon 12 Oct) — 1 working day
  each, on time;
- A: LEGAL approved Mon 5 Oct 12:00 — 0 working days; C: rejected Thu 8 Oct — 2 (due Tue 13 Oct);
  B: documents asked Wed 7 Oct, brought Sun 11 Oct (the step's due date moves a day later), approved
  Tue 13 Oct — 4 working days net; D: approved Mon 2 Nov — 5 + 14 past due = 19, late;
- F: taken Sun 4 Oct; ENG forwarded by ``eng2`` on Thu 8 Oct (3 working days); LEGAL sends it back on
  Sun 11 Oct (1 working day spent there); ENG forwarded again by ``eng`` on Tue 13 Oct (2 more: 5 in
  all, and ``eng2``'s finish is taken back); LEGAL approves Wed 14 Oct (1 more: 2 in all).

So in October: ENG 5 steps, 9 working days (mean 1.8), all on time; LEGAL 4 steps (A, B, C, F), 8
working days (mean 2.0), all on time — the bottleneck. November: LEGAL 1 step (D), 19 days, late.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q, Sum

from accounts.models import Role
from reports import steps
from reports.kpis import Slice
from reports.models import StepDay, StepMonth
from reports.rollups import rollup_snapshot, rollups_rebuild
from requests_app.models import RequestStep, ServiceRequest
from requests_app.services import (
    service_request_approve,
    service_request_assign,
    service_request_cancel,
    service_request_deliver,
    service_request_forward,
    service_request_issue,
    service_request_reject,
    service_request_request_info,
    service_request_resubmit,
    service_request_return,
)
from tests.accounts.factories import staff
from tests.reports import test_kpis
from tests.reports.test_kpis import at
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db
played = test_kpis.played
OCTOBER = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
NOVEMBER = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}


@pytest.fixture
def stepped(played, org):
    """``played`` and F, whose engineering step is finished twice (sent back in between)."""
    a = ServiceRequest.objects.get(pk=played.ids["A"])
    eng = a.steps.get(position=1).completed_by
    legal = a.steps.get(position=2).completed_by
    clerk = a.taken_by
    eng2 = staff(Role.BACKOFFICE, department=org.bnh_eng)
    with at(10, 4):
        f = submit(played.service, org.bnh, clerk, national_id="29001011401250")
    with at(10, 8):
        service_request_forward(request_id=f.pk, actor=eng2)
    with at(10, 11):
        service_request_return(request_id=f.pk, actor=legal, reason="ينقصه الرسم الهندسي")
    with at(10, 13):
        service_request_forward(request_id=f.pk, actor=eng)
    with at(10, 14):
        service_request_approve(request_id=f.pk, actor=legal, subject="محل رقم 6")
    return SimpleNamespace(played=played, F=f, eng=eng, eng2=eng2, legal=legal, clerk=clerk)


def step(request_id: int, position: int) -> RequestStep:
    return RequestStep.objects.get(request_id=request_id, position=position)


# What a step stores when it is finished ---------------------------------------------------------------


def test_a_finished_step_stores_its_finisher_and_working_days(stepped):
    ids = stepped.played.ids
    taken = {
        name: (step(ids[name], 1).working_days_taken, step(ids[name], 2).working_days_taken) for name in ids
    }
    assert taken == {"A": (1, 0), "B": (1, 4), "C": (1, 2), "D": (1, 19)}
    assert {step(ids[name], 1).completed_by for name in ids} == {stepped.eng}
    assert {step(ids[name], 2).completed_by for name in ids} == {stepped.legal}
    # B's legal step: 5 working days from Mon 5 Oct to Tue 13 Oct, less the one spent with the citizen.
    assert ServiceRequest.objects.get(pk=ids["B"]).paused_working_days == 1
    # The department steps add up to the request's own working days (net of the citizen's time).
    for name in ids:
        request = ServiceRequest.objects.get(pk=ids[name])
        assert sum(taken[name]) == request.working_days_taken


def test_a_step_finished_twice_keeps_all_its_days_and_its_last_finisher(stepped):
    engineering, legal = step(stepped.F.pk, 1), step(stepped.F.pk, 2)
    assert (engineering.working_days_taken, engineering.completed_by) == (5, stepped.eng)
    assert (legal.working_days_taken, legal.completed_by) == (2, stepped.legal)
    assert engineering.completed_at.date() == date(2026, 10, 13)


def test_a_cancelled_request_has_no_finished_step(stepped):
    cancelled = step(stepped.played.E.pk, 1)
    assert cancelled.status == RequestStep.Status.STOPPED
    assert cancelled.completed_by is None and cancelled.working_days_taken is None


# The roll-up --------------------------------------------------------------------------------------------


def counted() -> int:
    return StepDay.objects.aggregate(n=Sum("steps_done"))["n"] or 0


def test_each_step_finishing_act_adds_exactly_one_step(played, org):
    eng, legal = step(played.ids["A"], 1).completed_by, step(played.ids["A"], 2).completed_by
    clerk, head = played.A.taken_by, staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)
    acts = []
    with at(11, 9):
        one = submit(played.service, org.bnh, clerk, national_id="29001011401251")
        two = submit(played.service, org.bnh, clerk, national_id="29001011401252")
        document = one.terms["documents"][0]["code"]
        acts += [
            (0, lambda: service_request_assign(request_id=one.pk, actor=head, assignee=eng)),
            (0, lambda: service_request_request_info(request_id=one.pk, actor=eng, documents=[document])),
            (0, lambda: service_request_resubmit(request_id=one.pk, actor=clerk, documents={document})),
            (1, lambda: service_request_forward(request_id=one.pk, actor=eng)),
            (-1, lambda: service_request_return(request_id=one.pk, actor=legal, reason="ناقص")),
            (1, lambda: service_request_forward(request_id=one.pk, actor=head)),
            (1, lambda: service_request_approve(request_id=one.pk, actor=legal, subject="محل")),
            (0, lambda: service_request_issue(request_id=one.pk, actor=legal)),
            (0, lambda: service_request_deliver(request_id=one.pk, actor=clerk)),
            (1, lambda: service_request_forward(request_id=two.pk, actor=eng)),
            (1, lambda: service_request_reject(request_id=two.pk, actor=legal, legal_reason="غير مستوفى")),
        ]
        for change, act in acts:
            before = counted()
            act()
            assert counted() - before == change
        three = submit(played.service, org.bnh, clerk, national_id="29001011401253")
        before = counted()
        service_request_cancel(request_id=three.pk, clerk=clerk, reason="بناء على طلب المواطن")
        assert counted() == before
    rows = StepDay.objects.filter(day=date(2026, 11, 9), steps_done__gt=0)
    assert {(r.department_id, r.employee_id, r.steps_done) for r in rows} == {
        (org.bnh_eng.pk, eng.pk, 1),  # two's; one's first finish was taken back by the return
        (org.bnh_eng.pk, head.pk, 1),
        (org.bnh_legal.pk, legal.pk, 2),
    }


def test_the_rebuild_gives_the_very_same_step_rows(stepped):
    incremental = rollup_snapshot()
    assert len(incremental["StepDay"]) >= 4 and incremental["StepMonth"]
    assert StepDay.objects.filter(employee=stepped.eng2, steps_done=0).exists()  # taken back to nothing
    assert StepMonth.objects.filter(employee=stepped.eng2, steps_done=0).exists()
    rollups_rebuild()
    assert rollup_snapshot() == incremental
    assert not StepDay.objects.filter(employee=stepped.eng2).exists()
    call_command("rollups_rebuild", "--check")


def test_the_check_finds_a_tampered_step_row(stepped):
    StepDay.objects.filter(steps_done__gt=0).update(working_days=99)
    with pytest.raises(Exception, match="in: StepDay$"):
        call_command("rollups_rebuild", "--check")


def test_the_migration_fills_the_steps_finished_before_it(played):
    """Steps finished before the fields existed get them from the history and their stored clock."""
    from importlib import import_module

    migration = import_module("requests_app.migrations.0016_step_completion")
    done = RequestStep.objects.filter(status=RequestStep.Status.DONE)
    stored = sorted(done.values_list("pk", "completed_by", "working_days_taken"))
    done.update(completed_by=None, working_days_taken=None)
    migration.from_the_history(apps, None)
    assert sorted(done.values_list("pk", "completed_by", "working_days_taken")) == stored


# The KPIs -----------------------------------------------------------------------------------------------


def test_october_by_department_and_the_bottleneck(stepped, org):
    rows = steps.department_steps(**OCTOBER)
    shown = [
        (
            r.department_type.code,
            r.kpis.steps_done,
            r.kpis.steps_on_time,
            r.kpis.working_days,
            r.is_bottleneck,
        )
        for r in rows
    ]
    assert shown == [("LEGAL", 4, 4, 8, True), ("ENG", 5, 5, 9, False)]
    assert rows[0].kpis.mean_working_days == 2.0 and rows[1].kpis.mean_working_days == pytest.approx(1.8)
    assert rows[0].kpis.on_time_rate == 1.0
    assert steps.bottleneck(rows).name == "الشئون القانونية"


def test_november_one_late_step_and_no_bottleneck_alone(stepped):
    rows = steps.department_steps(**NOVEMBER)
    assert [(r.department_type.code, r.kpis.steps_done, r.kpis.late, r.kpis.working_days) for r in rows] == [
        ("LEGAL", 1, 1, 19)
    ]
    assert rows[0].kpis.on_time_rate == 0.0 and steps.bottleneck(rows) is None


def test_compared_and_sliced(stepped, org):
    engineering = Slice(Q(department=org.bnh_eng))
    compared = steps.step_kpis_compared(**NOVEMBER, slice_=Slice(Q(department=org.bnh_legal)))
    assert (compared.current.steps_done, compared.previous.steps_done, compared.last_year.steps_done) == (
        1,
        4,
        0,
    )
    assert steps.step_kpis(**OCTOBER, slice_=engineering).working_days == 9
    assert steps.step_kpis(**OCTOBER, slice_=Slice(Q(center=org.hlp))) == steps.StepKpis()
    assert steps.department_steps(**OCTOBER, slice_=Slice(Q(center__governorate=org.cai))) == []


def test_per_employee_and_per_service(stepped, org):
    by_employee = steps.step_kpis_by(by="employee", **OCTOBER, slice_=Slice(Q(department=org.bnh_eng)))
    assert by_employee == {stepped.eng.pk: steps.StepKpis(steps_done=5, steps_on_time=5, working_days=9)}
    services = steps.department_services(department=org.bnh_legal, **OCTOBER)
    assert [(s.service.code, s.kpis.steps_done, s.kpis.working_days) for s in services] == [
        (stepped.played.service.code, 4, 8)
    ]


def test_the_staff_and_the_queue_now(stepped, org):
    head = staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)
    with at(12, 1):
        waiting = [
            submit(stepped.played.service, org.bnh, stepped.clerk, national_id=f"2900101140126{n}")
            for n in range(3)
        ]
        service_request_assign(request_id=waiting[0].pk, actor=head, assignee=stepped.eng)
        service_request_assign(request_id=waiting[1].pk, actor=head, assignee=stepped.eng)
    ServiceRequest.objects.filter(pk=waiting[0].pk).update(overdue_since=waiting[0].submitted_at)
    with at(12, 30):  # past the engineering step's due date (5 working days)
        queue = steps.department_queue_now(department=org.bnh_eng)
        people = steps.department_staff(department=org.bnh_eng, **OCTOBER)
    assert queue == steps.QueueNow(
        open=3, awaiting_citizen=0, at_risk=2, step_late=3, overdue=1, unassigned=1
    )
    by_name = {row.employee: row for row in people}
    assert set(by_name) == {stepped.eng, stepped.eng2, head}
    eng = by_name[stepped.eng]
    assert (eng.open_now, eng.step_late_now, eng.overdue_now, eng.kpis.steps_done) == (2, 2, 1, 5)
    assert eng.kpis.mean_working_days == pytest.approx(1.8)
    assert (by_name[stepped.eng2].kpis.steps_done, by_name[head].is_head, by_name[stepped.eng].is_head) == (
        0,
        True,
        False,
    )
    assert people[0].employee == stepped.eng  # the most loaded first
