import factory

from complaints.models import Channel, ComplaintCategory, ResponseTemplate
from complaints.services import ComplaintInput, complaint_file


class ComplaintCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name_ar = factory.Sequence(lambda n: f"فئة شكوى {n}")
    name_en = factory.Sequence(lambda n: f"Complaint category {n}")
    working_days = 5


class ResponseTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponseTemplate

    category = factory.SubFactory(ComplaintCategoryFactory)
    title = "تم الإصلاح"
    body_ar = "تم إصلاح العطل، شكرًا لإبلاغكم."


def complaint_input(category, center, **overrides) -> ComplaintInput:
    values = {
        "category_code": category.code,
        "center_id": center.pk,
        "description": "عمود الإنارة أمام المدرسة مطفأ منذ أسبوع",
        "name": "سعاد إبراهيم",
        "mobile": "01098765432",
    }
    values.update(overrides)
    return ComplaintInput(**values)


def file(category, center, *, channel=Channel.ONLINE, clerk=None, **overrides):
    """A complaint filed through the service, as a citizen would."""
    return complaint_file(data=complaint_input(category, center, **overrides), channel=channel, clerk=clerk)
