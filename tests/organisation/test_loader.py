import copy

import pytest
from django.core.management import CommandError, call_command

from core.loading import ReferenceDataError, read_yaml
from organisation.models import Center, Department, DepartmentType, Governorate, LocalUnit
from organisation.services import DATA_DIR, organisation_load, organisation_load_reference

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Governorate, LocalUnit, Center, DepartmentType, Department)]


def test_reference_organisation_loads_every_unit_center_and_department():
    organisation_load_reference()
    data = read_yaml(DATA_DIR / "organisation.yaml")
    units = [u for g in data["governorates"] for u in g["local_units"]]
    vans = [v for g in data["governorates"] for v in g.get("mobile_centers", [])]
    types = read_yaml(DATA_DIR / "departments.yaml")
    assert counts() == [
        len(data["governorates"]),
        len(units),
        len(units) + len(vans),
        len(types),
        len(units) * len(types),
    ]
    benha = Center.objects.get(code="BNH")
    assert benha.kind == Center.Kind.FIXED
    assert benha.local_unit.name_ar == "مركز ومدينة بنها"
    assert benha.governorate.code == "QLB"
    van = Center.objects.get(code="QLBM1")
    assert van.kind == Center.Kind.MOBILE and van.local_unit is None


def test_loading_twice_changes_nothing():
    organisation_load_reference()
    before = counts()
    report = organisation_load_reference()
    assert report.changed == 0
    assert counts() == before


def test_a_renamed_unit_is_updated_in_place():
    organisation_load_reference()
    data = read_yaml(DATA_DIR / "organisation.yaml")
    data["governorates"][0]["local_units"][0]["name_ar"] = "اسم جديد"
    report = organisation_load(organisation=data, department_types=read_yaml(DATA_DIR / "departments.yaml"))
    assert report.counts[(LocalUnit, "updated")] == 1
    assert LocalUnit.objects.get(code=data["governorates"][0]["local_units"][0]["code"]).name_ar == "اسم جديد"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: d["governorates"][-1]["local_units"][-1].update(kind="planet"), "local unit SNB"),
        (lambda d: d["governorates"][-1]["local_units"][-1].update(code="bad code"), "local unit bad code"),
        (lambda d: d["governorates"][-1]["local_units"][-1].pop("name_ar"), "missing 'name_ar'"),
        (
            lambda d: d["governorates"][-1]["local_units"].append(
                dict(d["governorates"][-1]["local_units"][0])
            ),
            "duplicate code",
        ),
        (lambda d: d["governorates"][-1].update(local_units="none"), "wrong type"),
    ],
)
def test_malformed_data_names_the_record_and_loads_nothing(breakage, message):
    data = copy.deepcopy(read_yaml(DATA_DIR / "organisation.yaml"))
    breakage(data)
    with pytest.raises(ReferenceDataError, match=message):
        organisation_load(organisation=data, department_types=read_yaml(DATA_DIR / "departments.yaml"))
    assert counts() == [0, 0, 0, 0, 0]


def test_command_reports_malformed_file(tmp_path):
    broken = tmp_path / "organisation.yaml"
    broken.write_text(
        "governorates: [{code: QLB, name_ar: x, local_units: [{code: 'B N'}]}]", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_organisation", organisation=broken)
    assert counts() == [0, 0, 0, 0, 0]
