from types import SimpleNamespace

import pytest

from accounts.models import Role
from correspondence.services import Office
from tests.accounts.factories import staff
from tests.correspondence.factories import LetterCategoryFactory, OutsideBodyFactory
from tests.organisation.factories import LocalUnitFactory


@pytest.fixture
def offices(org):
    """Benha and Qalyub (two local units of Qalyubia), Qalyubia's own office, and Heliopolis (Cairo)."""
    qly = LocalUnitFactory(governorate=org.qlb, code="QLY", name_ar="مركز ومدينة قليوب")
    return SimpleNamespace(
        bnh=Office(org.qlb, org.bnh.local_unit),
        qly=Office(org.qlb, qly),
        qlb=Office(org.qlb),
        hlp=Office(org.cai, org.hlp.local_unit),
    )


@pytest.fixture
def clerks(offices):
    return SimpleNamespace(
        bnh=staff(Role.REGISTRY_CLERK, local_unit=offices.bnh.local_unit),
        qly=staff(Role.REGISTRY_CLERK, local_unit=offices.qly.local_unit),
        qlb=staff(Role.REGISTRY_CLERK, governorate=offices.qlb.governorate),
        hlp=staff(Role.REGISTRY_CLERK, local_unit=offices.hlp.local_unit),
    )


@pytest.fixture
def engineering():
    return LetterCategoryFactory(code="engineering", name_ar="هندسية")


@pytest.fixture
def ministry():
    return OutsideBodyFactory(name_ar="وزارة التنمية المحلية")
