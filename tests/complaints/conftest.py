import pytest

from accounts.models import Role
from tests.accounts.factories import staff
from tests.complaints.factories import ComplaintCategoryFactory, file


@pytest.fixture
def lighting(org):
    """Street lighting: the local unit's engineering department answers within 3 working days."""
    return ComplaintCategoryFactory(
        code="street-lighting",
        name_ar="إنارة الشوارع",
        name_en="Street lighting",
        department_type=org.bnh_eng.department_type,
        working_days=3,
    )


@pytest.fixture
def conduct(org):
    """Staff conduct: the center manager and the governorate only."""
    return ComplaintCategoryFactory(
        code="staff-conduct",
        name_ar="سلوك موظف",
        name_en="Staff conduct",
        department_type=None,
        confidential=True,
        working_days=5,
    )


@pytest.fixture
def people(org):
    from types import SimpleNamespace

    return SimpleNamespace(
        clerk=staff(Role.CLERK, center=org.bnh),
        eng=staff(Role.BACKOFFICE, department=org.bnh_eng),
        eng2=staff(Role.BACKOFFICE, department=org.bnh_eng),
        eng_head=staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
        legal=staff(Role.BACKOFFICE, department=org.bnh_legal),
        manager=staff(Role.CENTER_MANAGER, center=org.bnh),
        official=staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        hlp_eng=staff(Role.BACKOFFICE, department=org.hlp_eng),
        hlp_manager=staff(Role.CENTER_MANAGER, center=org.hlp),
        cai_official=staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        national=staff(Role.NATIONAL_VIEWER),
    )


@pytest.fixture
def complaint(lighting, org):
    return file(lighting, org.bnh)
