"""The register as an Excel workbook: one right-to-left sheet, a bold header, one row per letter,
and a confidential letter's subject never written out."""

import io

import pytest
from openpyxl import load_workbook

from correspondence import services
from correspondence.exports import register_letters, register_xlsx
from correspondence.models import Classification, Direction
from tests.correspondence.factories import letter_input

pytestmark = pytest.mark.django_db


def register(office, clerk, data, direction=Direction.INCOMING):
    return services.letter_register(office=office, direction=direction, data=data, clerk=clerk)


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture
def letters(offices, clerks, engineering, ministry):
    return [
        register(
            offices.bnh,
            clerks.bnh,
            letter_input(engineering, body=ministry, sender_reference="م/15/2026", reply_working_days=10),
        ),
        register(
            offices.bnh,
            clerks.bnh,
            letter_input(
                engineering,
                citizen="سعاد علي حسن",
                subject="شكوى بشأن الإنارة",
                classification=Classification.CONFIDENTIAL,
            ),
        ),
        register(offices.bnh, clerks.bnh, letter_input(engineering, to=offices.qly), Direction.OUTGOING),
    ]


def test_one_right_to_left_sheet_bold_header_one_row_per_letter(letters):
    sheet = sheet_of(register_xlsx(letters, title="سجل الوارد والصادر: بنها"))
    assert sheet.sheet_view.rightToLeft
    assert sheet.title == "سجل الوارد والصادر  بنها"
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 and len(rows[0]) == 10
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    first = rows[1]
    assert first[0] == letters[0].number
    assert first[3] == "بشأن رصف شارع الجمهورية"
    assert first[4] == "وزارة التنمية المحلية"
    assert first[5] == "م/15/2026"
    assert first[7] == "هندسية"
    assert first[9]  # a reply is due
    assert rows[3][4] == "مركز ومدينة قليوب" and not rows[3][9]  # nothing due on an outgoing letter


def test_a_confidential_letters_subject_is_written_as_secret(letters):
    data = register_xlsx(letters, title="register")
    rows = list(sheet_of(data).iter_rows(values_only=True))
    assert rows[2][3] == "سري"
    assert b"\xd8\xa7\xd9\x84\xd8\xa5\xd9\x86\xd8\xa7\xd8\xb1\xd8\xa9" not in data  # "الإنارة", even zipped
    assert "الإنارة" not in "".join(str(cell) for row in rows for cell in row)


def test_typed_text_is_never_a_formula(offices, clerks, engineering, ministry):
    letter = register(
        offices.bnh,
        clerks.bnh,
        letter_input(engineering, body=ministry, subject='=HYPERLINK("http://x","y")'),
    )
    cell = sheet_of(register_xlsx([letter], title="r"))["D2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'


def test_the_selector_gives_one_offices_register_in_number_order(
    letters, offices, clerks, engineering, ministry
):
    register(offices.qly, clerks.qly, letter_input(engineering, body=ministry))
    incoming = register_letters(office=offices.bnh, direction=Direction.INCOMING)
    assert [letter.pk for letter in incoming] == [letters[0].pk, letters[1].pk]
    both = register_letters(office=offices.bnh)
    assert {letter.pk for letter in both} == {letter.pk for letter in letters}
    # The letter delivered to Qalyub waits unnumbered: not in Qalyub's register until accepted.
    assert register_letters(office=offices.qly).count() == 1
