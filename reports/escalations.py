"""What waits on a dashboard's place on the escalation ladder (``deadlines.Escalation``), live: on a
governorate's dashboard the late requests, complaints and letters escalated to the governorate; on a
center's, those escalated to its manager. Read through the very selectors of the escalation pages
(``backoffice``, ``complaints``, ``correspondence``), still open, inside the viewer's reach, each
linking to its file.

The lists are for those who answer at that level or oversee it in their own governorate: the center
manager and the governorate official (a center's list), the governorate official (the governorate's).
The national roles are not on the ladder (the escalation pages show them nothing): they get no list.
Each kind is one query (the rows, with their total counted by a window over them), plus one for the
files of the rows shown — however many escalations there are."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from backoffice.selectors import escalations_for
from complaints.selectors import complaint_escalations_for
from correspondence.models import Classification
from correspondence.selectors import letter_escalations_for
from deadlines.models import Escalation
from organisation.models import Center, Governorate

LIMIT = 50  # rows of each kind shown (and downloaded); the counts are all of them

CENTER_LEVEL = {Escalation.Level.CENTER_MANAGER: (Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)}
GOVERNORATE_LEVEL = {Escalation.Level.GOVERNORATE: (Role.GOVERNORATE_OFFICIAL,)}

KINDS = {
    "request": gettext_lazy("Requests"),
    "complaint": gettext_lazy("Complaints"),
    "letter": gettext_lazy("Letters"),
}


@dataclass(frozen=True)
class Escalated:
    kind: str  # request, complaint or letter
    number: str
    url: str
    about: str  # the service, the kind of complaint, the letter's category
    where: str  # the center (and department), the office
    due_at: datetime | None
    escalated_at: datetime

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class EscalationList:
    level: Escalation.Level
    items: list[Escalated]  # the most overdue first
    counts: dict[str, int]  # per kind, all of them (the list shows at most LIMIT of each)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shown_counts(self) -> list[tuple[str, int]]:
        return [(str(KINDS[kind]), n) for kind, n in self.counts.items()]

    @property
    def limit(self) -> int:
        return LIMIT

    @property
    def truncated(self) -> bool:
        return self.total > len(self.items)


def _first(rows: QuerySet[Escalation]) -> tuple[list[Escalation], int]:
    """The first LIMIT rows and how many there are, in one query."""
    found = list(rows.annotate(found=Window(Count("pk")))[:LIMIT])
    return found, (found[0].found if found else 0)


def _request(e: Escalation) -> Escalated:
    step = e.subject
    request = step.request
    return Escalated(
        "request",
        request.receipt_number,
        reverse("office:request", args=[request.receipt_number]),
        request.service.name,
        f"{request.center.name} — {step.department.name}",
        step.due_at,
        e.created_at,
    )


def _complaint(e: Escalation) -> Escalated:
    complaint = e.subject
    return Escalated(
        "complaint",
        complaint.number,
        reverse("complaints:file", args=[complaint.number]),
        complaint.category.name,
        complaint.center.name,
        complaint.due_at,
        e.created_at,
    )


def _letter(e: Escalation) -> Escalated:
    letter = e.subject
    confidential = letter.classification == Classification.CONFIDENTIAL
    return Escalated(
        "letter",
        letter.number or "",
        reverse("letters:letter", args=[letter.pk]),
        _("Confidential letter") if confidential else letter.category.name,
        (letter.local_unit or letter.governorate).name,
        letter.due_at,
        e.created_at,
    )


def _listed(level, requests, complaints, letters) -> EscalationList:
    items, counts = [], {}
    for kind, rows, shown in (
        ("request", requests, _request),
        ("complaint", complaints, _complaint),
        ("letter", letters, _letter),
    ):
        found, counts[kind] = _first(rows) if rows is not None else ([], 0)
        items += [shown(e) for e in found]
    items.sort(key=lambda item: (item.due_at is None, item.due_at or item.escalated_at, item.number))
    return EscalationList(level, items, counts)


def center_escalations(*, user: User, center: Center) -> EscalationList | None:
    """What is escalated to the center's manager and still open: its requests' late steps, its
    complaints, and the late letters of its local unit's office routed to a department."""
    if not user.has_role(*CENTER_LEVEL[Escalation.Level.CENTER_MANAGER]):
        return None
    letters = None
    if center.local_unit_id:
        letters = letter_escalations_for(user=user, levels=CENTER_LEVEL).filter(
            letter__local_unit=center.local_unit_id
        )
    return _listed(
        Escalation.Level.CENTER_MANAGER,
        escalations_for(user=user, levels=CENTER_LEVEL).filter(request_step__request__center=center),
        complaint_escalations_for(user=user, levels=CENTER_LEVEL).filter(complaint__center=center),
        letters,
    )


def governorate_escalations(*, user: User, governorate: Governorate) -> EscalationList | None:
    """What is escalated to the governorate and still open, in the official's own governorate."""
    if not user.has_role(*GOVERNORATE_LEVEL[Escalation.Level.GOVERNORATE]):
        return None
    return _listed(
        Escalation.Level.GOVERNORATE,
        escalations_for(user=user, levels=GOVERNORATE_LEVEL).filter(
            request_step__request__center__governorate=governorate
        ),
        complaint_escalations_for(user=user, levels=GOVERNORATE_LEVEL).filter(
            complaint__center__governorate=governorate
        ),
        letter_escalations_for(user=user, levels=GOVERNORATE_LEVEL).filter(letter__governorate=governorate),
    )
