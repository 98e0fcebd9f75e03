"""Back-office pages: anonymous → login, wrong role → 403, wrong scope → 404, right role → 200;
decisions through the page; constant queries on the queue."""

import pytest
from django.urls import reverse

from accounts.models import Role
from requests_app.models import RequestState, ServiceRequest
from requests_app.services import service_request_forward, service_request_request_info
from tests.accounts.factories import UserFactory, staff
from tests.requests_app.factories import pdf_bytes, submit

pytestmark = pytest.mark.django_db


def who(org, name):
    return {
        "eng": lambda: staff(Role.BACKOFFICE, department=org.bnh_eng),
        "eng_head": lambda: staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        "surv": lambda: staff(Role.BACKOFFICE, department=org.bnh_surv),
        "hlp_eng": lambda: staff(Role.BACKOFFICE, department=org.hlp_eng),
        "manager": lambda: staff(Role.CENTER_MANAGER, center=org.bnh),
        "hlp_manager": lambda: staff(Role.CENTER_MANAGER, center=org.hlp),
        "official": lambda: staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        "cai_official": lambda: staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        "clerk": lambda: staff(Role.CLERK, center=org.bnh),
        "nobody": UserFactory,
    }[name]()


def queue_url(org):
    return reverse("office:queue", args=[org.bnh_eng.pk])


def file_url(req):
    return reverse("office:request", args=[req.receipt_number])


@pytest.mark.parametrize("page", ["queue", "file"])
def test_anonymous_goes_to_login(client, org, req, page):
    url = queue_url(org) if page == "queue" else file_url(req)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("page", "name", "status"),
    [
        ("queue", "clerk", 403),
        ("queue", "nobody", 403),
        ("queue", "surv", 404),
        ("queue", "hlp_eng", 404),
        ("queue", "hlp_manager", 404),
        ("queue", "cai_official", 404),
        ("queue", "eng", 200),
        ("queue", "eng_head", 200),
        ("queue", "manager", 200),
        ("queue", "official", 200),
        ("file", "clerk", 403),
        ("file", "nobody", 403),
        ("file", "hlp_eng", 404),
        ("file", "hlp_manager", 404),
        ("file", "cai_official", 404),
        ("file", "eng", 200),
        ("file", "surv", 200),
        ("file", "manager", 200),
        ("file", "official", 200),
    ],
)
def test_role_and_scope(client, org, req, page, name, status):
    client.force_login(who(org, name))
    response = client.get(queue_url(org) if page == "queue" else file_url(req))
    assert response.status_code == status
    if status == 200:
        assert req.receipt_number in response.content.decode()


def test_queue_shows_time_left_in_words_and_no_phone(client, org, req):
    client.force_login(who(org, "eng"))
    html = client.get(queue_url(org)).content.decode()
    assert "متبقٍ" in html and "ترخيص بناء جديد" in html
    assert "01012345678" not in html and "+201012345678" not in html


def test_request_file_never_shows_phone_or_address(client, org, req):
    client.force_login(who(org, "eng"))
    html = client.get(file_url(req)).content.decode()
    assert req.applicant.name_ar in html
    assert req.applicant.mobile not in html and "01012345678" not in html
    assert req.applicant.address not in html


def test_the_national_id_is_masked_until_revealed_and_each_reveal_is_recorded(client, org, req):
    national_id = req.applicant.national_id
    client.force_login(who(org, "eng"))
    html = client.get(file_url(req)).content.decode()
    assert national_id not in html and national_id[-4:] in html
    reveal = reverse("office:reveal_identity", args=[req.receipt_number])
    assert client.post(reveal).url == file_url(req)
    assert national_id in client.get(file_url(req)).content.decode()
    assert req.events.filter(action="identity_revealed").count() == 1

    client.force_login(who(org, "manager"))  # oversight reads the file, but has no need of the full ID
    assert national_id not in client.get(file_url(req)).content.decode()
    assert client.post(reveal).status_code == 403
    client.force_login(who(org, "hlp_eng"))
    assert client.post(reveal).status_code == 404
    assert req.events.filter(action="identity_revealed").count() == 1


def test_request_file_offers_only_the_allowed_decisions(client, org, req):
    eng = who(org, "eng")
    client.force_login(eng)
    html = client.get(file_url(req)).content.decode()
    for action in ("forward", "request_info", "reject"):
        assert f"/act/{action}/" in html
    for action in ("approve", "return_to_previous", "issue"):
        assert f"/act/{action}/" not in html  # not the last step, no previous step, not approved
    client.force_login(who(org, "surv"))
    assert "/act/" not in client.get(file_url(req)).content.decode()  # the survey's step has not started


def test_deciding_through_the_page(client, org, req):
    client.force_login(who(org, "eng"))
    response = client.post(
        reverse("office:act", args=[req.receipt_number, "forward"]),
        {"version": req.version, "note": "سليم"},
        follow=True,
    )
    assert response.status_code == 200
    fresh = ServiceRequest.objects.get(pk=req.pk)
    assert fresh.current_department_id == org.bnh_surv.pk
    assert "قيد الدراسة" in response.content.decode()


def test_stale_form_is_refused_with_the_new_state(client, org, req):
    eng = who(org, "eng")
    client.force_login(eng)
    old_version = req.version
    service_request_request_info(
        request_id=req.pk, actor=eng, documents=[req.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    response = client.post(
        reverse("office:act", args=[req.receipt_number, "forward"]),
        {"version": old_version, "note": ""},
        follow=True,
    )
    assert "تغير الطلب أثناء اطلاعك عليه" in response.content.decode()
    assert ServiceRequest.objects.get(pk=req.pk).state == RequestState.AWAITING_CITIZEN


def test_reject_without_reason_is_refused_on_the_page(client, org, req):
    client.force_login(who(org, "eng"))
    response = client.post(
        reverse("office:act", args=[req.receipt_number, "reject"]),
        {"version": req.version, "note": ""},
        follow=True,
    )
    assert "السبب القانوني" in response.content.decode()
    assert ServiceRequest.objects.get(pk=req.pk).state == RequestState.IN_REVIEW


def test_other_departments_cannot_post_decisions(client, org, req):
    client.force_login(who(org, "surv"))
    response = client.post(
        reverse("office:act", args=[req.receipt_number, "forward"]), {"version": req.version}, follow=True
    )
    assert "ليس في مرحلة إدارتك" in response.content.decode()
    assert ServiceRequest.objects.get(pk=req.pk).current_department_id == org.bnh_eng.pk


def test_unknown_action_is_404(client, org, req):
    client.force_login(who(org, "eng"))
    assert (
        client.post(
            reverse("office:act", args=[req.receipt_number, "teleport"]), {"version": req.version}
        ).status_code
        == 404
    )


def test_take_next_button(client, org, req):
    eng = who(org, "eng")
    client.force_login(eng)
    response = client.post(reverse("office:take_next", args=[org.bnh_eng.pk]))
    assert response.url == file_url(req)
    assert ServiceRequest.objects.get(pk=req.pk).assignee == eng
    again = client.post(reverse("office:take_next", args=[org.bnh_eng.pk]), follow=True)
    assert "لا توجد طلبات غير مسندة" in again.content.decode()


def test_head_assigns_from_the_queue_and_sees_team_load(client, org, req):
    head, eng = who(org, "eng_head"), who(org, "eng")
    client.force_login(head)
    html = client.get(queue_url(org)).content.decode()
    assert "عبء العمل على الفريق" in html and str(eng) in html
    client.post(
        reverse("office:assign", args=[req.receipt_number]),
        {"version": req.version, "assignee": eng.pk, "next": queue_url(org)},
    )
    assert ServiceRequest.objects.get(pk=req.pk).assignee == eng


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)", "queue", "office:queue"],
)
def test_the_assign_box_never_leaves_the_site_nor_fails_on_a_bad_next(client, org, req, next_url):
    client.force_login(who(org, "eng_head"))
    response = client.post(
        reverse("office:assign", args=[req.receipt_number]),
        {"version": req.version, "assignee": who(org, "eng").pk, "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == file_url(req)


def test_an_unknown_or_outside_assignee_is_refused_without_naming_anyone(client, org, req):
    head, eng = who(org, "eng_head"), who(org, "eng")
    client.force_login(head)
    client.post(
        reverse("office:assign", args=[req.receipt_number]), {"version": req.version, "assignee": eng.pk}
    )
    outsider = UserFactory(full_name="شخص من خارج الإدارة")
    for assignee in (999_999, outsider.pk):
        request = ServiceRequest.objects.get(pk=req.pk)
        response = client.post(
            reverse("office:assign", args=[req.receipt_number]),
            {"version": request.version, "assignee": assignee},
            follow=True,
        )
        html = response.content.decode()
        assert "لا يمكن للموظف المختار العمل على هذا الطلب" in html
        assert outsider.full_name not in html
        assert ServiceRequest.objects.get(pk=req.pk).assignee == eng  # unchanged, not unassigned


def test_queue_filters(client, org, service, clerk, req):
    eng = who(org, "eng")
    other = submit(service, org.bnh, clerk, national_id="29001011401242")
    service_request_request_info(
        request_id=other.pk, actor=eng, documents=[other.terms["documents"][0]["code"]], note="صورة"
    )
    client.force_login(eng)
    page = client.get(queue_url(org), {"state": "awaiting_citizen"}).content.decode()
    assert other.receipt_number in page and req.receipt_number not in page
    page = client.get(queue_url(org), {"receipt": req.receipt_number}).content.decode()
    assert req.receipt_number in page and other.receipt_number not in page
    assert client.get(queue_url(org), {"urgency": "overdue"}).context["page"].paginator.count == 0
    ServiceRequest.objects.filter(pk=req.pk).update(
        step_due_at="2020-01-01T10:00Z", step_risk_at="2019-12-30T10:00Z"
    )
    overdue = client.get(queue_url(org), {"urgency": "overdue"}).content.decode()
    assert req.receipt_number in overdue and "متأخر" in overdue


def test_queue_query_count_is_pinned_and_does_not_grow_with_page_size(
    client, org, service, clerk, django_assert_num_queries, django_assert_max_num_queries
):
    eng = who(org, "eng")
    for n in range(3):
        submit(service, org.bnh, clerk, national_id=f"2900101140{n}234")
    client.force_login(eng)
    client.get(queue_url(org))
    with django_assert_num_queries(7) as few:  # user, roles, department, urgency, count, page, calendar
        client.get(queue_url(org))
    for n in range(3, 20):
        submit(service, org.bnh, clerk, national_id=f"290010114{n:02d}234")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(queue_url(org)).context["rows"]) == 20


def test_request_file_query_count_is_constant(client, org, req, django_assert_max_num_queries):
    eng = who(org, "eng")
    client.force_login(eng)
    client.get(file_url(req))
    with django_assert_max_num_queries(20) as first:
        client.get(file_url(req))
    service_request_forward(request_id=req.pk, actor=eng)
    surv = who(org, "surv")
    service_request_forward(request_id=req.pk, actor=surv)
    with django_assert_max_num_queries(len(first.captured_queries) + 2):
        client.get(file_url(req))


def test_scan_is_streamed_only_to_those_who_may_open_the_file(
    client, org, service, clerk, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code
    req = submit(service, org.bnh, clerk, scans={code: SimpleUploadedFile("a.pdf", pdf_bytes())})
    document = req.documents.get(code=code)
    url = reverse("office:scan", args=[req.receipt_number, document.pk])
    client.force_login(who(org, "eng"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(who(org, "hlp_eng"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("days", "arabic"), [(30, "30 يوم عمل"), (10, "10 أيام عمل"), (2, "يوما عمل")])
def test_the_legal_deadline_reads_as_arabic_counts_it(client, org, clerk, days, arabic):
    """The count agrees with its noun: 30 يوم عمل, not 30 أيام العمل (issue 12, defect 11)."""
    from tests.services.factories import ServiceFactory

    service = ServiceFactory(code=f"D{days}", legal_deadline_days=days, terms__route=["ENG"])
    taken = submit(service, org.bnh, clerk)
    client.force_login(who(org, "eng"))
    html = client.get(file_url(taken)).content.decode()
    assert f"({arabic})" in html
    assert "أيام العمل" not in html
