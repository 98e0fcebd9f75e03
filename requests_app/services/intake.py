import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.authz import can
from accounts.models import Role, User
from core.errors import FieldErrors
from core.numbering import number_next
from core.text import visible_text
from core.uploads import scan_problems, scan_save
from hall.services import ticket_request_taken
from notifications.phones import normalize_mobile
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center, Department, LocalUnit
from requests_app.identity import parse_national_id
from requests_app.models import (
    POWER_OF_ATTORNEY,
    Citizen,
    PaymentMethod,
    RequestDocument,
    RequestEvent,
    RequestFee,
    RequestStep,
    ServiceRequest,
    SystemNote,
    scan_storage,
)
from requests_app.services.notify import notify_receipt_issued
from requests_app.services.workflow import service_request_route
from services.models import Service
from services.selectors import service_centers, service_terms


@dataclass(frozen=True)
class CitizenInput:
    national_id: str
    name_ar: str
    mobile: str
    address: str = ""


@dataclass
class IntakeInput:
    applicant: CitizenInput
    received_documents: set[str]
    payment_method: str = PaymentMethod.NONE
    payment_reference: str = ""
    attorney: CitizenInput | None = None
    scans: dict[str, UploadedFile] = field(default_factory=dict)
    local_unit_id: int | None = None  # a mobile center chooses which local unit processes the request
    hall_ticket_id: int | None = None  # the ticket called to the clerk's window for this citizen


def service_request_submit(
    *,
    center: Center,
    clerk: User,
    service: Service,
    intake: IntakeInput,
    intake_key: uuid.UUID,
    now: datetime | None = None,
) -> ServiceRequest:
    """Take a request at the window: one transaction that upserts the citizen(s), snapshots the
    service's terms, allocates the next gapless receipt number of the center and year, and writes
    the first history entry. Submitting the same form twice (same ``intake_key``) returns the
    request the first submission created (the same clerk at the same center)."""
    # The key is the clerk's own at this center: a key replayed from elsewhere is simply a new intake.
    same_form = ServiceRequest.objects.filter(center=center, taken_by=clerk, intake_key=intake_key)
    existing = same_form.first()
    if existing is not None:
        return existing
    try:
        return _submit(center, clerk, service, intake, intake_key, now or timezone.now())
    except IntegrityError:
        existing = same_form.first()
        if existing is None:
            raise
        return existing


def _validate(center: Center, clerk: User, service: Service, intake: IntakeInput, terms: dict) -> dict:
    if not can(clerk, [Role.CLERK], center.org_place()):
        raise PermissionDenied(_("Only a clerk of this center can take requests here."))
    errors = FieldErrors()
    if not service.is_active or not service_centers(service=service).filter(pk=center.pk).exists():
        errors.add("service", _("This service is not offered at this center."))
    applicant = _clean_citizen(errors, "applicant", intake.applicant)
    attorney = _clean_citizen(errors, "attorney", intake.attorney) if intake.attorney else None
    if applicant and attorney and applicant.national_id == attorney.national_id:
        errors.add("attorney_national_id", _("The attorney cannot be the applicant."))

    known = {d["code"] for d in terms["documents"]} | {POWER_OF_ATTORNEY}
    received = set(intake.received_documents) & known
    for unknown in sorted(set(intake.received_documents) - known):
        errors.add(
            "documents", _("Document %(code)s is not one of this service's documents.") % {"code": unknown}
        )
    missing = [d["name_ar"] for d in terms["documents"] if d["required"] and d["code"] not in received]
    if missing:
        errors.add(
            "documents", _("Required documents not received: %(names)s") % {"names": "، ".join(missing)}
        )
    if attorney and POWER_OF_ATTORNEY not in received:
        errors.add("documents", _("Applying on someone's behalf needs the power of attorney document."))
    for code, upload in intake.scans.items():
        _check_scan(errors, code, upload, received)

    fees_total = Decimal(terms["fees_total"])
    method, reference = intake.payment_method, visible_text(intake.payment_reference)
    if fees_total and method not in (PaymentMethod.CASH, PaymentMethod.EPAYMENT):
        errors.add(
            "payment_method", _("Record how the fees of %(total)s EGP were paid.") % {"total": fees_total}
        )
    if not fees_total and method:
        errors.add("payment_method", _("This service has no fees."))
    if method == PaymentMethod.EPAYMENT and not reference:
        errors.add("payment_reference", _("Enter the e-payment reference."))
    departments = _route_departments(errors, center, intake, terms)
    errors.raise_if_any()
    return {
        "applicant": applicant,
        "attorney": attorney,
        "received": received,
        "reference": reference,
        "departments": departments,
    }


def _route_departments(
    errors: FieldErrors, center: Center, intake: IntakeInput, terms: dict
) -> list[Department]:
    """The departments of the processing local unit that the route's steps belong to, in order."""
    local_unit_id = center.local_unit_id or intake.local_unit_id
    if local_unit_id is None or (
        center.local_unit_id is None
        and not LocalUnit.objects.filter(pk=local_unit_id, governorate_id=center.governorate_id).exists()
    ):
        errors.add("local_unit", _("Choose the local unit that will process the request."))
        return []
    codes = [step["department"] for step in terms["route"]]
    if not codes:
        errors.add("service", _("This service has no route of departments yet; ask the administrator."))
        return []
    found = {
        d.department_type.code: d
        for d in Department.objects.filter(
            local_unit_id=local_unit_id, department_type__code__in=codes
        ).select_related("department_type")
    }
    missing = [code for code in codes if code not in found]
    if missing:
        errors.add(
            "service",
            _("The local unit has no department %(codes)s for this service's route.")
            % {"codes": ", ".join(missing)},
        )
    return [found[code] for code in codes if code in found]


def _clean_citizen(errors: FieldErrors, prefix: str, data: CitizenInput) -> CitizenInput | None:
    national_id = errors.check(f"{prefix}_national_id", parse_national_id, data.national_id)
    mobile = errors.check(f"{prefix}_mobile", normalize_mobile, data.mobile)
    name = visible_text(data.name_ar)
    if len(name) < 3:
        errors.add(f"{prefix}_name_ar", _("Enter the full name as on the national ID card."))
    if national_id is None or mobile is None or len(name) < 3:
        return None
    return CitizenInput(national_id.value, name, mobile, visible_text(data.address))


def _check_scan(errors: FieldErrors, code: str, upload: UploadedFile, received: set[str]) -> None:
    name = f"scan_{code}"
    if code not in received:
        errors.add(name, _("Tick the document as received before attaching its scan."))
    for problem in scan_problems(upload):
        errors.add(name, problem)


def _citizen_get_or_create(data: CitizenInput) -> Citizen:
    """The citizen's record, created at the first intake. An intake never changes an existing record:
    the request keeps the details it was taken with, and a record changes only through
    ``citizen_contact_change`` (audited)."""
    citizen, _created = Citizen.objects.get_or_create(
        national_id=data.national_id,
        defaults={"name_ar": data.name_ar, "mobile": data.mobile, "address": data.address},
    )
    return citizen


@transaction.atomic
def citizen_contact_change(
    *, citizen_id: int, mobile: str, address: str, actor: User, reason: str
) -> Citizen:
    """Change a citizen's recorded mobile and address: who, when, why and what are kept in the
    record's history. Requests already taken keep the details they were taken with."""
    errors = FieldErrors()
    mobile = errors.check("mobile", normalize_mobile, mobile)
    reason = visible_text(reason)
    if not reason:
        errors.add("reason", _("Write why the citizen's contact details change."))
    errors.raise_if_any()
    citizen = Citizen.objects.select_for_update().get(pk=citizen_id)
    citizen.mobile, citizen.address = mobile, visible_text(address)
    citizen._history_user = actor
    citizen._change_reason = reason
    citizen.save(update_fields=["mobile", "address", "updated_at"])
    return citizen


def receipt_series(center: Center) -> str:
    return f"receipt:{center.pk}"


def receipt_number_allocate(*, center: Center, year: int) -> int:
    """The next receipt number of the center's year, gapless (``core.numbering``): inside the intake's
    transaction, so concurrent clerks wait for each other and a failed intake gives its number back."""
    return number_next(series=receipt_series(center), year=year)


@transaction.atomic
def _submit(center, clerk, service, intake: IntakeInput, intake_key, now) -> ServiceRequest:
    terms = service_terms(service=service)
    clean = _validate(center, clerk, service, intake, terms)
    applicant = _citizen_get_or_create(clean["applicant"])
    attorney = _citizen_get_or_create(clean["attorney"]) if clean["attorney"] else None
    saved_scans: list[str] = []
    try:
        scans = {code: _save_scan(upload, saved_scans) for code, upload in intake.scans.items()}
        year = now.astimezone(CAIRO).year
        sequence = receipt_number_allocate(center=center, year=year)
        departments = clean["departments"]
        request = ServiceRequest.objects.create(
            receipt_number=f"{center.code}-{year}-{sequence:06d}",
            center=center,
            local_unit_id=departments[0].local_unit_id,
            year=year,
            sequence=sequence,
            service=service,
            terms=terms,
            applicant=applicant,
            applicant_name_ar=clean["applicant"].name_ar,
            applicant_mobile=clean["applicant"].mobile,
            applicant_address=clean["applicant"].address,
            attorney=attorney,
            attorney_name_ar=clean["attorney"].name_ar if clean["attorney"] else "",
            submitted_at=now,
            due_at=WorkCalendar(center).deadline(now, terms["legal_deadline_days"]),
            fees_total=Decimal(terms["fees_total"]),
            payment_method=intake.payment_method,
            payment_reference=clean["reference"],
            taken_by=clerk,
            intake_key=intake_key,
            hall_ticket_id=intake.hall_ticket_id,
        )
        if intake.hall_ticket_id is not None:
            ticket_request_taken(
                ticket_id=intake.hall_ticket_id,
                clerk=clerk,
                center=center,
                receipt_number=request.receipt_number,
                now=now,
            )
        RequestFee.objects.bulk_create(
            RequestFee(
                request=request,
                position=i,
                name_ar=fee["name_ar"],
                name_en=fee.get("name_en", ""),
                amount=Decimal(fee["amount"]),
            )
            for i, fee in enumerate(terms["fees"], start=1)
        )
        RequestDocument.objects.bulk_create(
            _document_rows(request, terms, clean["received"], scans, attorney)
        )
        RequestStep.objects.bulk_create(
            RequestStep(request=request, position=i, department=department, working_days=step["working_days"])
            for i, (department, step) in enumerate(zip(departments, terms["route"], strict=True), start=1)
        )
        submitted = RequestEvent.objects.create(
            request=request,
            at=now,
            actor=clerk,
            action=RequestEvent.Action.SUBMITTED,
            to_state=request.state,
            **payment_note(request),
        )
        request = service_request_route(request_id=request.pk, actor=None)
        notify_receipt_issued(request, submitted)
    except BaseException:
        for path in saved_scans:
            scan_storage().delete(path)
        raise
    return request


def payment_note(request: ServiceRequest) -> dict:
    """The intake's history row records the fees paid: how much, how and the treasury reference."""
    if not request.fees_total:
        return {}
    return {
        "system_note": SystemNote.FEES_PAID,
        "system_note_values": {
            "total": str(request.fees_total),
            "method": request.payment_method,
            "reference": request.payment_reference,
        },
    }


def _save_scan(upload: UploadedFile, saved: list[str]) -> tuple[str, str, int]:
    return scan_save(upload, scan_storage(), "scans", saved)


def _power_of_attorney_names() -> dict[str, str]:
    """Stored in both languages, whatever the clerk's screen language, like the catalog's names."""
    names = {}
    for language in ("ar", "en"):
        with translation.override(language):
            names[f"name_{language}"] = _("Power of attorney")
    return names


def _document_rows(request, terms, received, scans, attorney) -> list[RequestDocument]:
    documents = list(terms["documents"])
    if attorney and POWER_OF_ATTORNEY not in {d["code"] for d in documents}:
        documents.append({"code": POWER_OF_ATTORNEY, **_power_of_attorney_names(), "required": True})
    rows = []
    for position, doc in enumerate(documents, start=1):
        path, mime, size = scans.get(doc["code"], ("", "", None))
        rows.append(
            RequestDocument(
                request=request,
                position=position,
                code=doc["code"],
                name_ar=doc["name_ar"],
                name_en=doc.get("name_en", ""),
                required=doc["required"] or (doc["code"] == POWER_OF_ATTORNEY and attorney is not None),
                received=doc["code"] in received,
                scan=path,
                scan_content_type=mime,
                scan_size=size,
            )
        )
    return rows


@transaction.atomic
def receipt_print_record(*, request: ServiceRequest, actor: User) -> RequestEvent:
    """Every print of a receipt is recorded; all but the first are reprints. The request's row is
    locked, as for every history row, so that the chain of its history never forks."""
    ServiceRequest.objects.select_for_update().filter(pk=request.pk).exists()
    printed_before = request.events.filter(
        action__in=[RequestEvent.Action.RECEIPT_PRINTED, RequestEvent.Action.RECEIPT_REPRINTED]
    ).exists()
    action = RequestEvent.Action.RECEIPT_REPRINTED if printed_before else RequestEvent.Action.RECEIPT_PRINTED
    return RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_state=request.state,
        to_state=request.state,
    )
