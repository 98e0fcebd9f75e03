import pytest

from accounts.models import Role
from documents.services import DocumentInput, document_issue
from tests.accounts.factories import staff

HOLDER_ID = "28506121401234"


def permit_input(org, **overrides) -> DocumentInput:
    values = {
        "kind": "PRM",
        "title_ar": "ترخيص بناء",
        "title_en": "Building permit",
        "holder_name": "سعيد عبد الرحمن محمود",
        "holder_national_id": HOLDER_ID,
        "subject": "قطعة الأرض رقم 14 بحوض الجنينة — شارع سعد زغلول، بنها",
        "terms": [("عدد الأدوار", "أرضي + 4 أدوار"), ("المساحة المرخص بها", "180 م²")],
        "valid_years": 3,
        "center": org.bnh,
        "local_unit": org.bnh.local_unit,
        "source_reference": "BNH-2026-000001",
    }
    values.update(overrides)
    return DocumentInput(**values)


@pytest.fixture
def issue(org):
    """``issue(**overrides)``: a building permit issued by the Benha center."""

    def make(**overrides):
        return document_issue(document=permit_input(org, **overrides), actor=None)

    return make


@pytest.fixture
def permit(issue):
    return issue()


@pytest.fixture
def manager(org):
    return staff(Role.CENTER_MANAGER, center=org.bnh)


@pytest.fixture
def official(org):
    return staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb)
