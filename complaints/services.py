"""Every write on complaints: filing (at the window, online, over Open311), the handling workflow, the
complainant's own acts through the tracking link, merging duplicates, and the daily follow-up.
Each one is one transaction that leaves exactly one history row per complaint it changes."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from complaints import notify
from complaints.models import (
    DESCRIPTION_MAX_CHARS,
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintState,
    Open311Key,
)
from complaints.permissions import (
    is_assignable,
    may_answer,
    may_handle,
    may_supervise,
)
from core.errors import FieldErrors
from core.images import photo_reencoded
from core.numbering import number_next
from core.text import visible_text
from notifications.phones import normalize_mobile
from organisation.calendar import WorkCalendar
from organisation.models import Center, Department
from requests_app.models import ServiceRequest, scan_storage

# Egypt's extent, with a margin: coordinates outside it are a client's mistake, not a complaint here.
LATITUDES = (Decimal("21.0"), Decimal("32.5"))
LONGITUDES = (Decimal("24.0"), Decimal("37.5"))


class ComplaintError(ValidationError):
    """The action was refused; nothing changed."""


@dataclass
class ComplaintInput:
    category_code: str
    center_id: int | None
    description: str
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    receipt_number: str = ""
    anonymous: bool = False
    name: str = ""
    mobile: str = ""
    photos: list[UploadedFile] = field(default_factory=list)


def description_clean(text: str) -> str:
    """The complainant's words as written, paragraphs kept, without invisible format characters."""
    lines = (visible_text(line) for line in (text or "").replace("\r\n", "\n").split("\n"))
    return "\n".join(lines).strip()


def _coordinate(errors: FieldErrors, name: str, raw: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not bounds[0] <= value <= bounds[1]:
        errors.add(name, _("Give a position in Egypt as decimal degrees, e.g. 30.4660 and 31.1848."))
        return None
    return value.quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class _Checked:
    category: ComplaintCategory
    center: Center
    department: Department | None
    description: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    service_request: ServiceRequest | None
    name: str
    mobile: str
    photos: list[tuple[bytes, str, str]]


def _check(data: ComplaintInput) -> _Checked:
    errors = FieldErrors()
    category = ComplaintCategory.objects.filter(code=data.category_code, is_active=True).first()
    if category is None:
        errors.add("category", _("Choose the kind of complaint from the list."))
    center = (
        Center.objects.filter(pk=data.center_id, is_active=True, local_unit__isnull=False)
        .select_related("local_unit")
        .first()
        if data.center_id
        else None
    )
    if center is None:
        errors.add("center", _("Choose the center or local unit your complaint concerns."))
    department = None
    if category is not None and center is not None and not category.confidential:
        department = Department.objects.filter(
            local_unit=center.local_unit_id, department_type=category.department_type_id
        ).first()
        if department is None:
            errors.add("category", _("This local unit has no department for this kind of complaint."))
    description = description_clean(data.description)
    if len(description) < 10:
        errors.add("description", _("Describe the problem in at least 10 characters."))
    elif len(description) > DESCRIPTION_MAX_CHARS:
        errors.add(
            "description",
            _("The description is longer than %(max)d characters (it has %(count)d).")
            % {"max": DESCRIPTION_MAX_CHARS, "count": len(description)},
        )
    address = visible_text(data.address)
    if len(address) > 300:
        errors.add("address", _("The address is longer than 300 characters."))
    latitude = _coordinate(errors, "latitude", data.latitude, LATITUDES)
    longitude = _coordinate(errors, "longitude", data.longitude, LONGITUDES)
    if (latitude is None) != (longitude is None) and "latitude" not in errors.by_field:
        errors.add("latitude", _("Give both the latitude and the longitude, or neither."))
    service_request = None
    receipt = visible_text(data.receipt_number).upper()
    if receipt:
        service_request = ServiceRequest.objects.filter(receipt_number=receipt).first()
        if service_request is None:
            errors.add("receipt_number", _("No request has this receipt number."))
    name = mobile = ""
    if not data.anonymous:
        name = visible_text(data.name)
        if len(name) < 3 or len(name) > 200:
            errors.add("name", _("Write your name, or file the complaint anonymously."))
        if visible_text(data.mobile):
            mobile = errors.check("mobile", normalize_mobile, data.mobile) or ""
    photos = []
    if len(data.photos) > settings.COMPLAINT_PHOTOS_MAX:
        errors.add("photos", _("Attach at most %(count)d photos.") % {"count": settings.COMPLAINT_PHOTOS_MAX})
    else:
        for upload in data.photos:
            try:
                photos.append(photo_reencoded(upload.read(), max_bytes=settings.COMPLAINT_PHOTO_MAX_BYTES))
            except ValueError as exc:
                errors.add("photos", f"{upload.name}: {exc}")
    errors.raise_if_any()
    return _Checked(
        category,
        center,
        department,
        description,
        address,
        latitude,
        longitude,
        service_request,
        name,
        mobile,
        photos,
    )


def complaint_series(center: Center) -> str:
    return f"complaint:{center.pk}"


def complaint_file(
    *,
    data: ComplaintInput,
    channel: Channel,
    clerk=None,
    api_key: Open311Key | None = None,
    now: datetime | None = None,
) -> Complaint:
    """File a complaint: numbered gapless per center and year, its clock started in the center's
    calendar, photos stored, the first history row written and the receipt SMS queued — or, on any
    bad input, a ValidationError by field and nothing stored."""
    if channel == Channel.WINDOW and clerk is None:
        raise PermissionDenied(_("Only a clerk files complaints at the window."))
    checked = _check(data)
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _file(checked, channel, clerk, api_key, now or timezone.now(), saved)
    except BaseException:
        for path in saved:
            scan_storage().delete(path)
        raise


def _file(checked: _Checked, channel, clerk, api_key, now, saved) -> Complaint:
    center = checked.center
    year = timezone.localtime(now).year
    sequence = number_next(series=complaint_series(center), year=year)
    complaint = Complaint(
        number=f"{center.code}-C-{year}-{sequence:06d}",
        center=center,
        year=year,
        sequence=sequence,
        local_unit_id=center.local_unit_id,
        department=checked.department,
        category=checked.category,
        confidential=checked.category.confidential,
        description=checked.description,
        address=checked.address,
        latitude=checked.latitude,
        longitude=checked.longitude,
        service_request=checked.service_request,
        anonymous=not checked.name,
        complainant_name=checked.name,
        complainant_mobile=checked.mobile,
        channel=channel,
        filed_by=clerk,
        api_key=api_key,
        submitted_at=now,
        updated_at=now,
    )
    complaint.start_clock(at=now, calendar=WorkCalendar(center))
    complaint.save()
    for position, (content, mime, extension) in enumerate(checked.photos, start=1):
        path = scan_storage().save(
            f"complaints/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}", ContentFile(content)
        )
        saved.append(path)
        ComplaintPhoto.objects.create(
            complaint=complaint, position=position, image=path, content_type=mime, size=len(content)
        )
    event = _record(complaint, ComplaintEvent.Action.FILED, actor=clerk, at=now, from_state="")
    notify.complaint_received(complaint, event)
    return complaint


def _record(complaint: Complaint, action, *, actor, at, from_state=None, **fields) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        at=at,
        actor=actor,
        action=action,
        from_state=complaint.state if from_state is None else from_state,
        to_state=complaint.state,
        **fields,
    )


def _locked(complaint_id: int) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("center", "category")
        .get(pk=complaint_id)
    )


def _not_possible(complaint: Complaint) -> ComplaintError:
    return ComplaintError(
        _("This is not possible while the complaint is %(state)s.") % {"state": complaint.get_state_display()}
    )


def _transition(
    complaint: Complaint, action: str, *, actor, note: str = "", public_note: str = "", other=None, **kwargs
) -> ComplaintEvent:
    transition = getattr(complaint, action)
    if not can_proceed(transition):
        raise _not_possible(complaint)
    at = timezone.now()
    from_state = complaint.state
    transition(at=at, **kwargs)
    complaint.version += 1
    complaint.updated_at = at
    complaint.save()
    return _record(
        complaint,
        action,
        actor=actor,
        at=at,
        from_state=from_state,
        note=note,
        public_note=public_note,
        other=other,
    )


def _stale_check(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and complaint.version != expected_version:
        raise ComplaintError(
            _(
                "The complaint changed while you were looking at it: it is now %(state)s. "
                "Check it and try again."
            )
            % {"state": complaint.get_state_display()}
        )


@transaction.atomic
def complaint_assign(*, complaint_id: int, actor, assignee, expected_version: int | None = None) -> Complaint:
    """A supervisor (the department head; the center manager or the governorate for a complaint about
    staff conduct) gives the complaint to someone who may handle it; an employee may take an
    unassigned one of their department for themselves."""
    complaint = _locked(complaint_id)
    _stale_check(complaint, expected_version)
    taking = assignee is not None and assignee.pk == actor.pk and complaint.assignee_id is None
    if not may_supervise(actor, complaint) and not (taking and may_handle(actor, complaint)):
        raise PermissionDenied(_("Only the complaint's supervisor assigns it."))
    if assignee is None or not is_assignable(assignee, complaint):
        raise ComplaintError(_("The chosen employee cannot work on this complaint."))
    _transition(complaint, "assign", actor=actor, assignee=assignee, note=str(assignee))
    return complaint


@transaction.atomic
def complaint_start(*, complaint_id: int, actor, expected_version: int | None = None) -> Complaint:
    complaint = _locked(complaint_id)
    _stale_check(complaint, expected_version)
    if complaint.assignee_id != actor.pk:
        raise PermissionDenied(_("Only the employee the complaint is assigned to starts work on it."))
    _transition(complaint, "start", actor=actor)
    return complaint


@transaction.atomic
def complaint_note(*, complaint_id: int, actor, note: str) -> ComplaintEvent:
    """An internal note: read by staff only, never by the complainant or an Open311 client."""
    complaint = _locked(complaint_id)
    if not may_handle(actor, complaint):
        raise PermissionDenied(_("You do not handle this complaint."))
    note = description_clean(note)
    if not note:
        raise ComplaintError(_("Write the note."))
    complaint.updated_at = timezone.now()
    complaint.save(update_fields=["updated_at"])
    return _record(complaint, ComplaintEvent.Action.NOTE, actor=actor, at=complaint.updated_at, note=note)


@transaction.atomic
def complaint_resolve(
    *, complaint_id: int, actor, reply: str, note: str = "", expected_version: int | None = None
) -> Complaint:
    """Answer the complaint: the public reply goes to the complainant (and those merged into it) by SMS."""
    complaint = _locked(complaint_id)
    _stale_check(complaint, expected_version)
    if not may_answer(actor, complaint):
        raise PermissionDenied(_("Only the assigned employee or a supervisor answers this complaint."))
    reply = description_clean(reply)
    if not reply:
        raise ComplaintError(_("Write the reply the complainant will read."))
    event = _transition(
        complaint,
        "resolve",
        actor=actor,
        reply=reply,
        public_note=reply,
        note=description_clean(note),
        calendar=WorkCalendar(complaint.center),
    )
    notify.complaint_resolved(complaint, event)
    return complaint


@transaction.atomic
def complaint_reject(
    *, complaint_id: int, actor, reason: str, competent_body: str = "", expected_version: int | None = None
) -> Complaint:
    """Refuse the complaint with a reason the complainant reads (e.g. not our competence — then the
    competent body is named)."""
    complaint = _locked(complaint_id)
    _stale_check(complaint, expected_version)
    if not may_answer(actor, complaint):
        raise PermissionDenied(_("Only the assigned employee or a supervisor answers this complaint."))
    reason, competent_body = description_clean(reason), visible_text(competent_body)
    if not reason:
        raise ComplaintError(_("Write why the complaint is rejected; the complainant will read it."))
    if len(competent_body) > 200:
        raise ComplaintError(_("The competent body's name is longer than 200 characters."))
    public = reason if not competent_body else f"{reason}\n{_('Competent body:')} {competent_body}"
    event = _transition(
        complaint,
        "reject",
        actor=actor,
        reason=reason,
        competent_body=competent_body,
        public_note=public,
        calendar=WorkCalendar(complaint.center),
    )
    notify.complaint_rejected(complaint, event)
    return complaint


@transaction.atomic
def complaint_merge(*, complaint_id: int, into_id: int, actor) -> Complaint:
    """Merge a duplicate into the complaint that goes on: the duplicate closes, and its complainant is
    told of everything the other one is answered."""
    if complaint_id == into_id:
        raise ComplaintError(_("A complaint cannot be merged into itself."))
    # Both rows locked, lowest id first, so two merges at once cannot deadlock.
    locked = {
        c.pk: c
        for c in Complaint.objects.select_for_update(of=("self",))
        .select_related("center", "category")
        .filter(pk__in=[complaint_id, into_id])
        .order_by("pk")
    }
    duplicate, kept = locked.get(complaint_id), locked.get(into_id)
    if duplicate is None or kept is None:
        raise ComplaintError(_("No such complaint."))
    if not (may_supervise(actor, duplicate) and may_supervise(actor, kept)):
        raise PermissionDenied(_("Only a supervisor of both complaints merges them."))
    if duplicate.category_id != kept.category_id or duplicate.local_unit_id != kept.local_unit_id:
        raise ComplaintError(_("Only complaints of the same kind in the same local unit can be merged."))
    if not kept.is_open:
        raise ComplaintError(_("Merge into a complaint that is still open."))
    _transition(duplicate, "merge", actor=actor, into=kept, other=kept)
    kept.updated_at = timezone.now()
    kept.save(update_fields=["updated_at"])
    _record(kept, ComplaintEvent.Action.MERGED_IN, actor=actor, at=kept.updated_at, other=duplicate)
    return duplicate


# The complainant's own acts, authorized by the unguessable tracking token.


def _by_token(token: str) -> Complaint:
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("center", "category")
        .filter(tracking_token=token)
        .first()
    )
    if complaint is None:
        raise ComplaintError(_("No complaint has this tracking link."))
    return complaint


def reopen_deadline(complaint: Complaint) -> datetime | None:
    """Until when the complainant may reopen a resolved complaint."""
    if complaint.state != ComplaintState.RESOLVED or complaint.answered_at is None:
        return None
    return complaint.answered_at + timedelta(days=settings.COMPLAINT_REOPEN_DAYS)


@transaction.atomic
def complaint_reopen(*, token: str, reason: str) -> Complaint:
    complaint = _by_token(token)
    deadline = reopen_deadline(complaint)
    if deadline is None:
        raise _not_possible(complaint)
    if timezone.now() > deadline:
        raise ComplaintError(
            _("A complaint can be reopened within %(days)d days of its answer; file a new complaint instead.")
            % {"days": settings.COMPLAINT_REOPEN_DAYS}
        )
    reason = description_clean(reason)
    if not reason:
        raise ComplaintError(_("Write why the answer did not settle the problem."))
    if len(reason) > DESCRIPTION_MAX_CHARS:
        raise ComplaintError(
            _("The reason is longer than %(max)d characters.") % {"max": DESCRIPTION_MAX_CHARS}
        )
    _transition(complaint, "reopen", actor=None, public_note=reason, calendar=WorkCalendar(complaint.center))
    return complaint


@transaction.atomic
def complaint_confirm(*, token: str) -> Complaint:
    """The complainant confirms the answer settled it: the complaint closes."""
    complaint = _by_token(token)
    _transition(complaint, "close", actor=None)
    return complaint


@transaction.atomic
def complaint_rate(*, token: str, rating: int | str, comment: str = "") -> Complaint:
    complaint = _by_token(token)
    if (
        complaint.state not in (ComplaintState.RESOLVED, ComplaintState.CLOSED)
        or complaint.answered_at is None
    ):
        raise ComplaintError(_("A complaint can be rated once it is answered."))
    if complaint.rating is not None:
        raise ComplaintError(_("This complaint is already rated. Thank you."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ComplaintError(_("Choose a rating from 1 to 5."))
    comment = visible_text(comment)
    if len(comment) > 500:
        raise ComplaintError(_("The comment is longer than 500 characters."))
    complaint.rating, complaint.rating_comment = rating, comment
    complaint.rated_at = complaint.updated_at = timezone.now()
    complaint.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _record(complaint, ComplaintEvent.Action.RATED, actor=None, at=complaint.rated_at, public_note=comment)
    return complaint


# Follow-up (Celery beat): close what the complainant neither reopened nor confirmed; remind to rate.


@dataclass
class FollowUpReport:
    closed: int = 0
    reminded: int = 0


def complaints_follow_up(*, now: datetime | None = None) -> FollowUpReport:
    now = now or timezone.now()
    report = FollowUpReport()
    window = now - timedelta(days=settings.COMPLAINT_REOPEN_DAYS)
    remind_after = now - timedelta(days=settings.COMPLAINT_RATING_REMINDER_DAYS)
    for complaint_id in Complaint.objects.filter(
        state=ComplaintState.RESOLVED, answered_at__lt=window
    ).values_list("pk", flat=True):
        report.closed += _close_expired(complaint_id, window)
    for complaint_id in (
        Complaint.objects.filter(
            state__in=[ComplaintState.RESOLVED, ComplaintState.CLOSED],
            answered_at__lt=remind_after,
            rating__isnull=True,
            rating_reminded_at__isnull=True,
        )
        .exclude(complainant_mobile="")
        .values_list("pk", flat=True)
    ):
        report.reminded += _remind_to_rate(complaint_id, now)
    return report


@transaction.atomic
def _close_expired(complaint_id: int, window: datetime) -> int:
    complaint = _locked(complaint_id)
    if complaint.state != ComplaintState.RESOLVED or complaint.answered_at >= window:
        return 0  # reopened or confirmed meanwhile
    _transition(complaint, "close", actor=None)
    return 1


@transaction.atomic
def _remind_to_rate(complaint_id: int, now: datetime) -> int:
    complaint = _locked(complaint_id)
    if complaint.rating is not None or complaint.rating_reminded_at is not None:
        return 0
    complaint.rating_reminded_at = now
    complaint.save(update_fields=["rating_reminded_at"])
    notify.complaint_rating_reminder(complaint)
    return 1


def open311_key_new() -> tuple[str, str, str]:
    """A fresh API key for an Open311 client, as (key, prefix, digest): the key is shown once to the
    administrator and never stored."""
    key = secrets.token_urlsafe(32)
    return key, key[:8], open311_key_digest(key)


def open311_key_create(*, name: str) -> tuple[Open311Key, str]:
    key, prefix, digest = open311_key_new()
    return Open311Key.objects.create(name=visible_text(name), prefix=prefix, digest=digest), key


def open311_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
