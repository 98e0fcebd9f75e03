"""Roll-ups: what the dashboards read instead of the requests table. Each row of a day roll-up holds one
day's flows for one center and one service, so a dashboard's cost grows with centers × services × days,
never with the number of requests. Each day roll-up has coarser sums of its own rows — per month, per
center of all services, per service of all centers, per department of a center
(``reports.spans.AGGREGATED``) — that long periods and wide places read instead. ``reports.rollups``
keeps all of them current in each event's own transaction and rebuilds them from the requests alone."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def _service_of_a_center_row() -> models.ForeignKey:
    """The service of a row of one center and one service: indexed with the day (``(service, day)``, in
    the model's indexes) rather than alone — a few services of many centers are read on it, e.g. the
    violation cases of a governorate."""
    return models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+", db_index=False)


def _service_of_a_governorate_row() -> models.ForeignKey:
    """The service of a row of one governorate and one service: read by the governorate and day only."""
    return models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+", db_index=False)


class Flows(models.Model):
    """The requests that were received, decided, delivered or cancelled on ``day`` (Cairo date of the
    act), and the fees taken with those received."""

    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    decided_on_time = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    # Sum of the decided requests' working days (submission to decision, net of the citizen's time).
    working_days = models.PositiveBigIntegerField(default=0)
    fees = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.pk}"


class RequestFlows(Flows):
    """One center's flows of one service."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = _service_of_a_center_row()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id}"


class RequestDay(RequestFlows):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "center", "service"], name="one_request_day_row"),
        ]
        indexes = [
            models.Index(fields=["center", "day"], name="request_day_center"),
            models.Index(fields=["service", "day"], name="request_day_service"),
        ]


class RequestMonth(RequestFlows):
    """``RequestDay``'s rows summed per calendar month (``day`` is the month's first day), kept with them
    in the same statements: what long periods read for their whole months (``reports.spans``)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "center", "service"], name="one_request_month_row"),
        ]
        indexes = [
            models.Index(fields=["center", "day"], name="request_month_center"),
            models.Index(fields=["service", "day"], name="request_month_service"),
        ]


class CenterFlows(Flows):
    """One center's flows, all its services together: what a figure of a place reads (``reports.spans``)."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}"


class CenterRequestDay(CenterFlows):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "day"], name="one_center_request_day_row")]
        indexes = [models.Index(fields=["day"], name="center_request_day_day")]  # every center's days


class CenterRequestMonth(CenterFlows):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "day"], name="one_center_request_month_row")]
        indexes = [models.Index(fields=["day"], name="center_request_month_day")]


class ServiceFlows(Flows):
    """One service's flows, all centers together."""

    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.service_id}"


class ServiceRequestDay(ServiceFlows):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "service"], name="one_service_request_day_row")]


class ServiceRequestMonth(ServiceFlows):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "service"], name="one_service_request_month_row")
        ]


class Durations(models.Model):
    """How many of a day's decisions took exactly ``working_days``: the histogram that medians and
    percentiles need."""

    day = models.DateField()
    working_days = models.PositiveSmallIntegerField()
    decided = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day}: {self.working_days} d × {self.decided}"


class RequestDurations(Durations):
    """One center's decisions of one service."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = _service_of_a_center_row()

    class Meta:
        abstract = True


class RequestDayDuration(RequestDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "working_days"], name="one_request_duration_row"
            ),
        ]
        # A place's days, with what the percentiles read, without visiting the table (index-only).
        indexes = [
            models.Index(
                fields=["center", "day"],
                include=["service", "working_days", "decided"],
                name="request_duration_center",
            ),
            models.Index(
                fields=["service", "day"],
                include=["center", "working_days", "decided"],
                name="request_duration_service",
            ),
        ]


class RequestMonthDuration(RequestDurations):
    """``RequestDayDuration`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "working_days"], name="one_request_month_duration"
            ),
        ]
        indexes = [
            models.Index(
                fields=["center", "day"],
                include=["service", "working_days", "decided"],
                name="request_month_duration_center",
            ),
            models.Index(
                fields=["service", "day"],
                include=["center", "working_days", "decided"],
                name="request_month_duration_service",
            ),
        ]


class CenterDurations(Durations):
    """One center's decisions, all its services together."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class CenterDayDuration(CenterDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "working_days"], name="one_center_day_duration")
        ]
        # Every center's days, with what the percentiles read (index-only), and one center's.
        indexes = [
            models.Index(
                fields=["day"], include=["center", "working_days", "decided"], name="center_duration_day"
            ),
            models.Index(
                fields=["center", "day"], include=["working_days", "decided"], name="center_duration_center"
            ),
        ]


class CenterMonthDuration(CenterDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "working_days"], name="one_center_month_duration"
            )
        ]
        indexes = [
            models.Index(
                fields=["day"],
                include=["center", "working_days", "decided"],
                name="center_month_duration_day",
            ),
            models.Index(
                fields=["center", "day"],
                include=["working_days", "decided"],
                name="center_month_duration_center",
            ),
        ]


class ServiceDurations(Durations):
    """One service's decisions, all centers together."""

    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class ServiceDayDuration(ServiceDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "working_days"], name="one_service_day_duration"
            )
        ]


class ServiceMonthDuration(ServiceDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "working_days"], name="one_service_month_duration"
            )
        ]


class Fees(models.Model):
    """Fees taken at the windows on ``day``: per center, service, fee item and way of payment — the
    treasury's figures and a center's daily cash sheet."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    fee_name_ar = models.CharField(max_length=200)
    payment_method = models.CharField(max_length=12)
    count = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id} {self.fee_name_ar}: {self.amount}"


class FeeDay(Fees):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "fee_name_ar", "payment_method"], name="one_fee_day_row"
            ),
        ]
        indexes = [models.Index(fields=["center", "day"], name="fee_day_center")]


class FeeMonth(Fees):
    """``FeeDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "fee_name_ar", "payment_method"], name="one_fee_month_row"
            ),
        ]
        indexes = [models.Index(fields=["center", "day"], name="fee_month_center")]


class StepFigures(models.Model):
    """What the step roll-ups count on ``day`` (Cairo date): the request steps finished (forwarded,
    approved or rejected), how many by the step's due date, and their working days (net of the
    citizen's time)."""

    day = models.DateField()
    steps_done = models.PositiveIntegerField(default=0)
    steps_on_time = models.PositiveIntegerField(default=0)
    working_days = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.pk}"


class DepartmentSteps(StepFigures):
    """The steps one department of a center finished (``DepartmentStepDay``: all its services and
    employees together, what the dashboards' time per department step reads)."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("organisation.Department", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id} {self.department_id}"


class Steps(DepartmentSteps):
    """The request steps a department finished on ``day`` for one center's requests of one service, per
    employee who finished them — the time per department step, its bottleneck and the staff figures.
    Kept by ``reports.step_rollups``."""

    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id} {self.department_id}/{self.employee_id}"


class DepartmentStepDay(DepartmentSteps):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "center", "department"], name="one_department_step_day"),
        ]
        indexes = [models.Index(fields=["center", "day"], name="department_step_day_center")]


class DepartmentStepMonth(DepartmentSteps):
    """``DepartmentStepDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "center", "department"], name="one_department_step_month"),
        ]
        indexes = [models.Index(fields=["center", "day"], name="department_step_month_center")]


class StepDay(Steps):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "department", "employee"], name="one_step_day_row"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "day"], name="step_day_department"),
            models.Index(fields=["center", "day"], name="step_day_center"),
        ]


class StepMonth(Steps):
    """``StepDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "department", "employee"], name="one_step_month_row"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "day"], name="step_month_department"),
            models.Index(fields=["center", "day"], name="step_month_center"),
        ]


_EXPORTS = FileSystemStorage()  # follows settings.MEDIA_ROOT, also when tests override it


def export_storage() -> FileSystemStorage:
    """Exports live under MEDIA_ROOT (outside the web root, never served by URL): the view streams
    each file to its requester alone."""
    return _EXPORTS


class ExportJob(models.Model):
    """A file asked for by one user and built by a Celery worker (``reports.tasks.export_run``), kept for
    that user alone until ``expires_at``. ``parameters`` holds what the form gave (period, center or
    governorate code, language); the figures are limited to the requester's reach when the file is built."""

    class Kind(models.TextChoices):
        CENTER_KPIS = "center_kpis", _("Request KPIs per center")
        FEE_ITEMS = "fee_items", _("Fees per fee item")
        MONTHLY_PDF = "monthly_pdf", _("Monthly report (PDF)")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (xlsx)")
        PDF = "pdf", _("PDF")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requester"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(storage=export_storage, upload_to="exports/%Y/%m/", max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["requester", "-created_at"], name="export_job_requester")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} #{self.pk} ({self.state})"


class BacklogCell(models.Model):
    """The open requests of one center and service held by one department (none: not yet routed),
    in progress or awaiting the citizen, as counted by the last backlog refresh (``reports.backlog``):
    how many, how many overdue and at risk, and how many in each age bucket (working days since
    submission). Replaced as a whole by each refresh."""

    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.CASCADE, null=True, related_name="+"
    )
    waiting = models.BooleanField()  # awaiting the citizen (else in progress: submitted or in review)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    aged_0_5 = models.PositiveIntegerField(default=0)
    aged_6_10 = models.PositiveIntegerField(default=0)
    aged_11_20 = models.PositiveIntegerField(default=0)
    aged_21_40 = models.PositiveIntegerField(default=0)
    aged_over_40 = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.center_id}/{self.service_id} {self.department_id} {'waiting' if self.waiting else ''}"


class BacklogSnapshot(models.Model):
    """When the backlog cells were counted (one row, pk 1, stamped in the refresh's transaction)."""

    taken_at = models.DateTimeField(null=True)
    open = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)  # how long the count took

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_backlog_snapshot")]

    def __str__(self) -> str:
        return f"backlog as of {self.taken_at}"


class DocumentFigures(models.Model):
    """Documents a center issued on ``day`` (Cairo date) of one kind, and those of that kind and center
    revoked on ``day`` (whenever they were issued): the licensing statistics' issued and revoked."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=3)
    issued = models.PositiveIntegerField(default=0)
    revoked = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.kind}: {self.issued} issued, {self.revoked} revoked"


class DocumentDay(DocumentFigures):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "day", "kind"], name="one_document_day_row")]
        indexes = [models.Index(fields=["day"], name="document_day_day")]  # every center's days


class DocumentMonth(DocumentFigures):
    """``DocumentDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "kind"], name="one_document_month_row")
        ]
        indexes = [models.Index(fields=["day"], name="document_month_day")]


class SmsFigures(models.Model):
    """SMS queued on ``day`` (Cairo date) about something of a center's — ``subject``, the kind of thing
    (``app_label.model``: a request, a complaint, a hall ticket), ``confidential`` when it is a
    complaint about staff conduct — and how those messages stand now: sent (accepted by the gateway or
    delivered) with their parts (what the gateway bills), and failed; the rest are still waiting."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=100)
    confidential = models.BooleanField(default=False)
    queued = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    parts = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.subject}: {self.queued} queued"


class SmsDay(SmsFigures):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "subject", "confidential"], name="one_sms_day_row"
            )
        ]
        indexes = [models.Index(fields=["day"], name="sms_day_day")]  # every center's days


class SmsMonth(SmsFigures):
    """``SmsDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "subject", "confidential"], name="one_sms_month_row"
            )
        ]
        indexes = [models.Index(fields=["day"], name="sms_month_day")]


class HallTickets(models.Model):
    """The hall's tickets taken on ``day`` at a center's kiosk in one queue (the one it was issued in, where
    it stays counted when sent on) and hour of the day (Cairo time): issued; waited (called to a window
    at least once) with the seconds from the ticket to its first call; served (finished at a window);
    no-shows (not come when called)."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    queue = models.ForeignKey("hall.HallQueue", on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField()
    issued = models.PositiveIntegerField(default=0)
    waited = models.PositiveIntegerField(default=0)
    wait_seconds = models.PositiveBigIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.queue_id} {self.hour}h: {self.issued} issued"


class HallTicketDay(HallTickets):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "queue", "hour"], name="one_hall_ticket_day_row")
        ]
        indexes = [models.Index(fields=["day"], name="hall_ticket_day_day")]  # every center's days


class HallTicketMonth(HallTickets):
    """``HallTicketDay`` per calendar month (``day`` is the month's first day)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "queue", "hour"], name="one_hall_ticket_month_row"
            )
        ]
        indexes = [models.Index(fields=["day"], name="hall_ticket_month_day")]


class CenterHallWaits(models.Model):
    """How many of a center's tickets of ``day`` waited ``minutes`` whole minutes (from m to m + 1) for
    their first call: the histogram the 90th percentile is read from; the same per queue and hour
    (``HallWaitDay``), and per month for a queue or an hour of the day."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField()
    waited = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}: {self.waited} waited {self.minutes} min"


class CenterHallWaitDay(CenterHallWaits):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "minutes"], name="one_center_hall_wait_day_row")
        ]
        indexes = [models.Index(fields=["day"], name="center_hall_wait_day_day")]


class CenterHallWaitMonth(CenterHallWaits):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "minutes"], name="one_center_hall_wait_month_row"
            )
        ]
        indexes = [models.Index(fields=["day"], name="center_hall_wait_month_day")]


class HallWaitDay(CenterHallWaits):
    queue = models.ForeignKey("hall.HallQueue", on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "queue", "hour", "minutes"], name="one_hall_wait_day_row"
            )
        ]


class QueueHallWaitMonth(CenterHallWaits):
    queue = models.ForeignKey("hall.HallQueue", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "queue", "minutes"], name="one_queue_hall_wait_month_row"
            )
        ]


class HourHallWaitMonth(CenterHallWaits):
    hour = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "hour", "minutes"], name="one_hour_hall_wait_month_row"
            )
        ]


class GovernorateFlows(Flows):
    """One governorate's flows per service, all its centers together (a governorate's year of its
    services, 13 times fewer rows than per center)."""

    governorate = models.ForeignKey("organisation.Governorate", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "services.Service", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.governorate_id}/{self.service_id}"


class GovernorateRequestDay(GovernorateFlows):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "service"], name="one_governorate_request_day"
            )
        ]


class GovernorateRequestMonth(GovernorateFlows):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "service"], name="one_governorate_request_month"
            )
        ]


class GovernorateServiceDurations(Durations):
    """One governorate's decisions per service, all its centers together."""

    governorate = models.ForeignKey("organisation.Governorate", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "services.Service", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        abstract = True


class GovernorateServiceDayDuration(GovernorateServiceDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "service", "working_days"],
                name="one_governorate_service_day_duration",
            )
        ]


class GovernorateServiceMonthDuration(GovernorateServiceDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "service", "working_days"],
                name="one_governorate_service_month_duration",
            )
        ]


class GovernorateDurations(Durations):
    """One governorate's decisions, all its centers and services together."""

    governorate = models.ForeignKey("organisation.Governorate", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class GovernorateDayDuration(GovernorateDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "working_days"], name="one_governorate_day_duration"
            )
        ]


class GovernorateMonthDuration(GovernorateDurations):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["governorate", "day", "working_days"], name="one_governorate_month_duration"
            )
        ]
