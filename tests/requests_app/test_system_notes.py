"""Issue 12, defect 10: what the system writes in a request's history is stored as a code with its
values and read in the reader's language, whatever language the clerk or employee worked in."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from requests_app.models import POWER_OF_ATTORNEY, RequestEvent, SystemNote
from requests_app.services import (
    CitizenInput,
    service_request_approve,
    service_request_assign,
    service_request_deliver,
    service_request_forward,
    service_request_issue,
)
from tests.accounts.factories import staff
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db


SUBJECT = "قطعة الأرض رقم 5 — شارع الجلاء"  # what the approver writes on the document


@pytest.fixture
def ready(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service_request_forward(request_id=request.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    service_request_approve(request_id=request.pk, actor=legal, subject=SUBJECT)
    return service_request_issue(request_id=request.pk, actor=legal)


def test_delivery_taken_in_english_is_stored_as_a_code_and_read_in_either_language(ready, clerk):
    with translation.override("en"):  # the clerk's screen is in English
        service_request_deliver(request_id=ready.pk, actor=clerk)
    event = ready.events.get(action=RequestEvent.Action.DELIVERED)
    assert (event.system_note, event.note) == (SystemNote.HANDED_TO_APPLICANT, "")
    assert event.system_note_text == "سُلِّم إلى صاحب الطلب."
    with translation.override("en"):
        assert event.system_note_text == "Handed to the applicant."


def test_delivery_to_an_attorney_keeps_the_name_as_a_value(service, org, clerk):
    by_attorney = submit(
        service,
        org.bnh,
        clerk,
        national_id="29001011401250",
        attorney=CitizenInput("28001011401237", "حسن محمود", "01099998888"),
        received_documents={d["code"] for d in service.terms()["documents"] if d["required"]}
        | {POWER_OF_ATTORNEY},
    )
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service_request_forward(request_id=by_attorney.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    service_request_approve(request_id=by_attorney.pk, actor=legal, subject=SUBJECT)
    service_request_issue(request_id=by_attorney.pk, actor=legal)
    with translation.override("en"):
        service_request_deliver(
            request_id=by_attorney.pk,
            actor=clerk,
            to_attorney=True,
            attorney_name="حسن محمود",
            power_of_attorney_checked=True,
        )
    event = by_attorney.events.get(action=RequestEvent.Action.DELIVERED)
    assert event.system_note == SystemNote.HANDED_TO_ATTORNEY
    assert event.system_note_values == {"name": "حسن محمود"}
    assert event.system_note_text == "سُلِّم إلى الوكيل حسن محمود (تم الاطلاع على التوكيل)."
    with translation.override("en"):
        assert event.system_note_text == "Handed to the attorney حسن محمود (power of attorney checked)."


def test_assignments_are_stored_as_codes(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    head = staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng)
    employee = staff(Role.BACKOFFICE, department=org.bnh_eng)
    with translation.override("en"):
        service_request_assign(request_id=request.pk, actor=head, assignee=employee)
        service_request_assign(request_id=request.pk, actor=head, assignee=None)
    given, pooled = request.events.filter(action=RequestEvent.Action.ASSIGNED).order_by("pk")
    assert (given.system_note, given.system_note_values) == (SystemNote.ASSIGNED_TO, {"name": str(employee)})
    assert (pooled.system_note, pooled.note) == (SystemNote.BACK_TO_POOL, "")
    assert pooled.system_note_text == "أعيد إلى قائمة الإدارة العامة."
    with translation.override("en"):
        assert pooled.system_note_text == "Back to the department's pool."


def test_the_power_of_attorney_added_at_intake_is_named_in_both_languages(service, org, clerk):
    with translation.override("en"):
        request = submit(
            service,
            org.bnh,
            clerk,
            attorney=CitizenInput("28001011401237", "حسن محمود", "01099998888"),
            received_documents={d["code"] for d in service.terms()["documents"] if d["required"]}
            | {POWER_OF_ATTORNEY},
        )
    document = request.documents.get(code=POWER_OF_ATTORNEY)
    assert (document.name_ar, document.name_en) == ("توكيل رسمي", "Power of attorney")


def test_the_file_shows_system_notes_in_the_readers_language(client, org, ready, clerk, settings):
    with translation.override("en"):
        service_request_deliver(request_id=ready.pk, actor=clerk)
    client.force_login(staff(Role.CENTER_MANAGER, center=org.bnh))
    url = reverse("office:request", args=[ready.receipt_number])
    assert "سُلِّم إلى صاحب الطلب." in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Handed to the applicant." in client.get(url).content.decode()


def test_old_rows_without_the_new_fields_keep_their_history_hash(service, org, clerk):
    """The chain hash of a row without system note or documents is computed as it always was."""
    import hashlib
    import json
    from datetime import UTC

    from requests_app.history_chain import chained_hash

    request = submit(service, org.bnh, clerk, payment_method="cash")
    routed = request.events.get(action=RequestEvent.Action.ROUTED)
    assert routed.system_note == "" and routed.documents == []
    fields = [
        "prev",
        str(routed.request_id),
        routed.at.astimezone(UTC).isoformat(),
        "",
        routed.action,
        routed.from_state,
        routed.to_state,
        str(routed.step_id),
        routed.note,
        routed.public_note,
    ]
    expected = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
    assert chained_hash("prev", routed) == expected
