"""Organisation pages: each role sees the part of the organisation it is responsible for."""

from django.views.generic import DetailView, ListView

from accounts.authz import RoleRequiredMixin, ScopedObjectMixin, can
from accounts.models import Role
from accounts.selectors import governorate_centers, governorates_overview, local_unit_departments, staff_of
from organisation.models import Center, Department, Governorate
from organisation.places import OrgPaths

OVERSIGHT = (Role.GOVERNORATE_OFFICIAL, Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)
CENTER_READERS = (Role.CLERK, Role.CENTER_MANAGER, *OVERSIGHT)
DEPARTMENT_READERS = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, *OVERSIGHT)


class GovernorateListView(RoleRequiredMixin, ListView):
    allowed_roles = (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)
    template_name = "organisation/governorate_list.html"
    context_object_name = "governorates"

    def get_queryset(self):
        return governorates_overview()


class GovernorateDetailView(ScopedObjectMixin, DetailView):
    allowed_roles = OVERSIGHT
    scope_paths = OrgPaths(governorate="pk")
    model = Governorate
    slug_field = slug_url_kwarg = "code"
    template_name = "organisation/governorate_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(centers=governorate_centers(governorate=self.object), **kwargs)


class CenterDetailView(ScopedObjectMixin, DetailView):
    allowed_roles = CENTER_READERS
    scope_paths = OrgPaths(governorate="governorate", local_unit="local_unit", center="pk")
    model = Center
    slug_field = slug_url_kwarg = "code"
    template_name = "organisation/center_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("governorate", "local_unit")

    def get_context_data(self, **kwargs):
        user = self.request.user
        departments = [
            (d, can(user, DEPARTMENT_READERS, d.org_place()))
            for d in local_unit_departments(local_unit=self.object.local_unit)
        ]
        return super().get_context_data(
            staff=staff_of(center=self.object),
            departments=departments,
            can_see_governorate=can(user, OVERSIGHT, self.object.governorate.org_place()),
            **kwargs,
        )


class DepartmentDetailView(ScopedObjectMixin, DetailView):
    allowed_roles = DEPARTMENT_READERS
    scope_paths = OrgPaths(governorate="local_unit__governorate", local_unit="local_unit", department="pk")
    model = Department
    template_name = "organisation/department_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("department_type", "local_unit__governorate")

    def get_context_data(self, **kwargs):
        return super().get_context_data(staff=staff_of(department=self.object), **kwargs)
