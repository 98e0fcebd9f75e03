"""FixMyStreet's Open311 extension, GET servicerequestupdates: the public history of the complaints, with
extended statuses, never an internal note, a staff name or a complaint about staff conduct."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Channel, ComplaintEvent
from complaints.services import complaint_file
from tests.complaints.factories import complaint_input, file
from tests.complaints.open311_checks import UPDATES, xml_as_data
from tests.complaints.open311_helpers import FORMATS, get, ok, refused

pytestmark = pytest.mark.django_db


def updates(client, fmt="json", **params) -> list[dict]:
    data = ok(get(client, "servicerequestupdates", fmt, **params), UPDATES, fmt)
    return data if fmt == "json" else xml_as_data(data)


def statuses(data, number) -> list[str]:
    return [u["status"] for u in data if u["service_request_id"] == number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_handling_of_a_complaint(client, complaint, people, fmt):
    services.complaint_assign(complaint_id=complaint.pk, actor=people.eng_head, assignee=people.eng)
    services.complaint_start(complaint_id=complaint.pk, actor=people.eng)
    services.complaint_note(complaint_id=complaint.pk, actor=people.eng, note="اتصلت بالمقاول، سري")
    services.complaint_resolve(complaint_id=complaint.pk, actor=people.eng, reply="تم تغيير المصباح")
    services.complaint_rate(token=complaint.tracking_token, rating=5, comment="شكرًا للمهندس")
    data = updates(client, fmt)
    assert statuses(data, complaint.number) == ["OPEN", "INVESTIGATING", "IN_PROGRESS", "FIXED"]
    events = ComplaintEvent.objects.filter(complaint=complaint).exclude(action__in=["note", "rate"])
    assert [u["update_id"] for u in data] == [str(e.pk) for e in events.order_by("at", "pk")]
    assert data[-1]["description"] == "تم تغيير المصباح"
    assert data[1]["description"] == ""  # the assignment's row names the employee, in its internal note
    body = get(client, "servicerequestupdates", fmt).content.decode()
    for secret in ("سري", "المقاول", "شكرًا", str(people.eng), people.eng.username):
        assert secret not in body


def test_extended_statuses_of_the_other_ends(client, lighting, org, people):
    rejected, refused_, merged, kept = (file(lighting, org.bnh) for _ in range(4))
    services.complaint_reject(
        complaint_id=rejected.pk,
        actor=people.eng_head,
        reason="ليس من اختصاصنا",
        competent_body="شركة المياه",
    )
    services.complaint_reject(complaint_id=refused_.pk, actor=people.eng_head, reason="البلاغ غير واضح")
    services.complaint_merge(complaint_id=merged.pk, into_id=kept.pk, actor=people.eng_head)
    services.complaint_resolve(complaint_id=kept.pk, actor=people.eng_head, reply="تم")
    services.complaint_reopen(token=kept.tracking_token, reason="ما زال مطفأ")
    services.complaint_resolve(complaint_id=kept.pk, actor=people.eng_head, reply="تم مرة أخرى")
    services.complaint_confirm(token=kept.tracking_token)
    data = updates(client)
    assert statuses(data, rejected.number) == ["OPEN", "NOT_COUNCILS_RESPONSIBILITY"]
    assert statuses(data, refused_.number) == ["OPEN", "NO_FURTHER_ACTION"]
    assert statuses(data, merged.number) == ["OPEN", "DUPLICATE"]
    assert statuses(data, kept.number) == ["OPEN", "FIXED", "OPEN", "FIXED", "CLOSED"]
    assert "شركة المياه" in [u for u in data if u["service_request_id"] == rejected.number][-1]["description"]


def test_the_window(client, lighting, org):
    now = timezone.now()
    old = complaint_file(
        data=complaint_input(lighting, org.bnh), channel=Channel.ONLINE, now=now - timedelta(days=2)
    )
    new = file(lighting, org.bnh)

    def numbers(**params):
        return [u["service_request_id"] for u in updates(client, **params)]

    assert numbers() == [new.number]  # the last 24 hours
    day = timezone.localtime(old.submitted_at).date().isoformat()
    assert numbers(start_date=day, end_date=day) == [old.number]
    # A start alone reaches 24 hours on, an end alone 24 hours back.
    assert numbers(start_date=(now - timedelta(days=3)).isoformat()) == [old.number]
    assert numbers(end_date=(now - timedelta(hours=36)).isoformat()) == [old.number]
    assert numbers(end_date=(now - timedelta(days=3)).isoformat()) == []
    assert numbers(start_date=(now - timedelta(days=3)).isoformat(), end_date=timezone.now().isoformat()) == [
        old.number,
        new.number,
    ]


def test_staff_conduct_complaints_have_no_updates(client, conduct, org, people):
    complaint = file(conduct, org.bnh)
    services.complaint_assign(complaint_id=complaint.pk, actor=people.manager, assignee=people.manager)
    assert updates(client) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params, status",
    [
        ({"start_date": "2026-02-30"}, 400),
        ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, 400),
        ({"end_date": "9999-01-01"}, 400),
        ({"jurisdiction_id": "elsewhere"}, 404),
    ],
)
def test_bad_parameters(client, db, params, status, fmt):
    refused(get(client, "servicerequestupdates", fmt, **params), status, fmt)
