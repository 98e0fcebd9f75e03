"""Documents issued and revoked by month, center and kind (the governorate's licensing statistics):
the figures, the reach of each role, the CSV export and a bad period."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from documents.services import document_issue, document_revoke
from reports.document_rollups import document_days_rebuild
from reports.models import DocumentDay, DocumentMonth
from reports.rollups import rollup_snapshot
from reports.selectors import documents_issued_and_revoked
from reports.spans import aggregates_rebuild
from tests.accounts.factories import staff
from tests.documents.conftest import permit_input

pytestmark = pytest.mark.django_db

URL = reverse("reports:documents")


@pytest.fixture
def issued(org):
    def make(**overrides):
        return document_issue(document=permit_input(org, **overrides), actor=None)

    bnh = [make(), make(), make(kind="LIC")]
    hlp = make(center=org.hlp, local_unit=org.hlp.local_unit)
    return bnh, hlp


def test_figures_by_month_center_and_kind(issued, org):
    (first, _, _), _ = issued
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    document_revoke(document_id=first.pk, actor=manager, reason="fraud", note="قرار 1")
    today = timezone.localdate()
    rows = documents_issued_and_revoked(
        user=staff(Role.NATIONAL_VIEWER), date_from=today - timedelta(days=1), date_to=today
    )
    month = today.replace(day=1)
    assert [(r.month, r.center_code, r.kind, r.issued, r.revoked) for r in rows] == [
        (month, "BNH", "LIC", 1, 0),
        (month, "BNH", "PRM", 2, 1),
        (month, "HLP", "PRM", 1, 0),
    ]


def test_a_revocation_counts_in_the_period_it_was_made(issued, org):
    old = document_issue(
        document=permit_input(org),
        actor=None,
        now=datetime(2025, 3, 1, 10, tzinfo=timezone.get_default_timezone()),
    )
    document_revoke(
        document_id=old.pk, actor=staff(Role.CENTER_MANAGER, center=org.bnh), reason="fraud", note="قرار"
    )
    today = timezone.localdate()
    rows = documents_issued_and_revoked(user=staff(Role.NATIONAL_VIEWER), date_from=today, date_to=today)
    assert sum(r.revoked for r in rows) == 1 and sum(r.issued for r in rows) == 4
    in_2025 = documents_issued_and_revoked(
        user=staff(Role.NATIONAL_VIEWER), date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)
    )
    assert [(r.month, r.issued, r.revoked) for r in in_2025] == [(date(2025, 3, 1), 1, 0)]


def test_each_role_sees_its_own_reach(client, issued, org):
    client.force_login(staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb))
    html = client.get(URL).content.decode()
    assert org.bnh.name_ar in html and org.hlp.name_ar not in html
    client.force_login(staff(Role.CENTER_MANAGER, center=org.hlp))
    html = client.get(URL).content.decode()
    assert org.hlp.name_ar in html and org.bnh.name_ar not in html


def test_anonymous_goes_to_sign_in_and_other_roles_get_403(client, org):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    client.force_login(staff(Role.CLERK, center=org.bnh))
    assert client.get(URL).status_code == 403


def test_csv_export(client, issued, org):
    client.force_login(staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb))
    today = timezone.localdate().isoformat()
    response = client.get(URL, {"date_from": today, "date_to": today, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "الشهر,المركز,النوع,صدر,ملغى"
    assert len(lines) == 3 and lines[2].endswith(",ترخيص,2,0")


def test_a_period_ending_before_it_starts_is_refused_with_a_message(client, org):
    client.force_login(staff(Role.NATIONAL_VIEWER))
    response = client.get(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400 and "تنتهي الفترة قبل أن تبدأ" in response.content.decode()


def test_issues_and_revocations_are_rolled_up_in_their_own_transactions(issued, org):
    (first, _, _), _ = issued
    old = document_issue(
        document=permit_input(org),
        actor=None,
        now=datetime(2025, 3, 9, 10, tzinfo=timezone.get_default_timezone()),
    )
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    document_revoke(document_id=old.pk, actor=manager, reason="fraud", note="قرار")
    document_revoke(document_id=first.pk, actor=manager, reason="fraud", note="قرار")
    today = timezone.localdate()

    def rows(model):
        return sorted(
            (row.day, row.center.code, row.kind, row.issued, row.revoked) for row in model.objects.all()
        )

    assert rows(DocumentDay) == [
        (date(2025, 3, 9), "BNH", "PRM", 1, 0),
        (today, "BNH", "LIC", 1, 0),
        (today, "BNH", "PRM", 2, 2),  # both revocations on the day they were made
        (today, "HLP", "PRM", 1, 0),
    ]
    month = today.replace(day=1)
    assert rows(DocumentMonth) == [
        (date(2025, 3, 1), "BNH", "PRM", 1, 0),
        (month, "BNH", "LIC", 1, 0),
        (month, "BNH", "PRM", 2, 2),
        (month, "HLP", "PRM", 1, 0),
    ]
    built = rollup_snapshot()
    assert document_days_rebuild() == 4
    aggregates_rebuild(DocumentDay)
    assert rollup_snapshot() == built
