"""The catalog is fully editable in the (Arabic) Django admin, with inlines."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from services.models import RouteStep
from tests.accounts.factories import UserFactory, staff
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return client


def inline_data(service):
    """The change form's POST data for ``service`` as it stands."""
    data = {
        "code": service.code,
        "category": service.category_id,
        "name_ar": service.name_ar,
        "name_en": service.name_en,
        "is_active": "on",
        "legal_deadline_days": service.legal_deadline_days,
        "output_name_ar": service.output_name_ar,
        "output_kind": service.output_kind,
        "output_verifiable": "on",
        "output_valid_years": service.output_valid_years,
    }
    for prefix, rows, fields in [
        ("fee_items", service.fee_items.all(), ("position", "name_ar", "name_en", "amount")),
        ("documents", service.documents.all(), ("position", "document_type", "is_required")),
        ("route_steps", service.route_steps.all(), ("position", "department_type", "working_days")),
    ]:
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-service"] = service.pk
            for field in fields:
                value = getattr(row, row._meta.get_field(field).attname)
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{field}"] = "on"
                    continue
                data[f"{prefix}-{i}-{field}"] = value
    return data


def test_admin_is_arabic_and_lists_services(admin_client):
    ServiceFactory(code="BLD-NEW", name_ar="ترخيص بناء جديد")
    response = admin_client.get(reverse("admin:services_service_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "ترخيص بناء جديد" in html


def test_change_page_has_fee_document_and_route_inlines(admin_client):
    service = ServiceFactory()
    html = admin_client.get(reverse("admin:services_service_change", args=[service.pk])).content.decode()
    for prefix in ("fee_items", "documents", "route_steps"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html


def test_route_days_must_add_up_to_the_deadline(admin_client):
    service = ServiceFactory()  # route 5 + 5 = 10 days
    url = reverse("admin:services_service_change", args=[service.pk])
    response = admin_client.post(url, inline_data(service) | {"route_steps-0-working_days": 9})
    assert response.status_code == 200
    assert "مجموع أيام مراحل الدراسة 14 يوم عمل" in response.content.decode()
    assert list(RouteStep.objects.filter(service=service).values_list("working_days", flat=True)) == [5, 5]


def test_editing_a_fee_in_admin_saves_and_records_history(admin_client):
    service = ServiceFactory()
    url = reverse("admin:services_service_change", args=[service.pk])
    data = inline_data(service) | {"fee_items-0-amount": "175.00", "legal_deadline_days": 10}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert service.fee_items.get(position=1).amount == 175
    assert service.fee_items.get(position=1).history.count() == 2


@pytest.mark.parametrize("role", [Role.CLERK, Role.CENTER_MANAGER])
def test_other_staff_cannot_open_the_admin(client, org, role):
    client.force_login(staff(role, center=org.bnh))
    response = client.get(reverse("admin:services_service_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_every_admin_page_opens(admin_client, org):
    from django.contrib import admin

    ServiceFactory()
    ours = [m for m in admin.site._registry if m._meta.app_label in {"accounts", "organisation", "services"}]
    assert len(ours) == 11
    for model in ours:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200, prefix
        assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200, prefix
        first = model.objects.first()
        if first is not None:
            assert admin_client.get(reverse(f"{prefix}_change", args=[first.pk])).status_code == 200, prefix
