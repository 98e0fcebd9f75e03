"""The other kinds of work on the dashboards (``reports.other_work``) and the escalations waiting at a
place's level (``reports.escalations``): known answers on a small hand-built set — complaints,
documents, the building-violation cases, letters (November 2026 at Qalyubia, beside the October before),
the hall (a December day), SMS — the reach of each role, the escalation lists, the tables as CSV and
Excel downloads, and a number of queries that does not grow with the rows.

November 2026, the period (the one before: 2–31 October), seen on 25 November:

- complaints (street lighting, 3 working days): Benha c1 filed 2 Nov, answered at once, rated 4; c2
  filed 2 Nov, answered 3 Nov, reopened 4 Nov, answered again 5 Nov; c3 filed 9 Nov, open; c4 about staff
  conduct filed 9 Nov, open; Heliopolis c5 filed 9 Nov; Benha c0 filed and answered 20 October;
- documents: Benha two permits and a licence issued 3 Nov, one of the permits revoked 10 Nov, a
  certificate issued 15 October and revoked 10 Nov; a Heliopolis permit 3 Nov (and the statement
  approving V1 issues, below);
- violation cases (VIOL-RECON, 10 working days): Benha V0 taken 20 October (open), V1–V3 taken 2 Nov,
  V1 approved 4 Nov, V2 rejected 5 Nov, V3 open; Heliopolis V4 taken 2 Nov; a shop licence at Benha;
- letters: Benha's office L1 (reply within 5 working days) registered 2 Nov and answered 4 Nov, L2
  (1 day) registered 2 Nov and answered late 10 Nov, L3 (1 day) registered 9 Nov and never answered —
  two replies registered too; L0 registered 20 October; the governorate's own office G1 (1 day)
  registered 3 Nov, unanswered; Heliopolis H1 registered 3 Nov.
"""

import codecs
import csv
import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.models import Role, User
from complaints import services as complaint_services
from correspondence.models import Direction
from correspondence.services import letter_register, letter_route
from deadlines.models import Escalation
from documents.services import document_issue, document_revoke
from hall.services import ticket_issue
from notifications.models import SmsMessage
from reports import escalations, other_work
from reports.backlog import backlog_refresh
from reports.kept_figures import forget_kept_figures
from reports.models import SmsDay
from reports.other_work import Period, Place
from reports.sms_rollups import sms_days_rebuild
from reports.spans import aggregates_rebuild
from requests_app.models import ServiceRequest
from requests_app.services import (
    service_request_approve,
    service_request_forward,
    service_request_reject,
)
from tests.accounts.factories import staff
from tests.complaints.conftest import conduct, lighting  # noqa: F401 — fixtures
from tests.complaints.factories import file
from tests.correspondence.conftest import engineering, offices  # noqa: F401 — fixtures
from tests.correspondence.factories import letter_input
from tests.documents.conftest import permit_input
from tests.notifications.factories import SmsMessageFactory
from tests.reports import conftest_hall
from tests.reports.test_kpis import CAIRO
from tests.requests_app.factories import submit
from tests.services.factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

hall, clerks, hall_day = conftest_hall.hall, conftest_hall.clerks, conftest_hall.hall_day  # the hall's
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
DASHBOARD = reverse("reports:dashboard")
NATIONAL = reverse("reports:dashboard_national")
QUERY = "date_from=2026-11-01&date_to=2026-11-30"


def moment(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CAIRO)


def at(month: int, day: int, hour: int = 10, minute: int = 0):
    return time_machine.travel(moment(month, day, hour, minute), tick=False)


def seen_on_25_november():
    return at(11, 25, 12)


def center_url(code: str) -> str:
    return reverse("reports:dashboard_center", args=[code])


def fresh(user: User) -> User:
    """The user as a request loads them (roles read once)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def people(org):
    return SimpleNamespace(
        official=staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        other_official=staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        manager=staff(Role.CENTER_MANAGER, center=org.bnh),
        other_manager=staff(Role.CENTER_MANAGER, center=org.hlp),
        national=staff(Role.NATIONAL_VIEWER),
        clerk=staff(Role.CLERK, center=org.bnh),
        hlp_clerk=staff(Role.CLERK, center=org.hlp),
        eng=staff(Role.BACKOFFICE, department=org.bnh_eng),
        eng_head=staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        legal=staff(Role.BACKOFFICE, department=org.bnh_legal),
    )


def national_id(n: int) -> str:
    return f"2900101140{n:04d}"


@pytest.fixture
def registry(offices):  # noqa: F811
    """The registry clerks of Benha's, the governorate's and Heliopolis' offices."""
    return SimpleNamespace(
        bnh=staff(Role.REGISTRY_CLERK, local_unit=offices.bnh.local_unit),
        qlb=staff(Role.REGISTRY_CLERK, governorate=offices.qlb.governorate),
        hlp=staff(Role.REGISTRY_CLERK, local_unit=offices.hlp.local_unit),
    )


@pytest.fixture
def month(org, people, lighting, conduct, offices, registry, engineering):  # noqa: F811
    """The November (and October) described at the top of this module."""
    made = SimpleNamespace()

    # Complaints.
    def resolve(complaint):
        return complaint_services.complaint_resolve(
            complaint_id=complaint.pk, actor=people.eng_head, reply="تم إصلاح العمود"
        )

    with at(10, 20):
        resolve(file(lighting, org.bnh))
    with at(11, 2):
        c1, c2 = file(lighting, org.bnh), file(lighting, org.bnh)
    with at(11, 2, 12):
        resolve(c1)
    with at(11, 3):
        complaint_services.complaint_rate(token=c1.tracking_token, rating=4)
        resolve(c2)
    with at(11, 4):
        complaint_services.complaint_reopen(token=c2.tracking_token, reason="ما زال العمود مطفأ")
    with at(11, 5):
        resolve(c2)
    with at(11, 9):
        made.c3 = file(lighting, org.bnh)
        made.c4 = file(conduct, org.bnh, description="الموظف رفض استلام الطلب دون سبب")
        made.c5 = file(lighting, org.hlp)

    # Documents.
    def issue(when, **overrides):
        return document_issue(document=permit_input(org, **overrides), actor=None, now=when)

    certificate = issue(moment(10, 15), kind="CRT")
    permits = [issue(moment(11, 3)), issue(moment(11, 3))]
    issue(moment(11, 3), kind="LIC")
    issue(moment(11, 3), center=org.hlp, local_unit=org.hlp.local_unit)
    with at(11, 10):
        for document in (permits[0], certificate):
            document_revoke(document_id=document.pk, actor=people.manager, reason="fraud", note="قرار 7")

    # The building-violation cases.
    made.viol = ServiceFactory(
        code="VIOL-RECON", category=CategoryFactory(code="VIOL"), legal_deadline_days=10
    )
    shop = ServiceFactory(code="SHOP-LIC")
    with at(10, 20):
        submit(made.viol, org.bnh, people.clerk, national_id=national_id(1))
    with at(11, 2):
        cases = [submit(made.viol, org.bnh, people.clerk, national_id=national_id(n)) for n in (2, 3, 4)]
        submit(made.viol, org.hlp, people.hlp_clerk, national_id=national_id(5))
        submit(shop, org.bnh, people.clerk, national_id=national_id(6))
    with at(11, 3):
        for case in cases:
            service_request_forward(request_id=case.pk, actor=people.eng)
    with at(11, 4):
        service_request_approve(request_id=cases[0].pk, actor=people.legal, subject="عقار رقم 3")
    with at(11, 5):
        service_request_reject(request_id=cases[1].pk, actor=people.legal, legal_reason="خارج الحيز العمراني")

    # Letters.
    def register(office, clerk, direction=Direction.INCOMING, **overrides):
        return letter_register(
            office=office, direction=direction, data=letter_input(engineering, **overrides), clerk=clerk
        )

    def reply_to(letter):
        return register(offices.bnh, registry.bnh, Direction.OUTGOING, in_reply_to=letter.number)

    with at(10, 20):
        register(offices.bnh, registry.bnh)
    with at(11, 2):
        l1 = register(offices.bnh, registry.bnh, reply_working_days=5)
        l2 = register(offices.bnh, registry.bnh, reply_working_days=1)
    with at(11, 3):
        made.g1 = register(offices.qlb, registry.qlb, reply_working_days=1)
        register(offices.hlp, registry.hlp)
    with at(11, 4):
        reply_to(l1)
    with at(11, 9):
        made.l3 = register(offices.bnh, registry.bnh, reply_working_days=1)
    with at(11, 10):
        reply_to(l2)
    with seen_on_25_november():
        backlog_refresh()  # the open cases, as the snapshot counts them every few minutes
    return made


# Complaints ------------------------------------------------------------------------------------------


def complaint_cells(line) -> tuple:
    return (line.received, line.resolved, line.on_time, line.reopened, line.mean_rating, line.rated)


def test_complaints_per_center_for_a_governorate(month, people, org):
    work = other_work.complaint_work(user=people.official, place=Place(org.qlb), period=NOVEMBER)
    assert [(line.label, *complaint_cells(line)) for line in work.report.rows] == [
        (org.bnh.name_ar, 4, 2, 2, 1, 4.0, 1)
    ]
    assert work.report.total.on_time_rate == 1.0
    assert complaint_cells(work.previous) == (1, 1, 1, 0, None, 0)


def test_complaints_per_kind_for_a_center_and_their_reach(month, people, org):
    work = other_work.complaint_work(user=people.manager, place=Place(center=org.bnh), period=NOVEMBER)
    assert [(line.label, line.received, line.resolved) for line in work.report.rows] == [
        ("إنارة الشوارع", 3, 2),
        ("سلوك موظف", 1, 0),
    ]
    # A national viewer never counts the complaint about staff conduct; nobody another governorate's.
    national = other_work.complaint_work(user=people.national, place=Place(org.qlb), period=NOVEMBER)
    assert national.report.total.received == 3
    everywhere = other_work.complaint_work(user=people.national, place=Place(), period=NOVEMBER)
    assert everywhere.report.total.received == 4  # Heliopolis' too
    outsider = other_work.complaint_work(user=people.other_official, place=Place(org.qlb), period=NOVEMBER)
    assert outsider.report.rows == [] and outsider.report.total.received == 0
    other = other_work.complaint_work(user=people.other_manager, place=Place(center=org.bnh), period=NOVEMBER)
    assert other.report.total.received == 0


# Documents -------------------------------------------------------------------------------------------


def test_documents_issued_and_revoked_by_kind(month, people, org):
    work = other_work.document_work(user=people.official, place=Place(org.qlb), period=NOVEMBER)
    assert [(k.kind, k.issued, k.revoked) for k in work.rows] == [
        ("PRM", 2, 1),
        ("LIC", 1, 0),
        ("CRT", 0, 1),
        ("STM", 1, 0),  # approving V1 issued its statement
    ]
    assert (work.total.issued, work.total.revoked) == (4, 2)
    assert (work.previous.issued, work.previous.revoked) == (1, 0)
    national = other_work.document_work(user=people.national, place=Place(), period=NOVEMBER)
    assert (national.total.issued, national.total.revoked) == (5, 2)
    outsider = other_work.document_work(
        user=people.other_manager, place=Place(center=org.bnh), period=NOVEMBER
    )
    assert outsider.rows == [] and outsider.total.issued == 0


# The building-violation cases -------------------------------------------------------------------------


def test_violation_cases_received_decided_and_pending(month, people, org):
    with seen_on_25_november():
        work = other_work.violation_work(user=people.official, place=Place(org.qlb), period=NOVEMBER)
    [line] = work.rows
    assert (line.code, line.kpis.received, line.kpis.decided, line.kpis.on_time_rate, line.pending) == (
        "VIOL-RECON",
        3,
        2,
        1.0,
        2,  # V0 of October and V3
    )
    assert (work.total.received, work.total.decided, work.pending) == (3, 2, 2)
    assert (work.previous.received, work.previous.decided) == (1, 0)
    national = other_work.violation_work(user=people.national, place=Place(), period=NOVEMBER)
    assert (national.total.received, national.pending) == (4, 3)
    manager = other_work.violation_work(user=people.manager, place=Place(center=org.bnh), period=NOVEMBER)
    assert (manager.total.received, manager.pending) == (3, 2)
    outsider = other_work.violation_work(user=people.other_official, place=Place(org.qlb), period=NOVEMBER)
    assert (outsider.total.received, outsider.pending) == (0, 0)


# Letters ---------------------------------------------------------------------------------------------


def letter_cells(line) -> tuple:
    return (line.label, line.registered, line.answered, line.on_time, line.overdue)


def test_letters_per_office(month, people, org):
    with seen_on_25_november():
        work = other_work.letter_work(user=people.official, place=Place(org.qlb), period=NOVEMBER)
    assert [letter_cells(line) for line in work.rows] == [
        (org.bnh.local_unit.name_ar, 5, 2, 1, 1),  # L1, its reply, L2, its reply, L3
        (org.qlb.name_ar, 1, 0, 0, 1),  # the governorate's own office
    ]
    assert work.rows[0].on_time_rate == 0.5
    assert letter_cells(work.total)[1:] == (6, 2, 1, 2)
    assert letter_cells(work.previous)[1:] == (1, 0, 0, None)


def test_letters_each_role_reaches(month, people, org):
    with seen_on_25_november():
        manager = other_work.letter_work(user=people.manager, place=Place(center=org.bnh), period=NOVEMBER)
        national = other_work.letter_work(user=people.national, place=Place(), period=NOVEMBER)
        outsider = other_work.letter_work(user=people.other_official, place=Place(org.qlb), period=NOVEMBER)
        van = other_work.letter_work(user=people.official, place=Place(center=org.van), period=NOVEMBER)
    assert [letter_cells(line) for line in manager.rows] == [(org.bnh.local_unit.name_ar, 5, 2, 1, 1)]
    assert manager.previous.registered == 1
    assert [letter_cells(line) for line in national.rows] == [
        (org.cai.name_ar, 1, 0, 0, 0),
        (org.qlb.name_ar, 6, 2, 1, 2),
    ]
    assert outsider.rows == [] and outsider.total.registered == 0
    assert van.rows == []  # a mobile center has no office of its own


# The hall --------------------------------------------------------------------------------------------


def test_hall_by_queue_for_a_center_beside_the_day_before(hall_day, org):
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    monday = other_work.hall_work(
        user=manager, place=Place(center=org.bnh), period=Period(date(2026, 12, 7), date(2026, 12, 7))
    )
    assert [(line.key, line.issued, line.no_shows) for line in monday.rows] == [
        ("A", 1, 0),
        ("B", 3, 1),
        ("C", 2, 0),
    ]
    assert monday.report.total.mean_wait == pytest.approx(51 / 5)
    assert monday.report.total.p90_wait == pytest.approx(10 + 0.6 * 15)
    assert monday.previous.issued == 0
    tuesday = other_work.hall_work(
        user=manager, place=Place(center=org.bnh), period=Period(date(2026, 12, 8), date(2026, 12, 8))
    )
    assert (tuesday.report.total.issued, tuesday.previous.issued, tuesday.previous.no_shows) == (1, 6, 1)


def test_hall_by_center_for_a_governorate_and_the_total_for_the_country(hall_day, org):
    monday = Period(date(2026, 12, 7), date(2026, 12, 7))
    official = staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
    qalyubia = other_work.hall_work(user=official, place=Place(org.qlb), period=monday)
    assert [(line.key, line.issued) for line in qalyubia.rows] == [("BNH", 6)]
    national = staff(Role.NATIONAL_VIEWER)
    # A national viewer at Qalyubia's dashboard: Qalyubia only; at the national view: the total.
    assert [
        line.key for line in other_work.hall_work(user=national, place=Place(org.qlb), period=monday).rows
    ] == ["BNH"]
    country = other_work.hall_work(user=national, place=Place(), period=monday)
    assert country.rows == [] and country.report.total.issued == 7
    [table] = other_work.hall_tables(country)
    assert [row.label for row in table.rows] == [gettext("Total")] and table.rows[0].values[0] == 7
    cairo = staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai)
    assert other_work.hall_work(user=cairo, place=Place(org.qlb), period=monday).report.total.issued == 0


# SMS -------------------------------------------------------------------------------------------------


@pytest.fixture
def outbox(org, people, lighting, conduct, hall):  # noqa: F811
    """Messages about a Benha request, complaint, staff-conduct complaint and ticket, a Heliopolis
    request, and one about nothing, in November; one about the Benha request in October."""
    service = ServiceFactory(code="SHOP-CERT")
    with at(11, 2):
        bnh_request = submit(service, org.bnh, people.clerk, national_id=national_id(1))
        hlp_request = submit(service, org.hlp, people.hlp_clerk, national_id=national_id(2))
        complaint = file(lighting, org.bnh)
        staff_conduct = file(conduct, org.bnh, description="الموظف رفض استلام الطلب دون سبب")
    ticket = ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk, now=moment(11, 2))
    SmsMessage.objects.all().delete()  # those the services queued: the set below is the whole outbox

    def message(subject, status, parts, day, month_=11):
        made = SmsMessageFactory(
            subject_type=None if subject is None else _content_type(subject),
            subject_id=None if subject is None else subject.pk,
            status=status,
            parts=parts,
        )
        SmsMessage.objects.filter(pk=made.pk).update(created_at=moment(month_, day))

    sent, delivered, failed, pending = (
        SmsMessage.Status.SENT,
        SmsMessage.Status.DELIVERED,
        SmsMessage.Status.FAILED,
        SmsMessage.Status.PENDING,
    )
    message(bnh_request, sent, 2, 2)
    message(bnh_request, pending, 1, 29)
    message(complaint, failed, 1, 3)
    message(staff_conduct, delivered, 3, 3)
    message(ticket, delivered, 1, 2)
    message(hlp_request, sent, 4, 2)
    message(None, sent, 1, 2)
    message(bnh_request, sent, 1, 20, month_=10)
    # (made behind the outbox's back, with their days moved: the roll-up is rebuilt from them)
    sms_days_rebuild()
    aggregates_rebuild(SmsDay)


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def sms_cells(figures) -> tuple:
    return (figures.queued, figures.sent, figures.parts, figures.failed, figures.waiting)


def test_sms_counted_where_what_they_are_about_is(outbox, people, org):
    official = other_work.sms_work(user=people.official, place=Place(org.qlb), period=NOVEMBER)
    assert sms_cells(official.current) == (5, 3, 6, 1, 1)
    assert sms_cells(official.previous) == (1, 1, 1, 0, 0)
    manager = other_work.sms_work(user=people.manager, place=Place(center=org.bnh), period=NOVEMBER)
    assert sms_cells(manager.current) == (5, 3, 6, 1, 1)
    # National roles: never the complaint about staff conduct; the whole country counts every message.
    at_qalyubia = other_work.sms_work(user=people.national, place=Place(org.qlb), period=NOVEMBER)
    assert sms_cells(at_qalyubia.current) == (4, 2, 3, 1, 1)
    # (the national roles never count the staff-conduct complaint's; nobody counts the one about nothing)
    country = other_work.sms_work(user=people.national, place=Place(), period=NOVEMBER)
    assert sms_cells(country.current) == (5, 3, 7, 1, 1)
    outsider = other_work.sms_work(user=people.other_official, place=Place(org.qlb), period=NOVEMBER)
    assert sms_cells(outsider.current) == (0, 0, 0, 0, 0)
    cairo = other_work.sms_work(user=people.other_official, place=Place(org.cai), period=NOVEMBER)
    assert sms_cells(cairo.current) == (1, 1, 4, 0, 0)


# Escalations -----------------------------------------------------------------------------------------


@pytest.fixture
def ladder(org, people, lighting, offices, registry, engineering):  # noqa: F811
    """Late work on the ladder: a Benha request step, complaint and routed letter at the manager's level
    and at the governorate's, a letter of the governorate's own office at the governorate's, a
    Heliopolis request at the governorate's, and a Benha request whose step is done since."""
    service = ServiceFactory(code="SHOP-NEW")
    with at(11, 2):
        request = submit(service, org.bnh, people.clerk, national_id=national_id(1))
        finished = submit(service, org.bnh, people.clerk, national_id=national_id(2))
        hlp_request = submit(service, org.hlp, people.hlp_clerk, national_id=national_id(3))
        complaint = file(lighting, org.bnh)
        letter = letter_register(
            office=offices.bnh,
            direction=Direction.INCOMING,
            data=letter_input(engineering, reply_working_days=1),
            clerk=registry.bnh,
        )
        letter_route(letter_id=letter.pk, clerk=registry.bnh, department=org.bnh_eng, instructions="للرد")
        gov_letter = letter_register(
            office=offices.qlb,
            direction=Direction.INCOMING,
            data=letter_input(engineering, reply_working_days=1),
            clerk=registry.qlb,
        )
    finished_step = ServiceRequest.objects.get(pk=finished.pk).current_step
    with at(11, 3):
        service_request_forward(request_id=finished.pk, actor=people.eng)  # its first step is done

    def escalate(subject, level, day):
        Escalation.objects.create(subject=subject, level=level, created_at=moment(11, day))

    step = ServiceRequest.objects.get(pk=request.pk).current_step
    manager_level, governorate_level = Escalation.Level.CENTER_MANAGER, Escalation.Level.GOVERNORATE
    for subject in (step, complaint, letter):
        escalate(subject, manager_level, 5)
        escalate(subject, governorate_level, 9)
    escalate(gov_letter, governorate_level, 9)
    escalate(ServiceRequest.objects.get(pk=hlp_request.pk).current_step, governorate_level, 9)
    escalate(finished_step, manager_level, 3)
    return SimpleNamespace(
        request=request, complaint=complaint, letter=letter, gov_letter=gov_letter, hlp_request=hlp_request
    )


def listed(found) -> list[tuple[str, str]]:
    return sorted((item.kind, item.number) for item in found.items)


def test_the_governorate_list(ladder, people, org):
    found = escalations.governorate_escalations(user=fresh(people.official), governorate=org.qlb)
    assert listed(found) == sorted(
        [
            ("complaint", ladder.complaint.number),
            ("letter", ladder.gov_letter.number),
            ("letter", ladder.letter.number),
            ("request", ladder.request.receipt_number),
        ]
    )
    assert found.counts == {"request": 1, "complaint": 1, "letter": 2} and not found.truncated
    urls = {item.kind: item.url for item in found.items}
    assert urls["request"] == reverse("office:request", args=[ladder.request.receipt_number])
    assert urls["complaint"] == reverse("complaints:file", args=[ladder.complaint.number])
    cairo = escalations.governorate_escalations(user=fresh(people.other_official), governorate=org.cai)
    assert listed(cairo) == [("request", ladder.hlp_request.receipt_number)]
    # The ladder stops at the governorate: the national roles and the managers get no list.
    assert escalations.governorate_escalations(user=fresh(people.national), governorate=org.qlb) is None
    assert escalations.governorate_escalations(user=fresh(people.manager), governorate=org.qlb) is None


def test_the_center_list_for_its_manager_and_the_governorate(ladder, people, org):
    expected = sorted(
        [
            ("complaint", ladder.complaint.number),
            ("letter", ladder.letter.number),
            ("request", ladder.request.receipt_number),
        ]
    )
    manager = escalations.center_escalations(user=fresh(people.manager), center=org.bnh)
    assert listed(manager) == expected  # the finished step's escalation is over
    assert manager.level == Escalation.Level.CENTER_MANAGER
    assert listed(escalations.center_escalations(user=fresh(people.official), center=org.bnh)) == expected
    assert escalations.center_escalations(user=fresh(people.other_manager), center=org.bnh).total == 0
    assert escalations.center_escalations(user=fresh(people.other_official), center=org.bnh).total == 0
    assert escalations.center_escalations(user=fresh(people.national), center=org.bnh) is None


def test_a_long_list_shows_its_first_rows_and_counts_them_all(ladder, people, org, monkeypatch):
    monkeypatch.setattr(escalations, "LIMIT", 1)
    found = escalations.governorate_escalations(user=fresh(people.official), governorate=org.qlb)
    assert found.counts == {"request": 1, "complaint": 1, "letter": 2}
    assert len(found.items) == 3 and found.truncated


# The dashboards --------------------------------------------------------------------------------------


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def tables_of(response) -> dict:
    return {table.id: table for table in response.context["other_work_tables"]}


def test_the_governorate_dashboard_shows_the_other_work_and_its_escalations(
    client, month, ladder, people, org
):
    with seen_on_25_november():
        response = get(client, people.official, f"{DASHBOARD}?{QUERY}")
    assert response.status_code == 200
    tables = tables_of(response)
    assert list(tables) == ["complaints", "documents", "violations", "letters", "hall", "sms"]
    # (the ladder adds a complaint and a routed letter of 2 November to the month)
    assert [row.values[:3] for row in tables["complaints"].rows] == [[5, 2, 2]]
    assert tables["violations"].foot[0].values == [3, 2, 1.0, 2]
    page = response.content.decode()
    assert 'id="escalations-heading"' in page and 'id="other-work-heading"' in page
    assert page.index('id="escalations-heading"') < page.index('id="other-work-heading"')
    for table_id in ("complaints", "documents", "violations", "letters", "hall", "sms", "escalations"):
        assert f"table={table_id}&amp;format=xlsx" in page
    assert reverse("office:request", args=[ladder.request.receipt_number]) in page
    assert response.context["escalations"].total == 4


def test_the_center_dashboard_by_kind_and_queue(client, month, ladder, people, org):
    with seen_on_25_november():
        response = get(client, people.manager, f"{center_url('BNH')}?{QUERY}")
    tables = tables_of(response)
    assert list(tables) == ["complaints", "documents", "violations", "letters", "hall", "hall_hours", "sms"]
    assert [row.label for row in tables["complaints"].rows] == ["إنارة الشوارع", "سلوك موظف"]
    assert [row.values for row in tables["letters"].rows] == [[6, 2, 1, 0.5, 2]]  # the ladder's letter too
    assert response.context["escalations"].total == 3
    assert response.context["escalations_table"].heading == gettext("Escalated to the center manager")


def test_the_national_view_has_no_escalations_and_every_governorate(client, month, people, org):
    with seen_on_25_november():
        response = get(client, people.national, f"{NATIONAL}?{QUERY}")
    assert response.status_code == 200 and response.context["escalations"] is None
    assert 'id="escalations-heading"' not in response.content.decode()
    letters = tables_of(response)["letters"]
    assert [row.label for row in letters.rows] == [org.cai.name_ar, org.qlb.name_ar]


def download(client, url: str, table_id: str, format_: str):
    response = client.get(f"{url}&table={table_id}&format={format_}")
    assert response.status_code == 200
    return response


def test_each_table_downloads_as_shown(client, month, ladder, people, org):
    client.force_login(people.official)
    url = f"{DASHBOARD}?{QUERY}"
    with seen_on_25_november():
        shown = tables_of(client.get(url))
        text = download(client, url, "letters", "csv").content
        sheet_file = download(client, url, "violations", "xlsx").content
        escalated = download(client, url, "escalations", "xlsx").content
    assert text.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0] == [
        shown["letters"].label_header,
        *(c.download_header or c.header for c in shown["letters"].columns),
    ]
    assert rows[1] == [org.bnh.local_unit.name_ar, "6", "2", "1", "50.0", "2"]  # the ladder's letter too
    assert rows[-1][:2] == [gettext("Previous period"), "1"]
    sheet = load_workbook(io.BytesIO(sheet_file)).active
    assert sheet.sheet_view.rightToLeft
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1][1:] == [3, 2, 100.0, 2] and values[1][0].endswith("(VIOL-RECON)")
    assert values[-1][1:3] == [1, 0]
    escalations_sheet = load_workbook(io.BytesIO(escalated)).active
    numbers = [row[0] for row in escalations_sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == sorted(
        [
            ladder.request.receipt_number,
            ladder.complaint.number,
            ladder.letter.number,
            ladder.gov_letter.number,
        ]
    )
    # Another scope's dashboard, or an unknown table, downloads nothing.
    client.force_login(people.other_official)
    assert client.get(f"{url}&governorate=QLB&table=letters&format=csv").status_code == 404
    client.force_login(people.official)
    assert client.get(f"{url}&table=nope&format=csv").status_code == 404


# Cost ------------------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    client.get(url)  # the first page of a session also reads what it then keeps
    forget_kept_figures()  # the page as counted, not as kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# Queries the other work adds to each dashboard, with rows in every table and on
# the ladder: complaints 1 (both periods), documents and SMS 2 each (the centers of the place in reach,
# then both periods from the roll-up; the country 1: every center), violation cases (the services, the
# place's centers, both periods' flows and working days from the day and month roll-ups, the backlog),
# letters 1, hall 3 (the centers in reach, the tickets' figures and the waits' histogram with the period
# before; a center 4: the waits by hour too; the names of the lines' centers or queues besides when
# tickets were taken, none here; the country 2). (The escalations are the page's live part: not here.)
ADDED = {"governorate": 15, "center": 15, "national": 10}


@pytest.mark.parametrize(
    ("who", "where", "url"),
    [
        ("official", "governorate", f"{DASHBOARD}?{QUERY}"),
        ("manager", "center", f"{center_url('BNH')}?{QUERY}"),
        ("national", "national", f"{NATIONAL}?{QUERY}"),
    ],
)
def test_a_fixed_number_of_queries_however_many_rows(
    client, month, ladder, people, org, monkeypatch, who, where, url
):
    client.force_login(getattr(people, who))
    with seen_on_25_november():
        with_work = queries(client, url)
        monkeypatch.setattr("reports.views_dashboards.add_other_work", lambda context, **kwargs: None)
        without = queries(client, url)
        monkeypatch.undo()
        assert with_work - without == ADDED[where]
        more_of_everything(org, people, month)
        assert queries(client, url) == with_work


def more_of_everything(org, people, month):
    """Another complaint, document, case and letter, and another rung on the ladder."""
    lighting_complaint = file(month.c3.category, org.bnh)
    document_issue(document=permit_input(org, kind="LIC"), actor=None)
    submit(month.viol, org.bnh, people.clerk, national_id=national_id(9))
    Escalation.objects.create(
        subject=lighting_complaint, level=Escalation.Level.CENTER_MANAGER, created_at=moment(11, 20)
    )
    Escalation.objects.create(
        subject=lighting_complaint, level=Escalation.Level.GOVERNORATE, created_at=moment(11, 21)
    )
