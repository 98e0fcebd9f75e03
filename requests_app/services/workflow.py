"""The request workflow. Every transition: lock the row, refuse a stale form, check role, scope and
separation of duties, run the state machine, save, and write exactly one history entry."""

from collections.abc import Callable, Collection, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.authz import can
from accounts.models import Role, User
from core.text import visible_text
from documents.services import DocumentInput, document_issue
from organisation.calendar import WorkCalendar
from requests_app.models import (
    POWER_OF_ATTORNEY,
    RequestDocument,
    RequestEvent,
    RequestState,
    RequestStep,
    ServiceRequest,
    SystemNote,
)
from requests_app.services import notify
from services.models import DocumentType, OutputKind


class WorkflowError(ValidationError):
    """The action was refused; nothing changed. ``request`` is the request as it stands now."""

    def __init__(self, message, *, request: ServiceRequest | None = None):
        super().__init__(message)
        self.request = request


def _stale(request: ServiceRequest) -> WorkflowError:
    return WorkflowError(
        _("The request changed while you were looking at it: it is now %(state)s. Check it and try again.")
        % {"state": request.get_state_display()},
        request=request,
    )


def department_role(actor: User, department_id: int | None) -> Role | None:
    """DEPARTMENT_HEAD or BACKOFFICE if ``actor`` works in that department, else None."""
    roles = {
        a.role
        for a in actor.assignments_for([Role.BACKOFFICE, Role.DEPARTMENT_HEAD])
        if a.department_id == department_id and department_id is not None
    }
    if Role.DEPARTMENT_HEAD in roles:
        return Role.DEPARTMENT_HEAD
    return Role.BACKOFFICE if roles else None


def _back_office(department: Callable[[ServiceRequest], int | None]):
    def check(request: ServiceRequest, actor: User) -> None:
        if request.taken_by_id == actor.pk:
            raise PermissionDenied(_("You took this request at the window, so you cannot decide it."))
        role = department_role(actor, department(request))
        if role is None:
            raise PermissionDenied(_("This request is not at your department's step."))
        if role == Role.BACKOFFICE and request.assignee_id not in (None, actor.pk):
            raise PermissionDenied(_("This request is assigned to a colleague."))

    return check


at_current_step = _back_office(lambda request: request.current_department_id)
at_last_step = _back_office(
    lambda request: request.current_step.department_id if request.current_step else None
)


def at_window(request: ServiceRequest, actor: User) -> None:
    if not can(actor, [Role.CLERK], request.org_place()):
        raise PermissionDenied(_("Only a clerk of the request's center can do this."))


def _required(text: str, message: str) -> str:
    text = visible_text(text)
    if not text:
        raise WorkflowError(message)
    return text


def _locked(request_id: int) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("current_step", "center")
        .get(pk=request_id)
    )


def _step(request: ServiceRequest, position: int) -> RequestStep:
    return request.steps.get(position=position)


@transaction.atomic
def _run(
    *,
    request_id: int,
    actor: User,
    action: str,
    expected_version: int | None,
    check: Callable[[ServiceRequest, User], None],
    steps: Callable[[ServiceRequest], dict] = lambda request: {},
    note: str = "",
    public_note: str = "",
    system_note: str = "",
    system_note_values: dict | None = None,
    documents: list[dict] | None = None,
    after: Callable[[ServiceRequest], None] = lambda request: None,
    notify: Callable[[ServiceRequest, RequestEvent], None] | None = None,
) -> ServiceRequest:
    request = _locked(request_id)
    if expected_version is not None and request.version != expected_version:
        raise _stale(request)
    check(request, actor)
    transition = getattr(request, action)
    if not can_proceed(transition):
        raise WorkflowError(
            _("This action is not possible while the request is %(state)s.")
            % {"state": request.get_state_display()},
            request=request,
        )
    at = timezone.now()
    from_state, step_before = request.state, request.current_step
    finishing = step_before is not None and step_before.status != RequestStep.Status.DONE
    transition(at=at, **steps(request))
    if finishing and step_before.status == RequestStep.Status.DONE:  # forwarded, approved or rejected
        step_before.completed_by = actor
    request.version += 1
    request.save()
    for step in {step_before, request.current_step} - {None}:
        step.save()
    after(request)
    event = RequestEvent.objects.create(
        request=request,
        at=at,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=request.state,
        step=step_before or request.current_step,
        note=note,
        public_note=public_note,
        system_note=system_note,
        system_note_values=system_note_values or {},
        documents=documents or [],
    )
    if notify is not None:
        notify(request, event)
    return request


def _calendar(request: ServiceRequest) -> dict:
    return {"calendar": WorkCalendar(request.center)}


def service_request_route(*, request_id: int, actor: User) -> ServiceRequest:
    """Send a request just taken to its first department (done by the intake, in its transaction)."""
    return _run(
        request_id=request_id,
        actor=actor,
        action="route",
        expected_version=None,
        check=lambda request, actor: None,
        steps=lambda request: {"first_step": _step(request, 1), "calendar": WorkCalendar(request.center)},
    )


def service_request_forward(
    *, request_id: int, actor: User, note: str = "", expected_version: int | None = None
):
    return _run(
        request_id=request_id,
        actor=actor,
        action="forward",
        expected_version=expected_version,
        check=at_current_step,
        note=visible_text(note),
        steps=lambda request: {
            "next_step": _step(request, request.current_step.position + 1),
            "calendar": WorkCalendar(request.center),
        },
    )


def service_request_return(*, request_id: int, actor: User, reason: str, expected_version: int | None = None):
    reason = _required(reason, _("Write why the request goes back to the previous department."))
    return _run(
        request_id=request_id,
        actor=actor,
        action="return_to_previous",
        expected_version=expected_version,
        check=at_current_step,
        note=reason,
        steps=lambda request: {
            "previous_step": _step(request, request.current_step.position - 1),
            "calendar": WorkCalendar(request.center),
        },
    )


def _catalog_documents(codes: Collection[str], *, first: list[str]) -> list[dict]:
    """The catalog's document types named by ``codes`` (the ones in ``first`` leading, in its order),
    copied as {"code", "name_ar", "name_en"}; an unknown code is refused."""
    found = {d.code: d for d in DocumentType.objects.filter(code__in=set(codes))}
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise WorkflowError(_("Not in the document catalog: %(codes)s.") % {"codes": ", ".join(unknown)})
    order = {code: position for position, code in enumerate(first)}
    ordered = sorted(found.values(), key=lambda d: (order.get(d.code, len(order)), d.code))
    return [{"code": d.code, "name_ar": d.name_ar, "name_en": d.name_en} for d in ordered]


@transaction.atomic
def service_request_request_info(
    *,
    request_id: int,
    actor: User,
    documents: Collection[str],
    note: str = "",
    expected_version: int | None = None,
):
    """Ask the citizen for documents of the catalog (the citizen reads their names and the note);
    the deadline clock stops until the window records them."""
    if not documents:
        raise WorkflowError(_("Choose the documents the citizen must bring."))
    terms = ServiceRequest.objects.values_list("terms", flat=True).get(pk=request_id)
    asked = _catalog_documents(documents, first=[d["code"] for d in terms["documents"]])
    return _run(
        request_id=request_id,
        actor=actor,
        action="request_info",
        notify=notify.notify_documents_requested,
        expected_version=expected_version,
        check=at_current_step,
        public_note=visible_text(note),
        documents=asked,
    )


def request_documents_asked(*, request_id: int) -> list[dict]:
    """The documents of the request's latest request for documents: what the window ticks when the
    citizen brings them."""
    asked = (
        RequestEvent.objects.filter(request_id=request_id, action=RequestEvent.Action.INFO_REQUESTED)
        .order_by("-at", "-pk")
        .values_list("documents", flat=True)
        .first()
    )
    return asked or []


@transaction.atomic
def service_request_resubmit(
    *, request_id: int, actor: User, documents: set[str], note: str = "", expected_version: int | None = None
):
    """Recorded at the window when the citizen brings what was asked; the deadline clock restarts.
    ``documents`` are codes among those asked for; they are marked received on the request."""
    note = visible_text(note)
    if not documents and not note:
        raise WorkflowError(_("Tick the documents the citizen brought, or describe them."))
    asked = {d["code"]: d for d in request_documents_asked(request_id=request_id)}
    not_asked = sorted(set(documents) - set(asked))
    if not_asked:
        raise WorkflowError(
            _("Not asked of the citizen: %(codes)s. Tick only the documents asked for.")
            % {"codes": ", ".join(not_asked)}
        )
    brought = [asked[code] for code in asked if code in documents]

    def mark_received(request: ServiceRequest) -> None:
        on_file = {d.code: d for d in request.documents.all()}
        RequestDocument.objects.filter(request=request, code__in=on_file.keys() & documents).update(
            received=True
        )
        position = max((d.position for d in on_file.values()), default=0)
        RequestDocument.objects.bulk_create(
            RequestDocument(
                request=request,
                position=position + i,
                code=d["code"],
                name_ar=d["name_ar"],
                name_en=d.get("name_en", ""),
                required=True,
                received=True,
            )
            for i, d in enumerate((d for d in brought if d["code"] not in on_file), start=1)
        )

    return _run(
        request_id=request_id,
        actor=actor,
        action="resubmit",
        expected_version=expected_version,
        check=at_window,
        note=note,
        documents=brought,
        after=mark_received,
        steps=_calendar,
    )


def output_document(
    request: ServiceRequest, subject: str, terms: Sequence[tuple[str, str]] = ()
) -> DocumentInput:
    """The service's output document for an approved request, as its approver words it."""
    output = request.terms["output"]
    return DocumentInput(
        # Requests taken before documents were numbered by kind hold no kind: a letter.
        kind=output.get("kind") or OutputKind.LETTER,
        title_ar=output["name_ar"],
        title_en=output.get("name_en", ""),
        holder_name=request.applicant_name_ar,
        holder_national_id=request.applicant.national_id,
        subject=subject,
        terms=list(terms),
        valid_years=output.get("valid_years"),
        center=request.center,
        local_unit=request.local_unit,
        source_reference=request.receipt_number,
        carries_qr=bool(output.get("verifiable")),
    )


def service_request_approve(
    *,
    request_id: int,
    actor: User,
    subject: str,
    terms: Sequence[tuple[str, str]] = (),
    note: str = "",
    expected_version: int | None = None,
):
    """Approve at the last step and issue the service's output document in the same transaction: its
    subject (e.g. the plot's address, the shop's activity) and key terms are the approver's to write."""
    subject = _required(subject, _("Write the subject of the document to issue (e.g. the plot's address)."))

    def issue_document(request: ServiceRequest) -> None:
        request.document = document_issue(document=output_document(request, subject, terms), actor=actor)
        request.save(update_fields=["document"])

    return _run(
        request_id=request_id,
        actor=actor,
        action="approve",
        expected_version=expected_version,
        check=at_current_step,
        note=visible_text(note),
        after=issue_document,
        steps=_calendar,
    )


def service_request_reject(
    *, request_id: int, actor: User, legal_reason: str, expected_version: int | None = None
):
    legal_reason = _required(legal_reason, _("A rejection needs its legal reason; the citizen will read it."))
    return _run(
        request_id=request_id,
        actor=actor,
        action="reject",
        notify=notify.notify_rejected,
        expected_version=expected_version,
        check=at_current_step,
        public_note=legal_reason,
        steps=_calendar,
    )


def service_request_issue(*, request_id: int, actor: User, expected_version: int | None = None):
    return _run(
        request_id=request_id,
        actor=actor,
        action="issue",
        notify=notify.notify_ready,
        expected_version=expected_version,
        check=at_last_step,
    )


def service_request_deliver(
    *,
    request_id: int,
    actor: User,
    to_attorney: bool = False,
    attorney_name: str = "",
    power_of_attorney_checked: bool = False,
    expected_version: int | None = None,
):
    if to_attorney:
        attorney_name = _required(attorney_name, _("Write the attorney's name."))
        if not power_of_attorney_checked:
            raise WorkflowError(_("Check the power of attorney before handing the output to an attorney."))
    return _run(
        request_id=request_id,
        actor=actor,
        action="deliver",
        notify=notify.notify_delivered,
        expected_version=expected_version,
        check=at_window_to_attorney_on_file if to_attorney else at_window,
        system_note=SystemNote.HANDED_TO_ATTORNEY if to_attorney else SystemNote.HANDED_TO_APPLICANT,
        system_note_values={"name": attorney_name} if to_attorney else {},
    )


def at_window_to_attorney_on_file(request: ServiceRequest, actor: User) -> None:
    at_window(request, actor)
    if (
        request.attorney_id is None
        or not request.documents.filter(code=POWER_OF_ATTORNEY, received=True).exists()
    ):
        raise WorkflowError(
            _("No attorney with a power of attorney is on file for this request: hand it to the applicant."),
            request=request,
        )


def service_request_cancel(*, request_id: int, clerk: User, reason: str, expected_version: int | None = None):
    """Cancel at the citizen's wish, before any decision; the reason is required."""
    reason = _required(reason, _("Write why the citizen cancels the request."))
    return _run(
        request_id=request_id,
        actor=clerk,
        action="cancel",
        expected_version=expected_version,
        check=at_window,
        note=reason,
    )


# Names no one: the refusal must not tell a head who some user id belongs to.
NOT_ASSIGNABLE = gettext_lazy("The chosen employee cannot work on this request.")


@transaction.atomic
def service_request_assign(
    *, request_id: int, actor: User, assignee: User | None, expected_version: int | None = None
) -> ServiceRequest:
    """A department head gives the request to an employee of the department (or back to the pool)."""
    request = _locked(request_id)
    if expected_version is not None and request.version != expected_version:
        raise _stale(request)
    if request.state != RequestState.IN_REVIEW:
        raise WorkflowError(_("Only requests in review can be assigned."), request=request)
    if department_role(actor, request.current_department_id) != Role.DEPARTMENT_HEAD:
        raise PermissionDenied(_("Only the head of the request's department assigns it."))
    if assignee is not None and (
        department_role(assignee, request.current_department_id) is None or assignee.pk == request.taken_by_id
    ):
        raise WorkflowError(NOT_ASSIGNABLE, request=request)
    return _set_assignee(request, actor, assignee)


def _set_assignee(request: ServiceRequest, actor: User, assignee: User | None) -> ServiceRequest:
    request.assignee = assignee
    request.version += 1
    request.save(update_fields=["assignee", "version"])
    RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        action=RequestEvent.Action.ASSIGNED,
        from_state=request.state,
        to_state=request.state,
        step_id=request.current_step_id,
        system_note=SystemNote.ASSIGNED_TO if assignee else SystemNote.BACK_TO_POOL,
        system_note_values={"name": str(assignee)} if assignee else {},
    )
    return request


@transaction.atomic
def service_request_take_next(*, department_id: int, actor: User) -> ServiceRequest | None:
    """The most urgent unassigned request of the department, now assigned to ``actor``. Rows another
    employee is taking at the same moment are skipped (FOR UPDATE SKIP LOCKED), never handed out twice."""
    if department_role(actor, department_id) is None:
        raise PermissionDenied(_("You do not work in this department."))
    request = (
        ServiceRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(current_department_id=department_id, state=RequestState.IN_REVIEW, assignee__isnull=True)
        .exclude(taken_by=actor)
        .order_by("step_due_at", "pk")
        .first()
    )
    return _set_assignee(request, actor, actor) if request else None


@transaction.atomic
def service_request_reveal_identity(*, request_id: int, actor: User) -> RequestEvent:
    """Show the applicant's full national ID to back-office staff of one of the request's departments;
    every showing is recorded in the request's history (internal, never shown to the citizen)."""
    request = _locked(request_id)
    departments = request.steps.values_list("department_id", flat=True)
    if not any(department_role(actor, department_id) for department_id in departments):
        raise PermissionDenied(_("Only the staff of the request's departments may see the national ID."))
    return RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        action=RequestEvent.Action.IDENTITY_REVEALED,
        from_state=request.state,
        to_state=request.state,
    )
