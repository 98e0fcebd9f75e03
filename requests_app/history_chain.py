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
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
