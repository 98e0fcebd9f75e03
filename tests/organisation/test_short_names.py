"""A center has a short name, the place alone, as its text messages name it: "بنها" for the Benha
center. The reference data gives it next to the local unit; without one it comes from the official
name; centers that existed before the field get one from the migration."""

import copy
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.services import role_assign
from core.loading import read_yaml
from organisation.models import Center
from organisation.naming import place_name
from organisation.services import DATA_DIR, organisation_load, organisation_load_reference
from tests.accounts.factories import UserFactory
from tests.organisation.factories import CenterFactory, LocalUnitFactory, MobileCenterFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("official", "place"),
    [
        ("مركز ومدينة بنها", "بنها"),
        ("مدينة العبور", "العبور"),
        ("حي مصر الجديدة", "مصر الجديدة"),
        ("الوحدة المحلية لقرية كفر الحمام", "كفر الحمام"),
        ("المركز التكنولوجي لخدمة المواطنين — مركز ومدينة طوخ", "طوخ"),
        ("المركز التكنولوجي المتنقل ١", "المتنقل ١"),
        ("بنها", "بنها"),
        ("مدينة ", "مدينة"),
    ],
)
def test_the_place_is_what_follows_the_kind_of_council(official, place):
    assert place_name(official) == place


def test_reference_centers_have_short_names():
    organisation_load_reference()
    short = {c.code: (c.short_name_ar, c.short_name_en) for c in Center.objects.all()}
    assert short["BNH"] == ("بنها", "Benha")
    assert short["HLP"] == ("مصر الجديدة", "Heliopolis")
    assert short["QNT"] == ("القناطر الخيرية", "El Qanater El Khayreya")
    assert short["QLBM1"] == ("المتنقل ١", "Mobile center 1")
    for code, (arabic, english) in short.items():
        assert arabic and english, code
        assert not arabic.startswith(("مركز", "المركز التكنولوجي", "حي ", "مدينة ")), code


def test_without_a_short_name_in_the_data_it_comes_from_the_official_name():
    data = copy.deepcopy(read_yaml(DATA_DIR / "organisation.yaml"))
    benha = data["governorates"][0]["local_units"][0]
    van = data["governorates"][0]["mobile_centers"][0]
    del benha["short_name_ar"], van["short_name_ar"]
    benha["short_name_en"] = "Banha"
    organisation_load(organisation=data, department_types=read_yaml(DATA_DIR / "departments.yaml"))
    center = Center.objects.get(code=benha["code"])
    assert (center.short_name_ar, center.short_name_en) == ("بنها", "Banha")
    assert Center.objects.get(code=van["code"]).short_name_ar == "المتنقل ١"


def test_the_short_name_follows_the_language():
    center = CenterFactory(
        local_unit=LocalUnitFactory(code="BNH", name_ar="مركز ومدينة بنها", name_en="Benha")
    )
    assert center.short_name == "بنها"
    with translation.override("en"):
        assert center.short_name == "Benha"
        center.short_name_en = ""
        assert center.short_name == "بنها"


def test_the_migration_gives_existing_centers_a_short_name():
    fixed = CenterFactory(local_unit=LocalUnitFactory(code="TKH", name_ar="مركز ومدينة طوخ", name_en="Tukh"))
    van = MobileCenterFactory(code="QLBM1", name_ar="المركز التكنولوجي المتنقل ١", name_en="Mobile center 1")
    Center.objects.update(short_name_ar="", short_name_en="")

    import_module("organisation.migrations.0002_center_short_name").fill_short_names(apps, None)

    fixed.refresh_from_db()
    van.refresh_from_db()
    assert (fixed.short_name_ar, fixed.short_name_en) == ("طوخ", "Tukh")
    assert (van.short_name_ar, van.short_name_en) == ("المتنقل ١", "Mobile center 1")


def test_the_admin_shows_and_edits_the_short_name(client):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    center = CenterFactory(local_unit=LocalUnitFactory(code="BNH", name_ar="مركز ومدينة بنها"))
    html = client.get(reverse("admin:organisation_center_change", args=[center.pk])).content.decode()
    assert 'name="short_name_ar"' in html and 'name="short_name_en"' in html
    listing = client.get(reverse("admin:organisation_center_changelist")).content.decode()
    assert 'class="field-short_name_ar">بنها<' in listing
