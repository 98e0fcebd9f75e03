"""A request's clocks under the deadline sweep: at risk, overdue, the escalation ladder, idempotence and
two sweeps at once."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from deadlines.models import Escalation
from deadlines.sweep import deadline_sweep
from notifications.models import SmsMessage
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Closure
from requests_app.models import RequestStep, ServiceRequest
from requests_app.services import service_request_request_info
from tests.accounts.factories import staff
from tests.notifications.factories import SmsTemplateFactory
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

# Sunday 6 December 2026, 10:00 Cairo; the Fri/Sat before it are the weekend.
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=CAIRO)


@pytest.fixture
def service(org):
    return ServiceFactory(terms__route=["ENG", "LEGAL"], legal_deadline_days=10)


@pytest.fixture
def clerk(org):
    return staff(Role.CLERK, center=org.bnh)


def make(service, org, clerk, *, step_due, risk=None, legal_due=None, n=0):
    request = submit(service, org.bnh, clerk, national_id=f"2900101140{n:02d}34")
    ServiceRequest.objects.filter(pk=request.pk).update(
        step_due_at=step_due,
        step_risk_at=risk or step_due - timedelta(days=1),
        due_at=legal_due or step_due + timedelta(days=20),
    )
    RequestStep.objects.filter(pk=request.current_step_id).update(
        due_at=step_due, risk_at=risk or step_due - timedelta(days=1)
    )
    return ServiceRequest.objects.get(pk=request.pk)


def levels(request):
    return sorted(Escalation.objects.filter(request_step__request=request).values_list("level", flat=True))


@pytest.mark.django_db
def test_marks_at_risk_and_overdue_and_climbs_the_ladder_by_working_days(service, org, clerk):
    at_risk = make(service, org, clerk, step_due=NOW + timedelta(hours=5), risk=NOW - timedelta(hours=1), n=1)
    # Due Thursday 3 Dec 15:00: overdue by Sunday only (1 working day): department head.
    one_day = make(service, org, clerk, step_due=datetime(2026, 12, 3, 15, tzinfo=CAIRO), n=2)
    # Due Tuesday 1 Dec: Wednesday, Thursday, Sunday = 3 working days: head and center manager.
    three_days = make(service, org, clerk, step_due=datetime(2026, 12, 1, 15, tzinfo=CAIRO), n=3)
    # Due 24 November: well past 5 working days: all three levels.
    long_late = make(service, org, clerk, step_due=datetime(2026, 11, 24, 15, tzinfo=CAIRO), n=4)
    fine = make(service, org, clerk, step_due=NOW + timedelta(days=6), risk=NOW + timedelta(days=4), n=5)

    report = deadline_sweep(now=NOW)["request_step"]
    assert RequestStep.objects.get(pk=at_risk.current_step_id).at_risk_since == NOW
    assert RequestStep.objects.get(pk=at_risk.current_step_id).overdue_since is None
    assert RequestStep.objects.get(pk=one_day.current_step_id).overdue_since == NOW
    assert (levels(at_risk), levels(one_day), levels(three_days), levels(long_late), levels(fine)) == (
        [],
        [1],
        [1, 2],
        [1, 2, 3],
        [],
    )
    assert report.escalations == {1: 3, 2: 2, 3: 1}
    reached = {
        r.pk: RequestStep.objects.get(pk=r.current_step_id).escalation_level
        for r in (at_risk, one_day, three_days, long_late, fine)
    }
    assert list(reached.values()) == [0, 1, 2, 3, 0]


@pytest.mark.django_db
def test_the_level_reached_is_what_spares_a_quiet_sweep_from_reading_escalated_steps(service, org, clerk):
    """Once a step holds the level it reached, the sweep offers it only the levels above: with its
    escalation rows gone (as if never written), nothing is written again; a level above still is."""
    two_days = make(service, org, clerk, step_due=datetime(2026, 12, 1, 15, tzinfo=CAIRO), n=1)
    deadline_sweep(now=NOW)
    assert levels(two_days) == [1, 2]
    Escalation.objects.all().delete()
    assert deadline_sweep(now=NOW + timedelta(minutes=5))["request_step"].escalations == {1: 0, 2: 0, 3: 0}
    # Two working days later (Tuesday) it is 5 working days late: the third level only.
    later = datetime(2026, 12, 8, 10, 0, tzinfo=CAIRO)
    assert deadline_sweep(now=later)["request_step"].escalations == {1: 0, 2: 0, 3: 1}
    assert RequestStep.objects.get(pk=two_days.current_step_id).escalation_level == 3


@pytest.mark.django_db
def test_each_mark_is_counted_by_the_sweep_that_sets_it_and_a_level_is_never_lowered(service, org, clerk):
    """The marks are set together in one UPDATE: a step already at risk becoming overdue counts as
    overdue only, and a closure declared afterwards (fewer working days late) leaves the level."""
    step = make(service, org, clerk, step_due=NOW + timedelta(hours=5), risk=NOW - timedelta(hours=1), n=1)
    first = deadline_sweep(now=NOW)["request_step"]
    assert (first.at_risk, first.overdue) == (1, 0)
    # Tuesday 8 December: three working days late (Sunday's deadline; Monday and Tuesday): level 2.
    tuesday = datetime(2026, 12, 8, 16, 0, tzinfo=CAIRO)
    second = deadline_sweep(now=tuesday)["request_step"]
    assert (second.at_risk, second.overdue) == (0, 1)
    marked = RequestStep.objects.get(pk=step.current_step_id)
    assert (marked.at_risk_since, marked.overdue_since, marked.escalation_level) == (NOW, tuesday, 2)
    Closure.objects.create(center=org.bnh, starts_on=NOW.date(), ends_on=tuesday.date(), reason="إغلاق")
    third = deadline_sweep(now=tuesday + timedelta(minutes=5))["request_step"]
    assert (third.at_risk, third.overdue, third.escalations) == (0, 0, {1: 0, 2: 0, 3: 0})
    assert RequestStep.objects.get(pk=step.current_step_id).escalation_level == 2


@pytest.mark.django_db
def test_running_the_sweep_again_changes_nothing(service, org, clerk):
    make(
        service,
        org,
        clerk,
        step_due=datetime(2026, 11, 24, 15, tzinfo=CAIRO),
        legal_due=datetime(2026, 11, 30, 15, tzinfo=CAIRO),
    )
    report = deadline_sweep(now=NOW)
    first, first_legal = report["request_step"], report["request"]
    snapshot = (
        list(Escalation.objects.values_list("pk", "level", "created_at")),
        list(RequestStep.objects.values_list("at_risk_since", "overdue_since")),
        SmsMessage.objects.count(),
    )
    second = deadline_sweep(now=NOW + timedelta(minutes=5))
    assert first.escalations == {1: 1, 2: 1, 3: 1} and first_legal.overdue == 1
    assert second["request_step"].at_risk == 0 and second["request_step"].overdue == 0
    assert second["request"].overdue == 0
    assert second["request_step"].escalations == {1: 0, 2: 0, 3: 0}
    assert snapshot == (
        list(Escalation.objects.values_list("pk", "level", "created_at")),
        list(RequestStep.objects.values_list("at_risk_since", "overdue_since")),
        SmsMessage.objects.count(),
    )


@pytest.mark.django_db
def test_the_legal_deadline_passing_sends_one_apology_with_a_new_date(service, org, clerk):
    request = make(
        service,
        org,
        clerk,
        step_due=NOW + timedelta(days=3),
        legal_due=datetime(2026, 12, 3, 15, tzinfo=CAIRO),
    )
    deadline_sweep(now=NOW)
    deadline_sweep(now=NOW + timedelta(hours=1))
    request.refresh_from_db()
    assert request.overdue_since == NOW
    apologies = request.sms_messages.filter(event="overdue_apology")
    assert apologies.count() == 1
    assert request.receipt_number in apologies.get().body


@pytest.mark.django_db
def test_the_clock_is_stopped_while_waiting_for_the_citizen(service, org, clerk):
    request = make(
        service,
        org,
        clerk,
        step_due=datetime(2026, 11, 24, 15, tzinfo=CAIRO),
        legal_due=datetime(2026, 11, 30, 15, tzinfo=CAIRO),
    )
    service_request_request_info(
        request_id=request.pk,
        actor=staff(Role.BACKOFFICE, department=org.bnh_eng),
        documents=[request.terms["documents"][0]["code"]],
        note="صورة البطاقة",
    )
    report = deadline_sweep(now=NOW)
    assert report["request_step"].escalations == {1: 0, 2: 0, 3: 0} and report["request"].overdue == 0
    assert RequestStep.objects.get(pk=request.current_step_id).status == RequestStep.Status.PAUSED


@pytest.mark.django_db
def test_a_center_closure_delays_escalation(service, org, clerk):
    # Due Tuesday 1 Dec: 3 working days late nationally, but Benha was closed Wed 2 and Thu 3 Dec.
    request = make(service, org, clerk, step_due=datetime(2026, 12, 1, 15, tzinfo=CAIRO))
    Closure.objects.create(
        starts_on=datetime(2026, 12, 2).date(),
        ends_on=datetime(2026, 12, 3).date(),
        center=org.bnh,
        reason="صيانة",
    )
    deadline_sweep(now=NOW)
    assert levels(request) == [1]  # one working day late (Sunday): the department head only
    assert WorkCalendar(org.bnh).working_days_between(request.step_due_at, NOW) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_record_each_thing_once(service, org, clerk):
    # Transactional tests empty the tables between tests: the template must not depend on the migration.
    SmsTemplateFactory(
        event="overdue_apology", body_ar="نعتذر عن تأخر طلبكم رقم {receipt}؛ الموعد الجديد {due_date}"
    )
    for n in range(8):
        make(
            service,
            org,
            clerk,
            step_due=datetime(2026, 11, 24, 15, tzinfo=CAIRO) + timedelta(hours=n),
            legal_due=datetime(2026, 11, 30, 15, tzinfo=CAIRO),
            n=n,
        )
    start = threading.Barrier(2)
    reports, errors = [], []

    def sweep():
        try:
            start.wait()
            reports.append(deadline_sweep(now=NOW))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Escalation.objects.count() == 8 * 3
    assert sum(r["request_step"].escalations[1] for r in reports) == 8
    assert SmsMessage.objects.filter(event="overdue_apology").count() == 8
    assert sum(r["request"].overdue for r in reports) == 8


@pytest.mark.django_db
def test_the_sweep_is_scheduled_by_a_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="deadline-sweep")
    assert task.task == "deadlines.sweep" and task.interval.every == 5 and task.enabled


@pytest.mark.django_db
def test_escalations_reach_the_escalated_persons_list_and_only_theirs(client, service, org, clerk):
    request = make(service, org, clerk, step_due=datetime(2026, 12, 1, 15, tzinfo=CAIRO))
    deadline_sweep(now=NOW)  # levels 1 and 2
    url = reverse("office:escalations")
    cases = [
        (staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng), True),
        (staff(Role.CENTER_MANAGER, center=org.bnh), True),
        (staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb), False),  # level 3 not reached yet
        (staff(Role.DEPARTMENT_HEAD, department=org.bnh_legal), False),
        (staff(Role.CENTER_MANAGER, center=org.hlp), False),
    ]
    for user, sees in cases:
        client.force_login(user)
        assert (request.receipt_number in client.get(url).content.decode()) is sees, user
    client.force_login(staff(Role.BACKOFFICE, department=org.bnh_eng))
    assert client.get(url).status_code == 403
