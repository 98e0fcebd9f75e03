"""The one authorization mechanism every staff view uses: role, then scope.

- ``RoleRequiredMixin``: anonymous → login page; a user without any of ``allowed_roles`` → 403.
- ``ScopedObjectMixin``: the object is looked up only among those the user's matching assignments
  reach (``scope_q``), so an object outside the user's scope is a 404 — editing a URL reveals nothing.
"""

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from accounts.models import Role, User
from accounts.scope import NOTHING
from organisation.models import Center
from organisation.places import OrgPaths, OrgPlace


def can(user: User, roles: Iterable[Role], place: OrgPlace) -> bool:
    if not user.is_authenticated:
        return False
    return any(a.rule.covers(place) for a in user.assignments_for(roles))


def scope_q(user: User, roles: Iterable[Role], paths: OrgPaths) -> Q:
    """A filter keeping only rows the user reaches through one of ``roles``."""
    if not user.is_authenticated:
        return NOTHING
    query = NOTHING
    for assignment in user.assignments_for(roles):
        rule_q = assignment.rule.as_q(paths)
        if not rule_q:  # a national assignment reaches everything
            return Q()
        query |= rule_q
    return query


class RoleRequiredMixin(LoginRequiredMixin):
    allowed_roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.allowed_roles):
            raise PermissionDenied
        self.check_scope()
        return super().dispatch(request, *args, **kwargs)

    def check_scope(self) -> None:
        """Raise Http404 when the URL names a place outside the user's scope (views with one override)."""


class ScopedObjectMixin(RoleRequiredMixin):
    """For DetailView-like views: ``scope_paths`` names the model's organisation fields."""

    scope_paths: OrgPaths

    def get_queryset(self):
        return super().get_queryset().filter(scope_q(self.request.user, self.allowed_roles, self.scope_paths))


CENTER_PATHS = OrgPaths(governorate="governorate", local_unit="local_unit", center="pk")


class WindowMixin(RoleRequiredMixin):
    """A clerk working at one of their centers; another center's window is a 404."""

    allowed_roles = (Role.CLERK,)

    @cached_property
    def center(self) -> Center:
        centers = Center.objects.filter(scope_q(self.request.user, self.allowed_roles, CENTER_PATHS))
        return get_object_or_404(centers.select_related("governorate"), code=self.kwargs["center"])

    def check_scope(self) -> None:
        self.center  # noqa: B018 — resolving it is the check: another center's window is a 404

    def get_context_data(self, **kwargs):
        kwargs["center"] = self.center  # replaces the code captured from the URL
        return super().get_context_data(**kwargs)
