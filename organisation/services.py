from pathlib import Path

from django.db import connection, transaction

from core.loading import LoadReport, Record, ReferenceDataError, read_yaml, records, sync_row
from organisation.models import Center, Department, DepartmentType, Governorate, LocalUnit
from organisation.naming import place_name

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def organisation_load(*, organisation: dict, department_types: list) -> LoadReport:
    """Load governorates, local units, their fixed centers, mobile centers and departments.

    Idempotent: codes identify rows; running it again with the same data writes nothing.
    Each local unit gets one fixed center of the same code and one department of every type. A
    center's short name (``short_name_ar``, ``short_name_en`` on the local unit or mobile center) is
    the place alone, as text messages name it; without one it is taken from the official name.
    """
    report = LoadReport()
    types = [
        sync_row(
            DepartmentType,
            lookup={"code": r.get("code", str)},
            values={"name_ar": r.get("name_ar", str), "name_en": r.get("name_en", str, default="")},
            label=r.label,
            report=report,
        )
        for r in records("department", department_types)
    ]
    if not isinstance(organisation, dict):
        raise ReferenceDataError("organisation: expected a mapping with 'governorates'")
    for gov in records("governorate", organisation.get("governorates")):
        governorate = sync_row(
            Governorate,
            lookup={"code": gov.get("code", str)},
            values={"name_ar": gov.get("name_ar", str), "name_en": gov.get("name_en", str, default="")},
            label=gov.label,
            report=report,
        )
        for unit in records(f"{gov.label} → local unit", gov.get("local_units", list)):
            _load_local_unit(governorate, unit, types, report)
        for van in records(f"{gov.label} → mobile center", gov.get("mobile_centers", list, default=[])):
            name_ar, name_en = van.get("name_ar", str), van.get("name_en", str, default="")
            sync_row(
                Center,
                lookup={"code": van.get("code", str)},
                values={
                    "governorate": governorate,
                    "local_unit": None,
                    "kind": Center.Kind.MOBILE,
                    "name_ar": name_ar,
                    "name_en": name_en,
                    **_short_names(van, name_ar, name_en),
                },
                label=van.label,
                report=report,
            )
    transaction.on_commit(_refresh_planner_statistics)
    return report


def _refresh_planner_statistics() -> None:
    """Tables this small never reach autovacuum's analyze threshold (50 rows + 10 %): without their
    statistics PostgreSQL takes a governorate for a single center and plans the dashboards' joins
    over millions of rows as if they were a few (the benchmark saw 1.4 s become 28 ms)."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Governorate, LocalUnit, Center, DepartmentType, Department)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _load_local_unit(governorate: Governorate, unit: Record, types: list[DepartmentType], report: LoadReport):
    name_ar, name_en = unit.get("name_ar", str), unit.get("name_en", str, default="")
    local_unit = sync_row(
        LocalUnit,
        lookup={"code": unit.get("code", str)},
        values={
            "governorate": governorate,
            "kind": unit.get("kind", str),
            "name_ar": name_ar,
            "name_en": name_en,
        },
        label=unit.label,
        report=report,
    )
    sync_row(
        Center,
        lookup={"code": local_unit.code},
        values={
            "governorate": governorate,
            "local_unit": local_unit,
            "kind": Center.Kind.FIXED,
            "name_ar": f"المركز التكنولوجي لخدمة المواطنين — {name_ar}",
            "name_en": f"{name_en} citizen service center" if name_en else "",
            **_short_names(unit, name_ar, name_en),
        },
        label=f"{unit.label} → center",
        report=report,
    )
    existing = set(local_unit.departments.values_list("department_type_id", flat=True))
    for department_type in types:
        if department_type.pk in existing:
            report.add(Department, "unchanged")
        else:
            Department.objects.create(local_unit=local_unit, department_type=department_type)
            report.add(Department, "created")


def _short_names(record: Record, name_ar: str, name_en: str) -> dict:
    return {
        "short_name_ar": record.get("short_name_ar", str, default="") or place_name(name_ar),
        "short_name_en": record.get("short_name_en", str, default=name_en),
    }


def organisation_load_reference() -> LoadReport:
    """Load the organisation shipped with the project (``organisation/data``)."""
    return organisation_load(
        organisation=read_yaml(DATA_DIR / "organisation.yaml"),
        department_types=read_yaml(DATA_DIR / "departments.yaml"),
    )
