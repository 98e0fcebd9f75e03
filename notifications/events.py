"""The kinds of SMS the system sends, declared by the apps that send them.

The outbox knows no domain: an app declares each of its events once, with the placeholders its
templates may use, usually from its ``AppConfig.ready``::

    register_sms_event(
        "complaint_resolved",
        _("Complaint resolved"),
        placeholders=("complaint", "tracking_url"),
    )

and then, inside the transaction of each occurrence, hands ``sms_enqueue`` a phone, the event's key,
the placeholder values and an idempotency key. Administrators edit each event's Arabic template.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class SmsEventKind:
    key: str
    label: str | Promise
    placeholders: tuple[str, ...]


_EVENTS: dict[str, SmsEventKind] = {}


def register_sms_event(key: str, label: str | Promise, *, placeholders: tuple[str, ...]) -> SmsEventKind:
    """Declare an event (idempotent for the same declaration; a different one under a taken key raises)."""
    kind = SmsEventKind(key=key, label=label, placeholders=tuple(placeholders))
    existing = _EVENTS.get(key)
    if existing is not None and existing.placeholders != kind.placeholders:
        raise ValueError(f"SMS event {key!r} is already declared with other placeholders.")
    _EVENTS[key] = kind
    return kind


def sms_event(key: str) -> SmsEventKind | None:
    return _EVENTS.get(key)


def sms_event_choices() -> list[tuple[str, str]]:
    """Choices for the template's event field: every declared event (a callable, so no migration)."""
    return [(kind.key, kind.label) for kind in _EVENTS.values()]
