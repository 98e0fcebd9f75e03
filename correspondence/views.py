"""The registry's pages: an office's registers (by day, with search), registering a letter, the inbox
of letters delivered electronically, one letter's page with its thread and what the viewer may do, a
department's letters, and the late letters escalated to the viewer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_fsm import can_proceed

from accounts.authz import RoleRequiredMixin
from accounts.models import Role, RoleAssignment, User
from core.forms import service_errors_on_form
from core.http import form_errors_as_messages
from correspondence import services
from correspondence.exports import register_xlsx
from correspondence.forms import (
    AssignForm,
    DispatchForm,
    FileForm,
    LetterForm,
    RefuseForm,
    RegisterFilterForm,
    RouteForm,
)
from correspondence.models import Direction, Letter, LetterState
from correspondence.pdf import NotPrinted, letter_pdf
from correspondence.selectors import (
    READER_ROLES,
    RegisterFilters,
    department_letters,
    inbox,
    letter_escalations_for,
    letter_file,
    may_read,
    office_by_code,
    offices_kept_by,
    register_letters,
)
from correspondence.views_public import letter_check_url
from organisation.models import Department
from requests_app.services.workflow import department_role

ALL_LETTER_ROLES = (Role.REGISTRY_CLERK, *READER_ROLES)


class RegistryHomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = ALL_LETTER_ROLES
    template_name = "correspondence/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        departments = [a.department for a in user.assignments_for([Role.BACKOFFICE, Role.DEPARTMENT_HEAD])]
        return super().get_context_data(
            offices=offices_kept_by(user=user), departments=list(dict.fromkeys(departments)), **kwargs
        )


class OfficeMixin(RoleRequiredMixin):
    """A registry clerk at one of the offices they keep; another office is a 404."""

    allowed_roles = (Role.REGISTRY_CLERK,)

    @cached_property
    def office(self):
        office = office_by_code(user=self.request.user, code=self.kwargs["office"])
        if office is None:
            raise Http404
        return office

    def check_scope(self) -> None:
        self.office  # noqa: B018 — resolving it is the check

    def get_context_data(self, **kwargs):
        kwargs["office"] = self.office  # replaces the code captured from the URL
        return super().get_context_data(**kwargs)


def _direction(value: str) -> str:
    if value not in Direction.values:
        raise Http404
    return value


class RegisterView(OfficeMixin, TemplateView):
    """The register as a page (printable per day) or, with ?format=xlsx, as an Excel workbook."""

    template_name = "correspondence/register.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("format") != "xlsx":
            return self.render_to_response(context)
        title = f"{self.office.code}-{self.kwargs['direction']}"
        response = HttpResponse(
            register_xlsx(context["letters"], title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{title}.xlsx"'
        return response

    def get_context_data(self, **kwargs):
        direction = _direction(self.kwargs["direction"])
        form = RegisterFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        filters = RegisterFilters(
            day_from=data.get("day_from"),
            day_to=data.get("day_to"),
            text=data.get("text", ""),
            category_id=data.get("category"),
            state=data.get("state", ""),
        )
        kwargs.update(
            direction_label=Direction(direction).label,
            form=form,
            letters=register_letters(office=self.office, direction=direction, filters=filters)[:200],
        )
        return super().get_context_data(**kwargs)


class NewLetterView(OfficeMixin, FormView):
    template_name = "correspondence/new.html"
    form_class = LetterForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "office": self.office}

    def get_initial(self):
        return {"in_reply_to": self.request.GET.get("in_reply_to", "")[:40]}

    def get_context_data(self, **kwargs):
        direction = _direction(self.kwargs["direction"])
        return super().get_context_data(
            direction=direction, direction_label=Direction(direction).label, **kwargs
        )

    def form_valid(self, form):
        try:
            letter = services.letter_register(
                office=self.office,
                direction=_direction(self.kwargs["direction"]),
                data=form.letter_input(),
                clerk=self.request.user,
            )
        except ValidationError as error:
            service_errors_on_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Registered as %(number)s.") % {"number": letter.number})
        return redirect("letters:letter", letter.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InboxView(OfficeMixin, TemplateView):
    template_name = "correspondence/inbox.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(letters=inbox(office=self.office), refuse_form=RefuseForm(), **kwargs)


class LetterMixin(RoleRequiredMixin):
    allowed_roles = ALL_LETTER_ROLES

    @cached_property
    def letter(self) -> Letter:
        found = letter_file(user=self.request.user, pk=self.kwargs["pk"])
        if found is None:
            raise Http404
        return found

    def check_scope(self) -> None:
        self.letter  # noqa: B018 — resolving it is the check


class LetterView(LetterMixin, TemplateView):
    template_name = "correspondence/letter.html"

    def get_context_data(self, **kwargs):
        letter, user = self.letter, self.request.user
        readable = may_read(user, letter)
        if readable and letter.is_confidential:
            services.letter_view_record(letter=letter, reader=user)
        clerk = services.is_registry_clerk(user, services.office_of(letter))
        head = (
            bool(letter.department_id) and department_role(user, letter.department_id) == Role.DEPARTMENT_HEAD
        )
        staff = bool(letter.department_id) and department_role(user, letter.department_id) is not None
        return super().get_context_data(
            letter=letter,
            readable=readable,
            can_accept=clerk and letter.state == LetterState.PENDING,
            can_route=clerk and letter.local_unit_id is not None and can_proceed(letter.route),
            can_assign=head and can_proceed(letter.assign),
            can_file=(clerk or staff) and can_proceed(letter.file),
            can_dispatch=clerk and can_proceed(letter.dispatch),
            can_print=clerk and letter.state in (LetterState.AWAITING_DISPATCH, LetterState.DISPATCHED),
            can_reply=clerk and letter.direction == Direction.INCOMING and letter.number is not None,
            route_form=RouteForm(local_unit_id=letter.local_unit_id),
            assign_form=AssignForm(assignees=_department_staff(letter.department_id)) if head else None,
            refuse_form=RefuseForm(),
            dispatch_form=DispatchForm(),
            file_form=FileForm(),
            **kwargs,
        )


def _department_staff(department_id: int | None) -> list[User]:
    assignments = RoleAssignment.objects.filter(
        department_id=department_id, is_active=True, role__in=[Role.BACKOFFICE, Role.DEPARTMENT_HEAD]
    ).select_related("user")
    return list(dict.fromkeys(a.user for a in assignments))


class LetterPrintView(LetterMixin, View):
    """The printed letter (Arabic PDF with the QR of its public check) of a letter sent on paper."""

    def get(self, request, pk):
        if not services.is_registry_clerk(request.user, services.office_of(self.letter)):
            raise PermissionDenied
        try:
            content = letter_pdf(self.letter, letter_check_url(request, self.letter))
        except NotPrinted as refused:
            raise Http404 from refused
        return HttpResponse(content, content_type="application/pdf")


class AttachmentView(LetterMixin, View):
    """Scans are streamed only to those who may read the letter; they have no public URL."""

    def get(self, request, pk, position):
        attachment = next((a for a in self.letter.attachments.all() if a.position == position), None)
        if attachment is None or not may_read(request.user, self.letter):
            raise Http404
        if self.letter.is_confidential:
            services.letter_view_record(letter=self.letter, reader=request.user)
        return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


class LetterActView(LetterMixin, View):
    def post(self, request, pk, action):
        handler = getattr(self, f"act_{action}", None)
        if handler is None:
            raise Http404
        try:
            done = handler(self.letter, request.user, request.POST)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if done:
                messages.success(request, done)
        return redirect("letters:letter", self.letter.pk)

    def _form(self, form):
        if form.is_valid():
            return form.cleaned_data
        form_errors_as_messages(self.request, form)
        return None

    def act_accept(self, letter, user, data):
        accepted = services.letter_accept(letter_id=letter.pk, clerk=user)
        return _("Accepted and registered as %(number)s.") % {"number": accepted.number}

    def act_refuse(self, letter, user, data):
        cleaned = self._form(RefuseForm(data))
        if cleaned:
            services.letter_refuse(letter_id=letter.pk, clerk=user, reason=cleaned["reason"])
            return _("Sent back to the sender.")
        return None

    def act_route(self, letter, user, data):
        cleaned = self._form(RouteForm(data, local_unit_id=letter.local_unit_id))
        if cleaned:
            department = Department.objects.get(pk=cleaned["department"])
            services.letter_route(
                letter_id=letter.pk, clerk=user, department=department, instructions=cleaned["instructions"]
            )
            return _("Routed to %(department)s.") % {"department": department.name}
        return None

    def act_assign(self, letter, user, data):
        cleaned = self._form(AssignForm(data, assignees=_department_staff(letter.department_id)))
        if cleaned:
            assignee = User.objects.get(pk=cleaned["assignee"])
            services.letter_assign(letter_id=letter.pk, head=user, assignee=assignee)
            return _("Assigned to %(name)s.") % {"name": assignee}
        return None

    def act_file(self, letter, user, data):
        cleaned = self._form(FileForm(data))
        if cleaned is not None:
            services.letter_file(letter_id=letter.pk, actor=user, note=cleaned["note"])
            return _("Filed.")
        return None

    def act_dispatch(self, letter, user, data):
        cleaned = self._form(DispatchForm(data))
        if cleaned:
            services.letter_dispatch(letter_id=letter.pk, clerk=user, method=cleaned["method"])
            return _("Recorded as sent.")
        return None


class DepartmentLettersView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD)
    template_name = "correspondence/department.html"

    def check_scope(self) -> None:
        if department_role(self.request.user, self.kwargs["pk"]) is None:
            raise Http404

    def get_context_data(self, **kwargs):
        department = Department.objects.select_related("department_type", "local_unit").get(
            pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            department=department, letters=department_letters(department_id=department.pk), **kwargs
        )


class EscalationsView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)
    template_name = "correspondence/escalations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(escalations=letter_escalations_for(user=self.request.user), **kwargs)
