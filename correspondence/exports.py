"""The registers as Excel workbooks: one row per letter, right to left, for printing or keeping the
register on paper. A confidential letter's subject is never written out: the register says "سري"."""

import io
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from correspondence.models import Letter, PartyKind
from correspondence.services import Office

CONFIDENTIAL_SUBJECT = "سري"


def register_letters(
    *,
    office: Office,
    direction: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Letter]:
    """The office's register (one direction, or both) in number order, registered within the dates
    (inclusive, local days); letters still waiting to be accepted have no number and are not in it."""
    letters = Letter.objects.filter(
        governorate=office.governorate, local_unit=office.local_unit, number__isnull=False
    )
    if direction:
        letters = letters.filter(direction=direction)
    if date_from:
        letters = letters.filter(
            registered_at__gte=timezone.make_aware(datetime.combine(date_from, time.min))
        )
    if date_to:
        letters = letters.filter(registered_at__lte=timezone.make_aware(datetime.combine(date_to, time.max)))
    return letters.select_related("category", "party_body", "party_governorate", "party_local_unit").order_by(
        "direction", "year", "sequence"
    )


def other_party(letter: Letter) -> str:
    if letter.party_kind == PartyKind.OUTSIDE:
        return letter.party_body.name
    if letter.party_kind == PartyKind.OFFICE:
        return str(
            letter.party_local_unit.name if letter.party_local_unit_id else letter.party_governorate.name
        )
    return letter.party_citizen


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def register_header() -> list[str]:
    return [
        _("Number"),
        _("Registered at"),
        _("Register"),
        _("Subject"),
        _("Other party"),
        _("Sender's reference"),
        _("Classification"),
        _("Category"),
        _("State"),
        _("Reply due"),
    ]


def register_row(letter: Letter) -> list[str]:
    return [
        letter.number or "",
        _local(letter.registered_at),
        letter.get_direction_display(),
        CONFIDENTIAL_SUBJECT if letter.is_confidential else letter.subject,
        other_party(letter),
        letter.sender_reference,
        letter.get_classification_display(),
        letter.category.name,
        letter.get_state_display(),
        _local(letter.due_at),
    ]


def register_xlsx(letters, *, title: str) -> bytes:
    """The letters as one right-to-left sheet named ``title`` (cut to Excel's 31 characters), a bold
    header row, then one row per letter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.sheet_view.rightToLeft = True
    sheet.append(register_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter in letters:
        sheet.append(register_row(letter))
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # typed text is never a formula ("=HYPERLINK(…)" stays text)
    for column, width in zip("ABCDEFGHIJ", (24, 17, 10, 50, 36, 20, 12, 18, 22, 17), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"
