"""The hall in front of the windows: a center's queues, its numbered windows and who sits at them, the
devices at the entrance (ticket kiosk) and on the wall (screen), and the tickets citizens take."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.models import BilingualName, ProtectedStateReload, WrittenOnce
from hall.speech import arabic_letter
from organisation.places import OrgPlace

TICKETS_PER_QUEUE_AND_DAY = 999  # three digits on the ticket and the screen


class HallQueue(BilingualName):
    """A purpose the kiosk offers ("permits", "certificates" …): a letter, and the services it covers."""

    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, related_name="hall_queues", verbose_name=_("center")
    )
    letter = models.CharField(
        _("letter"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital Latin letter, A to Z."))],
        help_text=_("Printed on the tickets (B-042), and said in Arabic on the screen (ب)."),
    )
    is_priority = models.BooleanField(
        _("priority queue"),
        default=False,
        help_text=_("The elderly and people with disabilities: called before the other queues."),
    )
    services = models.ManyToManyField(
        "services.Service", blank=True, related_name="hall_queues", verbose_name=_("services")
    )
    position = models.PositiveSmallIntegerField(_("position on the kiosk"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "-is_priority", "position", "letter"]
        verbose_name = _("hall queue")
        verbose_name_plural = _("hall queues")
        constraints = [models.UniqueConstraint(fields=["center", "letter"], name="one_queue_per_letter")]

    @property
    def letter_ar(self) -> str:
        return arabic_letter(self.letter)


class HallWindow(models.Model):
    """A numbered window of the center's hall and the queues it calls from."""

    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, related_name="hall_windows", verbose_name=_("center")
    )
    number = models.PositiveSmallIntegerField(
        _("window number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    queues = models.ManyToManyField(HallQueue, related_name="windows", verbose_name=_("queues it calls"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center", "number"]
        verbose_name = _("hall window")
        verbose_name_plural = _("hall windows")
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="one_window_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=99), name="window_number_1_to_99"),
        ]

    def __str__(self) -> str:
        return str(_("Window %(number)d") % {"number": self.number})


class WindowShift(models.Model):
    """A clerk sitting at a window, from opening it to closing it: the windows open now are those with
    an open shift (what the waiting-time estimate divides by)."""

    window = models.ForeignKey(HallWindow, on_delete=models.PROTECT, related_name="shifts")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hall_shifts")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(closed_at__isnull=True), name="one_open_shift_per_window"
            ),
            models.UniqueConstraint(
                fields=["clerk"], condition=Q(closed_at__isnull=True), name="one_open_shift_per_clerk"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window} — {self.clerk} ({self.opened_at:%Y-%m-%d %H:%M})"


class HallDevice(models.Model):
    """A kiosk or a screen, bound to its center by a token the administrator issues: only the token's
    SHA-256 is stored; the device presents the token itself in a cookie set when it is paired."""

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Ticket kiosk")
        SCREEN = "screen", _("Hall screen")

    center = models.ForeignKey(
        "organisation.Center", on_delete=models.PROTECT, related_name="hall_devices", verbose_name=_("center")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("Where it stands, e.g. the entrance."))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["center", "kind", "name"]
        verbose_name = _("hall device")
        verbose_name_plural = _("hall devices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.name}"


class HallBoard(models.Model):
    """One row per center, its version raised by every change of the hall in the change's own
    transaction: screens compare versions, so a change is never missed whatever the notifier did."""

    center = models.OneToOneField("organisation.Center", on_delete=models.CASCADE, related_name="hall_board")
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.center_id} v{self.version}"


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called to a window")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come when called")


ACTIVE_STATES = (TicketState.CALLED, TicketState.SERVING)


def new_ticket_token() -> str:
    return secrets.token_urlsafe(16)


class Ticket(ProtectedStateReload, models.Model):
    center = models.ForeignKey("organisation.Center", on_delete=models.PROTECT, related_name="hall_tickets")
    issued_queue = models.ForeignKey(
        HallQueue, on_delete=models.PROTECT, related_name="issued_tickets", verbose_name=_("issued in")
    )
    queue = models.ForeignKey(
        HallQueue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    day = models.DateField(_("day"))
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("ticket"), max_length=8)
    state = FSMField(_("state"), default=TicketState.WAITING, choices=TicketState.choices, protected=True)
    version = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=32, unique=True, default=new_ticket_token, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    # The place in line: priority queues first, then the time the citizen started waiting (kept when
    # the ticket moves queue).
    priority = models.BooleanField(default=False)
    waiting_since = models.DateTimeField()
    kiosk = models.ForeignKey(HallDevice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    mobile = models.CharField(_("mobile"), max_length=16, blank=True)
    ahead_at_issue = models.PositiveSmallIntegerField(default=0)
    estimate_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    near_sms_at = models.DateTimeField(null=True, blank=True)
    window = models.ForeignKey(
        HallWindow, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    serving_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(fields=["issued_queue", "day", "number"], name="one_ticket_per_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=TICKETS_PER_QUEUE_AND_DAY), name="ticket_number_range"
            ),
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(state__in=["called", "serving"]),
                name="one_active_ticket_per_window",
            ),
        ]
        indexes = [
            models.Index(
                fields=["center", "day", "-priority", "waiting_since"],
                condition=Q(state="waiting"),
                name="ticket_waiting_line",
            ),
            models.Index(fields=["center", "day", "called_at"], name="ticket_calls_of_day"),
            models.Index(fields=["center", "day", "issued_at"], name="ticket_issued_of_day"),
            models.Index(fields=["day"], name="ticket_day"),  # the national dashboard's period
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.day})"

    @property
    def code_ar(self) -> str:
        """The number as the Arabic screen shows it: ب-042."""
        return f"{arabic_letter(self.code[0])}-{self.number:03d}"

    def org_place(self) -> OrgPlace:
        return self.center.org_place()

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    # Transitions change fields only; hall.services locks, saves, records the history and notifies.

    @transition(field=state, source=TicketState.WAITING, target=TicketState.CALLED)
    def call(self, *, window: HallWindow, clerk, at) -> None:
        self.window, self.clerk = window, clerk
        self.first_called_at = self.first_called_at or at
        self.called_at = at
        self.recalls = 0

    @transition(field=state, source=TicketState.CALLED, target=TicketState.CALLED)
    def recall(self, *, at) -> None:
        self.called_at = at
        self.recalls += 1

    @transition(field=state, source=TicketState.CALLED, target=TicketState.NO_SHOW)
    def miss(self, *, at) -> None:
        self.finished_at = at

    @transition(field=state, source=TicketState.CALLED, target=TicketState.SERVING)
    def serve(self, *, at) -> None:
        self.serving_at = at

    @transition(field=state, source=TicketState.SERVING, target=TicketState.DONE)
    def finish(self, *, at) -> None:
        self.finished_at = at

    @transition(field=state, source=list(ACTIVE_STATES), target=TicketState.WAITING)
    def transfer(self, *, queue: HallQueue) -> None:
        """Sent on to another queue: it keeps its number and its place by the time it started waiting."""
        self.queue, self.priority = queue, queue.is_priority
        self.window = self.clerk = None
        self.called_at = self.serving_at = None
        self.recalls = 0


class TicketEvent(WrittenOnce, models.Model):
    """One line of a ticket's history, written by hall.services only (PostgreSQL refuses UPDATE and
    DELETE on the table)."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Ticket issued")
        CALLED = "called", _("Called")
        RECALLED = "recalled", _("Called again")
        NO_SHOW = "no_show", _("Did not come")
        SERVING = "serving", _("Service started")
        DONE = "done", _("Served")
        TRANSFERRED = "transferred", _("Sent to another queue")
        REQUEST_TAKEN = "request", _("Request taken")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=8, blank=True)
    to_state = models.CharField(max_length=8, blank=True)
    window = models.ForeignKey(HallWindow, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    queue = models.ForeignKey(HallQueue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["ticket", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%H:%M:%S}"
