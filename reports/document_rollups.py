"""Keeping the issued documents' roll-up (``reports.models.DocumentDay`` and its month) current, and
rebuilding it.

As for the requests (``reports.rollups``), in the event's own transaction: the documents app writes a
history row for each issue and revocation, and the same commit adds one issued document on its issue
day, or one revoked document on the day of its revocation, to the row of its center and kind. A
document is revoked at most once and never restored, so the roll-up only ever adds. The rebuild reads
the documents' own columns (``issued_on``, ``revoked_at``): no history is replayed.
"""

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from documents.models import DocumentEvent, IssuedDocument
from organisation.calendar import CAIRO
from reports import rollups, spans
from reports.models import DocumentDay

DOCUMENT_FIGURES = spans.COLUMNS["DocumentDay"][1]


def document_event_recorded(event: DocumentEvent) -> None:
    """Called for each new history row of a document, inside its transaction (``reports.apps``)."""
    document = event.document
    if event.action == DocumentEvent.Action.ISSUED:
        day, figure = document.issued_on, "issued"
    elif event.action == DocumentEvent.Action.REVOKED:
        day, figure = timezone.localdate(document.revoked_at, CAIRO), "revoked"
    else:  # (a print changes no figure)
        return
    keys = {"day": day, "center_id": document.center_id, "kind": document.kind}
    rollups._add(DocumentDay, keys, {name: int(name == figure) for name in DOCUMENT_FIGURES})


def document_days_rebuild(document_model=IssuedDocument, day_model=DocumentDay) -> int:
    """Every document roll-up row again, from the documents alone (inside the caller's transaction,
    which has locked the table; the models are a migration's historical ones there)."""
    rows: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(DOCUMENT_FIGURES, 0))
    documents = document_model.objects.order_by()
    for line in documents.values("issued_on", "center_id", "kind").annotate(n=Count("pk")):
        rows[(line["issued_on"], line["center_id"], line["kind"])]["issued"] = line["n"]
    revoked = documents.filter(revoked_at__isnull=False).annotate(day=TruncDate("revoked_at", tzinfo=CAIRO))
    for line in revoked.values("day", "center_id", "kind").annotate(n=Count("pk")):
        rows[(line["day"], line["center_id"], line["kind"])]["revoked"] = line["n"]
    return spans.rows_replace(
        day_model,
        (
            day_model(day=day, center_id=center_id, kind=kind, **figures)
            for (day, center_id, kind), figures in rows.items()
        ),
    )
