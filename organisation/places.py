"""Where things sit in the organisation.

Every object a staff member may touch can say where it sits (``org_place()``) and every queryset can
name the fields that say it (``OrgPaths``); ``accounts.scope`` decides which places a role reaches.
"""

from dataclasses import dataclass


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
