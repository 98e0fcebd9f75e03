import pytest
from django.core.exceptions import ValidationError

from notifications.phones import normalize_mobile
from requests_app.identity import parse_national_id


@pytest.mark.parametrize(
    ("raw", "birth", "governorate", "male"),
    [
        ("29001011401234", "1990-01-01", "14", True),
        ("30212310101242", "2002-12-31", "01", False),
        ("٢٩٠٠١٠١١٤٠١٢٣٤", "1990-01-01", "14", True),
        ("2900101 1401234", "1990-01-01", "14", True),
    ],
)
def test_valid_national_ids(raw, birth, governorate, male):
    national_id = parse_national_id(raw)
    assert str(national_id.birth_date) == birth
    assert national_id.governorate_code == governorate
    assert national_id.is_male is male


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2900101140123", "length"),
        ("290010114012345", "length"),
        ("2900101140123a", "length"),
        ("19001011401234", "century"),
        ("49001011401234", "century"),
        ("29002301401234", "date"),
        ("29013011401234", "date"),
        ("39912311401234", "future"),
        ("29001019901234", "governorate"),
        ("29001010001234", "governorate"),
    ],
)
def test_invalid_national_ids_say_why(raw, code):
    with pytest.raises(ValidationError) as caught:
        parse_national_id(raw)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("01012345678", "+201012345678"),
        ("0111 234 5678", "+201112345678"),
        ("+201212345678", "+201212345678"),
        ("00201512345678", "+201512345678"),
        ("٠١٠١٢٣٤٥٦٧٨", "+201012345678"),
    ],
)
def test_mobiles_are_normalised(raw, normalized):
    assert normalize_mobile(raw) == normalized


@pytest.mark.parametrize("raw", ["0223456789", "0101234567", "+14155552671", "hello", ""])
def test_non_egyptian_or_landline_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_mobile(raw)
