"""A department's view and the time per department step on the dashboards: who opens what (role, then
the department the URL names), the figures against ``reports.steps`` on the hand-built month of
``test_steps``, the staff figures only for the head and above, the downloads, a bad period, and a
query count that does not grow with the requests."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import Role
from reports.backlog import backlog_refresh
from requests_app.models import ServiceRequest
from requests_app.services import service_request_assign
from tests.accounts.factories import staff
from tests.reports import test_kpis, test_steps
from tests.reports.test_kpis import at
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db
played = test_kpis.played
stepped = test_steps.stepped
OCTOBER = "date_from=2026-10-01&date_to=2026-10-31"


def department_url(department) -> str:
    return reverse("reports:dashboard_department", args=[department.pk])


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def figures(response) -> dict[str, str]:
    return {figure.key: figure.value for figure in response.context["figures"]}


@pytest.fixture
def people(org):
    return {
        "clerk": staff(Role.CLERK, center=org.bnh),
        "colleague": staff(Role.BACKOFFICE, department=org.bnh_eng),
        "head": staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        "legal_head": staff(Role.DEPARTMENT_HEAD, department=org.bnh_legal),
        "cairo_head": staff(Role.DEPARTMENT_HEAD, department=org.hlp_eng),
        "manager": staff(Role.CENTER_MANAGER, center=org.bnh),
        "other_manager": staff(Role.CENTER_MANAGER, center=org.hlp),
        "van_manager": staff(Role.CENTER_MANAGER, center=org.van),
        "official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        "other_official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        "national": staff(Role.NATIONAL_VIEWER),
        "admin": staff(Role.ADMINISTRATOR),
    }


# Who opens what ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(department_url(org.bnh_eng))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("clerk", 403),
        ("colleague", 403),  # a back-office employee of the very department
        ("legal_head", 404),  # the head of another department
        ("cairo_head", 404),
        ("other_manager", 404),
        ("van_manager", 404),  # a center outside the department's local unit
        ("other_official", 404),
        ("head", 200),
        ("manager", 200),
        ("official", 200),
        ("national", 200),
        ("admin", 200),
    ],
)
def test_each_role_reaches_its_own_departments_only(client, people, org, who, status):
    assert get(client, people[who], department_url(org.bnh_eng)).status_code == status


def test_a_head_who_is_a_colleague_elsewhere_sees_only_the_department_they_head(client, org):
    both = staff(Role.DEPARTMENT_HEAD, department=org.bnh_legal)
    from tests.accounts.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=both, role=Role.BACKOFFICE, department=org.bnh_eng)
    assert get(client, both, department_url(org.bnh_legal)).status_code == 200
    assert get(client, both, department_url(org.bnh_eng)).status_code == 404
    assert get(client, both, f"{department_url(org.bnh_eng)}?table=staff&format=csv").status_code == 404
    assert get(client, both, "/reports/dashboard/department/999999/").status_code == 404


def test_the_head_lands_on_the_department_view(client, people, org):
    home = get(client, people["head"], reverse("staff:home")).content.decode()
    assert f'href="{department_url(org.bnh_eng)}"' in home
    home = get(client, people["colleague"], reverse("staff:home")).content.decode()
    assert "/reports/dashboard/department/" not in home


# The figures --------------------------------------------------------------------------------------


def test_the_department_view_shows_the_step_figures(client, people, stepped, org):
    for who in ("head", "manager", "official"):
        response = get(client, people[who], f"{department_url(org.bnh_eng)}?{OCTOBER}")
        assert response.status_code == 200
        assert figures(response) == {"steps_done": "5", "on_time": "100.0%", "mean": "1.8", "late": "0"}
        steps_done = response.context["figures"][0]
        assert [(c.value, c.change) for c in steps_done.comparisons] == [("0", ""), ("0", "")]
    legal = get(
        client, people["official"], f"{department_url(org.bnh_legal)}?date_from=2026-11-01&date_to=2026-11-30"
    )
    assert figures(legal) == {"steps_done": "1", "on_time": "0.0%", "mean": "19.0", "late": "1"}
    previous = legal.context["figures"][1].comparisons[0]  # on-time rate: 2 – 31 October, all on time
    assert (previous.value, previous.tone) == ("100.0%", "bad")
    services = legal.context["services"]
    assert [(s.service.code, s.kpis.working_days) for s in services] == [(stepped.played.service.code, 19)]


def test_the_staff_table_and_the_queue_now(client, people, stepped, org):
    with at(12, 1):
        taken = [
            submit(stepped.played.service, org.bnh, stepped.clerk, national_id=f"2900101140127{n}")
            for n in range(2)
        ]
        service_request_assign(request_id=taken[0].pk, actor=people["head"], assignee=stepped.eng)
    ServiceRequest.objects.filter(pk=taken[0].pk).update(overdue_since=taken[0].submitted_at)
    with at(12, 2):
        backlog_refresh()
        response = get(client, people["head"], f"{department_url(org.bnh_eng)}?{OCTOBER}")
    html = response.content.decode()
    rows = {row.employee: row for row in response.context["staff"]}
    assert set(rows) == {stepped.eng, stepped.eng2, people["colleague"], people["head"]}
    eng = rows[stepped.eng]
    assert (eng.open_now, eng.overdue_now, eng.kpis.steps_done, eng.kpis.steps_on_time) == (1, 1, 5, 5)
    assert stepped.eng.full_name in html and 'data-table="staff"' in html
    queue = {label: value for label, value, _url in response.context["queue_lines"]}
    assert (queue[_("Open now")], queue[_("Waiting for the citizen")]) == (2, 0)
    links = [url for _label, _value, url in response.context["queue_lines"] if url]
    assert f"{reverse('office:queue', args=[org.bnh_eng.pk])}?state=awaiting_citizen" in links
    aging = response.context["aging"]
    assert aging.as_of is not None and [row.open for row in aging.rows] == [2, 0, 0, 0, 0]


def test_the_staff_figures_follow_their_own_rule(client, people, stepped, org, monkeypatch):
    """Whoever opens the view but is not among the staff figures' viewers sees neither the table nor
    its download."""
    monkeypatch.setattr("reports.views_department.STAFF_VIEWERS", (Role.GOVERNORATE_OFFICIAL,))
    url = f"{department_url(org.bnh_eng)}?{OCTOBER}"
    response = get(client, people["head"], url)
    assert response.status_code == 200 and response.context["staff"] is None
    html = response.content.decode()
    assert 'data-table="staff"' not in html and stepped.eng.full_name not in html
    assert "table=staff" not in html
    assert client.get(f"{url}&table=staff&format=csv").status_code == 404
    assert get(client, people["official"], url).context["staff"] is not None


def test_the_dashboards_show_the_time_per_department_step(client, people, stepped, org):
    response = get(client, people["official"], f"{reverse('reports:dashboard')}?{OCTOBER}")
    rows = response.context["step_times"]
    assert [(r.department_type.code, r.kpis.steps_done, r.is_bottleneck) for r in rows] == [
        ("LEGAL", 4, True),
        ("ENG", 5, False),
    ]
    html = response.content.decode()
    assert 'class="bottleneck"' in html and "table=steps&amp;format=csv" in html
    center = get(client, people["manager"], f"{reverse('reports:dashboard_center', args=['BNH'])}?{OCTOBER}")
    assert center.context["bottleneck"].department_type.code == "LEGAL"
    cairo = get(client, people["other_official"], f"{reverse('reports:dashboard')}?{OCTOBER}")
    assert cairo.context["step_times"] == []


def test_the_center_dashboard_links_each_department_to_its_view(client, people, stepped, org):
    with at(12, 1):
        submit(stepped.played.service, org.bnh, stepped.clerk, national_id="29001011401280")
    with at(12, 2):
        backlog_refresh()
        html = get(
            client, people["manager"], reverse("reports:dashboard_center", args=["BNH"])
        ).content.decode()
    assert f'href="{department_url(org.bnh_eng)}?' in html


# Downloads ----------------------------------------------------------------------------------------


def test_every_table_of_the_department_view_downloads(client, people, stepped, org):
    url = f"{department_url(org.bnh_eng)}?{OCTOBER}"
    response = get(client, people["head"], url)
    html = response.content.decode()
    assert set(response.context["tables"]) == {"figures", "queue", "aging", "services", "staff"}
    for table_id in response.context["tables"]:
        for format_ in ("csv", "xlsx"):
            assert f"table={table_id}&amp;format={format_}" in html
            download = client.get(f"{url}&table={table_id}&format={format_}")
            assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    text = client.get(f"{url}&table=staff&format=csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[stepped.eng.full_name][4:9] == ["5", "5", "0", "100.0", "1.8"]
    sheet = load_workbook(io.BytesIO(client.get(f"{url}&table=staff&format=xlsx").content)).active
    assert sheet.sheet_view.rightToLeft
    header = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == stepped.eng.full_name)
    assert line[header.index(_("Steps finished"))] == 5  # a number, not text


def test_the_steps_table_downloads_from_the_governorate_dashboard(client, people, stepped):
    url = f"{reverse('reports:dashboard')}?{OCTOBER}&table=steps&format=xlsx"
    sheet = load_workbook(io.BytesIO(get(client, people["official"], url).content)).active
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(line[1], line[5], line[6]) for line in lines] == [(4, 2.0, _("Yes")), (5, 1.8, None)]


def test_a_colleague_downloads_nothing(client, people, stepped, org):
    url = f"{department_url(org.bnh_eng)}?{OCTOBER}&table=staff&format=csv"
    assert get(client, people["colleague"], url).status_code == 403


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-10-31&date_to=2026-10-01", "تنتهي الفترة قبل أن تبدأ."),
        ("date_from=2016-01-01&date_to=2026-01-01", "اختر فترة لا تزيد على 366 يومًا."),
        ("date_from=2026-13-45&date_to=2026-10-01", ""),
        ("date_from=&date_to=", ""),
    ],
)
def test_a_bad_period_is_explained_never_a_500(client, people, org, query, message):
    response = get(client, people["head"], f"{department_url(org.bnh_eng)}?{query}")
    assert response.status_code == 400
    assert response.context["form"].errors
    html = response.content.decode()
    assert 'class="error-summary"' in html
    if message:
        assert message in html
    assert client.get(f"{department_url(org.bnh_eng)}?{query}&table=staff&format=csv").status_code == 400


def test_the_english_page_explains_in_english(client, people, org):
    client.force_login(people["head"])
    client.cookies["django_language"] = "en"
    response = client.get(f"{department_url(org.bnh_eng)}?date_from=2026-10-31&date_to=2026-10-01")
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


# Cost ---------------------------------------------------------------------------------------------


def test_the_cost_does_not_grow_with_the_requests(client, people, stepped, org, django_assert_num_queries):
    url = f"{department_url(org.bnh_eng)}?{OCTOBER}"
    client.force_login(people["head"])
    client.get(url)  # the first page of a session also reads what it then keeps (the site's identity)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    eng = stepped.eng
    with at(10, 20):
        for n in range(6):
            request = submit(stepped.played.service, org.bnh, stepped.clerk, national_id=f"2900101140129{n}")
            if n % 2:
                service_request_assign(request_id=request.pk, actor=people["head"], assignee=eng)
            else:
                test_steps.service_request_forward(request_id=request.pk, actor=eng)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert figures(response)["steps_done"] == "8"
    assert len(before.captured_queries) == 12


def test_the_export_link_is_for_those_who_may_export(client, people, org):
    exports = reverse("reports:exports")
    assert exports not in get(client, people["head"], department_url(org.bnh_eng)).content.decode()
    assert exports in get(client, people["manager"], department_url(org.bnh_eng)).content.decode()
