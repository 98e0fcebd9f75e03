from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from complaints import services
from complaints.models import Channel, Complaint, ComplaintEvent, ComplaintPhoto, ComplaintState
from core.numbering import number_last
from deadlines.models import Escalation
from deadlines.sweep import deadline_sweep
from notifications.models import SmsMessage
from tests.complaints.factories import complaint_input, file

pytestmark = pytest.mark.django_db


def jpeg(size=(40, 30), *, exif_place: bool = False) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if exif_place:
        exif[0x010F] = "PhoneMaker"  # camera make: must not survive
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def events(complaint) -> list[str]:
    return list(
        ComplaintEvent.objects.filter(complaint=complaint).order_by("pk").values_list("action", flat=True)
    )


class TestFiling:
    def test_routes_to_the_local_units_department_with_a_gapless_number_and_an_sms(self, lighting, org):
        first = file(lighting, org.bnh)
        second = file(lighting, org.bnh, anonymous=True, name="", mobile="")
        year = timezone.localdate().year
        assert first.number == f"{org.bnh.code}-C-{year}-000001"
        assert (first.sequence, second.sequence) == (1, 2)
        assert number_last(series=services.complaint_series(org.bnh), year=year) == 2
        assert first.department == org.bnh_eng and first.local_unit == org.bnh.local_unit
        assert first.state == ComplaintState.RECEIVED and first.due_at > first.submitted_at
        assert events(first) == ["filed"]
        sms = SmsMessage.objects.get()
        assert sms.event == "complaint_received" and first.number in sms.body
        assert sms.phone == "+201098765432"
        assert second.anonymous and second.complainant_mobile == "" and second.complainant_name == ""

    def test_staff_conduct_goes_to_no_department(self, conduct, org):
        complaint = file(conduct, org.bnh)
        assert complaint.confidential and complaint.department is None

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"description": "قصير"}, "description"),
            ({"description": "أ" * 4001}, "description"),
            ({"category_code": "no-such-kind"}, "category"),
            ({"center_id": None}, "center"),
            ({"latitude": "30.4", "longitude": ""}, "latitude"),
            ({"latitude": "48.85", "longitude": "2.35"}, "latitude"),
            ({"latitude": "NaN", "longitude": "31.1"}, "latitude"),
            ({"receipt_number": "BNH-2026-999999"}, "receipt_number"),
            ({"name": ""}, "name"),
            ({"mobile": "12345"}, "mobile"),
        ],
    )
    def test_bad_input_is_refused_by_field_and_nothing_is_stored(self, lighting, org, overrides, field):
        with pytest.raises(ValidationError) as refused:
            file(lighting, org.bnh, **overrides)
        assert field in refused.value.message_dict
        assert not Complaint.objects.exists() and not SmsMessage.objects.exists()
        assert number_last(series=services.complaint_series(org.bnh), year=timezone.localdate().year) == 0

    def test_photos_are_checked_by_content_and_drawn_again_without_metadata(self, lighting, org, settings):
        settings.COMPLAINT_PHOTO_MAX_BYTES = 200_000
        complaint = file(
            lighting, org.bnh, photos=[upload("a.jpg", jpeg(exif_place=True)), upload("b.jpg", jpeg())]
        )
        stored = ComplaintPhoto.objects.filter(complaint=complaint).order_by("position")
        assert [p.position for p in stored] == [1, 2]
        data = stored[0].image.read()
        assert b"PhoneMaker" not in data
        with Image.open(BytesIO(data)) as image:
            assert image.format == "JPEG" and not image.getexif()

    @pytest.mark.parametrize(
        "photo",
        [
            upload("fake.jpg", b"%PDF-1.4 not a photo"),
            upload("big.jpg", jpeg((1000, 1000)) + b"0" * 300_000),
        ],
    )
    def test_wrong_or_oversized_photos_store_nothing(self, lighting, org, settings, photo):
        settings.COMPLAINT_PHOTO_MAX_BYTES = 200_000
        with pytest.raises(ValidationError) as refused:
            file(lighting, org.bnh, photos=[photo])
        assert "photos" in refused.value.message_dict
        assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()

    def test_too_many_photos(self, lighting, org, settings):
        settings.COMPLAINT_PHOTOS_MAX = 1
        with pytest.raises(ValidationError):
            file(lighting, org.bnh, photos=[upload("a.jpg", jpeg()), upload("b.jpg", jpeg())])

    def test_the_window_needs_a_clerk(self, lighting, org):
        with pytest.raises(PermissionDenied):
            services.complaint_file(data=complaint_input(lighting, org.bnh), channel=Channel.WINDOW)


class TestHandling:
    def test_the_whole_way_leaves_one_history_row_per_change(self, complaint, people):
        services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
        services.complaint_start(complaint_id=complaint.pk, actor=people.eng)
        services.complaint_note(complaint_id=complaint.pk, actor=people.eng, note="زيارة الموقع غدًا")
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng, reply="تم تغيير المصباح")
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.RESOLVED
        assert complaint.on_time is True and complaint.working_days_to_answer == 0
        assert events(complaint) == ["filed", "assign", "start", "note", "resolve"]
        resolved = SmsMessage.objects.get(event="complaint_resolved")
        assert "تم تغيير المصباح" in resolved.body

    def test_illegal_transitions_raise_and_change_nothing(self, complaint, people):
        with pytest.raises(services.ComplaintError):
            services.complaint_reopen(token=complaint.tracking_token, reason="لم يحل")
        with pytest.raises(PermissionDenied):
            services.complaint_start(complaint_id=complaint.pk, actor=people.eng)
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم")
        with pytest.raises(services.ComplaintError):
            services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="مرة أخرى")
        assert events(complaint) == ["filed", "resolve"]

    def test_who_may_act(self, complaint, people):
        for outsider in (people.legal, people.hlp_eng, people.hlp_manager, people.cai_official, people.clerk):
            with pytest.raises(PermissionDenied):
                services.complaint_resolve(complaint_id=complaint.pk, actor=outsider, reply="تم")
        with pytest.raises(
            PermissionDenied
        ):  # an employee neither assigns others nor answers unassigned work
            services.complaint_assign(complaint_id=complaint.pk, actor=people.eng, assignee=people.eng2)
        with pytest.raises(PermissionDenied):
            services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng, reply="تم")
        with pytest.raises(services.ComplaintError):  # the head cannot hand it to another department
            services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.legal)
        services.complaint_assign(
            complaint_id=complaint.pk, actor=people.eng, assignee=people.eng
        )  # takes it
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng, reply="تم")

    def test_a_stale_form_is_refused(self, complaint, people):
        services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
        with pytest.raises(services.ComplaintError):
            services.complaint_resolve(
                complaint_id=complaint.pk, actor=people.eng_head, reply="تم", expected_version=0
            )

    def test_reject_names_the_competent_body(self, complaint, people):
        services.complaint_reject(
            complaint_id=complaint.pk,
            actor=people.manager,
            reason="ليس من اختصاص الوحدة",
            competent_body="شركة الكهرباء",
        )
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.REJECTED and complaint.competent_body == "شركة الكهرباء"
        sms = SmsMessage.objects.get(event="complaint_rejected")
        assert "شركة الكهرباء" in sms.body
        with pytest.raises(services.ComplaintError):
            services.complaint_reject(complaint_id=complaint.pk, actor=people.manager, reason="")


class TestComplainant:
    def resolved(self, complaint, people):
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم الإصلاح")
        complaint.refresh_from_db()
        return complaint

    def test_reopen_within_the_window_starts_a_new_clock(self, complaint, people):
        complaint = self.resolved(complaint, people)
        services.complaint_reopen(token=complaint.tracking_token, reason="ما زال مطفأ")
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.REOPENED and complaint.reopen_count == 1
        assert complaint.answered_at is None and complaint.on_time is None
        assert complaint.due_at > timezone.now()
        assert events(complaint)[-1] == "reopen"

    def test_reopen_after_the_window_is_refused(self, complaint, people, settings):
        complaint = self.resolved(complaint, people)
        Complaint.objects.filter(pk=complaint.pk).update(
            answered_at=timezone.now() - timedelta(days=settings.COMPLAINT_REOPEN_DAYS, minutes=1)
        )
        with pytest.raises(services.ComplaintError):
            services.complaint_reopen(token=complaint.tracking_token, reason="ما زال مطفأ")

    def test_confirm_then_rate_once(self, complaint, people):
        complaint = self.resolved(complaint, people)
        services.complaint_confirm(token=complaint.tracking_token)
        services.complaint_rate(token=complaint.tracking_token, rating="4", comment="سريع")
        complaint.refresh_from_db()
        assert (complaint.state, complaint.rating, complaint.rating_comment) == (
            ComplaintState.CLOSED,
            4,
            "سريع",
        )
        with pytest.raises(services.ComplaintError):
            services.complaint_rate(token=complaint.tracking_token, rating=5)
        assert events(complaint)[-2:] == ["close", "rate"]

    @pytest.mark.parametrize("rating", ["0", "6", "five", None])
    def test_a_bad_rating_is_refused(self, complaint, people, rating):
        complaint = self.resolved(complaint, people)
        with pytest.raises(services.ComplaintError):
            services.complaint_rate(token=complaint.tracking_token, rating=rating)
        complaint.refresh_from_db()
        assert complaint.rating is None

    def test_an_unknown_token_is_refused(self, complaint):
        with pytest.raises(services.ComplaintError):
            services.complaint_confirm(token="not-a-token")


class TestMerge:
    def test_the_duplicates_complainant_hears_the_answer(self, lighting, org, people):
        kept = file(lighting, org.bnh, latitude="30.466000", longitude="31.184800")
        duplicate = file(lighting, org.bnh, latitude="30.466500", longitude="31.185000", mobile="01122334455")
        services.complaint_merge(complaint_id=duplicate.pk, into_id=kept.pk, actor=people.eng_head)
        duplicate.refresh_from_db()
        assert duplicate.state == ComplaintState.MERGED and duplicate.merged_into == kept
        assert events(duplicate)[-1] == "merge" and events(kept)[-1] == "merged_in"
        services.complaint_resolve(complaint_id=kept.pk, actor=people.eng_head, reply="تم الإصلاح")
        phones = set(SmsMessage.objects.filter(event="complaint_resolved").values_list("phone", flat=True))
        assert phones == {"+201098765432", "+201122334455"}

    def test_only_a_supervisor_merges_the_same_kind(self, lighting, conduct, org, people):
        one, two = file(lighting, org.bnh), file(lighting, org.bnh)
        with pytest.raises(PermissionDenied):
            services.complaint_merge(complaint_id=two.pk, into_id=one.pk, actor=people.eng)
        other_kind = file(conduct, org.bnh)
        with pytest.raises((services.ComplaintError, PermissionDenied)):
            services.complaint_merge(complaint_id=other_kind.pk, into_id=one.pk, actor=people.manager)
        with pytest.raises(services.ComplaintError):
            services.complaint_merge(complaint_id=one.pk, into_id=one.pk, actor=people.manager)


class TestFollowUp:
    def test_closes_after_the_window_and_reminds_to_rate_once(self, complaint, people, settings):
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم")
        later = timezone.now() + timedelta(days=settings.COMPLAINT_REOPEN_DAYS, hours=1)
        first = services.complaints_follow_up(now=later)
        again = services.complaints_follow_up(now=later)
        complaint.refresh_from_db()
        assert (first.closed, first.reminded, again.closed, again.reminded) == (1, 1, 0, 0)
        assert complaint.state == ComplaintState.CLOSED
        assert SmsMessage.objects.filter(event="complaint_rating_reminder").count() == 1

    def test_nothing_to_do_within_the_window(self, complaint, people):
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم")
        report = services.complaints_follow_up(now=timezone.now() + timedelta(hours=1))
        assert (report.closed, report.reminded) == (0, 0)


class TestDeadlines:
    def test_the_shared_sweep_marks_and_escalates_complaints_once(self, lighting, org):
        long_ago = timezone.now() - timedelta(days=30)
        late = services.complaint_file(
            data=complaint_input(lighting, org.bnh), channel=Channel.ONLINE, now=long_ago
        )
        on_time = file(lighting, org.bnh)
        first = deadline_sweep()
        second = deadline_sweep()
        late.refresh_from_db()
        assert late.overdue_since is not None and late.at_risk_since is not None
        assert late.escalation_level == 3
        assert first["complaint"].overdue == 1 and second["complaint"].overdue == 0
        assert Escalation.objects.filter(complaint=late).count() == 3
        assert not Escalation.objects.filter(complaint=on_time).exists()


def test_history_rows_cannot_be_changed(complaint):
    with connection.cursor() as cursor, pytest.raises(Exception, match="cannot be changed"):
        cursor.execute("UPDATE complaints_complaintevent SET note = 'x'")


def test_the_migration_creates_valid_arabic_complaint_templates():
    from complaints.notify import SMS_EVENTS
    from notifications.encoding import UCS2, sms_parts
    from notifications.models import SmsTemplate

    templates = {t.event: t for t in SmsTemplate.objects.filter(event__in=SMS_EVENTS)}
    assert set(templates) == set(SMS_EVENTS)
    assert {e for e, t in templates.items() if t.essential} == {"complaint_resolved", "complaint_rejected"}
    for template in templates.values():
        template.full_clean()
        assert sms_parts(template.body_ar).encoding == UCS2
