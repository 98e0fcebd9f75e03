"""Parts are counted as the network counts them: GSM-7 160/153 (extension characters cost two),
UCS-2 70/67 in UTF-16 code units."""

import pytest

from notifications.encoding import GSM7, UCS2, sms_parts

ARABIC = "م"  # one UTF-16 code unit


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("", GSM7, 0, 1),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("@£$¥èé\n_ÄÖÑÜ§¿", GSM7, 14, 1),
        ("{" * 80, GSM7, 160, 1),  # extension characters cost two septets
        ("{" + "a" * 159, GSM7, 161, 2),
        ("€" * 81, GSM7, 162, 2),
        ("a" * 152 + "€" + "a" * 152, GSM7, 306, 3),  # the euro is not split: 152 | 2 + 151 | 1
        (ARABIC * 70, UCS2, 70, 1),
        (ARABIC * 71, UCS2, 71, 2),
        (ARABIC * 134, UCS2, 134, 2),
        (ARABIC * 135, UCS2, 135, 3),
        ("a" * 69 + ARABIC, UCS2, 70, 1),  # one Arabic letter turns the whole text into UCS-2
        ("a" * 70 + ARABIC, UCS2, 71, 2),
        ("😀" * 35, UCS2, 70, 1),  # beyond the BMP: two code units each
        ("😀" * 36, UCS2, 72, 2),
        ("a" * 66 + "😀" + "a", UCS2, 69, 1),
        ("a" * 66 + "😀" + "a" * 66, UCS2, 134, 3),  # the emoji is not split: 66 | 2 + 65 | 1
    ],
)
def test_parts_at_the_boundaries(text, encoding, units, parts):
    size = sms_parts(text)
    assert (size.encoding, size.units, size.parts) == (encoding, units, parts)


def test_a_real_arabic_receipt_message():
    text = (
        "تم استلام طلبكم رقم BNH-2026-000123 (ترخيص إشغال طريق) بمركز بنها. "
        "تابعوا حالته: https://csc.example.gov.eg/t/abc/"
    )
    size = sms_parts(text)
    assert size.encoding == UCS2
    assert size.units == len(text)
    assert size.parts == -(-len(text) // 67)


def test_greek_capitals_are_gsm7_but_small_greek_is_not():
    assert sms_parts("ΔΦΓΛΩΠΨΣΘΞ").encoding == GSM7
    assert sms_parts("α").encoding == UCS2
