import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import Role, RoleAssignment, User
from demo.seed import demo_seed
from services.models import Service

pytestmark = pytest.mark.django_db


def test_every_role_exists_in_two_centers_of_two_governorates(seeded_demo):
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
    users = User.objects.count()
    with pytest.raises(ImproperlyConfigured):
        demo_seed()
    assert User.objects.count() == users


def test_command_prints_the_accounts(seeded_demo, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "bnh.clerk" in out


def test_demo_requests_cover_every_resting_state_in_both_centers_and_seed_once(seeded_demo):
    from documents.models import IssuedDocument
    from requests_app.models import RequestEvent, RequestState, ServiceRequest

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


def test_demo_complaints_cover_every_state_and_seed_once(seeded_demo):
    from complaints.models import Channel, Complaint, ComplaintCategory, ComplaintEvent, ComplaintState
    from deadlines.models import Escalation

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


def test_registry_clerks_keep_the_registers_of_three_offices_of_qalyubia(seeded_demo):
    from correspondence.services import Office, is_registry_clerk
    from organisation.models import Governorate, LocalUnit

    clerks = RoleAssignment.objects.filter(role=Role.REGISTRY_CLERK)
    assert {
        (a.user.username, a.local_unit and a.local_unit.code, a.governorate and a.governorate.code)
        for a in clerks
    } == {
        ("bnh.registry", "BNH", None),
        ("qly.registry", "QLY", None),
        ("qlb.registry", None, "QLB"),
    }
    qlb, bnh = Governorate.objects.get(code="QLB"), LocalUnit.objects.get(code="BNH")
    assert is_registry_clerk(User.objects.get(username="bnh.registry"), Office(qlb, bnh))
    assert not is_registry_clerk(User.objects.get(username="qlb.registry"), Office(qlb, bnh))
    assert is_registry_clerk(User.objects.get(username="qlb.registry"), Office(qlb))


def test_demo_letters_cover_every_state_and_seed_once(seeded_demo):
    from correspondence.models import (
        Classification,
        Direction,
        Letter,
        LetterCategory,
        LetterEvent,
        LetterState,
        OutsideBody,
    )
    from deadlines.models import Escalation

    letters = Letter.objects.all()
    # Every state: each letter between two offices leaves one state at the sender and one at the
    # recipient (delivered/pending, accepted/registered …, returned/refused).
    assert set(letters.values_list("state", flat=True)) == set(LetterState.values)
    offices = set(letters.values_list("governorate__code", "local_unit__code"))
    assert offices == {("QLB", "BNH"), ("QLB", "QLY"), ("QLB", None)}
    assert LetterCategory.objects.count() == 5 and OutsideBody.objects.count() == 4
    # The thread: Benha's letter, accepted and answered by Qalyub, whose reply Benha accepted and filed.
    answered = letters.get(state=LetterState.ANSWERED, direction=Direction.OUTGOING)
    at_qly = answered.counterpart
    assert at_qly.local_unit.code == "QLY" and at_qly.state == LetterState.ANSWERED and at_qly.number
    reply = at_qly.replies.get()
    assert reply.state == LetterState.ACCEPTED and reply.counterpart.local_unit.code == "BNH"
    assert reply.counterpart.state == LetterState.FILED and answered in reply.counterpart.related.all()
    # An outside body's letter answered by a reply sent by post.
    outside_reply = letters.get(state=LetterState.DISPATCHED)
    assert outside_reply.dispatch_method == "post" and outside_reply.in_reply_to.party_body is not None
    assert outside_reply.in_reply_to.state == LetterState.ANSWERED
    refused = letters.get(state=LetterState.REFUSED)
    assert refused.refusal_reason and refused.counterpart.state == LetterState.RETURNED
    assert letters.get(state=LetterState.PENDING).number is None
    in_progress = letters.get(state=LetterState.IN_PROGRESS)
    assert in_progress.assignee.username == "bnh.eng" and in_progress.department.department_type.code == "ENG"
    assert letters.filter(state=LetterState.ROUTED).exclude(instructions="").exists()
    assert letters.filter(classification=Classification.CONFIDENTIAL).exists()
    late = letters.get(overdue_since__isnull=False)
    assert late.state in (LetterState.ROUTED, LetterState.IN_PROGRESS) and late.at_risk_since is not None
    assert Escalation.objects.filter(letter=late).exists()
    # Every letter came through the services: registered (or received) first, in its history.
    for letter in letters:
        assert letter.events.order_by("pk").first().action in ("registered", "received"), letter

    counts = (Letter.objects.count(), LetterEvent.objects.count(), Escalation.objects.count())
    again = demo_seed()
    assert again.changed == 0
    assert (Letter.objects.count(), LetterEvent.objects.count(), Escalation.objects.count()) == counts
