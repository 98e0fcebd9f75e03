"""Issue 12: after a decision the employee reads where the request went and has a way on (defect 7);
the queue does not paint "nothing overdue" as a danger, and the file's history shows a state change
only where the state changed (defect 11)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from requests_app.models import ServiceRequest
from requests_app.services import receipt_print_record, service_request_assign
from tests.accounts.factories import staff
from tests.services.factories import DocumentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng(org):
    return staff(Role.BACKOFFICE, department=org.bnh_eng)


def decide(client, req, action, **data):
    url = reverse("office:act", args=[req.receipt_number, action])
    return client.post(url, {"version": ServiceRequest.objects.get(pk=req.pk).version, **data}, follow=True)


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def offers_the_way_on(response, department) -> bool:
    html = response.content.decode()
    take_next = reverse("office:take_next", args=[department.pk])
    queue = reverse("office:queue", args=[department.pk])
    return f'action="{take_next}"' in html and f'href="{queue}"' in html


def test_after_forwarding_the_employee_reads_where_it_went_and_can_go_on(client, org, req, eng):
    client.force_login(eng)
    response = decide(client, req, "forward", note="سليم")
    assert said(response) == ["أُحيل الطلب إلى إدارة المساحة (المرحلة 2 من 3)."]
    assert response.redirect_chain[-1][0] == reverse("office:request", args=[req.receipt_number])
    assert offers_the_way_on(response, org.bnh_eng)
    # Once: opening the file again later shows it as usual.
    assert not offers_the_way_on(client.get(response.redirect_chain[-1][0]), org.bnh_eng)


@pytest.mark.parametrize(
    ("forwarded_by", "action", "data", "expected"),
    [
        (["eng"], "return_to_previous", {"note": "يلزم مراجعة"}, "أُعيد الطلب إلى الإدارة الهندسية"),
        (
            [],
            "request_info",
            {"other_documents": ["DEED"]},
            "أُعيد الطلب إلى المواطن لاستكمال المستندات (سند الملكية)",
        ),
        ([], "reject", {"note": "مخالفة خط التنظيم"}, "رُفض الطلب"),
        (["eng", "surv"], "approve", {"subject": "قطعة الأرض رقم 5"}, "اعتُمد الطلب"),
    ],
    ids=["return", "request_info", "reject", "approve"],
)
def test_every_decision_says_what_became_of_the_request(
    client, org, req, eng, forwarded_by, action, data, expected
):
    DocumentTypeFactory(code="DEED", name_ar="سند الملكية", name_en="Title deed")
    route = [
        (org.bnh_eng, eng),
        (org.bnh_surv, staff(Role.BACKOFFICE, department=org.bnh_surv)),
        (org.bnh_legal, staff(Role.BACKOFFICE, department=org.bnh_legal)),
    ]
    for _department, employee in route[: len(forwarded_by)]:
        client.force_login(employee)
        decide(client, req, "forward")
    department, employee = route[len(forwarded_by)]
    client.force_login(employee)
    response = decide(client, req, action, **data)
    assert len(said(response)) == 1 and said(response)[0].startswith(expected), said(response)
    assert offers_the_way_on(response, department)


def test_the_way_on_is_offered_only_in_ones_own_department(client, org, req, eng):
    from backoffice.views import DECIDED_IN

    client.force_login(staff(Role.BACKOFFICE, department=org.bnh_surv))
    session = client.session
    session[DECIDED_IN] = {"receipt": req.receipt_number, "department": org.bnh_eng.pk}
    session.save()
    page = client.get(reverse("office:request", args=[req.receipt_number]))
    assert not offers_the_way_on(page, org.bnh_eng)


def test_a_refused_decision_offers_no_way_on(client, org, req, eng):
    client.force_login(eng)
    response = decide(client, req, "reject", note="")
    assert not offers_the_way_on(response, org.bnh_eng)


def test_nothing_overdue_is_not_painted_as_late(client, org, req, eng):
    client.force_login(eng)
    queue = reverse("office:queue", args=[org.bnh_eng.pk])
    quiet = client.get(queue).content.decode()
    assert "لا يوجد متأخر" in quiet
    assert not re.search(r'class="late"[^>]*>\s*لا يوجد متأخر', quiet)
    ServiceRequest.objects.filter(pk=req.pk).update(step_due_at=req.step_due_at - timedelta(days=60))
    late = client.get(queue).content.decode()
    assert re.search(r'class="late"[^>]*>\s*طلب واحد متأخر', late)


def test_events_that_keep_the_state_are_not_shown_as_a_change_of_state(client, org, req, clerk, eng):
    head = staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)
    receipt_print_record(request=req, actor=clerk)
    service_request_assign(request_id=req.pk, actor=head, assignee=eng)
    client.force_login(eng)
    html = client.get(reverse("office:request", args=[req.receipt_number])).content.decode()
    assert "طباعة الإيصال" in html and "الإسناد" in html
    assert "قيد الدراسة ← قيد الدراسة" not in html
    assert "مقدَّم ← قيد الدراسة" in html  # the routing did change the state
