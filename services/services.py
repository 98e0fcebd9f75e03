from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from core.loading import LoadReport, Record, ReferenceDataError, delete_rows, read_yaml, records, sync_row
from organisation.models import DepartmentType
from services.models import Category, DocumentType, FeeItem, OutputKind, RouteStep, Service, ServiceDocument

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def catalog_load(*, catalog: dict, document_types: list) -> LoadReport:
    """Bring the catalog in line with reference data: categories, document types, services with
    their fees, documents and route. Idempotent; one transaction; an error names the record.

    Department types must exist already (``organisation_load``)."""
    report = LoadReport()
    if not isinstance(catalog, dict):
        raise ReferenceDataError("catalog: expected a mapping with 'categories' and 'services'")
    documents = {
        r.get("code", str): sync_row(
            DocumentType,
            lookup={"code": r.get("code", str)},
            values={"name_ar": r.get("name_ar", str), "name_en": r.get("name_en", str, default="")},
            label=r.label,
            report=report,
        )
        for r in records("document", document_types)
    }
    categories = {
        r.get("code", str): sync_row(
            Category,
            lookup={"code": r.get("code", str)},
            values={
                "name_ar": r.get("name_ar", str),
                "name_en": r.get("name_en", str, default=""),
                "position": position,
            },
            label=r.label,
            report=report,
        )
        for position, r in enumerate(records("category", catalog.get("categories")), start=1)
    }
    departments = {d.code: d for d in DepartmentType.objects.all()}
    for record in records("service", catalog.get("services")):
        _load_service(record, categories, documents, departments, report)
    return report


def _lookup(record: Record, kind: str, code, table: dict):
    if code not in table:
        raise ReferenceDataError(f"{record.label}: unknown {kind} {code!r}")
    return table[code]


def _output_kind(output: Record) -> str:
    kind = output.get("kind", str)
    if kind not in OutputKind.values:
        kinds = ", ".join(OutputKind.values)
        raise ReferenceDataError(f"{output.label}: kind {kind!r} is not one of {kinds}")
    return kind


def _load_service(record: Record, categories: dict, documents: dict, departments: dict, report: LoadReport):
    output = Record(f"{record.label} → output", record.get("output", dict))
    service = sync_row(
        Service,
        lookup={"code": record.get("code", str)},
        values={
            "category": _lookup(record, "category", record.get("category", str), categories),
            "name_ar": record.get("name_ar", str),
            "name_en": record.get("name_en", str, default=""),
            "description_ar": record.get("description_ar", str, default=""),
            "description_en": record.get("description_en", str, default=""),
            "legal_deadline_days": record.get("sla_days", int),
            "output_name_ar": output.get("name_ar", str),
            "output_name_en": output.get("name_en", str, default=""),
            "output_kind": _output_kind(output),
            "output_verifiable": output.get("verifiable", bool, default=False),
            "output_valid_years": output.get("valid_years", int, default=None),
        },
        label=record.label,
        report=report,
    )
    _load_fees(record, service, report)
    _load_documents(record, service, documents, report)
    _load_route(record, service, departments, report)


def _load_fees(record: Record, service: Service, report: LoadReport):
    fees = record.get("fees", list)
    for position, item in enumerate(fees, start=1):
        fee = Record(f"{record.label} → fee #{position}", item)
        try:
            amount = Decimal(str(fee.get("amount", (int, float, str)))).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise ReferenceDataError(f"{fee.label}: amount is not a number") from exc
        sync_row(
            FeeItem,
            lookup={"service": service, "position": position},
            values={
                "name_ar": fee.get("item", str),
                "name_en": fee.get("item_en", str, default=""),
                "amount": amount,
            },
            label=fee.label,
            report=report,
        )
    delete_rows(service.fee_items.filter(position__gt=len(fees)), report)


def _load_documents(record: Record, service: Service, documents: dict, report: LoadReport):
    wanted = [(code, True) for code in record.get("documents", list)]
    wanted += [(code, False) for code in record.get("optional_documents", list, default=[])]
    codes = [code for code, _ in wanted]
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{record.label}: a document is listed twice")
    for position, (code, required) in enumerate(wanted, start=1):
        sync_row(
            ServiceDocument,
            lookup={"service": service, "document_type": _lookup(record, "document", code, documents)},
            values={"is_required": required, "position": position},
            label=f"{record.label} → document {code}",
            report=report,
        )
    delete_rows(service.documents.exclude(document_type__code__in=codes), report)


def _load_route(record: Record, service: Service, departments: dict, report: LoadReport):
    route = record.get("route", list)
    if not route:
        raise ReferenceDataError(f"{record.label}: the route needs at least one step")
    total = 0
    for position, step in enumerate(route, start=1):
        label = f"{record.label} → route step {position}"
        if not (isinstance(step, list) and len(step) == 2 and isinstance(step[1], int)):
            raise ReferenceDataError(f"{label}: expected [department code, working days], got {step!r}")
        total += step[1]
        sync_row(
            RouteStep,
            lookup={"service": service, "position": position},
            values={
                "department_type": _lookup(record, "department", step[0], departments),
                "working_days": step[1],
            },
            label=label,
            report=report,
        )
    if total != service.legal_deadline_days:
        raise ReferenceDataError(
            f"{record.label}: route steps add up to {total} working days, the deadline is "
            f"{service.legal_deadline_days}"
        )
    delete_rows(service.route_steps.filter(position__gt=len(route)), report)


def catalog_load_reference() -> LoadReport:
    """Load the catalog shipped with the project (``services/data``)."""
    return catalog_load(
        catalog=read_yaml(DATA_DIR / "catalog.yaml"), document_types=read_yaml(DATA_DIR / "documents.yaml")
    )
