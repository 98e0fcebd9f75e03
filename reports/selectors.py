"""KPIs, each defined once. Issued documents: the governorate's licensing statistics."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from accounts.authz import scope_q
from accounts.models import OVERSIGHT_ROLES, User
from core.models import in_language
from documents.models import IssuedDocument
from services.models import OutputKind

REPORT_ROLES = OVERSIGHT_ROLES


@dataclass(frozen=True)
class DocumentFigures:
    month: date
    center_code: str
    center_name: str
    kind: str
    issued: int
    revoked: int

    @property
    def kind_label(self) -> str:
        return OutputKind(self.kind).label


def documents_issued_and_revoked(*, user: User, date_from: date, date_to: date) -> list[DocumentFigures]:
    """Per month, center and kind, within the user's reach: documents issued in the period (by issue
    date) and revocations made in it (by revocation date, whenever the document was issued)."""
    reach = IssuedDocument.objects.filter(scope_q(user, REPORT_ROLES, IssuedDocument.PATHS))
    issued = (
        reach.filter(issued_on__range=(date_from, date_to))
        .annotate(month=TruncMonth("issued_on", output_field=DateField()))
        .values("month", "center__code", "center__name_ar", "center__name_en", "kind")
        .annotate(count=Count("pk"))
    )
    revoked = (
        reach.filter(Q(revoked_at__date__gte=date_from) & Q(revoked_at__date__lte=date_to))
        .annotate(month=TruncMonth("revoked_at__date", output_field=DateField()))
        .values("month", "center__code", "center__name_ar", "center__name_en", "kind")
        .annotate(count=Count("pk"))
    )
    figures: dict[tuple, dict] = {}
    for rows, field in ((issued, "issued"), (revoked, "revoked")):
        for row in rows:
            key = (row["month"], row["center__code"], row["kind"])
            entry = figures.setdefault(
                key, {"names": (row["center__name_ar"], row["center__name_en"]), "issued": 0, "revoked": 0}
            )
            entry[field] = row["count"]
    return [
        DocumentFigures(
            month=month,
            center_code=code,
            center_name=in_language(*entry["names"]),
            kind=kind,
            issued=entry["issued"],
            revoked=entry["revoked"],
        )
        for (month, code, kind), entry in sorted(figures.items())
    ]
