"""Where things sit in the organisation, and which places a role assignment reaches.

Every object a staff member may touch can say where it sits (``org_place()``) and every queryset can
name the fields that say it (``OrgPaths``). One rule per kind of assignment answers both questions,
so a single object check and a queue filter can never disagree.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class OrgPlace:
    governorate_id: int | None = None
    local_unit_id: int | None = None
    center_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class OrgPaths:
    """ORM lookups from a model to the organisation ids of its rows (None: the model has no such link)."""

    governorate: str | None = None
    local_unit: str | None = None
    center: str | None = None
    department: str | None = None


NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    """The reach of one role assignment. Exactly one of the ids is the anchor; none means national."""

    governorate_id: int | None = None
    center_id: int | None = None
    center_local_unit_id: int | None = None  # a center manager also oversees its local unit's departments
    department_id: int | None = None

    def covers(self, place: OrgPlace) -> bool:
        if self.department_id is not None:
            return place.department_id == self.department_id
        if self.center_id is not None:
            if place.center_id == self.center_id:
                return True
            return (
                self.center_local_unit_id is not None
                and place.department_id is not None
                and place.local_unit_id == self.center_local_unit_id
            )
        if self.governorate_id is not None:
            return place.governorate_id == self.governorate_id
        return True

    def as_q(self, paths: OrgPaths) -> Q:
        if self.department_id is not None:
            return Q(**{paths.department: self.department_id}) if paths.department else NOTHING
        if self.center_id is not None:
            q = Q(**{paths.center: self.center_id}) if paths.center else NOTHING
            if self.center_local_unit_id is not None and paths.department and paths.local_unit:
                q |= Q(**{paths.local_unit: self.center_local_unit_id, f"{paths.department}__isnull": False})
            return q
        if self.governorate_id is not None:
            return Q(**{paths.governorate: self.governorate_id}) if paths.governorate else NOTHING
        return Q()
