"""Our rows as GeoReport v2 data (plain lists and dicts, which formats.py writes as JSON or XML).

Nothing personal leaves here: no complainant's name, mobile or tracking token, no staff name (the
agency is the department), never an internal note; the complaint's own words pass through
privacy.masked."""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.models import Complaint, ComplaintCategory, ComplaintEvent, ComplaintPhoto, ComplaintState
from complaints.open311.privacy import masked
from complaints.open311.tokens import token_for
from organisation.models import Center

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed (discovery's changeset).
CHANGESET = "2026-12-04T00:00:00Z"

PhotoUrl = Callable[[ComplaintPhoto], str]

# FixMyStreet's extended statuses (its Open311 update extension), by the state an update leads to.
EXTENDED_STATUS = {
    ComplaintState.RECEIVED: "OPEN",
    ComplaintState.ASSIGNED: "INVESTIGATING",
    ComplaintState.IN_PROGRESS: "IN_PROGRESS",
    ComplaintState.REOPENED: "OPEN",
    ComplaintState.RESOLVED: "FIXED",
    ComplaintState.CLOSED: "CLOSED",
    ComplaintState.REJECTED: "NO_FURTHER_ACTION",  # NOT_COUNCILS_RESPONSIBILITY if another body is named
    ComplaintState.MERGED: "DUPLICATE",
}


def w3c(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _public(text: str, complaint: Complaint) -> str:
    return masked(text, name=complaint.complainant_name, mobile=complaint.complainant_mobile)


def discovery_data(*, url: str, production: bool, contact: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": _(
            "API keys for filing complaints are issued by the administrators of the citizen service "
            "centers; reading needs no key."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production" if production else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def _keywords(category: ComplaintCategory) -> str:
    words = [category.name_ar, category.name_en, category.group_ar, category.group_en]
    return ", ".join(dict.fromkeys(w.replace(",", " ").strip() for w in words if w.strip()))


def service_data(category: ComplaintCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": True,
        "type": "realtime",
        "keywords": _keywords(category),
        "group": category.group or None,
    }


def definition_data(category: ComplaintCategory, centers: list[Center]) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "center",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("The code of the center."),
                "order": 1,
                "description": _("The center or local unit the complaint concerns."),
                "values": [{"key": center.code, "name": center.name} for center in centers],
            },
            {
                "variable": True,
                "code": "receipt_number",
                "datatype": "string",
                "required": False,
                "datatype_description": _("A receipt number, e.g. BNH-2026-000123."),
                "order": 2,
                "description": _("The receipt number of a service request the complaint is about."),
            },
        ],
    }


def _service_notice(complaint: Complaint) -> str:
    days = complaint.category.working_days
    return ngettext(
        "The answer is due within %(days)d working day.",
        "The answer is due within %(days)d working days.",
        days,
    ) % {"days": days}


def _status_notes(complaint: Complaint) -> str | None:
    """Why it is closed, in the words the complainant read; nothing while it is open."""
    if complaint.is_open:
        return None
    if complaint.state == ComplaintState.MERGED and complaint.merged_into_id:
        return _("Merged into complaint %(number)s.") % {"number": complaint.merged_into.number}
    notes = complaint.public_reply
    if complaint.state == ComplaintState.REJECTED and complaint.competent_body:
        notes = f"{notes}\n{_('Competent body:')} {complaint.competent_body}"
    return _public(notes, complaint) or None


def _agency(complaint: Complaint) -> str:
    department = complaint.department
    if department is None:
        return complaint.center.name
    return f"{department.department_type.name} — {department.local_unit.name}"


def request_data(complaint: Complaint, *, photo_url: PhotoUrl) -> dict:
    photos = list(complaint.photos.all())
    return {
        "service_request_id": complaint.number,
        "status": "closed" if complaint.is_closed_for_open311 else "open",
        "status_notes": _status_notes(complaint),
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": _public(complaint.description, complaint),
        "agency_responsible": _agency(complaint),
        "service_notice": _service_notice(complaint),
        "requested_datetime": w3c(complaint.submitted_at),
        "updated_datetime": w3c(getattr(complaint, "public_updated_at", None) or complaint.submitted_at),
        "expected_datetime": w3c(complaint.due_at),
        "address": _public(complaint.address, complaint) or None,
        "lat": float(complaint.latitude) if complaint.has_location else None,
        "long": float(complaint.longitude) if complaint.has_location else None,
        "media_url": photo_url(photos[0]) if photos else None,
    }


def filed_data(complaint: Complaint) -> dict:
    """The answer to POST requests: the id at once (and a token for clients that expect one)."""
    return {
        "service_request_id": complaint.number,
        "token": token_for(complaint.number),
        "service_notice": _service_notice(complaint),
        "account_id": None,
    }


def token_data(complaint: Complaint, token: str) -> dict:
    return {"service_request_id": complaint.number, "token": token}


def _extended_status(event: ComplaintEvent) -> str:
    complaint = event.complaint
    if event.to_state == ComplaintState.REJECTED and complaint.competent_body:
        return "NOT_COUNCILS_RESPONSIBILITY"
    return EXTENDED_STATUS.get(event.to_state, "OPEN")


def update_data(event: ComplaintEvent, *, photo_url: PhotoUrl) -> dict:
    """One update of FixMyStreet's servicerequestupdates: the filing carries the complaint's photos."""
    complaint = event.complaint
    urls = []
    if event.action == ComplaintEvent.Action.FILED:
        urls = [photo_url(photo) for photo in complaint.photos.all()]
    return {
        "update_id": str(event.pk),
        "service_request_id": complaint.number,
        "status": _extended_status(event),
        "updated_datetime": w3c(event.at),
        "description": _public(event.public_note, complaint),
        "media_url": urls[0] if urls else None,
        "media_urls": urls,
    }
