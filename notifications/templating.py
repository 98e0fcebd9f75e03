"""SMS template bodies: ``{placeholder}`` fields from one fixed set, checked before they are saved.

Only bare names from PLACEHOLDERS are allowed: no positional ``{}``, no attribute or index access
(``{receipt.__class__}`` would let a template read object internals), no format spec or conversion.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The one list of fields a template may use; sms_enqueue fills them (see services.sms_values).
PLACEHOLDERS = (
    "receipt",
    "service",
    "center",
    "tracking_url",
    "documents",
    "reason",
    "due_date",
    "appeal_url",
)


def placeholders_help() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def body_errors(body: str) -> list[str]:
    """Every problem with ``body`` as a template, each naming the offending field; [] if it is fine."""
    try:
        fields = [
            (name, spec, conv) for _text, name, spec, conv in Formatter().parse(body) if name is not None
        ]
    except ValueError as exc:
        return [
            _("The text is not a valid template (%(error)s); write a literal brace as {{ or }}.")
            % {"error": exc}
        ]
    errors = []
    for name, spec, conv in fields:
        if name not in PLACEHOLDERS:
            errors.append(
                _("Unknown placeholder {%(name)s}; allowed: %(allowed)s.")
                % {"name": name, "allowed": placeholders_help()}
            )
        elif spec or conv:
            errors.append(
                _("The placeholder {%(name)s} cannot have a format or conversion.") % {"name": name}
            )
    return errors


def validate_body(body: str) -> None:
    errors = body_errors(body)
    if errors:
        raise ValidationError(errors)


def render(body: str, values: dict[str, str]) -> str:
    """Fill a checked body; placeholders without a value become empty rather than failing the event."""
    validate_body(body)
    return body.format_map({name: str(values.get(name, "")) for name in PLACEHOLDERS})
