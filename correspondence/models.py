"""The incoming and outgoing registers of official letters (الصادر والوارد) of each office — a local
unit's, or the governorate's own — with the electronic handshake between offices of one governorate."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.models import ProtectedStateReload, WrittenOnce, in_language
from core.text import fold_arabic
from organisation.places import OrgPlace
from requests_app.models import scan_storage


class OutsideBody(models.Model):
    """A body outside the governorate's offices that letters come from or go to (a ministry, a
    utility company, a court …), kept by the administrator."""

    name_ar = models.CharField(_("Arabic name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("outside body")
        verbose_name_plural = _("outside bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


class LetterCategory(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("letter category")
        verbose_name_plural = _("letter categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class Classification(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    URGENT = "urgent", _("Urgent")
    CONFIDENTIAL = "confidential", _("Confidential")


class PartyKind(models.TextChoices):
    OFFICE = "office", _("An office of the governorate")
    OUTSIDE = "outside", _("An outside body")
    CITIZEN = "citizen", _("A citizen")


class LetterState(models.TextChoices):
    # Incoming
    PENDING = "pending", _("Waiting to be accepted")  # delivered electronically, not yet registered here
    REGISTERED = "registered", _("Registered")
    ROUTED = "routed", _("Routed to a department")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    FILED = "filed", _("Filed")
    REFUSED = "refused", _("Refused (sent back)")
    # Outgoing
    DELIVERED = "delivered", _("Delivered electronically")
    ACCEPTED = "accepted", _("Accepted by the recipient")
    RETURNED = "returned", _("Returned by the recipient")
    AWAITING_DISPATCH = "awaiting_dispatch", _("Printed, waiting to be sent")
    DISPATCHED = "dispatched", _("Sent by hand or post")


class DispatchMethod(models.TextChoices):
    HAND = "hand", _("By hand")
    POST = "post", _("By post")


# Incoming letters whose reply clock runs: someone in the office owes an answer.
RUNNING_STATES = (LetterState.REGISTERED, LetterState.ROUTED, LetterState.IN_PROGRESS)


def new_public_token() -> str:
    return secrets.token_urlsafe(18)


class Letter(ProtectedStateReload, models.Model):
    """One letter in one office's register. A letter between two offices of the governorate is two
    rows, one in each office's register (outgoing at the sender, incoming at the recipient), each with
    its own number, linked to each other (``counterpart``)."""

    # The office whose register holds the letter: a local unit's, or (local_unit empty) the governorate's.
    governorate = models.ForeignKey(
        "organisation.Governorate", on_delete=models.PROTECT, related_name="+", verbose_name=_("governorate")
    )
    local_unit = models.ForeignKey(
        "organisation.LocalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local unit"),
    )
    direction = models.CharField(_("register"), max_length=3, choices=Direction.choices)
    # Given when the letter enters the register (an electronic letter waits without one).
    number = models.CharField(_("number"), max_length=40, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    state = FSMField(_("state"), max_length=20, choices=LetterState.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("content"), max_length=10000, blank=True)
    category = models.ForeignKey(
        LetterCategory, on_delete=models.PROTECT, related_name="letters", verbose_name=_("category")
    )
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, default=Classification.ORDINARY
    )
    # The other party: the sender of an incoming letter, the recipient of an outgoing one.
    party_kind = models.CharField(_("other party"), max_length=8, choices=PartyKind.choices)
    party_governorate = models.ForeignKey(
        "organisation.Governorate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_local_unit = models.ForeignKey(
        "organisation.LocalUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_body = models.ForeignKey(
        OutsideBody, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    party_citizen = models.CharField(_("citizen's name"), max_length=200, blank=True)
    sender_reference = models.CharField(_("sender's reference"), max_length=60, blank=True)
    document_date = models.DateField(_("date on the letter"))
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The same letter in the other office's register (handshake), and the letter this one answers.
    counterpart = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart"),
    )
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related letters"))
    # Numbers of service requests and complaints the letter concerns, checked when registered.
    related_numbers = models.JSONField(_("requests and complaints concerned"), default=list, blank=True)
    # Routing inside the office.
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("routed to"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    instructions = models.TextField(_("instructions"), max_length=2000, blank=True)
    # The reply clock (deadlines.sweep), for an incoming letter that needs an answer.
    reply_working_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    risk_at = models.DateTimeField(null=True, blank=True)
    at_risk_since = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True, blank=True)
    # Outgoing to outside bodies: printed with a QR opening a public page, then dispatched.
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token, editable=False)
    dispatch_method = models.CharField(_("sent"), max_length=8, choices=DispatchMethod.choices, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for sending it back"), blank=True)
    # Number, subject, parties and reference with the Arabic folded (core.text.fold_arabic): what the
    # register's search reads, so that "اشغال" finds "إشغال".
    search_text = models.TextField(blank=True, default="", editable=False)
    escalations = GenericRelation(
        "deadlines.Escalation",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="letter",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "local_unit", "direction", "year", "sequence"],
                name="gapless_letter_number_per_register",
                nulls_distinct=False,
                condition=Q(sequence__isnull=False),
            ),
            models.CheckConstraint(
                name="letter_numbered_once_registered",
                condition=Q(state__in=["pending", "refused"], number__isnull=True)
                | (~Q(state__in=["pending", "refused"]) & Q(number__isnull=False)),
            ),
            models.CheckConstraint(
                name="letter_party_is_one",
                condition=Q(party_kind="office", party_governorate__isnull=False, party_body__isnull=True)
                | Q(party_kind="outside", party_body__isnull=False, party_governorate__isnull=True)
                | Q(party_kind="citizen", party_governorate__isnull=True, party_body__isnull=True),
            ),
        ]
        indexes = [
            models.Index(
                fields=["governorate", "local_unit", "direction", "registered_at"], name="letter_register_day"
            ),
            models.Index(fields=["department", "due_at"], name="letter_department_queue"),
            # The dashboards count a governorate's (or the country's) letters registered and answered.
            models.Index(fields=["governorate", "registered_at"], name="letter_governorate_registered"),
            models.Index(fields=["governorate", "answered_at"], name="letter_governorate_answered"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["registered", "routed", "in_progress"]),
                name="letter_running",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.subject

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.governorate_id,
            local_unit_id=self.local_unit_id,
            department_id=self.department_id,
        )

    @property
    def party_name(self) -> str:
        if self.party_kind == PartyKind.OFFICE:
            return str(self.party_local_unit or self.party_governorate)
        if self.party_kind == PartyKind.OUTSIDE:
            return str(self.party_body)
        return self.party_citizen

    def refresh_search_text(self) -> None:
        self.search_text = fold_arabic(
            " ".join([self.number or "", self.subject, self.party_name, self.sender_reference])
        )

    @property
    def is_confidential(self) -> bool:
        return self.classification == Classification.CONFIDENTIAL

    # Transitions change fields only; correspondence.services numbers, locks, saves and audits.

    @transition(field=state, source=LetterState.PENDING, target=LetterState.REGISTERED)
    def accept(self, *, at) -> None:
        self.registered_at = at

    @transition(field=state, source=LetterState.PENDING, target=LetterState.REFUSED)
    def refuse(self, *, reason: str, at) -> None:
        self.refusal_reason = reason

    @transition(
        field=state,
        source=[LetterState.REGISTERED, LetterState.ROUTED, LetterState.IN_PROGRESS],
        target=LetterState.ROUTED,
    )
    def route(self, *, department, instructions: str, at) -> None:
        self.department, self.instructions, self.assignee = department, instructions, None

    @transition(
        field=state, source=[LetterState.ROUTED, LetterState.IN_PROGRESS], target=LetterState.IN_PROGRESS
    )
    def assign(self, *, assignee, at) -> None:
        self.assignee = assignee

    @transition(field=state, source=list(RUNNING_STATES), target=LetterState.ANSWERED)
    def answer(self, *, at) -> None:
        self.answered_at = at
        self.on_time = None if self.due_at is None else at <= self.due_at

    @transition(field=state, source=list(RUNNING_STATES), target=LetterState.FILED)
    def file(self, *, at) -> None:
        self.answered_at = at

    # The sender's side of the handshake.

    @transition(field=state, source=LetterState.DELIVERED, target=LetterState.ACCEPTED)
    def recipient_accepted(self, *, at) -> None:
        """The recipient registered it."""

    @transition(field=state, source=LetterState.ACCEPTED, target=LetterState.ANSWERED)
    def recipient_answered(self, *, at) -> None:
        """The recipient registered a reply to it."""

    @transition(field=state, source=LetterState.DELIVERED, target=LetterState.RETURNED)
    def recipient_refused(self, *, reason: str, at) -> None:
        self.refusal_reason = reason

    @transition(field=state, source=LetterState.AWAITING_DISPATCH, target=LetterState.DISPATCHED)
    def dispatch(self, *, how: str, at) -> None:
        self.dispatch_method, self.dispatched_at = how, at


class LetterAttachment(models.Model):
    """A scan of the letter or an enclosure: type checked by content, stored like request scans, never
    served by URL (staff views stream it)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    file = models.FileField(storage=scan_storage, upload_to="letters/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "position"], name="one_attachment_per_position")
        ]

    def __str__(self) -> str:
        return self.name


class LetterEvent(WrittenOnce, models.Model):
    """One line of a letter's history; PostgreSQL refuses UPDATE and DELETE on the table. Every view of
    a confidential letter is a line too."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        SENT = "sent", _("Sent electronically")
        RECEIVED = "received", _("Received electronically")
        ACCEPTED = "accept", _("Accepted and registered")
        REFUSED = "refuse", _("Sent back")
        ROUTED = "route", _("Routed")
        ASSIGNED = "assign", _("Assigned")
        ANSWERED = "answer", _("Answered")
        FILED = "file", _("Filed")
        RECIPIENT_ACCEPTED = "recipient_accepted", _("Accepted by the recipient")
        RECIPIENT_REFUSED = "recipient_refused", _("Sent back by the recipient")
        DISPATCHED = "dispatch", _("Sent by hand or post")
        VIEWED = "viewed", _("Confidential letter viewed")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    other = models.ForeignKey(Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["letter", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.action}"
