import copy
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.loading import ReferenceDataError, read_yaml
from organisation.services import organisation_load_reference
from services.models import Category, DocumentType, FeeItem, RouteStep, Service, ServiceDocument
from services.services import DATA_DIR, catalog_load, catalog_load_reference

pytestmark = pytest.mark.django_db

MODELS = (Category, DocumentType, Service, FeeItem, ServiceDocument, RouteStep)


def counts():
    return [m.objects.count() for m in MODELS]


@pytest.fixture
def departments(db):
    organisation_load_reference()


@pytest.fixture
def reference():
    return read_yaml(DATA_DIR / "catalog.yaml"), read_yaml(DATA_DIR / "documents.yaml")


def test_every_reference_service_is_loaded_with_route_fees_and_documents(departments, reference):
    catalog_load_reference()
    catalog, _ = reference
    assert Service.objects.count() == len(catalog["services"]) == 53
    for entry in catalog["services"]:
        service = Service.objects.get(code=entry["code"])
        assert service.name_ar == entry["name_ar"]
        assert service.legal_deadline_days == entry["sla_days"]
        assert service.category.code == entry["category"]
        assert [[s.department_type.code, s.working_days] for s in service.route_steps.all()] == entry["route"]
        assert [(f.name_ar, f.amount) for f in service.fee_items.all()] == [
            (f["item"], Decimal(str(f["amount"]))) for f in entry["fees"]
        ]
        required = [d.document_type.code for d in service.documents.all() if d.is_required]
        optional = [d.document_type.code for d in service.documents.all() if not d.is_required]
        assert required == entry["documents"]
        assert optional == entry.get("optional_documents", [])
        assert service.output_verifiable == entry["output"]["verifiable"]
        assert service.output_kind == entry["output"]["kind"]


def test_loading_twice_writes_nothing(departments):
    catalog_load_reference()
    before = counts()
    history_before = Service.history.count() + FeeItem.history.count()
    report = catalog_load_reference()
    assert report.changed == 0
    assert counts() == before
    assert Service.history.count() + FeeItem.history.count() == history_before


def test_reload_brings_an_edited_service_back_and_drops_extra_rows(departments, reference):
    catalog_load_reference()
    service = Service.objects.get(code="BLD-NEW")
    FeeItem.objects.create(service=service, position=9, name_ar="رسم زائد", amount=1)
    service.fee_items.filter(position=1).update(amount=1)
    report = catalog_load_reference()
    assert report.counts[(FeeItem, "deleted")] == 1
    assert report.counts[(FeeItem, "updated")] == 1
    assert [f.amount for f in service.fee_items.all()] == [
        Decimal("1000.00"),
        Decimal("2500.00"),
        Decimal("1500.00"),
    ]


def break_service(data, index, **changes):
    data["services"][index].update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"route": [["NOPE", 5]]}, r"service \S+: unknown department 'NOPE'"),
        ({"category": "NOPE"}, "unknown category 'NOPE'"),
        ({"documents": ["NID", "NOPE"]}, "unknown document 'NOPE'"),
        ({"documents": ["NID", "NID"]}, "listed twice"),
        ({"fees": [{"item": "رسم", "amount": "abc"}]}, "amount is not a number"),
        ({"fees": [{"item": "رسم", "amount": -5}]}, "fee #1"),
        ({"sla_days": 99}, "add up to"),
        ({"sla_days": "ten"}, "'sla_days' has the wrong type"),
        ({"name_ar": None}, "missing 'name_ar'"),
        ({"code": "bad code"}, "service bad code: code"),
        ({"route": []}, "at least one step"),
        ({"route": [["ENG"]]}, "expected \\[department code, working days\\]"),
        ({"output": {"name_ar": "ترخيص", "kind": "XYZ"}}, "kind 'XYZ' is not one of PRM"),
        ({"output": {"name_ar": "ترخيص"}}, "output: missing 'kind'"),
        ({"output": {"name_ar": "ترخيص", "kind": "PRM", "valid_years": 500}}, "output_valid_years"),
    ],
)
def test_malformed_record_is_named_and_refused(departments, reference, changes, message):
    catalog, documents = copy.deepcopy(reference)
    with pytest.raises(ReferenceDataError, match=message):
        catalog_load(catalog=break_service(catalog, 0, **changes), document_types=documents)
    assert counts() == [0] * len(MODELS)


def test_an_error_in_the_last_service_leaves_nothing_half_loaded(departments, reference):
    catalog, documents = copy.deepcopy(reference)
    with pytest.raises(
        ReferenceDataError, match=rf"service {catalog['services'][-1]['code']}: unknown department"
    ):
        catalog_load(catalog=break_service(catalog, -1, route=[["NOPE", 1]]), document_types=documents)
    assert counts() == [0] * len(MODELS)


def test_command_loads_and_reports(departments, capsys):
    call_command("load_catalog")
    assert ": 53 created, 0 updated" in capsys.readouterr().out


def test_command_refuses_a_broken_file_and_changes_nothing(departments, tmp_path):
    broken = tmp_path / "catalog.yaml"
    broken.write_text(
        "categories: [{code: BLD, name_ar: x}]\nservices: [{code: X, category: BLD}", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_catalog", catalog=broken)
    assert counts() == [0] * len(MODELS)


def test_catalog_without_departments_names_the_missing_department(db):
    with pytest.raises(ReferenceDataError, match="unknown department 'ENG'"):
        catalog_load_reference()
