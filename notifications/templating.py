"""SMS template bodies: ``{placeholder}`` fields from the event's declared set, checked before saving.

Only bare names the event declared are allowed: no positional ``{}``, no attribute or index access
(``{receipt.__class__}`` would let a template read object internals), no format spec or conversion.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def placeholders_help(allowed: tuple[str, ...]) -> str:
    return ", ".join(f"{{{name}}}" for name in allowed)


def body_errors(body: str, allowed: tuple[str, ...]) -> list[str]:
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
        if name not in allowed:
            errors.append(
                _("Unknown placeholder {%(name)s}; allowed: %(allowed)s.")
                % {"name": name, "allowed": placeholders_help(allowed)}
            )
        elif spec or conv:
            errors.append(
                _("The placeholder {%(name)s} cannot have a format or conversion.") % {"name": name}
            )
    return errors


def render(body: str, values: dict[str, str], allowed: tuple[str, ...]) -> str:
    """Fill a checked body; placeholders without a value become empty rather than failing the event."""
    errors = body_errors(body, allowed)
    if errors:
        raise ValidationError(errors)
    return body.format_map({name: str(values.get(name, "")) for name in allowed})
