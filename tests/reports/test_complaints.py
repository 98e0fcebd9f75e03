"""Complaint KPIs by category, center and department: the figures on complaints played through the
services, the period they count in, the reach of each role (staff conduct never reaches national
roles), the CSV export, bad input and a constant number of queries."""

import codecs
import csv
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from complaints import services
from complaints.models import Channel, Complaint
from reports.selectors import ComplaintGrouping, complaint_figures
from tests.accounts.factories import RoleAssignmentFactory, staff
from tests.complaints import conftest as complaint_fixtures
from tests.complaints.factories import complaint_input, file

pytestmark = pytest.mark.django_db

URL = reverse("reports:complaints")
lighting, conduct, people = complaint_fixtures.lighting, complaint_fixtures.conduct, complaint_fixtures.people


def filed_days_ago(category, center, days: int) -> Complaint:
    return services.complaint_file(
        data=complaint_input(category, center),
        channel=Channel.ONLINE,
        now=timezone.now() - timedelta(days=days),
    )


@pytest.fixture
def played(lighting, conduct, people, org):
    """Street lighting in Benha in every situation the figures distinguish, a complaint about staff
    conduct there, and one in Heliopolis."""
    head = people.eng_head

    def resolved(complaint):
        return services.complaint_resolve(complaint_id=complaint.pk, actor=head, reply="تم إصلاح العمود")

    def reopened(complaint):
        services.complaint_reopen(token=complaint.tracking_token, reason="ما زال العمود مطفأ")

    fresh = resolved(file(lighting, org.bnh))
    late = resolved(filed_days_ago(lighting, org.bnh, 30))  # its three working days long gone
    rejected = file(lighting, org.bnh)
    services.complaint_reject(
        complaint_id=rejected.pk, actor=head, reason="ليس من اختصاص الوحدة", competent_body="شركة الكهرباء"
    )
    answered_again = resolved(file(lighting, org.bnh))
    reopened(answered_again)
    resolved(answered_again)
    still_reopened = resolved(file(lighting, org.bnh))
    reopened(still_reopened)
    rated = resolved(file(lighting, org.bnh))
    services.complaint_rate(token=rated.tracking_token, rating=4)
    closed = resolved(file(lighting, org.bnh))
    services.complaint_confirm(token=closed.tracking_token)
    services.complaint_rate(token=closed.tracking_token, rating=2)
    kept = file(lighting, org.bnh)
    duplicate = file(lighting, org.bnh)
    services.complaint_merge(complaint_id=duplicate.pk, into_id=kept.pk, actor=head)
    filed_days_ago(lighting, org.bnh, 90)  # before the period, still open: counts nowhere
    staff_conduct = file(conduct, org.bnh, description="الموظف رفض استلام الطلب دون سبب")
    services.complaint_resolve(complaint_id=staff_conduct.pk, actor=people.manager, reply="تم التحقيق")
    file(lighting, org.hlp)
    answered = [fresh, late, rejected, answered_again, rated, closed]
    return {"late": late, "answered": [Complaint.objects.get(pk=c.pk) for c in answered]}


def period(days_back: int = 40) -> dict:
    today = timezone.localdate()
    return {"date_from": today - timedelta(days=days_back), "date_to": today}


def figures(user, group_by=ComplaintGrouping.CATEGORY, **dates):
    return complaint_figures(user=user, group_by=group_by, **(dates or period()))


def test_figures_by_category_as_defined(played, people, lighting, conduct):
    report = figures(people.official)
    street, staff_row = report.rows
    assert (street.label, staff_row.label) == (lighting.name_ar, conduct.name_ar)
    assert (street.received, street.resolved, street.rejected, street.merged) == (9, 5, 1, 1)
    assert street.answered == 6 and street.on_time == 5 and street.on_time_rate == 5 / 6
    assert street.reopened == 1 and street.reopen_rate == 1 / 6
    assert (street.rated, street.mean_rating) == (2, 3.0)
    stored = [c.working_days_to_answer for c in played["answered"]]
    assert played["late"].working_days_to_answer > 3 and street.mean_working_days == sum(stored) / 6
    assert (staff_row.received, staff_row.resolved, staff_row.on_time, staff_row.rated) == (1, 1, 1, 0)
    assert staff_row.mean_rating is None
    total = report.total
    assert (total.received, total.resolved, total.answered, total.on_time, total.rated) == (10, 6, 7, 6, 2)
    assert total.mean_working_days == sum(stored) / 7  # over every complaint, not a mean of means


def test_an_answer_counts_in_its_own_period_whenever_the_complaint_was_filed(played, people):
    today = timezone.localdate()
    street, _ = figures(people.official, date_from=today, date_to=today).rows
    assert (street.received, street.resolved, street.on_time) == (8, 5, 5)
    filed_late = timezone.localdate(played["late"].submitted_at)
    earlier = figures(people.official, date_from=filed_late, date_to=filed_late)
    assert [(r.received, r.answered) for r in earlier.rows] == [(1, 0)]


def test_by_center_and_by_department(played, people, org):
    by_center = figures(staff(Role.NATIONAL_VIEWER), ComplaintGrouping.CENTER)
    assert [(r.label, r.received) for r in by_center.rows] == [(org.bnh.name_ar, 9), (org.hlp.name_ar, 1)]
    by_department = figures(people.official, ComplaintGrouping.DEPARTMENT)
    engineering = f"{org.bnh_eng.department_type.name_ar} — {org.bnh.local_unit.name_ar}"
    assert [(r.label, r.received) for r in by_department.rows] == [
        (engineering, 9),
        (gettext("Center management (staff conduct)"), 1),
    ]


def test_each_role_sees_its_own_reach_and_national_roles_no_staff_conduct(played, people, org):
    assert [r.label for r in figures(people.hlp_manager, ComplaintGrouping.CENTER).rows] == [org.hlp.name_ar]
    assert figures(people.manager).total.received == 10
    assert figures(people.official).total.received == 10
    assert figures(people.cai_official).total.received == 1
    for national in (people.national, staff(Role.ADMINISTRATOR)):
        report = figures(national)
        assert report.total.received == 10 and len(report.rows) == 1  # Benha's 9 and Heliopolis's 1
    # A back-office role held besides reaches the complaints pages, not the report.
    RoleAssignmentFactory(user=people.hlp_manager, role=Role.BACKOFFICE, department=org.bnh_eng)
    assert figures(User.objects.get(pk=people.hlp_manager.pk)).total.received == 1


def test_the_page_and_who_may_open_it(client, played, people, lighting, conduct):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    for refused in (people.clerk, people.eng, people.eng_head):
        client.force_login(refused)
        assert client.get(URL).status_code == 403
    client.force_login(people.national)
    html = client.get(URL, {**period(), "group_by": "category"}).content.decode()
    assert lighting.name_ar in html and conduct.name_ar not in html
    client.force_login(people.manager)
    html = client.get(URL, {"group_by": "category"}).content.decode()  # this year to date
    assert lighting.name_ar in html and conduct.name_ar in html


def test_csv_export(client, played, people, lighting):
    client.force_login(people.official)
    response = client.get(URL, {**period(), "group_by": "category", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(codecs.BOM_UTF8)
    header, street, staff_row, total = csv.reader(response.content.decode("utf-8-sig").splitlines())
    assert len(header) == len(street) == 11
    assert street[:7] == [lighting.name_ar, "9", "5", "1", "1", "5", "83.3%"]
    assert street[8:] == ["16.7%", "3.0", "2"]
    assert staff_row[8:10] == ["0.0%", ""]  # nobody rated it
    assert total[1:3] == ["10", "6"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-13-01"}, "أدخل تاريخاً صحيحاً"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "تنتهي الفترة قبل أن تبدأ"),
        ({"group_by": "employee"}, "employee"),
        ({"date_to": ""}, "هذا الحقل مطلوب"),
    ],
)
def test_bad_input_is_refused_with_the_forms_message(client, query, message, org):
    client.force_login(staff(Role.NATIONAL_VIEWER))
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 400 and 'class="error-summary"' in html and message in html


def test_query_count_does_not_grow_with_the_complaints(client, played, people, django_assert_num_queries):
    people.official.active_assignments  # noqa: B018 — loaded once per request, as every view does
    with django_assert_num_queries(1):
        figures(people.official, ComplaintGrouping.DEPARTMENT)
    client.force_login(people.official)
    with django_assert_num_queries(4):  # session, user, role assignments, the figures
        client.get(URL, {**period(), "group_by": "center"})


def test_the_last_days_of_the_calendar_are_a_period_like_any_other(client, people):
    client.force_login(people.national)
    response = client.get(URL, {"date_from": "9999-12-30", "date_to": "9999-12-31"})
    assert response.status_code == 200
