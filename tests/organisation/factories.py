import factory

from organisation.models import Center, Department, DepartmentType, Governorate, LocalUnit
from organisation.naming import place_name


class GovernorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Governorate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n:03d}")
    name_ar = factory.Sequence(lambda n: f"محافظة {n}")
    name_en = factory.Sequence(lambda n: f"Governorate {n}")


class LocalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalUnit
        django_get_or_create = ("code",)

    governorate = factory.SubFactory(GovernorateFactory)
    code = factory.Sequence(lambda n: f"L{n:03d}")
    kind = LocalUnit.Kind.CITY
    name_ar = factory.Sequence(lambda n: f"مركز ومدينة {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center
        django_get_or_create = ("code",)

    local_unit = factory.SubFactory(LocalUnitFactory)
    governorate = factory.SelfAttribute("local_unit.governorate")
    code = factory.SelfAttribute("local_unit.code")
    kind = Center.Kind.FIXED
    name_ar = factory.LazyAttribute(lambda o: f"المركز التكنولوجي — {o.local_unit.name_ar}")
    name_en = factory.LazyAttribute(lambda o: f"{o.local_unit.name_en} center")
    short_name_ar = factory.LazyAttribute(lambda o: place_name(o.local_unit.name_ar))
    short_name_en = factory.LazyAttribute(lambda o: o.local_unit.name_en)


class MobileCenterFactory(CenterFactory):
    local_unit = None
    governorate = factory.SubFactory(GovernorateFactory)
    code = factory.Sequence(lambda n: f"M{n:03d}")
    kind = Center.Kind.MOBILE
    name_ar = factory.Sequence(lambda n: f"المركز المتنقل {n}")
    name_en = factory.Sequence(lambda n: f"Mobile center {n}")
    short_name_ar = factory.LazyAttribute(lambda o: place_name(o.name_ar))
    short_name_en = factory.LazyAttribute(lambda o: o.name_en)


class DepartmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name_ar = factory.Sequence(lambda n: f"إدارة {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("local_unit", "department_type")

    local_unit = factory.SubFactory(LocalUnitFactory)
    department_type = factory.SubFactory(DepartmentTypeFactory)
