"""Presentation rules every page keeps (issue 12, defect 11): one money format, codes and numbers kept
left-to-right inline (never a whole right-aligned cell turned left), free text in its own direction."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from core.money import money
from services.models import FeeItem
from tests.services.factories import ServiceFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def clerk(org):
    from accounts.models import Role
    from tests.accounts.factories import staff

    return staff(Role.CLERK, center=org.bnh)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_one_money_format_in_both_languages(language):
    with translation.override(language):
        assert money(Decimal("1000")) == "1,000.00"
        assert money("1500.5") == "1,500.50"
        assert money(0) == "0.00"


def test_no_table_or_list_cell_is_turned_left_to_right_as_a_block():
    """A code in a right-aligned column sits in <bdi dir="ltr">, so it keeps the column's alignment."""
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.findall(r'<(?:td|th|dd|dt|li)\b[^>]*\bdir="ltr"[^>]*>', path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_amounts_read_the_same_on_the_catalog_the_service_page_and_the_intake(client, org, clerk):
    service = ServiceFactory(code="BLD-NEW", name_ar="ترخيص بناء جديد")
    FeeItem.objects.create(
        service=service, position=3, name_ar="تأمين", name_en="Deposit", amount=Decimal("1500")
    )
    catalog = client.get(reverse("services:catalog")).content.decode()
    detail = client.get(reverse("services:detail", args=[service.code])).content.decode()
    client.force_login(clerk)
    intake = client.get(reverse("window:intake", args=["BNH", service.code])).content.decode()
    assert "2,000.50" in catalog and "2,000.50" in detail and "2,000.50" in intake
    assert "1,500.00" in detail and "1,500.00" in intake
    for html in (catalog, detail, intake):
        assert "2000.50" not in html and "1500.00" not in html


@pytest.mark.django_db
def test_free_text_fields_follow_their_own_direction(client, org, clerk):
    service = ServiceFactory(code="BLD-NEW")
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("window:intake", args=["BNH", service.code])).content.decode()
    for name in ("applicant_name_ar", "applicant_address", "attorney_name_ar"):
        assert re.search(
            rf'<input[^>]*name="{name}"[^>]*dir="auto"|<input[^>]*dir="auto"[^>]*name="{name}"', html
        )
