from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import OVERSIGHT_ROLES, Role

# Who reads complaints (complaints.selectors.STAFF_ROLES: this layer cannot import it).
COMPLAINT_ROLES = (*OVERSIGHT_ROLES, Role.BACKOFFICE, Role.DEPARTMENT_HEAD)


def navigation(request) -> dict:
    """Each role sees its own work: one link per active role assignment, plus the public pages."""
    items = [
        (_("Service catalog"), reverse("services:catalog")),
        (_("Track a request"), reverse("track:lookup")),
        (_("Verify a document"), reverse("verify:lookup")),
        (_("File a complaint"), reverse("complaints:new")),
        (_("Transparency"), reverse("transparency:index")),
    ]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": items}
    items.append((_("My work"), reverse("staff:home")))
    for assignment in user.active_assignments:
        link = work_link(assignment)
        if link and link not in items:
            items.append(link)
    if user.has_role(Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL):
        items.append((_("Escalated to me"), reverse("office:escalations")))
    if user.has_role(*COMPLAINT_ROLES):
        items.append((_("Complaints"), reverse("complaints:list")))
    if user.has_role(Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL):
        items.append((_("Complaints escalated to me"), reverse("complaints:escalations")))
    for link in dashboard_links(user):
        if link not in items:
            items.append(link)
    if user.has_role(*OVERSIGHT_ROLES):
        items.append((_("Issued documents"), reverse("documents:list")))
        items.append((_("Hall figures"), reverse("reports:hall")))
        items.append((_("Exports"), reverse("reports:exports")))
    return {"nav_items": items}


def dashboard_links(user) -> list[tuple[str, str]]:
    """The dashboard of each place the user oversees: a governorate's, a center's, the national view, a
    department's (for its head)."""
    links = []
    for assignment in user.active_assignments:
        if assignment.role == Role.GOVERNORATE_OFFICIAL:
            url = f"{reverse('reports:dashboard')}?governorate={assignment.governorate.code}"
            name = assignment.governorate.name
        elif assignment.role == Role.CENTER_MANAGER:
            url, name = (
                reverse("reports:dashboard_center", args=[assignment.center.code]),
                assignment.center.name,
            )
        elif assignment.role in (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR):
            url, name = reverse("reports:dashboard_national"), _("All governorates")
        elif assignment.role == Role.DEPARTMENT_HEAD:
            url = reverse("reports:dashboard_department", args=[assignment.department_id])
            name = str(assignment.department)
        else:
            continue
        link = (_("Dashboard — %(place)s") % {"place": name}, url)
        if link not in links:
            links.append(link)
    return links


def work_link(assignment) -> tuple[str, str] | None:
    role = assignment.role
    if role == Role.CLERK:
        return (
            _("Front window — %(center)s") % {"center": assignment.center.name},
            reverse("window:home", args=[assignment.center.code]),
        )
    if role == Role.CENTER_MANAGER:
        return (assignment.center.name, reverse("org:center", args=[assignment.center.code]))
    if role in (Role.BACKOFFICE, Role.DEPARTMENT_HEAD):
        return (
            _("Queue — %(department)s") % {"department": assignment.department.name},
            reverse("office:queue", args=[assignment.department_id]),
        )
    if role == Role.GOVERNORATE_OFFICIAL:
        return (
            assignment.governorate.name,
            reverse("org:governorate", args=[assignment.governorate.code]),
        )
    if role == Role.NATIONAL_VIEWER:
        return (_("All governorates"), reverse("org:governorates"))
    if role == Role.ADMINISTRATOR:
        return (_("Administration"), reverse("admin:index"))
    if role == Role.REGISTRY_CLERK:
        return (_("Incoming and outgoing letters"), reverse("letters:home"))
    return None
