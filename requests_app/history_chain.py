"""The hash that chains a request's history rows (also used by the migration that chained old rows)."""

import hashlib
import json
from datetime import UTC


def chained_hash(previous_hash: str, event) -> str:
    """SHA-256 over the previous row's hash and everything this row says."""
    fields = [
        previous_hash,
        str(event.request_id),
        event.at.astimezone(UTC).isoformat(),
        str(event.actor_id or ""),
        event.action,
        event.from_state,
        event.to_state,
        str(event.step_id or ""),
        event.note,
        event.public_note,
    ]
    # Added later: a row without them hashes as it always did, so older chains still verify. Keys are
    # sorted because PostgreSQL's jsonb gives them back in an order of its own.
    system_note = getattr(event, "system_note", "")
    values = getattr(event, "system_note_values", None) or {}
    documents = getattr(event, "documents", None) or []
    if system_note or values or documents:
        fields.append(json.dumps([system_note, values, documents], ensure_ascii=False, sort_keys=True))
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
