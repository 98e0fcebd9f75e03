import pytest

from core.text import fold_arabic


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("اشغال", "إشغال"),
        ("اذن", "إذن"),
        ("الامن", "الأمن"),
        ("مسكن", "مَسْكَن"),
        ("شهاده", "شهادة"),
        ("مبني", "مبنى"),
        ("مسئول", "مسؤول"),
        ("شئون", "شؤون"),
        ("رخصه ١٢", "رخصة 12"),
        ("تـرخـيص", "ترخيص"),
        ("new BUILDING", "New Building"),
    ],
)
def test_variants_fold_to_the_same_text(typed, stored):
    assert fold_arabic(typed) == fold_arabic(stored)


def test_different_words_stay_different():
    assert fold_arabic("هدم") != fold_arabic("بناء")
    assert fold_arabic("  ترخيص   بناء ") == "ترخيص بناء"


def test_invisible_characters_do_not_count_as_text():
    from core.text import visible_text

    assert visible_text("\u200f\u200b \u200e\ufeff\u00ad\u2060") == ""
    assert visible_text("\u200fمخالفة\u200b  خط\u00a0التنظيم ") == "مخالفة خط التنظيم"
