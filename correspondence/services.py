"""Every write on the registers: registering a letter (and, between two offices of the governorate,
delivering it electronically in the same transaction), accepting or sending back a delivered letter,
routing, assigning, answering by a reply, filing, dispatching a printed letter. One transaction each;
one history row per letter changed; numbers are taken in the registering transaction, gapless per
register and year (``core.numbering``), never from a date typed on the letter."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.authz import can
from accounts.models import Role, User
from complaints.models import Complaint
from core.errors import FieldErrors
from core.numbering import number_next
from core.text import visible_text
from core.uploads import scan_problems, scan_save
from correspondence.models import (
    Classification,
    Direction,
    Letter,
    LetterAttachment,
    LetterCategory,
    LetterEvent,
    LetterState,
    OutsideBody,
    PartyKind,
)
from deadlines.clock import clock_start
from organisation.calendar import WorkCalendar
from organisation.models import Department, Governorate, LocalUnit
from organisation.places import OrgPlace
from requests_app.models import ServiceRequest, scan_storage
from requests_app.services.workflow import department_role

ATTACHMENTS_MAX = 10


class LetterError(ValidationError):
    """The action was refused; nothing changed."""


@dataclass(frozen=True)
class Office:
    """Whose registers: a local unit's office, or (local_unit None) the governorate's own."""

    governorate: Governorate
    local_unit: LocalUnit | None = None

    @property
    def code(self) -> str:
        return (self.local_unit or self.governorate).code

    @property
    def name(self) -> str:
        return (self.local_unit or self.governorate).name

    def place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.governorate.pk, local_unit_id=self.local_unit.pk if self.local_unit else None
        )

    def holds(self, letter: Letter) -> bool:
        return letter.governorate_id == self.governorate.pk and letter.local_unit_id == (
            self.local_unit.pk if self.local_unit else None
        )


def office_of(letter: Letter) -> Office:
    return Office(letter.governorate, letter.local_unit)


@dataclass
class LetterInput:
    subject: str
    category_code: str
    document_date: date | None
    party_kind: str
    party_office: Office | None = None
    party_body_id: int | None = None
    party_citizen: str = ""
    body: str = ""
    classification: str = Classification.ORDINARY
    sender_reference: str = ""
    reply_working_days: int | None = None
    in_reply_to: str = ""  # the number of a letter of this office's incoming register
    related: list[str] = field(default_factory=list)  # numbers of letters, requests or complaints
    attachments: list[UploadedFile] = field(default_factory=list)


def is_registry_clerk(user: User, office: Office) -> bool:
    return can(user, [Role.REGISTRY_CLERK], office.place())


def _require_clerk(user: User, office: Office) -> None:
    if not is_registry_clerk(user, office):
        raise PermissionDenied(_("Only a registry clerk of this office keeps its registers."))


def register_series(office: Office, direction: str) -> str:
    return f"letters:{office.governorate.pk}:{office.local_unit.pk if office.local_unit else 0}:{direction}"


def _number(letter: Letter, office: Office, at: datetime) -> None:
    """The next number of the office's register for the letter's direction, in this transaction."""
    year = timezone.localtime(at).year
    letter.year, letter.sequence = (
        year,
        number_next(series=register_series(office, letter.direction), year=year),
    )
    letter.number = f"{office.code}-{letter.direction.upper()}-{year}-{letter.sequence:06d}"


def _start_reply_clock(letter: Letter, at: datetime) -> None:
    if letter.reply_working_days:
        times = clock_start(
            WorkCalendar(governorate_id=letter.governorate_id), at=at, working_days=letter.reply_working_days
        )
        letter.due_at, letter.risk_at = times.due_at, times.risk_at


def _record(letter: Letter, action, *, actor, at, from_state: str, note: str = "", other=None) -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter,
        at=at,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=letter.state,
        note=note,
        other=other,
    )


@dataclass(frozen=True)
class _Checked:
    subject: str
    body: str
    category: LetterCategory
    classification: str
    document_date: date
    party: dict
    sender_reference: str
    reply_working_days: int | None
    in_reply_to: Letter | None
    related_letters: list[Letter]
    related_numbers: list[str]


def _check(office: Office, direction: str, data: LetterInput, user: User) -> _Checked:
    errors = FieldErrors()
    subject, body = visible_text(data.subject), (data.body or "").strip()
    if len(subject) < 3:
        errors.add("subject", _("Write the letter's subject."))
    elif len(subject) > 300:
        errors.add("subject", _("The subject is longer than 300 characters."))
    if len(body) > 10000:
        errors.add("body", _("The content is longer than 10,000 characters."))
    category = LetterCategory.objects.filter(code=data.category_code, is_active=True).first()
    if category is None:
        errors.add("category", _("Choose the letter's category from the list."))
    if data.classification not in Classification.values:
        errors.add("classification", _("Choose the letter's classification from the list."))
    if data.document_date is None:
        errors.add("document_date", _("Give the date written on the letter."))
    elif data.document_date > timezone.localdate():
        errors.add("document_date", _("The date on the letter is in the future."))
    party = _party(errors, office, data)
    reply_days = data.reply_working_days
    if reply_days is not None and not 1 <= reply_days <= 120:
        errors.add("reply_working_days", _("A reply is due within 1 to 120 working days from today."))
    in_reply_to = None
    if visible_text(data.in_reply_to):
        in_reply_to = Letter.objects.filter(
            number=visible_text(data.in_reply_to).upper(),
            direction=Direction.INCOMING,
            governorate=office.governorate,
            local_unit=office.local_unit,
        ).first()
        if in_reply_to is None or direction != Direction.OUTGOING:
            errors.add("in_reply_to", _("Give the number of a letter of this office's incoming register."))
    related_letters, related_numbers = _related(errors, office, data.related)
    if len(data.attachments) > ATTACHMENTS_MAX:
        errors.add("attachments", _("Attach at most %(count)d files.") % {"count": ATTACHMENTS_MAX})
    for upload in data.attachments:
        for problem in scan_problems(upload):
            errors.add("attachments", f"{upload.name}: {problem}")
    errors.raise_if_any()
    return _Checked(
        subject,
        body,
        category,
        data.classification,
        data.document_date,
        party,
        visible_text(data.sender_reference)[:60],
        reply_days,
        in_reply_to,
        related_letters,
        related_numbers,
    )


def _party(errors: FieldErrors, office: Office, data: LetterInput) -> dict:
    if data.party_kind == PartyKind.OFFICE:
        other = data.party_office
        if other is None:
            errors.add("party", _("Choose the office."))
        elif other == office:
            errors.add("party", _("A letter cannot be sent to its own office."))
        else:
            return {
                "party_kind": PartyKind.OFFICE,
                "party_governorate": other.governorate,
                "party_local_unit": other.local_unit,
            }
    elif data.party_kind == PartyKind.OUTSIDE:
        body = (
            OutsideBody.objects.filter(pk=data.party_body_id, is_active=True).first()
            if data.party_body_id
            else None
        )
        if body is None:
            errors.add("party", _("Choose the outside body from the directory."))
        else:
            return {"party_kind": PartyKind.OUTSIDE, "party_body": body}
    elif data.party_kind == PartyKind.CITIZEN:
        name = visible_text(data.party_citizen)
        if not 3 <= len(name) <= 200:
            errors.add("party", _("Write the citizen's full name."))
        else:
            return {"party_kind": PartyKind.CITIZEN, "party_citizen": name}
    else:
        errors.add("party", _("Choose who the other party is."))
    return {}


def _related(errors: FieldErrors, office: Office, numbers: list[str]) -> tuple[list[Letter], list[str]]:
    """Letters of this office's registers, and service requests or complaints, by their numbers."""
    letters, others = [], []
    for raw in numbers:
        number = visible_text(raw).upper()
        if not number:
            continue
        letter = Letter.objects.filter(
            number=number, governorate=office.governorate, local_unit=office.local_unit
        ).first()
        if letter is not None:
            letters.append(letter)
        elif (
            ServiceRequest.objects.filter(receipt_number=number).exists()
            or Complaint.objects.filter(number=number).exists()
        ):
            others.append(number)
        else:
            errors.add(
                "related",
                _("%(number)s is not a letter of this office, a request or a complaint.")
                % {"number": number},
            )
    return letters, others


def letter_register(*, office: Office, direction: str, data: LetterInput, clerk: User) -> Letter:
    """Register a letter in the office's incoming or outgoing register. An outgoing letter to another
    office of the same governorate is delivered at once: a pending incoming letter waits in that
    office's inbox (same transaction). A reply answers the incoming letter it replies to."""
    _require_clerk(clerk, office)
    if direction not in Direction.values:
        raise LetterError(_("Choose the incoming or the outgoing register."))
    checked = _check(office, direction, data, clerk)
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _register(office, direction, checked, data.attachments, clerk, saved)
    except BaseException:
        for path in saved:
            scan_storage().delete(path)
        raise


def _register(office, direction, checked: _Checked, uploads, clerk, saved) -> Letter:
    at = timezone.now()
    letter = Letter(
        governorate=office.governorate,
        local_unit=office.local_unit,
        direction=direction,
        state=_first_state(office, direction, checked),
        subject=checked.subject,
        body=checked.body,
        category=checked.category,
        classification=checked.classification,
        document_date=checked.document_date,
        sender_reference=checked.sender_reference,
        reply_working_days=checked.reply_working_days,
        in_reply_to=checked.in_reply_to,
        related_numbers=checked.related_numbers,
        registered_at=at,
        registered_by=clerk,
        **checked.party,
    )
    _number(letter, office, at)
    if direction == Direction.INCOMING:
        _start_reply_clock(letter, at)
    letter.refresh_search_text()
    letter.save()
    letter.related.set(checked.related_letters)
    for position, upload in enumerate(uploads, start=1):
        path, mime, size = scan_save(upload, scan_storage(), "letters", saved)
        LetterAttachment.objects.create(
            letter=letter, position=position, file=path, content_type=mime, size=size, name=upload.name[:200]
        )
    _record(letter, LetterEvent.Action.REGISTERED, actor=clerk, at=at, from_state="")
    if letter.state == LetterState.DELIVERED:
        _deliver(letter, checked, at, clerk)
    if checked.in_reply_to is not None:
        _answered_by(checked.in_reply_to, letter, at, clerk)
    return letter


def _first_state(office: Office, direction: str, checked: _Checked) -> str:
    if direction == Direction.INCOMING:
        return LetterState.REGISTERED
    party = checked.party
    if party.get("party_kind") == PartyKind.OFFICE and party["party_governorate"] == office.governorate:
        return LetterState.DELIVERED
    return LetterState.AWAITING_DISPATCH


def _deliver(sent: Letter, checked: _Checked, at, clerk) -> None:
    """The handshake's first half: the letter waits, unnumbered, in the recipient office's inbox. A
    reply to a letter that came electronically threads onto the sender's own copy of it."""
    original = None
    if checked.in_reply_to is not None and checked.in_reply_to.counterpart_id:
        original = Letter.objects.get(pk=checked.in_reply_to.counterpart_id)  # the sender's outgoing copy
    received = Letter.objects.create(
        governorate=sent.party_governorate,
        local_unit=sent.party_local_unit,
        direction=Direction.INCOMING,
        state=LetterState.PENDING,
        subject=sent.subject,
        body=sent.body,
        category=sent.category,
        classification=sent.classification,
        document_date=sent.document_date,
        sender_reference=sent.number,
        reply_working_days=sent.reply_working_days,
        party_kind=PartyKind.OFFICE,
        party_governorate=sent.governorate,
        party_local_unit=sent.local_unit,
        counterpart=sent,
        in_reply_to=None,
    )
    received.refresh_search_text()
    received.save(update_fields=["search_text"])
    sent.counterpart = received
    sent.save(update_fields=["counterpart"])
    for attachment in sent.attachments.all():
        LetterAttachment.objects.create(
            letter=received,
            position=attachment.position,
            file=attachment.file.name,
            content_type=attachment.content_type,
            size=attachment.size,
            name=attachment.name,
        )
    _record(sent, LetterEvent.Action.SENT, actor=clerk, at=at, from_state=sent.state, other=received)
    _record(received, LetterEvent.Action.RECEIVED, actor=None, at=at, from_state="", other=sent)
    if original is not None:
        received.related.add(original)


def _answered_by(original: Letter, reply: Letter, at, actor) -> None:
    original = Letter.objects.select_for_update().get(pk=original.pk)
    if can_proceed(original.answer):
        from_state = original.state
        original.answer(at=at)
        original.version += 1
        original.save()
        _record(original, LetterEvent.Action.ANSWERED, actor=actor, at=at, from_state=from_state, other=reply)
    if original.counterpart_id:  # the sender sees its letter answered
        sent = Letter.objects.select_for_update().get(pk=original.counterpart_id)
        if can_proceed(sent.recipient_answered):
            from_state = sent.state
            sent.recipient_answered(at=at)
            sent.save()
            _record(sent, LetterEvent.Action.ANSWERED, actor=None, at=at, from_state=from_state, other=reply)


def _locked(letter_id: int) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("governorate", "local_unit")
        .get(pk=letter_id)
    )


@transaction.atomic
def letter_accept(*, letter_id: int, clerk: User) -> Letter:
    """The recipient's registry clerk accepts a delivered letter: it takes the next number of the
    office's incoming register, its reply clock starts, and the sender's copy shows it accepted.
    Accepting again changes nothing and returns the letter as it is."""
    letter = _locked(letter_id)
    _require_clerk(clerk, office_of(letter))
    if letter.state != LetterState.PENDING:
        if letter.counterpart_id and letter.number:
            return letter  # already accepted: idempotent
        raise LetterError(_("This letter is not waiting to be accepted."))
    at = timezone.now()
    _number(letter, office_of(letter), at)
    letter.accept(at=at)
    letter.registered_by = clerk
    _start_reply_clock(letter, at)
    letter.refresh_search_text()
    letter.version += 1
    letter.save()
    _record(letter, LetterEvent.Action.ACCEPTED, actor=clerk, at=at, from_state=LetterState.PENDING)
    sent = _locked(letter.counterpart_id)
    sent.recipient_accepted(at=at)
    sent.version += 1
    sent.save()
    _record(
        sent,
        LetterEvent.Action.RECIPIENT_ACCEPTED,
        actor=None,
        at=at,
        from_state=LetterState.DELIVERED,
        other=letter,
    )
    return letter


@transaction.atomic
def letter_refuse(*, letter_id: int, clerk: User, reason: str) -> Letter:
    """The recipient sends a delivered letter back (e.g. not the right office), with the reason the
    sender reads. It never enters the recipient's register."""
    letter = _locked(letter_id)
    _require_clerk(clerk, office_of(letter))
    reason = visible_text(reason)
    if not reason:
        raise LetterError(_("Write why the letter is sent back; the sender will read it."))
    if not can_proceed(letter.refuse):
        raise LetterError(_("This letter is not waiting to be accepted."))
    at = timezone.now()
    letter.refuse(reason=reason, at=at)
    letter.version += 1
    letter.save()
    _record(
        letter, LetterEvent.Action.REFUSED, actor=clerk, at=at, from_state=LetterState.PENDING, note=reason
    )
    sent = _locked(letter.counterpart_id)
    sent.recipient_refused(reason=reason, at=at)
    sent.version += 1
    sent.save()
    _record(
        sent,
        LetterEvent.Action.RECIPIENT_REFUSED,
        actor=None,
        at=at,
        from_state=LetterState.DELIVERED,
        note=reason,
    )
    return letter


def _transition(letter: Letter, action: str, *, actor, note: str = "", **kwargs) -> Letter:
    transition = getattr(letter, action)
    if not can_proceed(transition):
        raise LetterError(
            _("This is not possible while the letter is %(state)s.") % {"state": letter.get_state_display()}
        )
    at = timezone.now()
    from_state = letter.state
    transition(at=at, **kwargs)
    letter.version += 1
    letter.save()
    _record(letter, action, actor=actor, at=at, from_state=from_state, note=note)
    return letter


@transaction.atomic
def letter_route(*, letter_id: int, clerk: User, department: Department, instructions: str = "") -> Letter:
    """The registry clerk sends an incoming letter to a department of the office's local unit."""
    letter = _locked(letter_id)
    _require_clerk(clerk, office_of(letter))
    if letter.local_unit_id is None or department.local_unit_id != letter.local_unit_id:
        raise LetterError(_("Route the letter to a department of this local unit."))
    instructions = visible_text(instructions)
    return _transition(
        letter, "route", actor=clerk, department=department, instructions=instructions, note=instructions
    )


@transaction.atomic
def letter_assign(*, letter_id: int, head: User, assignee: User) -> Letter:
    letter = _locked(letter_id)
    if department_role(head, letter.department_id) != Role.DEPARTMENT_HEAD:
        raise PermissionDenied(_("Only the head of the department the letter is routed to assigns it."))
    if not assignee.is_active or department_role(assignee, letter.department_id) is None:
        raise LetterError(_("The chosen employee cannot work on this letter."))
    return _transition(letter, "assign", actor=head, assignee=assignee, note=str(assignee))


@transaction.atomic
def letter_file(*, letter_id: int, actor: User, note: str = "") -> Letter:
    """Close an incoming letter without a reply (for information, done without writing back)."""
    letter = _locked(letter_id)
    if not (is_registry_clerk(actor, office_of(letter)) or department_role(actor, letter.department_id)):
        raise PermissionDenied(
            _("Only the office's registry clerk or the department it is routed to files it.")
        )
    return _transition(letter, "file", actor=actor, note=visible_text(note))


@transaction.atomic
def letter_dispatch(*, letter_id: int, clerk: User, method: str) -> Letter:
    """A printed letter left the office by hand or by post."""
    letter = _locked(letter_id)
    _require_clerk(clerk, office_of(letter))
    if method not in ("hand", "post"):
        raise LetterError(_("Choose how the letter was sent."))
    return _transition(letter, "dispatch", actor=clerk, how=method)


@transaction.atomic
def letter_view_record(*, letter: Letter, reader: User) -> LetterEvent:
    """Every reading of a confidential letter is a line of its history: who, when."""
    return _record(
        letter, LetterEvent.Action.VIEWED, actor=reader, at=timezone.now(), from_state=letter.state
    )
