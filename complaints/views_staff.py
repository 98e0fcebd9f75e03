"""The staff's complaint pages: the list (a department's queue, a center's or a governorate's
complaints, within the viewer's scope), one complaint's file with what the viewer may do, and the
complaints escalated to them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.authz import RoleRequiredMixin
from accounts.models import OVERSIGHT_ROLES, Role, User
from backoffice.selectors import working_days_left
from complaints import services
from complaints.forms import AnswerForm, AssignForm, MergeForm, NoteForm, RejectForm, StaffFilterForm
from complaints.models import Complaint
from complaints.selectors import (
    HANDLING_ROLES,
    STAFF_ROLES,
    ComplaintFilters,
    complaint_actions,
    complaint_assignees,
    complaint_escalations_for,
    complaint_for_staff,
    complaint_list,
    complaints_visible,
    possible_duplicates,
    response_templates,
)
from core.http import form_errors_as_messages, query_without_page
from organisation.calendar import WorkCalendar


class ComplaintListView(RoleRequiredMixin, TemplateView):
    allowed_roles = STAFF_ROLES
    template_name = "complaints/list.html"

    def get_context_data(self, **kwargs):
        form = StaffFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        filters = ComplaintFilters(
            state=data.get("state") or "open",
            urgency=data.get("urgency", ""),
            assigned=data.get("assigned", ""),
            number=data.get("number", ""),
        )
        page = Paginator(complaint_list(user=self.request.user, filters=filters), 25).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            page=page,
            query=query_without_page(self.request),
            shows_figures=self.request.user.has_role(*OVERSIGHT_ROLES),
            **kwargs,
        )


class ComplaintMixin(RoleRequiredMixin):
    allowed_roles = STAFF_ROLES

    @cached_property
    def complaint(self) -> Complaint:
        found = complaint_for_staff(user=self.request.user, number=self.kwargs["number"])
        if found is None:
            raise Http404  # outside the viewer's scope reads the same as not existing
        return found

    def check_scope(self) -> None:
        self.complaint  # noqa: B018 — resolving it is the check


class ComplaintFileView(ComplaintMixin, TemplateView):
    template_name = "complaints/file.html"

    def get_context_data(self, **kwargs):
        complaint, user = self.complaint, self.request.user
        actions = complaint_actions(complaint=complaint, user=user)
        templates = response_templates(complaint=complaint) if actions["resolve"] else []
        return super().get_context_data(
            complaint=complaint,
            actions=actions,
            days_left=working_days_left(complaint.due_at, WorkCalendar(complaint.center))
            if complaint.is_open
            else None,
            duplicates=possible_duplicates(complaint=complaint) if complaint.is_open else [],
            assign_form=AssignForm(assignees=complaint_assignees(complaint=complaint))
            if actions["assign"]
            else None,
            answer_form=AnswerForm(),
            reject_form=RejectForm(),
            note_form=NoteForm(),
            merge_form=MergeForm(),
            reply_templates=templates,
            **kwargs,
        )


class ComplaintActView(ComplaintMixin, View):
    """Every staff action on a complaint: the service checks who may; a refusal shows on the file."""

    def post(self, request, number, action):
        complaint, user = self.complaint, request.user
        handler = getattr(self, f"act_{action}", None)
        if handler is None:
            raise Http404
        try:
            done = handler(complaint, user, request.POST)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if done:
                messages.success(request, done)
        return redirect("complaints:file", complaint.number)

    def _form(self, form) -> dict | None:
        if form.is_valid():
            return form.cleaned_data
        form_errors_as_messages(self.request, form)
        return None

    def _version(self, data) -> int | None:
        version = data.get("version", "")
        return int(version) if version.isdigit() else None

    def act_assign(self, complaint, user, data):
        cleaned = self._form(AssignForm(data, assignees=complaint_assignees(complaint=complaint)))
        if cleaned is None:
            return None
        assignee = User.objects.get(pk=cleaned["assignee"])
        services.complaint_assign(
            complaint_id=complaint.pk, actor=user, assignee=assignee, expected_version=self._version(data)
        )
        return _("Assigned to %(name)s.") % {"name": assignee}

    def act_take(self, complaint, user, data):
        services.complaint_assign(
            complaint_id=complaint.pk, actor=user, assignee=user, expected_version=self._version(data)
        )
        return _("The complaint is yours now.")

    def act_start(self, complaint, user, data):
        services.complaint_start(complaint_id=complaint.pk, actor=user, expected_version=self._version(data))
        return _("Work on the complaint has started.")

    def act_resolve(self, complaint, user, data):
        cleaned = self._form(AnswerForm(data))
        if cleaned is None:
            return None
        services.complaint_resolve(
            complaint_id=complaint.pk, actor=user, expected_version=self._version(data), **cleaned
        )
        return _("The complaint is answered; the complainant is told by text message.")

    def act_reject(self, complaint, user, data):
        cleaned = self._form(RejectForm(data))
        if cleaned is None:
            return None
        services.complaint_reject(
            complaint_id=complaint.pk, actor=user, expected_version=self._version(data), **cleaned
        )
        return _("The complaint is rejected; the complainant is told why.")

    def act_note(self, complaint, user, data):
        if not user.has_role(*HANDLING_ROLES):
            raise PermissionDenied
        cleaned = self._form(NoteForm(data))
        if cleaned is None:
            return None
        services.complaint_note(complaint_id=complaint.pk, actor=user, note=cleaned["note"])
        return _("Note added.")

    def act_merge(self, complaint, user, data):
        cleaned = self._form(MergeForm(data))
        if cleaned is None:
            return None
        into = complaints_visible(user=user).filter(number=cleaned["into"].strip().upper()).first()
        if into is None:
            raise ValidationError(_("No complaint you handle has this number."))
        services.complaint_merge(complaint_id=complaint.pk, into_id=into.pk, actor=user)
        return _("Merged into %(number)s; its complainant will be told of the answer.") % {
            "number": into.number
        }


class EscalationsView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)
    template_name = "complaints/escalations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            escalations=complaint_escalations_for(user=self.request.user), **kwargs
        )
