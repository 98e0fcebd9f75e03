"""Service requests taken at the front window, with the terms they were taken under."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.models import ProtectedStateReload, in_language
from core.money import money
from deadlines.clock import clock_paused_days, clock_shift, clock_start, clock_working_days_used
from organisation.places import OrgPlace
from requests_app.history_chain import chained_hash
from requests_app.identity import NationalId, validate_national_id

_SCANS = FileSystemStorage()  # follows settings.MEDIA_ROOT, also when tests override it


def scan_storage() -> FileSystemStorage:
    """Scans live under MEDIA_ROOT (outside the web root, never served by URL); staff views stream them."""
    return _SCANS


# The document code of a power of attorney: needed to apply, or to collect the output, on someone's behalf.
POWER_OF_ATTORNEY = "POA"


def new_tracking_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


class Citizen(models.Model):
    national_id = models.CharField(
        _("national ID"), max_length=14, unique=True, validators=[validate_national_id]
    )
    name_ar = models.CharField(_("full name (Arabic)"), max_length=200)
    mobile = models.CharField(_("mobile number"), max_length=16, help_text=_("E.164, e.g. +201012345678"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return self.name_ar

    @property
    def parsed_id(self) -> NationalId:
        return NationalId(self.national_id)

    @property
    def masked_national_id(self) -> str:
        """What staff see unless they ask (and are recorded): the last four digits."""
        return "•" * 10 + self.national_id[-4:]


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_CITIZEN = "awaiting_citizen", _("Awaiting the citizen")
    APPROVED = "approved", _("Approved")
    READY = "ready", _("Ready for pickup")
    DELIVERED = "delivered", _("Delivered")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (RequestState.SUBMITTED, RequestState.IN_REVIEW, RequestState.AWAITING_CITIZEN)


class PaymentMethod(models.TextChoices):
    NONE = "", _("No fees")
    CASH = "cash", _("Cash at the center's treasury")
    EPAYMENT = "epayment", _("Electronic payment")


class ServiceRequest(ProtectedStateReload, models.Model):
    receipt_number = models.CharField(_("receipt number"), max_length=32, unique=True)
    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, related_name="requests", verbose_name=_("center")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    service = models.ForeignKey(
        "services.Service", on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    terms = models.JSONField(_("terms when taken"))
    applicant = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="requests", verbose_name=_("applicant")
    )
    attorney = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        related_name="requests_as_attorney",
        null=True,
        blank=True,
        verbose_name=_("attorney"),
    )
    # The contact details the request was taken with, kept like its terms: its SMS go to this mobile,
    # whatever is recorded later for the same citizen at another window.
    applicant_name_ar = models.CharField(_("applicant's name (Arabic)"), max_length=200)
    applicant_mobile = models.CharField(_("applicant's mobile"), max_length=16)
    applicant_address = models.CharField(_("applicant's address"), max_length=300, blank=True)
    attorney_name_ar = models.CharField(_("attorney's name (Arabic)"), max_length=200, blank=True)
    local_unit = models.ForeignKey(
        "organisation.LocalUnit",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("processed by"),
        help_text=_("The local unit whose departments process the request."),
    )
    state = FSMField(_("state"), default=RequestState.SUBMITTED, choices=RequestState.choices, protected=True)
    # The output document, issued with the approval (documents/ knows nothing of requests).
    document = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued document"),
    )
    version = models.PositiveIntegerField(
        default=0, help_text=_("Bumped by every transition: stale forms are refused.")
    )
    current_step = models.ForeignKey(
        "RequestStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # Copied from the current step so that a department's queue is one indexed scan.
    current_department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    step_risk_at = models.DateTimeField(_("step at risk from"), null=True, blank=True)
    paused_at = models.DateTimeField(_("waiting for the citizen since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # What the on-time KPI needs, stored when it happens so that reports never replay the history.
    paused_working_days = models.PositiveIntegerField(_("working days waiting for the citizen"), default=0)
    on_time = models.BooleanField(_("decided within the legal deadline"), null=True, blank=True)
    # Submission to decision, net of the working days spent waiting for the citizen.
    working_days_taken = models.PositiveSmallIntegerField(_("working days to decide"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("past the legal deadline since"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("expected completion"))
    fees_total = models.DecimalField(_("fees total"), max_digits=12, decimal_places=2)
    payment_method = models.CharField(
        _("payment method"), max_length=12, choices=PaymentMethod.choices, blank=True
    )
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    hall_ticket = models.ForeignKey(
        "hall.Ticket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("hall ticket"),
    )
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    # The intake form's own key: the same clerk submitting it twice at the same center gets one request.
    intake_key = models.UUIDField(default=uuid.uuid4, editable=False)
    history = HistoricalRecords(excluded_fields=["terms"])
    sms_messages = GenericRelation(
        "notifications.SmsMessage", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "sequence"], name="gapless_receipt_per_center_year"
            ),
            models.UniqueConstraint(
                fields=["center", "taken_by", "intake_key"], name="one_request_per_intake"
            ),
            # A department holds a request exactly while it is in review or waiting for the citizen, so the
            # queue needs no state filter and reads the (current_department, step_due_at) index in order.
            models.CheckConstraint(
                name="department_holds_open_requests_only",
                condition=Q(state__in=["in_review", "awaiting_citizen"], current_department__isnull=False)
                | (~Q(state__in=["in_review", "awaiting_citizen"]) & Q(current_department__isnull=True)),
            ),
        ]
        indexes = [
            models.Index(fields=["center", "submitted_at"], name="request_center_day"),
            models.Index(fields=["taken_by", "submitted_at"], name="request_clerk_day"),
            models.Index(fields=["current_department", "step_due_at", "id"], name="request_department_queue"),
            # Covers the queue's at-risk and overdue counts: read from the index alone.
            models.Index(
                fields=["current_department", "state", "step_due_at", "step_risk_at"],
                name="request_department_urgency",
            ),
            # Take-next: the most urgent unassigned request, without stepping over the assigned ones.
            models.Index(
                fields=["current_department", "step_due_at", "id"],
                condition=Q(state="in_review", assignee=None),
                name="request_department_unassigned",
            ),
            models.Index(fields=["assignee", "state"], name="request_assignee_open"),
            models.Index(fields=["center", "state"], name="request_center_state"),
            models.Index(
                fields=["due_at"],
                condition=Q(state="in_review", overdue_since=None),
                name="request_to_overdue",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def service_name(self) -> str:
        """The service's name as it was when the request was taken, in the reader's language."""
        return in_language(self.terms["name_ar"], self.terms.get("name_en", ""))

    def org_place(self) -> OrgPlace:
        return OrgPlace(
            governorate_id=self.center.governorate_id,
            local_unit_id=self.center.local_unit_id,
            center_id=self.center_id,
        )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # Transitions change fields only (this row and the steps handed in); services save, lock and audit.

    # Set by return_to_previous when the step it goes back to was finished: that finish, which the
    # reports' roll-ups take back with the history row of the return (not stored).
    reopened_finish: "StepFinish | None" = None

    def _start_step(self, step: "RequestStep", at, calendar) -> None:
        times = clock_start(calendar, at=at, working_days=step.working_days)
        step.status = RequestStep.Status.ACTIVE
        step.started_at = at
        step.due_at, step.risk_at = times.due_at, times.risk_at
        step.completed_at = None
        self.current_step = step
        self.current_department_id = step.department_id
        # The queue's copy of the current step's clock (one indexed scan per department).
        self.step_due_at, self.step_risk_at = times.due_at, times.risk_at
        self.assignee = None

    def _finish_current_step(self, at, calendar) -> None:
        step = self.current_step
        step.status = RequestStep.Status.DONE
        step.completed_at = at
        step.working_days_taken = (step.working_days_taken or 0) + step.working_days_used(at, calendar)

    def _leave_review(self, at, calendar) -> None:
        self._finish_current_step(at, calendar)
        self.working_days_taken = max(
            calendar.working_days_between(self.submitted_at, at) - self.paused_working_days, 0
        )
        self.current_department_id = None
        self.step_due_at = self.step_risk_at = None
        self.assignee = None
        self.completed_at = at
        # The due date already moved by every working day spent waiting for the citizen.
        self.on_time = at <= self.due_at

    def has_next_step(self) -> bool:
        return self.current_step is not None and self.current_step.position < len(self.terms["route"])

    def has_previous_step(self) -> bool:
        return self.current_step is not None and self.current_step.position > 1

    def is_last_step(self) -> bool:
        return self.current_step is not None and not self.has_next_step()

    @transition(field=state, source=RequestState.SUBMITTED, target=RequestState.IN_REVIEW)
    def route(self, *, first_step: "RequestStep", at, calendar) -> None:
        self._start_step(first_step, at, calendar)

    @transition(
        field=state, source=RequestState.IN_REVIEW, target=RequestState.IN_REVIEW, conditions=[has_next_step]
    )
    def forward(self, *, next_step: "RequestStep", at, calendar) -> None:
        self._finish_current_step(at, calendar)
        self._start_step(next_step, at, calendar)

    @transition(
        field=state,
        source=RequestState.IN_REVIEW,
        target=RequestState.IN_REVIEW,
        conditions=[has_previous_step],
    )
    def return_to_previous(self, *, previous_step: "RequestStep", at, calendar) -> None:
        step = self.current_step
        # The days spent here stay with the step: they count when it is finished after all.
        step.working_days_taken = (step.working_days_taken or 0) + step.working_days_used(at, calendar)
        step.status = RequestStep.Status.PENDING
        step.started_at = step.due_at = step.risk_at = None
        # The previous step's finish no longer stands (the roll-ups take it back, with this history row);
        # its days so far stay with it.
        self.reopened_finish = previous_step.finish()
        previous_step.completed_by = None
        self._start_step(previous_step, at, calendar)

    @transition(field=state, source=RequestState.IN_REVIEW, target=RequestState.AWAITING_CITIZEN)
    def request_info(self, *, at) -> None:
        self.paused_at = at
        self.current_step.status = RequestStep.Status.PAUSED

    @transition(field=state, source=RequestState.AWAITING_CITIZEN, target=RequestState.IN_REVIEW)
    def resubmit(self, *, at, calendar) -> None:
        """The clock restarts: the deadlines move later by the working days spent waiting."""
        paused = clock_paused_days(calendar, paused_at=self.paused_at, resumed_at=at)
        step = self.current_step
        self.paused_working_days += paused
        self.due_at = clock_shift(calendar, self.due_at, paused)
        step.due_at = clock_shift(calendar, step.due_at, paused)
        step.risk_at = clock_shift(calendar, step.risk_at, paused)
        step.status = RequestStep.Status.ACTIVE
        self.step_due_at, self.step_risk_at = step.due_at, step.risk_at
        self.paused_at = None

    @transition(
        field=state, source=RequestState.IN_REVIEW, target=RequestState.APPROVED, conditions=[is_last_step]
    )
    def approve(self, *, at, calendar) -> None:
        self._leave_review(at, calendar)

    @transition(field=state, source=RequestState.IN_REVIEW, target=RequestState.REJECTED)
    def reject(self, *, at, calendar) -> None:
        self._leave_review(at, calendar)

    @transition(field=state, source=RequestState.APPROVED, target=RequestState.READY)
    def issue(self, *, at) -> None:
        """The output document waits at the window."""

    @transition(field=state, source=RequestState.READY, target=RequestState.DELIVERED)
    def deliver(self, *, at) -> None:
        """Handed over to the citizen or their attorney."""
        self.delivered_at = at

    @transition(field=state, source=list(OPEN_STATES), target=RequestState.CANCELLED)
    def cancel(self, *, at) -> None:
        """The citizen withdrew the request before any decision."""
        if self.current_step is not None:
            self.current_step.status = RequestStep.Status.STOPPED
        self.current_department_id = None
        self.step_due_at = self.step_risk_at = None
        self.assignee = None
        self.paused_at = None
        self.completed_at = at


@dataclass(frozen=True)
class StepFinish:
    """A finished step as the reports count it: when, by whom, on time or not, in how many working days."""

    department_id: int
    completed_at: datetime
    completed_by_id: int | None
    on_time: bool
    working_days: int


class RequestStep(models.Model):
    """One step of the request's own route, copied from the service when the request was taken."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        ACTIVE = "active", _("In progress")  # its deadline clock runs
        PAUSED = "paused", _("Waiting for the citizen")  # its clock stands still
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")  # the request was cancelled during this step

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="request_steps"
    )
    working_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    risk_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    at_risk_since = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    # The highest level of the escalation ladder recorded for this step: the sweep reads only the steps
    # still below the top (index request_step_to_escalate, written for the default ladder's 3 levels:
    # with more levels configured it stays correct and only holds a few more steps).
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)
    # Who finished the step (forwarded, approved or rejected the request at it), and the working days it
    # took, net of the citizen's time (its due date moved with each pause) and with any earlier spell at
    # this step (the request came back to it): stored when it happens, so that reports never replay the
    # history.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_days_taken = models.PositiveSmallIntegerField(null=True, blank=True)
    escalations = GenericRelation(
        "deadlines.Escalation",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="request_step",
    )

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="one_request_step_per_position")
        ]
        # The sweep reads the running clocks only, and of those the ones not yet marked: once every late
        # step is marked, a sweep reads nothing for the marks.
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="active"), name="request_step_running"),
            models.Index(
                fields=["due_at"],
                condition=Q(status="active", escalation_level__lt=3),
                name="request_step_to_escalate",
            ),
            models.Index(
                fields=["risk_at"],
                condition=Q(status="active", at_risk_since=None),
                name="request_step_to_risk",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status="active", overdue_since=None),
                name="request_step_to_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.position} {self.department_id}"

    def working_days_used(self, at, calendar) -> int:
        """The working days of this spell at the step when it ends at ``at`` (its clock running)."""
        if self.due_at is None:  # never started by the workflow (data loaded from elsewhere)
            return 0
        return clock_working_days_used(calendar, due_at=self.due_at, working_days=self.working_days, at=at)

    def finish(self) -> StepFinish | None:
        """The step's finish, if it is done."""
        if self.status != RequestStep.Status.DONE or self.completed_at is None:
            return None
        return StepFinish(
            department_id=self.department_id,
            completed_at=self.completed_at,
            completed_by_id=self.completed_by_id,
            on_time=self.due_at is not None and self.completed_at <= self.due_at,
            working_days=self.working_days_taken or 0,
        )


class RequestFee(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField()
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["request", "position"]

    def __str__(self) -> str:
        return f"{self.name_ar}: {self.amount}"

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


class RequestDocument(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16)
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True, default="")
    required = models.BooleanField()
    received = models.BooleanField()
    scan = models.FileField(storage=scan_storage, upload_to="scans/%Y/%m/", blank=True, max_length=200)
    scan_content_type = models.CharField(max_length=40, blank=True)
    scan_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]

    def __str__(self) -> str:
        return self.name_ar

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)


def join_names(names) -> str:
    """A list of names as the reader's language writes one: with the Arabic comma in Arabic."""
    return (", " if (get_language() or "ar").startswith("en") else "، ").join(names)


class SystemNote(models.TextChoices):
    """Notes the system writes on a history row. They are stored as a code with their values and
    read in the reader's language, never frozen in the language of whoever caused them."""

    FEES_PAID = "fees_paid", _("Fees paid")
    HANDED_TO_APPLICANT = "handed_to_applicant", _("Handed to the applicant")
    HANDED_TO_ATTORNEY = "handed_to_attorney", _("Handed to an attorney")
    ASSIGNED_TO = "assigned_to", _("Given to an employee")
    BACK_TO_POOL = "back_to_pool", _("Back to the department's pool")


def _fees_paid_text(values: dict) -> str:
    text = gettext("Fees of %(total)s EGP paid: %(method)s.") % {
        "total": money(values["total"]),
        "method": PaymentMethod(values["method"]).label,
    }
    if values.get("reference"):
        text += " " + gettext("Reference: %(reference)s.") % {"reference": values["reference"]}
    return text


_SYSTEM_NOTE_TEXTS = {
    SystemNote.FEES_PAID: _fees_paid_text,
    SystemNote.HANDED_TO_APPLICANT: lambda values: gettext("Handed to the applicant."),
    SystemNote.HANDED_TO_ATTORNEY: lambda values: (
        gettext("Handed to the attorney %(name)s (power of attorney checked).") % values
    ),
    SystemNote.ASSIGNED_TO: lambda values: gettext("Given to %(name)s.") % values,
    SystemNote.BACK_TO_POOL: lambda values: gettext("Back to the department's pool."),
}


class RequestEvent(models.Model):
    """One line of a request's history. Written by services only, never edited."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Request taken at the window")
        ROUTED = "route", _("Sent to the first department")
        FORWARDED = "forward", _("Forwarded to the next department")
        RETURNED = "return_to_previous", _("Returned to the previous department")
        INFO_REQUESTED = "request_info", _("Documents requested from the citizen")
        RESUBMITTED = "resubmit", _("Documents brought by the citizen")
        APPROVED = "approve", _("Approved")
        REJECTED = "reject", _("Rejected")
        ISSUED = "issue", _("Output ready at the window")
        DELIVERED = "deliver", _("Delivered")
        ASSIGNED = "assign", _("Assigned")
        CANCELLED = "cancel", _("Cancelled at the citizen's request")
        RECEIPT_PRINTED = "receipt_printed", _("Receipt printed")
        RECEIPT_REPRINTED = "receipt_reprinted", _("Receipt reprinted")
        IDENTITY_REVEALED = "identity_revealed", _("National ID shown in full")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    step = models.ForeignKey(
        RequestStep, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    note = models.TextField(_("internal note"), blank=True)
    public_note = models.TextField(_("note for the citizen"), blank=True)
    system_note = models.CharField(_("system note"), max_length=24, choices=SystemNote.choices, blank=True)
    system_note_values = models.JSONField(default=dict, blank=True)
    # The catalog documents the row is about — asked of the citizen (request_info) or brought back
    # (resubmit) — as {"code", "name_ar", "name_en"} copied when it happened, like a request's terms.
    documents = models.JSONField(default=list, blank=True)
    # SHA-256 over this row's content and the previous row's hash (of the same request): editing or
    # deleting any row breaks every hash after it (``manage.py history_verify``). PostgreSQL also
    # refuses UPDATE and DELETE on this table (a trigger).
    chain_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["request", "at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """A history row is written once, chained to the request's previous row (the services hold
        the request's row lock, so two rows never claim the same predecessor)."""
        if self.pk is not None:
            raise ValueError("History rows are never edited.")
        # Read in a statement of its own, after the services took the request's row lock: under READ
        # COMMITTED a statement that waited for the lock still sees the snapshot it started with, so
        # reading the last hash together with the lock could miss the row the lock's holder just wrote.
        previous = (
            RequestEvent.objects.filter(request_id=self.request_id)
            .order_by("-pk")
            .values_list("chain_hash", flat=True)
            .first()
        )
        self.chain_hash = chained_hash(previous or "", self)
        super().save(*args, **kwargs)

    @property
    def changes_state(self) -> bool:
        return self.from_state != self.to_state

    @property
    def system_note_text(self) -> str:
        """The system's note in the reader's language ("" when the system wrote none)."""
        if not self.system_note:
            return ""
        return _SYSTEM_NOTE_TEXTS[SystemNote(self.system_note)](self.system_note_values)

    @property
    def document_names(self) -> list[str]:
        return [in_language(d["name_ar"], d.get("name_en", "")) for d in self.documents]

    @property
    def documents_text(self) -> str:
        return join_names(self.document_names)
