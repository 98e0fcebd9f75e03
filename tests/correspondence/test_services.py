from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from correspondence import services
from correspondence.models import Direction, Letter, LetterAttachment, LetterEvent, LetterState
from deadlines.models import Escalation
from deadlines.sweep import deadline_sweep
from tests.accounts.factories import staff
from tests.correspondence.factories import letter_input

pytestmark = pytest.mark.django_db


def register(office, clerk, direction, data):
    return services.letter_register(office=office, direction=direction, data=data, clerk=clerk)


def actions(letter) -> list[str]:
    return list(LetterEvent.objects.filter(letter=letter).order_by("pk").values_list("action", flat=True))


class TestNumbers:
    def test_each_register_counts_on_its_own_gapless(self, offices, clerks, engineering, ministry):
        year = timezone.localdate().year
        first_in = register(
            offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry)
        )
        second_in = register(
            offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, citizen="سعاد علي")
        )
        first_out = register(
            offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, body=ministry)
        )
        office_in = register(
            offices.qlb, clerks.qlb, Direction.INCOMING, letter_input(engineering, body=ministry)
        )
        assert [first_in.number, second_in.number] == [f"BNH-IN-{year}-000001", f"BNH-IN-{year}-000002"]
        assert first_out.number == f"BNH-OUT-{year}-000001"
        assert office_in.number == f"{offices.qlb.code}-IN-{year}-000001"

    def test_a_back_dated_letter_takes_the_next_number(self, offices, clerks, engineering, ministry):
        register(offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry))
        old = letter_input(
            engineering, body=ministry, document_date=timezone.localdate() - timedelta(days=400)
        )
        assert register(offices.bnh, clerks.bnh, Direction.INCOMING, old).sequence == 2

    def test_only_the_offices_registry_clerk_registers(self, offices, clerks, engineering, ministry, org):
        for outsider in (clerks.qly, clerks.qlb, staff(Role.CENTER_MANAGER, center=org.bnh)):
            with pytest.raises(PermissionDenied):
                register(offices.bnh, outsider, Direction.INCOMING, letter_input(engineering, body=ministry))
        assert not Letter.objects.exists()


class TestBadInput:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"subject": ""}, "subject"),
            ({"category_code": "none"}, "category"),
            ({"document_date": None}, "document_date"),
            ({"reply_working_days": 0}, "reply_working_days"),
            ({"classification": "secret"}, "classification"),
            ({"related": ["BNH-IN-1999-000001"]}, "related"),
            ({"attachments": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a scan")]}, "attachments"),
        ],
    )
    def test_refused_by_field_nothing_stored(self, offices, clerks, engineering, ministry, overrides, field):
        with pytest.raises(ValidationError) as refused:
            register(
                offices.bnh,
                clerks.bnh,
                Direction.INCOMING,
                letter_input(engineering, body=ministry, **overrides),
            )
        assert field in refused.value.message_dict
        assert not Letter.objects.exists() and not LetterAttachment.objects.exists()

    def test_a_date_in_the_future_and_a_letter_to_itself(self, offices, clerks, engineering):
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(ValidationError):
            register(offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, to=offices.bnh))
        with pytest.raises(ValidationError):
            register(
                offices.bnh,
                clerks.bnh,
                Direction.OUTGOING,
                letter_input(engineering, to=offices.qly, document_date=tomorrow),
            )

    def test_a_link_to_another_units_letter_is_refused(self, offices, clerks, engineering, ministry):
        theirs = register(
            offices.qly, clerks.qly, Direction.INCOMING, letter_input(engineering, body=ministry)
        )
        with pytest.raises(ValidationError):
            register(
                offices.bnh,
                clerks.bnh,
                Direction.INCOMING,
                letter_input(engineering, body=ministry, related=[theirs.number]),
            )


class TestHandshake:
    def test_send_accept_cross_link_reply_and_thread(self, offices, clerks, engineering):
        sent = register(
            offices.bnh,
            clerks.bnh,
            Direction.OUTGOING,
            letter_input(engineering, to=offices.qly, reply_working_days=5),
        )
        pending = Letter.objects.get(counterpart=sent)
        assert sent.state == LetterState.DELIVERED and sent.counterpart == pending
        assert pending.state == LetterState.PENDING and pending.number is None
        assert (pending.governorate, pending.local_unit) == (offices.qly.governorate, offices.qly.local_unit)
        assert pending.sender_reference == sent.number

        accepted = services.letter_accept(letter_id=pending.pk, clerk=clerks.qly)
        again = services.letter_accept(letter_id=pending.pk, clerk=clerks.qly)  # idempotent
        sent.refresh_from_db()
        assert accepted.number.startswith("QLY-IN-") and again.number == accepted.number
        assert accepted.state == LetterState.REGISTERED and accepted.due_at is not None
        assert sent.state == LetterState.ACCEPTED
        assert actions(accepted) == ["received", "accept"]
        assert actions(sent) == ["registered", "sent", "recipient_accepted"]

        reply = register(
            offices.qly,
            clerks.qly,
            Direction.OUTGOING,
            letter_input(engineering, to=offices.bnh, in_reply_to=accepted.number),
        )
        accepted.refresh_from_db()
        sent.refresh_from_db()
        assert accepted.state == LetterState.ANSWERED and accepted.on_time is True
        assert sent.state == LetterState.ANSWERED
        reply_at_bnh = Letter.objects.get(counterpart=reply)
        assert sent in reply_at_bnh.related.all()  # the thread reads as one at the first office

    def test_a_letter_sent_back_never_enters_the_register(self, offices, clerks, engineering):
        sent = register(
            offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, to=offices.qly)
        )
        pending = Letter.objects.get(counterpart=sent)
        with pytest.raises(ValidationError):
            services.letter_refuse(letter_id=pending.pk, clerk=clerks.qly, reason="")
        services.letter_refuse(letter_id=pending.pk, clerk=clerks.qly, reason="ليس من اختصاص الوحدة")
        pending.refresh_from_db()
        sent.refresh_from_db()
        assert pending.state == LetterState.REFUSED and pending.number is None
        assert sent.state == LetterState.RETURNED and sent.refusal_reason == "ليس من اختصاص الوحدة"
        with pytest.raises(ValidationError):
            services.letter_accept(letter_id=pending.pk, clerk=clerks.qly)

    def test_only_the_recipients_clerk_accepts(self, offices, clerks, engineering):
        sent = register(
            offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, to=offices.qly)
        )
        pending = Letter.objects.get(counterpart=sent)
        for outsider in (clerks.bnh, clerks.qlb, clerks.hlp):
            with pytest.raises(PermissionDenied):
                services.letter_accept(letter_id=pending.pk, clerk=outsider)

    def test_other_governorates_and_outside_bodies_get_paper(self, offices, clerks, engineering, ministry):
        to_cairo = register(
            offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, to=offices.hlp)
        )
        to_ministry = register(
            offices.bnh, clerks.bnh, Direction.OUTGOING, letter_input(engineering, body=ministry)
        )
        assert to_cairo.state == to_ministry.state == LetterState.AWAITING_DISPATCH
        assert to_cairo.counterpart is None
        services.letter_dispatch(letter_id=to_ministry.pk, clerk=clerks.bnh, method="post")
        to_ministry.refresh_from_db()
        assert to_ministry.state == LetterState.DISPATCHED and to_ministry.dispatch_method == "post"
        with pytest.raises(ValidationError):
            services.letter_dispatch(letter_id=to_ministry.pk, clerk=clerks.bnh, method="post")


class TestInsideTheUnit:
    def test_route_assign_file(self, offices, clerks, engineering, ministry, org):
        letter = register(
            offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry)
        )
        head = staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)
        engineer = staff(Role.BACKOFFICE, department=org.bnh_eng)
        with pytest.raises(ValidationError):  # a department of another unit
            services.letter_route(letter_id=letter.pk, clerk=clerks.bnh, department=org.hlp_eng)
        services.letter_route(
            letter_id=letter.pk, clerk=clerks.bnh, department=org.bnh_eng, instructions="للدراسة والرد"
        )
        with pytest.raises(ValidationError):
            services.letter_assign(
                letter_id=letter.pk, head=head, assignee=staff(Role.BACKOFFICE, department=org.bnh_legal)
            )
        services.letter_assign(letter_id=letter.pk, head=head, assignee=engineer)
        services.letter_file(letter_id=letter.pk, actor=engineer, note="للعلم")
        letter.refresh_from_db()
        assert letter.state == LetterState.FILED
        assert actions(letter) == ["registered", "route", "assign", "file"]


class TestDeadlines:
    def test_the_shared_sweep_marks_and_escalates_letters_once(self, offices, clerks, engineering, ministry):
        letter = register(
            offices.bnh,
            clerks.bnh,
            Direction.INCOMING,
            letter_input(engineering, body=ministry, reply_working_days=2),
        )
        later = timezone.now() + timedelta(days=30)
        first, second = deadline_sweep(now=later), deadline_sweep(now=later)
        letter.refresh_from_db()
        assert letter.overdue_since is not None and letter.escalation_level == 3
        assert first["letter"].overdue == 1 and second["letter"].overdue == 0
        assert Escalation.objects.filter(letter=letter).count() == 3

    def test_letters_without_a_reply_date_have_no_clock(self, offices, clerks, engineering, ministry):
        register(offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry))
        assert deadline_sweep(now=timezone.now() + timedelta(days=30))["letter"].overdue == 0


def test_history_rows_cannot_be_changed(offices, clerks, engineering, ministry):
    register(offices.bnh, clerks.bnh, Direction.INCOMING, letter_input(engineering, body=ministry))
    with connection.cursor() as cursor, pytest.raises(Exception, match="cannot be changed"):
        cursor.execute("UPDATE correspondence_letterevent SET note = 'x'")
