"""Egyptian national IDs: validated at the window so they are never mistyped."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.loading import read_yaml
from core.text import normalize_digits
from organisation.services import DATA_DIR


@lru_cache(maxsize=1)
def national_id_governorates() -> dict[str, str]:
    return read_yaml(DATA_DIR / "organisation.yaml")["national_id_governorate_codes"]


@dataclass(frozen=True)
class NationalId:
    """C YYMMDD GG NNNN K: century (2 → 1900s, 3 → 2000s), birth date, governorate, sequence, check."""

    value: str

    @property
    def birth_date(self) -> date:
        century = {"2": 1900, "3": 2000}[self.value[0]]
        return date(century + int(self.value[1:3]), int(self.value[3:5]), int(self.value[5:7]))

    @property
    def governorate_code(self) -> str:
        return self.value[7:9]

    @property
    def is_male(self) -> bool:
        return int(self.value[12]) % 2 == 1


def parse_national_id(raw: str) -> NationalId:
    value = normalize_digits(raw)
    if not re.fullmatch(r"\d{14}", value):
        raise ValidationError(_("A national ID has exactly 14 digits."), code="length")
    if value[0] not in "23":
        raise ValidationError(_("A national ID starts with 2 or 3 (the century of birth)."), code="century")
    national_id = NationalId(value)
    try:
        birth = national_id.birth_date
    except ValueError:
        raise ValidationError(
            _("Digits 2 to 7 of the national ID are not a real birth date."), code="date"
        ) from None
    if birth > timezone.localdate():
        raise ValidationError(_("The birth date in the national ID is in the future."), code="future")
    if national_id.governorate_code not in national_id_governorates():
        raise ValidationError(
            _("Digits 8 and 9 of the national ID (%(code)s) are not a governorate code."),
            code="governorate",
            params={"code": national_id.governorate_code},
        )
    return national_id


def validate_national_id(raw: str) -> None:
    parse_national_id(raw)
