"""Issuing, printing and revoking: the rows each leaves, numbering, what is refused."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Role
from documents import codec
from documents.keys import published_keys
from documents.models import DocumentEvent, IssuedDocument, SigningKey
from documents.services import claims_of, document_print_record, document_revoke
from organisation.calendar import CAIRO
from tests.accounts.factories import staff
from tests.documents.conftest import HOLDER_ID

pytestmark = pytest.mark.django_db


def test_issuing_numbers_signs_and_records(permit):
    year = timezone.now().astimezone(CAIRO).year
    assert permit.number == f"BNH-PRM-{year}-000001"
    assert len(permit.check_code) == 8 and permit.check_code.isalnum()
    assert permit.issued_on == timezone.now().astimezone(CAIRO).date()
    # Three years, the last day included: issued 2026-12-04, valid until 2029-12-03.
    assert permit.valid_until == permit.issued_on.replace(year=permit.issued_on.year + 3) - timedelta(days=1)
    assert permit.issuer_names["signatory"]["ar"] == f"رئيس {permit.center.local_unit.name_ar}"
    assert list(permit.events.values_list("action", flat=True)) == ["issued"]
    assert SigningKey.objects.filter(kid=permit.kid).exists()
    _, claims = codec.payload_open(bytes(permit.payload), published_keys())
    assert claims == claims_of(permit) and claims.number == permit.number
    assert claims.holds_for(HOLDER_ID)


def test_numbers_run_per_issuer_kind_and_year_and_status_indexes_never_repeat(issue, org):
    first, second = issue(), issue()
    license_ = issue(kind="LIC")
    other_center = issue(center=org.hlp, local_unit=org.hlp.local_unit)
    assert [d.serial for d in (first, second, license_, other_center)] == [1, 2, 1, 1]
    assert other_center.number.startswith("HLP-PRM-")
    indexes = [d.status_index for d in (first, second, license_, other_center)]
    assert indexes == sorted(set(indexes)) and indexes[0] >= 0


def test_a_document_without_subject_is_refused_and_nothing_is_kept(issue):
    with pytest.raises(ValidationError, match="subject"):
        issue(subject="  \u200f ")
    assert IssuedDocument.objects.count() == 0 and DocumentEvent.objects.count() == 0


def test_a_document_without_validity_has_no_end(issue):
    assert issue(valid_years=None).valid_until is None


def test_printing_is_recorded(permit, manager):
    document_print_record(document_id=permit.pk, actor=manager)
    document_print_record(document_id=permit.pk, actor=manager)
    assert list(permit.events.values_list("action", "actor")) == [
        ("issued", None),
        ("printed", manager.pk),
        ("printed", manager.pk),
    ]


def test_the_issuing_centers_manager_revokes_with_reason_and_note(permit, manager):
    note = "قرار رقم 12 لسنة 2026"
    revoked = document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note=note)
    permit.refresh_from_db()
    assert permit.is_revoked and permit.revoked_by == manager and permit.revocation_reason == "fraud"
    assert revoked.revocation_note == "قرار رقم 12 لسنة 2026"
    event = permit.events.get(action="revoked")
    assert event.actor == manager and event.note == "قرار رقم 12 لسنة 2026"


def test_the_governorate_official_may_revoke_too(permit, official):
    document_revoke(document_id=permit.pk, actor=official, reason="court_order", note="حكم رقم 5")
    assert IssuedDocument.objects.get().is_revoked


@pytest.mark.parametrize(
    "who",
    [
        lambda org: staff(Role.CENTER_MANAGER, center=org.hlp),
        lambda org: staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        lambda org: staff(Role.CLERK, center=org.bnh),
        lambda org: staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
    ],
    ids=["another center's manager", "another governorate", "clerk", "department head"],
)
def test_others_may_not_revoke(permit, org, who):
    with pytest.raises(PermissionDenied):
        document_revoke(document_id=permit.pk, actor=who(org), reason="fraud", note="x")
    assert not IssuedDocument.objects.get().is_revoked
    assert permit.events.count() == 1


@pytest.mark.parametrize(
    ("reason", "note", "field"), [("", "قرار", "reason"), ("whim", "قرار", "reason"), ("fraud", " ", "note")]
)
def test_a_revocation_needs_a_reason_and_a_note(permit, manager, reason, note, field):
    with pytest.raises(ValidationError) as caught:
        document_revoke(document_id=permit.pk, actor=manager, reason=reason, note=note)
    assert field in caught.value.message_dict
    assert not IssuedDocument.objects.get().is_revoked


def test_a_revocation_is_for_good(permit, manager):
    document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note="قرار")
    with pytest.raises(ValidationError, match="ملغى من قبل"):
        document_revoke(document_id=permit.pk, actor=manager, reason="superseded", note="قرار آخر")
    assert IssuedDocument.objects.get().revocation_reason == "fraud"


def test_a_revocation_without_reason_is_refused_by_the_database(permit):
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.filter(pk=permit.pk).update(revoked_at=timezone.now())


def test_the_history_cannot_be_edited_or_deleted(permit):
    event = permit.events.get()
    for statement in ("UPDATE documents_documentevent SET note = 'x'", "DELETE FROM documents_documentevent"):
        with (
            pytest.raises(Exception, match="cannot be changed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"{statement} WHERE id = %s", [event.pk])
    assert permit.events.get().note == ""


def test_production_refuses_to_run_without_a_signing_key(settings, tmp_path):
    from documents.checks import signing_key_configured

    settings.PRODUCTION, settings.DOCUMENT_SIGNING_KEY = True, ""
    settings.DOCUMENT_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    assert [e.id for e in signing_key_configured(None)] == ["documents.E001"]
    call_command("document_keygen", str(tmp_path / "missing.pem"), stdout=io.StringIO())
    assert signing_key_configured(None) == []
    assert oct((tmp_path / "missing.pem").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("document_keygen", str(tmp_path / "missing.pem"))


def test_validity_counts_whole_years_even_from_29_february():
    from datetime import date

    from documents.services import _valid_until

    assert _valid_until(date(2026, 12, 4), 3) == date(2029, 12, 3)
    assert _valid_until(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert _valid_until(date(2028, 2, 29), 4) == date(2032, 2, 28)
    assert _valid_until(date(2028, 2, 29), None) is None


@pytest.mark.parametrize(
    "who",
    [
        lambda org: staff(Role.CLERK, center=org.hlp),
        lambda org: staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        lambda org: staff(Role.NATIONAL_VIEWER),
    ],
    ids=["another center's clerk", "governorate official", "national viewer"],
)
def test_only_the_issuing_centers_window_and_manager_print(permit, org, who):
    with pytest.raises(PermissionDenied):
        document_print_record(document_id=permit.pk, actor=who(org))
    document_print_record(document_id=permit.pk, actor=staff(Role.CLERK, center=org.bnh))
    assert list(permit.events.values_list("action", flat=True)) == ["issued", "printed"]


def test_a_revoked_document_is_not_printed_again(permit, manager):
    document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note="قرار")
    with pytest.raises(ValidationError, match="لا يُطبع"):
        document_print_record(document_id=permit.pk, actor=manager)
    assert not permit.events.filter(action="printed").exists()
