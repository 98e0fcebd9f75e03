"""Which places of the organisation a role assignment reaches.

One rule per kind of assignment answers both "may this user touch this object?" (``covers``, with the
object's ``org_place()``) and "which rows may this user see?" (``as_q``, with the model's ``OrgPaths``),
so a single object check and a queue filter can never disagree.
"""

from dataclasses import dataclass

from django.db.models import Q

from organisation.places import OrgPaths, OrgPlace

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    """The reach of one role assignment. Exactly one of the ids is the anchor; none means national."""

    governorate_id: int | None = None
    center_id: int | None = None
    center_local_unit_id: int | None = None  # a center manager also oversees its local unit's departments
    department_id: int | None = None
    local_unit_id: int | None = None  # a local unit's office (its registry)
    governorate_office: bool = False  # with governorate_id: the governorate's own office only

    def covers(self, place: OrgPlace) -> bool:
        if self.department_id is not None:
            return place.department_id == self.department_id
        if self.local_unit_id is not None:
            return place.local_unit_id == self.local_unit_id and place.center_id is None
        if self.governorate_office:
            return place.governorate_id == self.governorate_id and place.local_unit_id is None
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
        if self.local_unit_id is not None:
            return Q(**{paths.local_unit: self.local_unit_id}) if paths.local_unit else NOTHING
        if self.governorate_office:
            if not (paths.governorate and paths.local_unit):
                return NOTHING
            return Q(**{paths.governorate: self.governorate_id, f"{paths.local_unit}__isnull": True})
        if self.center_id is not None:
            q = Q(**{paths.center: self.center_id}) if paths.center else NOTHING
            if self.center_local_unit_id is not None and paths.department and paths.local_unit:
                q |= Q(**{paths.local_unit: self.center_local_unit_id, f"{paths.department}__isnull": False})
            return q
        if self.governorate_id is not None:
            return Q(**{paths.governorate: self.governorate_id}) if paths.governorate else NOTHING
        return Q()
