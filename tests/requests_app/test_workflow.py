"""The workflow: every allowed and forbidden transition per role, separation of duties, one history
row per change, stale forms, and the deadline clock stopping while the citizen owes a document."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_assign
from organisation.calendar import WorkCalendar
from requests_app.models import POWER_OF_ATTORNEY, RequestEvent, RequestState, ServiceRequest
from requests_app.services import (
    CitizenInput,
    WorkflowError,
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
    service_request_take_next,
)
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


SUBJECT = "قطعة الأرض رقم 5 — شارع الجلاء"  # what the approver writes on the document


@pytest.fixture
def team(org):
    return SimpleNamespace(
        clerk=staff(Role.CLERK, center=org.bnh),
        other_clerk=staff(Role.CLERK, center=org.hlp),
        eng=staff(Role.BACKOFFICE, department=org.bnh_eng),
        eng2=staff(Role.BACKOFFICE, department=org.bnh_eng),
        eng_head=staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        surv=staff(Role.BACKOFFICE, department=org.bnh_surv),
        legal=staff(Role.BACKOFFICE, department=org.bnh_legal),
        hlp_eng=staff(Role.BACKOFFICE, department=org.hlp_eng),
        manager=staff(Role.CENTER_MANAGER, center=org.bnh),
        official=staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
    )


@pytest.fixture
def route_service(org):
    return ServiceFactory(
        code="BLD-NEW",
        name_ar="ترخيص بناء جديد",
        legal_deadline_days=12,
        terms__route=["ENG", "SURV", "LEGAL"],
    )


@pytest.fixture
def req(route_service, org, team):
    return submit(route_service, org.bnh, team.clerk)


def reload(request) -> ServiceRequest:
    return ServiceRequest.objects.select_related("current_step").get(pk=request.pk)


def snapshot(request):
    fresh = reload(request)
    return (fresh.state, fresh.version, fresh.current_step_id, fresh.assignee_id, fresh.events.count())


def test_full_route_leaves_one_event_per_transition(req, team, org):
    service_request_forward(request_id=req.pk, actor=team.eng, note="المعاينة سليمة")
    assert reload(req).current_department == org.bnh_surv
    service_request_request_info(
        request_id=req.pk,
        actor=team.surv,
        documents=[req.terms["documents"][0]["code"]],
        note="رفع مساحي حديث",
    )
    assert reload(req).state == RequestState.AWAITING_CITIZEN
    service_request_resubmit(request_id=req.pk, actor=team.clerk, documents=set(), note="أحضر الرفع المساحي")
    service_request_forward(request_id=req.pk, actor=team.surv)
    service_request_return(request_id=req.pk, actor=team.legal, reason="يلزم مراجعة الحدود")
    assert reload(req).current_department == org.bnh_surv
    service_request_forward(request_id=req.pk, actor=team.surv)
    service_request_approve(request_id=req.pk, actor=team.legal, subject=SUBJECT)
    service_request_issue(request_id=req.pk, actor=team.legal)
    done = service_request_deliver(request_id=req.pk, actor=team.clerk)
    assert done.state == RequestState.DELIVERED
    events = list(req.events.values_list("action", "from_state", "to_state"))
    assert events == [
        ("submitted", "", "submitted"),
        ("route", "submitted", "in_review"),
        ("forward", "in_review", "in_review"),
        ("request_info", "in_review", "awaiting_citizen"),
        ("resubmit", "awaiting_citizen", "in_review"),
        ("forward", "in_review", "in_review"),
        ("return_to_previous", "in_review", "in_review"),
        ("forward", "in_review", "in_review"),
        ("approve", "in_review", "approved"),
        ("issue", "approved", "ready"),
        ("deliver", "ready", "delivered"),
    ]
    assert done.version == 10  # one bump per transition after the intake
    assert [s.status for s in done.steps.all()] == ["done", "done", "done"]
    assert done.completed_at is not None and done.current_department is None


ILLEGAL = [
    (
        "approve at the first of three steps",
        lambda r, t: service_request_approve(request_id=r.pk, actor=t.eng, subject=SUBJECT),
    ),
    (
        "return at the first step",
        lambda r, t: service_request_return(request_id=r.pk, actor=t.eng, reason="x"),
    ),
    ("issue before approval", lambda r, t: service_request_issue(request_id=r.pk, actor=t.eng)),
    ("deliver before ready", lambda r, t: service_request_deliver(request_id=r.pk, actor=t.clerk)),
    (
        "resubmit while in review",
        lambda r, t: service_request_resubmit(request_id=r.pk, actor=t.clerk, documents=set(), note="x"),
    ),
]


@pytest.mark.parametrize(("name", "action"), ILLEGAL, ids=[name for name, _ in ILLEGAL])
def test_illegal_transitions_are_refused_and_change_nothing(req, team, name, action):
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        action(req, team)
    assert snapshot(req) == before


def test_forward_from_the_last_step_and_actions_after_decisions_are_refused(req, team):
    service_request_forward(request_id=req.pk, actor=team.eng)
    service_request_forward(request_id=req.pk, actor=team.surv)
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        service_request_forward(request_id=req.pk, actor=team.legal)
    assert snapshot(req) == before
    service_request_reject(request_id=req.pk, actor=team.legal, legal_reason="مخالفة خط التنظيم")
    for action in (
        lambda: service_request_approve(request_id=req.pk, actor=team.legal, subject=SUBJECT),
        lambda: service_request_cancel(request_id=req.pk, clerk=team.clerk, reason="x"),
        lambda: service_request_request_info(
            request_id=req.pk, actor=team.legal, documents=[req.terms["documents"][0]["code"]], note="x"
        ),
    ):
        before = snapshot(req)
        with pytest.raises((WorkflowError, PermissionDenied)):
            action()
        assert snapshot(req) == before


def test_approve_from_awaiting_citizen_is_refused(req, team):
    service_request_request_info(
        request_id=req.pk, actor=team.eng, documents=[req.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        service_request_forward(request_id=req.pk, actor=team.eng)
    assert snapshot(req) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda r, t: service_request_reject(request_id=r.pk, actor=t.eng, legal_reason="  "),
            "legal reason",
        ),
        (
            lambda r, t: service_request_request_info(request_id=r.pk, actor=t.eng, documents=[], note=""),
            "document",
        ),
        (lambda r, t: service_request_cancel(request_id=r.pk, clerk=t.clerk, reason=""), "cancel"),
        # Only invisible characters (RLM, zero-width space, LRM, BOM) say nothing either.
        (
            lambda r, t: service_request_reject(
                request_id=r.pk, actor=t.eng, legal_reason="\u200f\u200b\u200e\ufeff"
            ),
            "invisible legal reason",
        ),
        (
            lambda r, t: service_request_request_info(
                request_id=r.pk, actor=t.eng, documents=[], note="\u200b \u200f"
            ),
            "invisible document",
        ),
    ],
)
def test_reasons_are_required(req, team, call, field):
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        call(req, team)
    assert snapshot(req) == before


def test_return_needs_a_reason(req, team):
    service_request_forward(request_id=req.pk, actor=team.eng)
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        service_request_return(request_id=req.pk, actor=team.surv, reason="")
    assert snapshot(req) == before


@pytest.mark.parametrize("who", ["surv", "legal", "hlp_eng", "clerk", "manager", "official", "other_clerk"])
def test_only_the_current_departments_staff_decide(req, team, who):
    before = snapshot(req)
    with pytest.raises(PermissionDenied):
        service_request_forward(request_id=req.pk, actor=getattr(team, who))
    assert snapshot(req) == before


@pytest.mark.parametrize("who", ["eng", "eng_head", "surv", "manager", "other_clerk"])
def test_only_the_centers_clerks_act_at_the_window(req, team, who):
    service_request_request_info(
        request_id=req.pk, actor=team.eng, documents=[req.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    before = snapshot(req)
    with pytest.raises(PermissionDenied):
        service_request_resubmit(request_id=req.pk, actor=getattr(team, who), documents=set(), note="x")
    assert snapshot(req) == before


def test_the_clerk_who_took_it_cannot_decide_it_even_with_a_back_office_role(req, team, org):
    role_assign(user=team.clerk, role=Role.BACKOFFICE, department=org.bnh_eng)
    clerk = type(team.clerk).objects.get(pk=team.clerk.pk)
    before = snapshot(req)
    with pytest.raises(PermissionDenied, match="استلم هذا الطلب بالشباك"):
        service_request_forward(request_id=req.pk, actor=clerk)
    assert service_request_take_next(department_id=org.bnh_eng.pk, actor=clerk) is None
    assert snapshot(req) == before


def test_a_request_assigned_to_a_colleague_is_theirs_but_the_head_can_act(req, team):
    service_request_assign(request_id=req.pk, actor=team.eng_head, assignee=team.eng)
    with pytest.raises(PermissionDenied):
        service_request_forward(request_id=req.pk, actor=team.eng2)
    service_request_forward(request_id=req.pk, actor=team.eng_head)
    assert reload(req).assignee is None  # a new step starts unassigned


@pytest.mark.parametrize("who", ["eng", "surv", "clerk", "manager"])
def test_only_the_head_assigns(req, team, who):
    before = snapshot(req)
    with pytest.raises(PermissionDenied):
        service_request_assign(request_id=req.pk, actor=getattr(team, who), assignee=team.eng)
    assert snapshot(req) == before


@pytest.mark.parametrize("who", ["surv", "clerk"])
def test_the_head_assigns_only_to_eligible_colleagues(req, team, who):
    before = snapshot(req)
    with pytest.raises(WorkflowError):
        service_request_assign(request_id=req.pk, actor=team.eng_head, assignee=getattr(team, who))
    assert snapshot(req) == before


def test_assignment_leaves_one_event(req, team):
    count = req.events.count()
    service_request_assign(request_id=req.pk, actor=team.eng_head, assignee=team.eng)
    assert req.events.count() == count + 1
    assert req.events.last().action == RequestEvent.Action.ASSIGNED


def test_a_stale_form_is_refused_with_the_new_state(req, team):
    seen = reload(req).version
    service_request_request_info(
        request_id=req.pk, actor=team.eng, documents=[req.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    before = snapshot(req)
    with pytest.raises(WorkflowError) as caught:
        service_request_forward(request_id=req.pk, actor=team.eng, expected_version=seen)
    assert caught.value.request.state == RequestState.AWAITING_CITIZEN
    assert "في انتظار المواطن" in caught.value.messages[0]
    assert snapshot(req) == before


def to_ready(request, team):
    service_request_forward(request_id=request.pk, actor=team.eng)
    service_request_forward(request_id=request.pk, actor=team.surv)
    service_request_approve(request_id=request.pk, actor=team.legal, subject=SUBJECT)
    service_request_issue(request_id=request.pk, actor=team.legal)


def test_delivery_to_an_attorney_needs_an_attorney_with_a_power_of_attorney_on_file(
    route_service, org, req, team
):
    to_ready(req, team)
    before = snapshot(req)
    for missing in ({"attorney_name": "حسن محمود"}, {"power_of_attorney_checked": True}):
        with pytest.raises(WorkflowError):
            service_request_deliver(request_id=req.pk, actor=team.clerk, to_attorney=True, **missing)
    # Both given, but the request was taken from the applicant in person: no attorney on file.
    with pytest.raises(WorkflowError, match="توكيل رسمي"):
        service_request_deliver(
            request_id=req.pk,
            actor=team.clerk,
            to_attorney=True,
            attorney_name="حسن محمود",
            power_of_attorney_checked=True,
        )
    assert snapshot(req) == before

    by_attorney = submit(
        route_service,
        org.bnh,
        team.clerk,
        national_id="29001011401250",
        attorney=CitizenInput("28001011401237", "حسن محمود", "01099998888"),
        received_documents={d["code"] for d in route_service.terms()["documents"] if d["required"]}
        | {POWER_OF_ATTORNEY},
    )
    to_ready(by_attorney, team)
    done = service_request_deliver(
        request_id=by_attorney.pk,
        actor=team.clerk,
        to_attorney=True,
        attorney_name="حسن محمود",
        power_of_attorney_checked=True,
    )
    assert "حسن محمود" in done.events.last().system_note_text
    # The delivery's time is kept on the request itself, for the KPIs (never read back from history).
    assert ServiceRequest.objects.get(pk=done.pk).delivered_at == done.events.last().at


def test_the_clock_stops_while_the_citizen_owes_a_document(req, team):
    service_request_request_info(
        request_id=req.pk, actor=team.eng, documents=[req.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    paused = timezone.now() - timedelta(days=9)
    ServiceRequest.objects.filter(pk=req.pk).update(paused_at=paused)
    before = reload(req)
    resumed = service_request_resubmit(request_id=req.pk, actor=team.clerk, documents=set(), note="أحضرها")
    calendar = WorkCalendar(req.center)
    waited = calendar.working_days_between(paused, resumed.events.last().at)
    assert waited >= 5
    assert resumed.due_at == calendar.shift(before.due_at, waited)
    assert resumed.step_due_at == calendar.shift(before.step_due_at, waited)
    assert resumed.paused_at is None and resumed.paused_working_days == waited


def test_resubmission_marks_the_brought_documents_received(route_service, org, team):
    optional = route_service.documents.get(is_required=False).document_type.code
    request = submit(route_service, org.bnh, team.clerk)
    service_request_request_info(
        request_id=request.pk, actor=team.eng, documents=[optional], note="المستند الاختياري"
    )
    service_request_resubmit(request_id=request.pk, actor=team.clerk, documents={optional})
    assert request.documents.get(code=optional).received


def test_take_next_gives_the_most_urgent_unassigned_request(route_service, org, team):
    first, second, third = (
        submit(route_service, org.bnh, team.clerk, national_id=f"2900101140{n}234") for n in range(3)
    )
    ServiceRequest.objects.filter(pk=third.pk).update(step_due_at=first.step_due_at - timedelta(days=3))
    service_request_assign(request_id=first.pk, actor=team.eng_head, assignee=team.eng2)
    taken = service_request_take_next(department_id=org.bnh_eng.pk, actor=team.eng)
    assert taken.pk == third.pk and reload(third).assignee == team.eng
    assert service_request_take_next(department_id=org.bnh_eng.pk, actor=team.eng).pk == second.pk
    assert service_request_take_next(department_id=org.bnh_eng.pk, actor=team.eng) is None


def test_take_next_outside_ones_department_is_refused(req, team, org):
    with pytest.raises(PermissionDenied):
        service_request_take_next(department_id=org.bnh_eng.pk, actor=team.surv)


def test_field_history_is_kept(req, team):
    service_request_forward(request_id=req.pk, actor=team.eng)
    assert req.history.count() >= 3


def test_the_database_refuses_a_department_holding_a_closed_request(req, team, org):
    from django.db import IntegrityError, transaction

    service_request_cancel(request_id=req.pk, clerk=team.clerk, reason="عدل المواطن")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=req.pk).update(current_department=org.bnh_eng)


def test_history_is_chained_and_append_only(req, team):
    """Each row is chained to the previous one by hash; PostgreSQL refuses to change or delete a row;
    a row edited behind the trigger's back (by someone able to disable it) breaks the chain."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import DatabaseError, connection, transaction

    service_request_forward(request_id=req.pk, actor=team.eng)
    events = list(req.events.order_by("pk"))
    assert len(events) == 3 and len({e.chain_hash for e in events}) == 3
    call_command("history_verify", stdout=io.StringIO())
    for statement in (
        "UPDATE requests_app_requestevent SET note = 'x' WHERE id = %s",
        "DELETE FROM requests_app_requestevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [events[1].pk])
    with pytest.raises(ValueError):
        events[1].save()
    with connection.cursor() as cursor:
        # A database superuser can still switch triggers off for the session: the chain shows it.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE requests_app_requestevent SET note = 'أعيد بعد التعديل' WHERE id = %s", [events[1].pk]
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("history_verify", stdout=io.StringIO(), stderr=err)
    assert f"request {req.pk}: history broken at row {events[1].pk}" in err.getvalue()


def test_the_chain_holds_through_every_kind_of_transition(req, team):
    """Every kind of history row chains to the one before it: history_verify recomputes every row."""
    from django.core.management import call_command

    service_request_take_next(department_id=req.current_department_id, actor=team.eng)
    service_request_assign(request_id=req.pk, actor=team.eng_head, assignee=None)
    service_request_forward(request_id=req.pk, actor=team.eng)
    service_request_request_info(
        request_id=req.pk, actor=team.surv, documents=[req.terms["documents"][0]["code"]], note="صورة"
    )
    service_request_resubmit(request_id=req.pk, actor=team.clerk, documents=set(), note="أحضرها")
    service_request_forward(request_id=req.pk, actor=team.surv)
    service_request_approve(request_id=req.pk, actor=team.legal, subject=SUBJECT)
    service_request_issue(request_id=req.pk, actor=team.legal)
    service_request_deliver(request_id=req.pk, actor=team.clerk)
    hashes = list(req.events.order_by("pk").values_list("chain_hash", flat=True))
    assert len(hashes) == 11 and len(set(hashes)) == 11
    out = io.StringIO()
    call_command("history_verify", stdout=out)
    assert "broken" not in out.getvalue()
