import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintState
from tests.complaints.factories import file

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def form_data(category, center, **overrides):
    data = {
        "category": category.code,
        "center": str(center.pk),
        "description": "تراكم القمامة أمام السوق منذ ثلاثة أيام",
        "name": "منى علي",
        "mobile": "01012345678",
        "website": "",
    }
    data.update(overrides)
    return data


class TestPublicForm:
    def test_files_and_opens_the_tracking_page(self, client, lighting, org):
        assert client.get(reverse("complaints:new")).status_code == 200
        response = client.post(reverse("complaints:new"), form_data(lighting, org.bnh), follow=True)
        complaint = Complaint.objects.get()
        assert response.redirect_chain[-1][0] == reverse("complaints:track", args=[complaint.tracking_token])
        page = response.content.decode()
        assert complaint.number in page and "<svg" in page
        assert "منى علي" not in page and "01012345678" not in page  # nothing personal on the page

    def test_anonymous(self, client, lighting, org):
        client.post(reverse("complaints:new"), form_data(lighting, org.bnh, anonymous="on"))
        complaint = Complaint.objects.get()
        assert complaint.anonymous and complaint.complainant_mobile == ""

    def test_bad_input_shows_arabic_messages_and_stores_nothing(self, client, lighting, org):
        response = client.post(
            reverse("complaints:new"), form_data(lighting, org.bnh, description="قصير", latitude="99")
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "error-summary" in page and "10" in page
        assert not Complaint.objects.exists()

    def test_a_bot_filling_the_honeypot_stores_nothing(self, client, lighting, org):
        response = client.post(reverse("complaints:new"), form_data(lighting, org.bnh, website="http://spam"))
        assert response.status_code == 400 and not Complaint.objects.exists()

    def test_filing_is_rate_limited(self, client, lighting, org, settings):
        settings.COMPLAINT_FILING_RATE = "2/h"
        for _ in range(2):
            client.post(reverse("complaints:new"), form_data(lighting, org.bnh))
        response = client.post(reverse("complaints:new"), form_data(lighting, org.bnh))
        assert response.status_code == 429 and Complaint.objects.count() == 2


class TestTracking:
    def test_no_cache_keeps_the_page(self, client, complaint):
        response = client.get(reverse("complaints:track", args=[complaint.tracking_token]))
        assert "no-store" in response["Cache-Control"]

    def test_unknown_token_is_404(self, client, complaint):
        assert client.get(reverse("complaints:track", args=["nope"])).status_code == 404

    def test_the_page_shows_public_replies_never_internal_notes_or_names(self, client, complaint, people):
        services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
        services.complaint_note(complaint_id=complaint.pk, actor=people.eng, note="ملاحظة داخلية سرية")
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng, reply="تم تغيير المصباح")
        page = client.get(reverse("complaints:track", args=[complaint.tracking_token])).content.decode()
        assert "تم تغيير المصباح" in page
        assert "ملاحظة داخلية سرية" not in page and people.eng.full_name not in page
        assert "reopen" in page and 'name="rating"' in page

    def test_reopen_and_rate_from_the_page(self, client, complaint, people):
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم")
        token = complaint.tracking_token
        client.post(reverse("complaints:citizen_act", args=[token, "reopen"]), {"reason": "ما زالت المشكلة"})
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.REOPENED
        services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng_head, reply="تم فعلًا")
        client.post(
            reverse("complaints:citizen_act", args=[token, "rate"]), {"rating": "5", "comment": "شكرًا"}
        )
        complaint.refresh_from_db()
        assert complaint.rating == 5

    def test_a_refused_act_is_a_message_not_an_error(self, client, complaint):
        response = client.post(
            reverse("complaints:citizen_act", args=[complaint.tracking_token, "rate"]),
            {"rating": "5"},
            follow=True,
        )
        assert response.status_code == 200
        complaint.refresh_from_db()
        assert complaint.rating is None
        assert (
            client.post(
                reverse("complaints:citizen_act", args=[complaint.tracking_token, "delete"])
            ).status_code
            == 404
        )

    def test_photos_are_served_under_their_token_only(self, client, lighting, org):
        from tests.complaints.test_services import jpeg, upload

        complaint = file(lighting, org.bnh, photos=[upload("a.jpg", jpeg())])
        photo = complaint.photos.get()
        response = client.get(reverse("complaints:photo", args=[photo.token]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client.get(reverse("complaints:photo", args=["guess"])).status_code == 404


class TestWindow:
    def test_a_clerk_files_for_the_citizen_and_prints_the_receipt(self, client, lighting, org, people):
        signed_in(client, people.clerk)
        url = reverse("complaints:window_new", args=[org.bnh.code])
        assert client.get(url).status_code == 200
        response = client.post(url, form_data(lighting, org.bnh), follow=True)
        complaint = Complaint.objects.get()
        assert complaint.channel == "window" and complaint.filed_by == people.clerk
        assert complaint.number in response.content.decode() and "<svg" in response.content.decode()

    def test_another_centers_window_is_404_and_other_roles_403(self, client, org, people):
        signed_in(client, people.clerk)
        assert client.get(reverse("complaints:window_new", args=[org.hlp.code])).status_code == 404
        signed_in(client, people.eng)
        assert client.get(reverse("complaints:window_new", args=[org.bnh.code])).status_code == 403

    def test_a_clerk_sees_only_the_receipts_they_filed(self, client, complaint, org, people):
        signed_in(client, people.clerk)
        url = reverse("complaints:window_receipt", args=[org.bnh.code, complaint.number])
        assert client.get(url).status_code == 404  # filed online, not by this clerk


class TestStaffPages:
    def test_anonymous_goes_to_sign_in(self, client, complaint):
        for url in (
            reverse("complaints:list"),
            reverse("complaints:file", args=[complaint.number]),
            reverse("complaints:escalations"),
        ):
            response = client.get(url)
            assert response.status_code == 302 and "login" in response["Location"]

    def test_wrong_role_is_403(self, client, complaint, people):
        signed_in(client, people.clerk)
        assert client.get(reverse("complaints:list")).status_code == 403
        assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 403

    def test_out_of_scope_is_404(self, client, complaint, people):
        for outsider in (people.legal, people.hlp_eng, people.hlp_manager, people.cai_official):
            signed_in(client, outsider)
            assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 404
            assert complaint.number not in client.get(reverse("complaints:list")).content.decode()

    def test_oversight_reads_within_its_reach(self, client, complaint, people):
        for reader in (people.manager, people.official, people.national):
            signed_in(client, reader)
            assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 200
            page = client.get(reverse("complaints:list")).content.decode()
            assert complaint.number in page and reverse("reports:complaints") in page

    def test_the_department_sees_and_answers(self, client, complaint, people):
        signed_in(client, people.eng)
        listed = client.get(reverse("complaints:list")).content.decode()
        assert complaint.number in listed and reverse("reports:complaints") not in listed
        page = client.get(reverse("complaints:file", args=[complaint.number])).content.decode()
        assert "سعاد إبراهيم" in page and "01098765432" not in page  # the number stays hidden
        client.post(reverse("complaints:act", args=[complaint.number, "take"]), {"version": "0"})
        client.post(reverse("complaints:act", args=[complaint.number, "start"]))
        client.post(reverse("complaints:act", args=[complaint.number, "resolve"]), {"reply": "تم الإصلاح"})
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.RESOLVED and complaint.assignee == people.eng

    def test_a_refused_action_shows_why(self, client, complaint, people):
        signed_in(client, people.eng)
        response = client.post(
            reverse("complaints:act", args=[complaint.number, "resolve"]), {"reply": "تم"}, follow=True
        )
        assert response.status_code == 200
        complaint.refresh_from_db()
        assert complaint.state == ComplaintState.RECEIVED
        assert client.post(reverse("complaints:act", args=[complaint.number, "explode"])).status_code == 404

    def test_the_head_assigns_and_merges_duplicates_shown_on_the_file(self, client, lighting, org, people):
        kept = file(lighting, org.bnh, address="شارع فريد ندا")
        duplicate = file(lighting, org.bnh, address="شارع فريد ندا")
        signed_in(client, people.eng_head)
        page = client.get(reverse("complaints:file", args=[kept.number])).content.decode()
        assert duplicate.number in page
        client.post(reverse("complaints:act", args=[kept.number, "assign"]), {"assignee": people.eng2.pk})
        client.post(reverse("complaints:act", args=[duplicate.number, "merge"]), {"into": kept.number})
        kept.refresh_from_db()
        duplicate.refresh_from_db()
        assert kept.assignee == people.eng2 and duplicate.state == ComplaintState.MERGED


class TestStaffConductConfidentiality:
    """A complaint about staff conduct reaches the center manager and the governorate only."""

    def test_the_department_never_sees_it_even_by_url(self, client, conduct, org, people):
        complaint = file(conduct, org.bnh, description="الموظف في شباك ٣ طلب مبلغًا خارج الرسوم")
        for department_staff in (people.eng, people.eng_head, people.legal):
            signed_in(client, department_staff)
            assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 404
            page = client.get(reverse("complaints:list") + "?state=all").content.decode()
            assert complaint.number not in page and "سعاد إبراهيم" not in page
        signed_in(client, people.national)
        assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 404
        for supervisor in (people.manager, people.official):
            signed_in(client, supervisor)
            assert client.get(reverse("complaints:file", args=[complaint.number])).status_code == 200

    def test_it_cannot_be_given_to_a_department(self, conduct, org, people):
        complaint = file(conduct, org.bnh)
        with pytest.raises(services.ComplaintError):
            services.complaint_assign(complaint_id=complaint.pk, actor=people.manager, assignee=people.eng)
        with pytest.raises(services.PermissionDenied):
            services.complaint_note(complaint_id=complaint.pk, actor=people.eng_head, note="x")
        services.complaint_resolve(
            complaint_id=complaint.pk, actor=people.manager, reply="تم التحقيق واتخاذ اللازم"
        )


def test_escalations_page_lists_late_complaints_at_the_managers_level(client, lighting, org, people):
    from datetime import timedelta

    from django.utils import timezone

    from complaints.models import Channel
    from deadlines.sweep import deadline_sweep
    from tests.complaints.factories import complaint_input

    late = services.complaint_file(
        data=complaint_input(lighting, org.bnh),
        channel=Channel.ONLINE,
        now=timezone.now() - timedelta(days=30),
    )
    deadline_sweep()
    for user in (people.eng_head, people.manager, people.official):
        signed_in(client, user)
        assert late.number in client.get(reverse("complaints:escalations")).content.decode()
    signed_in(client, people.hlp_manager)
    assert late.number not in client.get(reverse("complaints:escalations")).content.decode()


def test_navigation_links(client, people):
    page = client.get(reverse("home")).content.decode()
    assert reverse("complaints:new") in page
    signed_in(client, people.eng)
    assert re.search(re.escape(reverse("complaints:list")), client.get(reverse("home")).content.decode())
