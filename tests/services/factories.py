from decimal import Decimal

import factory

from services.models import Category, DocumentType, FeeItem, RouteStep, Service, ServiceDocument
from tests.organisation.factories import DepartmentTypeFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CAT{n}")
    name_ar = factory.Sequence(lambda n: f"تصنيف {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DOC{n}")
    name_ar = factory.Sequence(lambda n: f"مستند {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service with two fee items, two required documents, one optional one and a route through the
    department types named in ``route`` (default ENG then LEGAL), sharing the deadline."""

    class Meta:
        model = Service
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SRV-{n}")
    category = factory.SubFactory(CategoryFactory)
    name_ar = factory.Sequence(lambda n: f"خدمة رقم {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    legal_deadline_days = 10
    output_name_ar = "إفادة"
    output_name_en = "Statement"
    output_kind = "STM"
    output_verifiable = True
    output_valid_years = 1

    @factory.post_generation
    def terms(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        FeeItem.objects.create(
            service=obj, position=1, name_ar="رسم فحص", name_en="Examination fee", amount=Decimal("150.00")
        )
        FeeItem.objects.create(
            service=obj, position=2, name_ar="رسم إصدار", name_en="Issuance fee", amount=Decimal("350.50")
        )
        for position, required in enumerate([True, True, False], start=1):
            ServiceDocument.objects.create(
                service=obj, document_type=DocumentTypeFactory(), is_required=required, position=position
            )
        codes = kwargs.get("route", ["ENG", "LEGAL"])
        shares = [obj.legal_deadline_days // len(codes)] * len(codes)
        shares[0] += obj.legal_deadline_days - sum(shares)
        for position, (code, days) in enumerate(zip(codes, shares, strict=True), start=1):
            RouteStep.objects.create(
                service=obj,
                position=position,
                department_type=DepartmentTypeFactory(code=code),
                working_days=days,
            )
