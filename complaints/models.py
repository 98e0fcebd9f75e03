"""Citizens' complaints: their categories (each routed to a department, or to the management for
complaints about staff conduct), the complaints with their deadline clock, photos and history."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.models import ProtectedStateReload, WrittenOnce, in_language
from deadlines.clock import clock_start
from organisation.places import OrgPlace
from requests_app.models import new_tracking_token, scan_storage

DESCRIPTION_MAX_CHARS = 4000


class ComplaintCategory(models.Model):
    """What a complaint is about, as the administrator lists it; its code is the Open311 service_code."""

    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("Also the Open311 service code.")
    )
    name_ar = models.CharField(_("Arabic name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description_ar = models.CharField(_("Arabic description"), max_length=300, blank=True)
    description_en = models.CharField(_("English description"), max_length=300, blank=True)
    group_ar = models.CharField(_("group (Arabic)"), max_length=80, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=80, blank=True)
    department_type = models.ForeignKey(
        "organisation.DepartmentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by the department"),
        help_text=_("The local unit's department that handles these complaints."),
    )
    # Complaints about staff conduct never reach the department of the person complained about: the
    # center's manager and the governorate handle them, and no department sees them.
    confidential = models.BooleanField(
        _("about staff conduct (center manager and governorate only)"), default=False
    )
    working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        constraints = [
            models.CheckConstraint(
                name="complaint_category_routed_once",
                condition=Q(confidential=True, department_type__isnull=True)
                | Q(confidential=False, department_type__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_ar, self.description_en)

    @property
    def group(self) -> str:
        return in_language(self.group_ar, self.group_en)


class ResponseTemplate(models.Model):
    """A reply staff start from when they answer a complaint of the category (they edit it)."""

    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.CASCADE, related_name="templates", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=120)
    body_ar = models.TextField(_("reply (Arabic)"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category", "position", "pk"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REOPENED = "reopened", _("Reopened")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another complaint")


# The clock runs while someone owes the citizen an answer.
OPEN_STATES = (
    ComplaintState.RECEIVED,
    ComplaintState.ASSIGNED,
    ComplaintState.IN_PROGRESS,
    ComplaintState.REOPENED,
)
HANDLING_STATES = (ComplaintState.ASSIGNED, ComplaintState.IN_PROGRESS, ComplaintState.REOPENED)


class Channel(models.TextChoices):
    WINDOW = "window", _("At the window")
    ONLINE = "online", _("Online")
    OPEN311 = "open311", _("Open311 client")


class Complaint(ProtectedStateReload, models.Model):
    number = models.CharField(_("complaint number"), max_length=32, unique=True)
    center = models.ForeignKey(
        "organisation.Center",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("center concerned"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    local_unit = models.ForeignKey(
        "organisation.LocalUnit",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("local unit"),
    )
    # Empty for a confidential complaint: no department may reach it.
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("department"),
    )
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("category")
    )
    confidential = models.BooleanField(_("about staff conduct"), default=False, editable=False)
    state = FSMField(
        _("state"), default=ComplaintState.RECEIVED, choices=ComplaintState.choices, protected=True
    )
    version = models.PositiveIntegerField(default=0)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_CHARS)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    service_request = models.ForeignKey(
        "requests_app.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("about the request"),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("complainant's name"), max_length=200, blank=True)
    complainant_mobile = models.CharField(_("complainant's mobile"), max_length=16, blank=True)
    channel = models.CharField(_("filed"), max_length=8, choices=Channel.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    api_key = models.ForeignKey(
        "complaints.Open311Key", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    # The client's own id of the complaint (Open311 clients may send a device id or account id).
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    # The deadline clock (deadlines.sweep watches it while the complaint is open).
    due_at = models.DateTimeField(_("answer due"))
    risk_at = models.DateTimeField(_("at risk from"))
    at_risk_since = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)
    # What the KPIs need, stored when it happens.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    on_time = models.BooleanField(_("answered within the deadline"), null=True, blank=True)
    working_days_to_answer = models.PositiveSmallIntegerField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    public_reply = models.TextField(_("reply to the complainant"), blank=True)
    competent_body = models.CharField(_("competent body"), max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rating_reminded_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    escalations = GenericRelation(
        "deadlines.Escalation",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="complaint",
    )
    sms_messages = GenericRelation(
        "notifications.SmsMessage", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "sequence"], name="gapless_complaint_number"),
            models.CheckConstraint(
                name="confidential_complaint_has_no_department",
                condition=Q(confidential=True, department__isnull=True)
                | Q(confidential=False, department__isnull=False),
            ),
            models.CheckConstraint(
                name="anonymous_complaint_has_no_contact",
                condition=Q(anonymous=False) | Q(complainant_name="", complainant_mobile=""),
            ),
            models.CheckConstraint(
                name="complaint_rating_1_to_5",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "due_at"], name="complaint_department_queue"),
            models.Index(fields=["center", "state", "due_at"], name="complaint_center_queue"),
            models.Index(fields=["submitted_at"], name="complaint_submitted"),
            # The dashboards count a period's answers, ratings and closures.
            models.Index(
                fields=["answered_at"], condition=Q(answered_at__isnull=False), name="complaint_answered"
            ),
            models.Index(fields=["rated_at"], condition=Q(rated_at__isnull=False), name="complaint_rated"),
            models.Index(fields=["closed_at"], condition=Q(closed_at__isnull=False), name="complaint_closed"),
            models.Index(fields=["updated_at"], name="complaint_updated"),
            models.Index(fields=["category", "state", "submitted_at"], name="complaint_duplicates"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["received", "assigned", "in_progress", "reopened"]),
                name="complaint_running",
            ),
            models.Index(
                fields=["answered_at"], condition=Q(state="resolved"), name="complaint_resolved_answered"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.center.governorate_id,
            local_unit_id=self.local_unit_id,
            center_id=self.center_id,
            department_id=self.department_id,
        )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_closed_for_open311(self) -> bool:
        return not self.is_open

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    # Transitions change fields only; complaints.services locks, saves, audits and notifies.

    def start_clock(self, *, at, calendar) -> None:
        times = clock_start(calendar, at=at, working_days=self.category.working_days)
        self.due_at, self.risk_at = times.due_at, times.risk_at
        self.at_risk_since = self.overdue_since = None
        self.escalation_level = 0

    def _answer(self, at, calendar) -> None:
        self.answered_at = at
        self.on_time = at <= self.due_at
        self.working_days_to_answer = calendar.working_days_between(self.submitted_at, at)

    @transition(
        field=state, source=[ComplaintState.RECEIVED, *HANDLING_STATES], target=ComplaintState.ASSIGNED
    )
    def assign(self, *, assignee, at) -> None:
        self.assignee = assignee

    @transition(
        field=state,
        source=[ComplaintState.ASSIGNED, ComplaintState.REOPENED],
        target=ComplaintState.IN_PROGRESS,
    )
    def start(self, *, at) -> None:
        """The assignee started work on it."""

    @transition(field=state, source=list(OPEN_STATES), target=ComplaintState.RESOLVED)
    def resolve(self, *, reply: str, at, calendar) -> None:
        self.public_reply = reply
        self._answer(at, calendar)

    @transition(field=state, source=list(OPEN_STATES), target=ComplaintState.REJECTED)
    def reject(self, *, reason: str, competent_body: str, at, calendar) -> None:
        self.public_reply, self.competent_body = reason, competent_body
        self._answer(at, calendar)
        self.closed_at = at

    @transition(field=state, source=ComplaintState.RESOLVED, target=ComplaintState.REOPENED)
    def reopen(self, *, at, calendar) -> None:
        """The complainant says the answer did not settle it: a new clock of the category's time."""
        self.reopen_count += 1
        self.answered_at = self.on_time = self.working_days_to_answer = None
        self.start_clock(at=at, calendar=calendar)

    @transition(field=state, source=ComplaintState.RESOLVED, target=ComplaintState.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at

    @transition(field=state, source=list(OPEN_STATES), target=ComplaintState.MERGED)
    def merge(self, *, into: "Complaint", at) -> None:
        self.merged_into = into
        self.closed_at = at
        self.assignee = None


def new_photo_token() -> str:
    return secrets.token_urlsafe(24)


class ComplaintPhoto(models.Model):
    """A photo the complainant attached: re-encoded on upload (no camera metadata such as the place it
    was taken survives), served only under its unguessable token."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    image = models.FileField(storage=scan_storage, upload_to="complaints/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    token = models.CharField(max_length=40, unique=True, default=new_photo_token, editable=False)

    class Meta:
        ordering = ["complaint", "position"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "position"], name="one_photo_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} #{self.position}"


class ComplaintEvent(WrittenOnce, models.Model):
    """One line of a complaint's history. Written by services only; PostgreSQL refuses UPDATE and
    DELETE on the table. ``public_note`` is what the complainant reads; ``note`` stays inside."""

    class Action(models.TextChoices):
        FILED = "filed", _("Complaint filed")
        ASSIGNED = "assign", _("Assigned")
        STARTED = "start", _("Work started")
        NOTE = "note", _("Internal note")
        RESOLVED = "resolve", _("Resolved")
        REJECTED = "reject", _("Rejected")
        REOPENED = "reopen", _("Reopened by the complainant")
        CLOSED = "close", _("Closed")
        MERGED = "merge", _("Merged into another complaint")
        MERGED_IN = "merged_in", _("Another complaint merged into this one")
        RATED = "rate", _("Rated by the complainant")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(_("internal note"), blank=True)
    public_note = models.TextField(_("reply to the complainant"), blank=True)
    # Another complaint the row is about (merged into / merged in).
    other = models.ForeignKey(Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["complaint", "at", "pk"]
        indexes = [models.Index(fields=["at"], name="complaint_event_at")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def changes_state(self) -> bool:
        return self.from_state != self.to_state


class Open311Key(models.Model):
    """An API key of an Open311 client (a civic-tech app): only its SHA-256 is stored; the key itself is
    shown once, when the administrator creates it."""

    name = models.CharField(_("client"), max_length=120)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
