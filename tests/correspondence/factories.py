from datetime import date

import factory

from correspondence.models import Classification, LetterCategory, OutsideBody, PartyKind
from correspondence.services import LetterInput


class LetterCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"letters-{n}")
    name_ar = factory.Sequence(lambda n: f"تصنيف {n}")


class OutsideBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutsideBody
        django_get_or_create = ("name_ar",)

    name_ar = factory.Sequence(lambda n: f"جهة خارجية {n}")


def letter_input(category, *, to=None, body=None, citizen="", **overrides) -> LetterInput:
    """A letter to (or from) another office ``to``, an outside ``body`` or a ``citizen``."""
    if to is not None:
        party = {"party_kind": PartyKind.OFFICE, "party_office": to}
    elif body is not None:
        party = {"party_kind": PartyKind.OUTSIDE, "party_body_id": body.pk}
    else:
        party = {"party_kind": PartyKind.CITIZEN, "party_citizen": citizen or "محمود السيد علي"}
    values = {
        "subject": "بشأن رصف شارع الجمهورية",
        "category_code": category.code,
        "document_date": date.today(),
        "classification": Classification.ORDINARY,
        **party,
    }
    values.update(overrides)
    return LetterInput(**values)
