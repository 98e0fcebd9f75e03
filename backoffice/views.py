"""The back office: a department's queue, take-next, the head's assignments, and one request's file
with exactly the decisions the user may take now."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.authz import RoleRequiredMixin, scope_q
from accounts.models import Role, User
from accounts.views_org import DEPARTMENT_READERS
from backoffice.forms import ActionForm, AssignForm, QueueFilterForm
from backoffice.selectors import (
    VIEW_ROLES,
    allowed_actions,
    department_queue,
    document_choices,
    escalations_for,
    queue_urgency,
    request_file,
    team_load,
    working_days_left,
)
from core.http import form_errors_as_messages, query_without_page, safe_next
from core.models import in_language
from organisation.calendar import WorkCalendar
from organisation.models import Department
from organisation.places import OrgPaths
from requests_app.models import RequestState, ServiceRequest, join_names
from requests_app.services import (
    service_request_approve,
    service_request_assign,
    service_request_forward,
    service_request_issue,
    service_request_reject,
    service_request_request_info,
    service_request_return,
    service_request_take_next,
)
from requests_app.services.workflow import (
    NOT_ASSIGNABLE,
    department_role,
    request_documents_asked,
    service_request_reveal_identity,
)

DEPARTMENT_PATHS = OrgPaths(governorate="local_unit__governorate", local_unit="local_unit", department="pk")
PAGE_SIZE = 25


class DepartmentMixin(RoleRequiredMixin):
    allowed_roles = DEPARTMENT_READERS

    @cached_property
    def department(self) -> Department:
        departments = Department.objects.filter(
            scope_q(self.request.user, self.allowed_roles, DEPARTMENT_PATHS)
        )
        return get_object_or_404(
            departments.select_related("department_type", "local_unit"), pk=self.kwargs["pk"]
        )

    def check_scope(self) -> None:
        self.department  # noqa: B018 — another department's queue is a 404

    @cached_property
    def is_head(self) -> bool:
        return any(
            a.department_id == self.department.pk
            for a in self.request.user.assignments_for([Role.DEPARTMENT_HEAD])
        )

    @cached_property
    def works_here(self) -> bool:
        return any(
            a.department_id == self.department.pk
            for a in self.request.user.assignments_for([Role.BACKOFFICE, Role.DEPARTMENT_HEAD])
        )


class QueueView(DepartmentMixin, TemplateView):
    template_name = "backoffice/queue.html"

    def get_context_data(self, **kwargs):
        form = QueueFilterForm(self.request.GET or None)
        page = Paginator(
            department_queue(department=self.department, user=self.request.user, filters=form.filters()),
            PAGE_SIZE,
        ).get_page(self.request.GET.get("page"))
        calendar = WorkCalendar(governorate_id=self.department.local_unit.governorate_id)
        rows = [(req, working_days_left(req.step_due_at, calendar)) for req in page.object_list]
        kwargs.update(urgency=queue_urgency(department=self.department))
        team = team_load(department=self.department) if self.is_head else []
        kwargs.update(
            department=self.department,
            form=form,
            page=page,
            rows=rows,
            is_head=self.is_head,
            works_here=self.works_here,
            team=team,
            query=query_without_page(self.request),
        )
        return super().get_context_data(**kwargs)


class TakeNextView(DepartmentMixin, View):
    allowed_roles = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD)

    def post(self, request, *args, **kwargs):
        taken = service_request_take_next(department_id=self.department.pk, actor=request.user)
        if taken is None:
            messages.info(request, _("No unassigned request is waiting in the department."))
            return redirect("office:queue", self.department.pk)
        messages.success(request, _("Request %(number)s is now yours.") % {"number": taken.receipt_number})
        return redirect("office:request", taken.receipt_number)


class EscalationsView(RoleRequiredMixin, TemplateView):
    """What has been escalated to this person: late steps at their level of the ladder."""

    allowed_roles = (Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)
    template_name = "backoffice/escalations.html"

    def get_context_data(self, **kwargs):
        escalations = list(escalations_for(user=self.request.user)[:500])
        calendar = WorkCalendar()
        rows = [(e.subject, e, working_days_left(e.subject.due_at, calendar)) for e in escalations]
        return super().get_context_data(rows=rows, **kwargs)


class RequestFileMixin(RoleRequiredMixin):
    allowed_roles = VIEW_ROLES

    @cached_property
    def service_request(self):
        found = request_file(user=self.request.user, receipt_number=self.kwargs["receipt"])
        if found is None:
            raise Http404
        return found

    def check_scope(self) -> None:
        self.service_request  # noqa: B018 — a request outside the user's departments is a 404


class RequestFileView(RequestFileMixin, TemplateView):
    template_name = "backoffice/request_file.html"

    def get_context_data(self, **kwargs):
        req = self.service_request
        user = self.request.user
        department_id = req.current_department_id
        can_assign = (
            req.state == RequestState.IN_REVIEW
            and department_role(user, department_id) == Role.DEPARTMENT_HEAD
        )
        actions = allowed_actions(request=req, user=user)
        own, others = document_choices(request=req) if "request_info" in actions else ([], [])
        kwargs.update(
            req=req,
            actions=actions,
            action_form=ActionForm(
                initial={"version": req.version}, service_documents=own, other_documents=others
            ),
            next_department_id=self._department_decided_in(),
            can_assign=can_assign,
            colleagues=_colleagues(department_id, req) if can_assign else [],
            days_left=working_days_left(req.step_due_at, WorkCalendar(req.center)),
            identity_revealed=identity_revealed(self.request, req),
            can_reveal_identity=user.has_role(*REVEAL_ROLES),
        )
        return super().get_context_data(**kwargs)

    def _department_decided_in(self) -> int | None:
        """Right after a decision the file offers the way on — the next request, the queue — of the
        department the employee decided in. Read once, like the message saying what happened."""
        decided = self.request.session.pop(DECIDED_IN, None)
        if not decided or decided.get("receipt") != self.service_request.receipt_number:
            return None
        department_id = decided.get("department")
        return department_id if department_role(self.request.user, department_id) is not None else None


REVEAL_ROLES = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD)
REVEAL_SECONDS = 10 * 60


def identity_revealed(request, req) -> bool:
    """The full national ID shows for a few minutes after this user asked for it (and was recorded)."""
    asked_at = request.session.get(f"revealed:{req.receipt_number}")
    return asked_at is not None and time.time() - asked_at < REVEAL_SECONDS


class RevealIdentityView(RequestFileMixin, View):
    allowed_roles = REVEAL_ROLES

    def post(self, request, *args, **kwargs):
        service_request_reveal_identity(request_id=self.service_request.pk, actor=request.user)
        request.session[f"revealed:{self.service_request.receipt_number}"] = time.time()
        return redirect("office:request", self.service_request.receipt_number)


def _colleagues(department_id, req) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__department_id=department_id,
            role_assignments__is_active=True,
            is_active=True,
            role_assignments__role__in=[Role.BACKOFFICE, Role.DEPARTMENT_HEAD],
        )
        .exclude(pk=req.taken_by_id)
        .distinct()
        .order_by("full_name")
    )


ACTIONS = {
    "forward": lambda req, user, data: service_request_forward(
        request_id=req.pk, actor=user, note=data["note"], expected_version=data["version"]
    ),
    "return_to_previous": lambda req, user, data: service_request_return(
        request_id=req.pk, actor=user, reason=data["note"], expected_version=data["version"]
    ),
    "request_info": lambda req, user, data: service_request_request_info(
        request_id=req.pk,
        actor=user,
        documents=data["documents_asked"],
        note=data["note"],
        expected_version=data["version"],
    ),
    "approve": lambda req, user, data: service_request_approve(
        request_id=req.pk,
        actor=user,
        subject=data["subject"],
        terms=data["terms"],
        note=data["note"],
        expected_version=data["version"],
    ),
    "reject": lambda req, user, data: service_request_reject(
        request_id=req.pk, actor=user, legal_reason=data["note"], expected_version=data["version"]
    ),
    "issue": lambda req, user, data: service_request_issue(
        request_id=req.pk, actor=user, expected_version=data["version"]
    ),
}


# The session key that carries, to the next view of the file, the department a decision was taken in.
DECIDED_IN = "office:decided_in"


def decision_outcome(action: str, request: ServiceRequest) -> str:
    """What became of the request, in words: where it went, or what the decision set going."""
    if action == "forward":
        return _("Forwarded to %(department)s (step %(step)s of %(steps)s).") % {
            "department": request.current_step.department.name,
            "step": request.current_step.position,
            "steps": len(request.terms["route"]),
        }
    if action == "return_to_previous":
        return _("Returned to %(department)s for another look.") % {
            "department": request.current_step.department.name
        }
    if action == "request_info":
        asked = request_documents_asked(request_id=request.pk)
        return _(
            "Sent back to the citizen for documents (%(documents)s); the deadline clock stops until "
            "the window records them."
        ) % {"documents": join_names(in_language(d["name_ar"], d.get("name_en", "")) for d in asked)}
    if action == "approve":
        return _(
            "Approved; document %(number)s is issued. Mark it ready at the window when it is printed."
        ) % {"number": request.document.number}
    if action == "reject":
        return _("Rejected; the citizen receives the legal reason by text message.")
    return _("The output is ready at the window; the citizen is told by text message to collect it.")


def report_refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class ActionView(RequestFileMixin, View):
    allowed_roles = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD)

    def post(self, request, *args, **kwargs):
        action = self.kwargs["action"]
        run = ACTIONS.get(action)
        if run is None:
            raise Http404
        req = self.service_request
        own, others = document_choices(request=req) if action == "request_info" else ([], [])
        form = ActionForm(request.POST, service_documents=own, other_documents=others)
        file = reverse("office:request", args=[req.receipt_number])
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return redirect(file)
        # The department the decision is taken in: its queue is where the employee goes on from here.
        department_id = req.current_step.department_id if req.current_step else None
        try:
            done = run(req, request.user, {**form.cleaned_data, "documents_asked": form.documents_asked()})
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            report_refusal(request, exc)
        else:
            messages.success(request, decision_outcome(action, done))
            request.session[DECIDED_IN] = {"receipt": req.receipt_number, "department": department_id}
        return redirect(file)


class AssignView(RequestFileMixin, View):
    allowed_roles = (Role.DEPARTMENT_HEAD,)

    def post(self, request, *args, **kwargs):
        form = AssignForm(request.POST)
        if form.is_valid():
            assignee_id = form.cleaned_data["assignee"]
            assignee = User.objects.filter(pk=assignee_id).first() if assignee_id else None
            try:
                if assignee_id and assignee is None:
                    raise ValidationError(NOT_ASSIGNABLE)
                service_request_assign(
                    request_id=self.service_request.pk,
                    actor=request.user,
                    assignee=assignee,
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("Assignment saved."))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                report_refusal(request, exc)
        file = reverse("office:request", args=[self.service_request.receipt_number])
        return HttpResponseRedirect(safe_next(request, file))


class ScanView(RequestFileMixin, View):
    """Scans are streamed only to those who may open the request's file; they have no public URL."""

    def get(self, request, *args, **kwargs):
        document = next(
            (d for d in self.service_request.documents.all() if d.pk == self.kwargs["document"]), None
        )
        if document is None or not document.scan:
            raise Http404
        return FileResponse(document.scan.open("rb"), content_type=document.scan_content_type)
