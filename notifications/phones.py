"""Mobile numbers as the outbox sends to them: Egyptian mobiles, checked wherever a citizen gives one."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import normalize_digits


def normalize_mobile(raw: str) -> str:
    """An Egyptian mobile number in E.164 form (+201 and nine digits), from 01…, 201…, +201… or 00201…."""
    try:
        number = phonenumbers.parse(normalize_digits(raw), "EG")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 20
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("Enter an Egyptian mobile number, e.g. 01012345678."), code="mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
