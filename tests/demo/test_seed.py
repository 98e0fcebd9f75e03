import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import Role, RoleAssignment, User
from demo.seed import demo_seed
from services.models import Service

pytestmark = pytest.mark.django_db


def test_every_role_exists_in_two_centers_of_two_governorates():
    demo_seed()
    for role in (Role.CLERK, Role.CENTER_MANAGER, Role.BACKOFFICE, Role.DEPARTMENT_HEAD):
        assignments = RoleAssignment.objects.filter(role=role).select_related(
            "center__governorate", "department__local_unit__governorate"
        )
        governorates = {
            (a.center.governorate if a.center else a.department.local_unit.governorate).code
            for a in assignments
        }
        assert governorates == {"QLB", "CAI"}, role
    assert RoleAssignment.objects.filter(role=Role.GOVERNORATE_OFFICIAL).count() == 2
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role)
    assert Service.objects.count() == 53
    user = User.objects.get(username="bnh.clerk")
    assert user.check_password(DEMO_PASSWORD)

    again = demo_seed()  # idempotent
    assert again.changed == 0
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert RoleAssignment.objects.count() == len(DEMO_ACCOUNTS)


def test_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo_seed()
    assert not User.objects.exists()


def test_command_prints_the_accounts(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "bnh.clerk" in out


def test_demo_requests_cover_every_resting_state_in_both_centers_and_seed_once():
    from documents.models import IssuedDocument
    from requests_app.models import RequestEvent, RequestState, ServiceRequest

    demo_seed()
    states = set(ServiceRequest.objects.values_list("state", flat=True))
    # "submitted" never rests: intake routes to the first department in the same transaction.
    assert states == set(RequestState.values) - {RequestState.SUBMITTED}
    for center in ("BNH", "HLP"):
        at_center = set(ServiceRequest.objects.filter(center__code=center).values_list("state", flat=True))
        assert {"in_review", "awaiting_citizen", "ready", "delivered", "cancelled"} <= at_center, center
    assert ServiceRequest.objects.filter(assignee__username="bnh.eng").exists()
    # Every approved, ready and delivered request has its document, so /verify/ can be tried.
    decided = ServiceRequest.objects.filter(state__in=["approved", "ready", "delivered"])
    assert decided.count() >= 4 and not decided.filter(document__isnull=True).exists()
    assert {n.split("-")[1] for n in decided.values_list("document__number", flat=True)} >= {"PRM", "LTR"}
    counts = (ServiceRequest.objects.count(), RequestEvent.objects.count(), IssuedDocument.objects.count())
    demo_seed()
    assert (
        ServiceRequest.objects.count(),
        RequestEvent.objects.count(),
        IssuedDocument.objects.count(),
    ) == counts


def test_demo_complaints_cover_every_state_and_seed_once():
    from complaints.models import Channel, Complaint, ComplaintCategory, ComplaintEvent, ComplaintState
    from deadlines.models import Escalation

    demo_seed()
    complaints = Complaint.objects.all()
    assert set(complaints.values_list("state", flat=True)) == set(ComplaintState.values)
    assert {"BNH", "HLP"} == set(complaints.values_list("center__code", flat=True))
    assert {Channel.WINDOW, Channel.ONLINE} <= set(complaints.values_list("channel", flat=True))
    assert complaints.filter(anonymous=True).exists() and complaints.filter(confidential=True).exists()
    resolved = complaints.filter(state=ComplaintState.RESOLVED)
    assert resolved.filter(rating__isnull=False).exists() and resolved.filter(rating__isnull=True).exists()
    assert complaints.filter(on_time=False).exists()  # answered, but late
    rejected = complaints.get(state=ComplaintState.REJECTED)
    assert rejected.competent_body
    merged = complaints.get(state=ComplaintState.MERGED)
    assert merged.merged_into.is_open and merged.has_location and merged.merged_into.has_location
    overdue = complaints.get(overdue_since__isnull=False)
    assert overdue.is_open and Escalation.objects.filter(complaint=overdue).count() >= 2
    categories = ComplaintCategory.objects.all()
    assert categories.count() == 8 and all(c.templates.exists() for c in categories)
    assert categories.get(confidential=True).department_type is None

    counts = (Complaint.objects.count(), ComplaintEvent.objects.count(), Escalation.objects.count())
    again = demo_seed()
    assert again.changed == 0
    assert (Complaint.objects.count(), ComplaintEvent.objects.count(), Escalation.objects.count()) == counts
